"""Data for bench/exam_sitting.py, in the server's own settings (run through Stack.manage):

    manage.py bench_exam_sitting build --candidates 1000   # bank, frozen paper, candidates
    manage.py bench_exam_sitting fill --paper P            # every attempt answers all questions
    manage.py bench_exam_sitting score --paper P --cut 60  # close, set the standard, analyse

`build` writes the bank (the demo's 125 questions, through the bank's services), a Diploma
sitting held today with one frozen 100-question paper (questions and options shuffled per
candidate), and CANDIDATES confirmed candidates made in bulk, each with a signed-in session
written straight into the session table (what django.contrib.auth.login stores: the user's
id, backend and session hash; applicants need no MFA). It prints one line, BUILD {json}.

`fill` completes every attempt of the paper to one answer per question (answers already
saved are kept), from a fixed seed so that abler candidates answer more questions right; it
is not timed. `score` times closing the paper (every attempt submitted and marked),
set_standard with a board-set cut, and item analysis of the sitting's matrix, and prints
SCORE {json}. For benchmarks only: never run against a database that matters.
"""

import datetime
import json
import math
import random
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from exams import psychometrics
from exams.demo_delivery import write_bank
from exams.models import (
    Attempt,
    Booking,
    BookingStatus,
    CandidateResult,
    ComponentKind,
    Exam,
    Mark,
    Paper,
    PaperQuestion,
    Response,
    Sitting,
    SittingMode,
    SittingStatus,
)
from exams.selectors.matrices import sitting_matrix
from exams.services import papers
from exams.services.standards import FIXED, set_standard
from portal.models import User

DIPLOMA = "diploma-msk-medicine"
EMAIL_DOMAIN = "bench-sitting.msk-portal.example"
AUTHOR = f"author@{EMAIL_DOMAIN}"
ADMIN = f"admin@{EMAIL_DOMAIN}"
BACKEND = "portal.auth_backends.ModelBackend"


class Command(BaseCommand):
    help = "Build, fill and score the exam sitting that bench/exam_sitting.py loads."

    def add_arguments(self, parser):
        parser.add_argument("step", choices=["build", "fill", "score"])
        parser.add_argument("--candidates", type=int, default=1000)
        parser.add_argument("--duration-minutes", type=int, default=180)
        parser.add_argument("--paper", type=int)
        parser.add_argument("--seed", type=int, default=19)
        parser.add_argument("--cut", type=float, default=60.0)

    def handle(self, *args, step, **options):
        if step == "build":
            figures = build(options["candidates"], options["duration_minutes"])
            self.stdout.write("BUILD " + json.dumps(figures))
            return
        if not options["paper"]:
            raise CommandError("--paper is needed.")
        paper = Paper.objects.select_related("sitting").get(pk=options["paper"])
        if step == "fill":
            self.stdout.write("FILL " + json.dumps(fill(paper, options["seed"])))
        else:
            self.stdout.write("SCORE " + json.dumps(score(paper, options["cut"])))


def _staff(email: str, first_name: str) -> User:
    return User.objects.create(
        email=email,
        first_name=first_name,
        last_name="Bench",
        is_staff=True,
        password=make_password(None),
    )


def build(candidates: int, duration_minutes: int) -> dict:
    began = time.perf_counter()
    seconds = {}
    author, admin = _staff(AUTHOR, "Author"), _staff(ADMIN, "Administrator")
    exam = Exam.objects.get(code=DIPLOMA)
    write_bank(author, admin, leave_for_review=False)
    seconds["bank"] = time.perf_counter() - began

    mark = time.perf_counter()
    today = timezone.localdate()
    sitting = Sitting.objects.create(
        exam=exam,
        label="Bench sitting (online)",
        starts_on=today,
        ends_on=today,
        mode=SittingMode.REMOTE,
        capacity=max(candidates, 1),
        applications_open=today - datetime.timedelta(days=60),
        applications_close=today - datetime.timedelta(days=7),
        fee_pence=45000,
        status=SittingStatus.SCHEDULED,
        last_candidate_number=candidates,
    )
    now = timezone.now()
    component = exam.components.get(kind=ComponentKind.SBA)
    paper = papers.create_paper(
        sitting=sitting,
        component=component,
        opens_at=now - datetime.timedelta(minutes=5),
        closes_at=now + datetime.timedelta(days=1),
        duration_minutes=duration_minutes,
        shuffle_questions=True,
        shuffle_options=True,
        by=admin,
    )
    domains = sorted({v.domain for v in papers.approved_versions(exam)})
    blueprint = dict.fromkeys(domains, component.item_count // len(domains))
    papers.assemble(paper=paper, blueprint=blueprint, by=admin, rng=random.Random(7))  # noqa: S311
    papers.freeze(paper=paper, by=admin)
    seconds["paper"] = time.perf_counter() - mark

    mark = time.perf_counter()
    unusable = make_password(None)  # nobody signs in with a password here
    with transaction.atomic():
        people = User.objects.bulk_create(
            User(
                email=f"candidate{n:05d}@{EMAIL_DOMAIN}",
                first_name="Candidate",
                last_name=f"{n:05d}",
                password=unusable,
            )
            for n in range(candidates)
        )
        bookings = Booking.objects.bulk_create(
            Booking(
                sitting=sitting,
                candidate=person,
                status=BookingStatus.CONFIRMED,
                candidate_number=f"{n + 1:04d}",
                attempt_number=1,
                profession="gp",
                confirmed_at=now,
            )
            for n, person in enumerate(people)
        )
    seconds["users and bookings"] = time.perf_counter() - mark

    mark = time.perf_counter()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = store.get_model_class()
    expires = now + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions = []
    for person in people:
        data = {
            "_auth_user_id": str(person.pk),
            "_auth_user_backend": BACKEND,
            "_auth_user_hash": person.get_session_auth_hash(),
        }
        sessions.append(
            model(
                session_key=get_random_string(32, VALID_KEY_CHARS),
                session_data=store().encode(data),
                expire_date=expires,
            )
        )
    model.objects.bulk_create(sessions, batch_size=1000)
    seconds["sessions"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - began
    return {
        "paper": paper.pk,
        "sitting": sitting.pk,
        "questions": component.item_count,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "candidates": [[b.pk, s.session_key] for b, s in zip(bookings, sessions, strict=True)],
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
    }


def fill(paper: Paper, seed: int) -> dict:
    """One answer per question for every attempt, keeping what was saved: a candidate of
    ability a answers a question of difficulty b right with chance 1/(1 + e^-(a - b + 0.8))."""
    began = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    questions = list(paper.questions.select_related("version").order_by("order"))
    difficulty = {q.pk: rng.gauss(0, 1) for q in questions}
    attempts = list(Attempt.objects.filter(paper=paper).order_by("pk"))
    answered = set(
        Response.objects.filter(attempt__paper=paper).values_list("attempt_id", "paper_question_id")
    )
    now = timezone.now()
    rows = []
    for attempt in attempts:
        ability = rng.gauss(0, 1)
        for q in questions:
            if (attempt.pk, q.pk) in answered:
                continue
            right = rng.random() < 1 / (1 + math.exp(-(ability - difficulty[q.pk] + 0.8)))
            wrong = [letter for letter in q.version.letters if letter != q.version.key]
            rows.append(
                Response(
                    attempt=attempt,
                    paper_question=q,
                    version_id=q.version_id,
                    option=q.version.key if right else rng.choice(wrong),
                    save_tab="bench-fill",
                    save_sequence=1,
                    saved_at=now,
                )
            )
    Response.objects.bulk_create(rows, batch_size=5000)
    return {
        "attempts": len(attempts),
        "added": len(rows),
        "responses": Response.objects.filter(attempt__paper=paper).count(),
        "seconds": round(time.perf_counter() - began, 2),
    }


class Queries:
    """How many queries a step made and how long they took, as seen from Django (the
    database's time plus the driver's and the network's; the rest of a step is Python)."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - began

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)

    def figures(self) -> dict:
        return {"count": self.count, "seconds": round(self.seconds, 3)}


def score(paper: Paper, cut: float) -> dict:
    admin = User.objects.get(email=ADMIN)
    sitting = paper.sitting
    # The time to start has passed (the paper stays open a day in the bench data).
    now = max(timezone.now(), paper.closes_at + datetime.timedelta(seconds=1))
    seconds, queries = {}, {}
    began = time.perf_counter()
    with Queries() as q:
        papers.close_paper(paper=paper, by=admin, now=now)
    seconds["close_paper"], queries["close_paper"] = time.perf_counter() - began, q.figures()
    mark = time.perf_counter()
    with Queries() as q:
        sitting.refresh_from_db()
        set_standard(sitting, method=FIXED, cut=cut, by=admin)
    seconds["set_standard"], queries["set_standard"] = time.perf_counter() - mark, q.figures()
    mark = time.perf_counter()
    with Queries() as q:
        matrix = sitting_matrix(sitting, kind=ComponentKind.SBA)
        analysis = psychometrics.analyse_items(matrix.scores, matrix.item_codes)
    seconds["item_analysis"], queries["item_analysis"] = time.perf_counter() - mark, q.figures()
    seconds["total"] = time.perf_counter() - began
    results = CandidateResult.objects.filter(booking__sitting=sitting)
    return {
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
        "queries": queries,
        "marks": Mark.objects.filter(item__sitting=sitting).count(),
        "answered_marks": Mark.objects.filter(item__sitting=sitting).exclude(option="").count(),
        "submitted": Attempt.objects.filter(paper=paper, state="submitted").count(),
        "results": results.count(),
        "passed": results.filter(passed=True).count(),
        "candidates": analysis.candidates,
        "items": len(analysis.items),
        "alpha": round(analysis.alpha, 3) if analysis.alpha is not None else None,
        "flagged": sum(1 for i in analysis.items if i.flags),
        "paper_questions": PaperQuestion.objects.filter(paper=paper).count(),
    }
