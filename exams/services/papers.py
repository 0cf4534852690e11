"""Papers: assembled from approved questions against a blueprint, previewed, frozen (their
questions become the sitting's items, with the key), then closed once sat.

A frozen paper never changes. Closing it submits any attempt still open and, when every
component of the sitting has its marks, moves the sitting on to "results imported", where
standard setting and item analysis take over exactly as after a CSV import.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from exams.models import (
    Attempt,
    AttemptState,
    Booking,
    BookingStatus,
    ComponentKind,
    Item,
    Paper,
    PaperQuestion,
    PaperState,
    QuestionState,
    QuestionVersion,
    Sitting,
    SittingStatus,
    SubmittedHow,
)
from exams.services.errors import ExamError
from exams.sitting_states import MOVES, SittingAction, refusal
from portal.audit import record

MAX_DURATION = 600


def _snapshot(paper) -> dict:
    return {"state": paper.state, "questions": paper.questions.count()}


def approved_versions(exam):
    """The latest approved version of each question of EXAM's bank that is not retired."""
    latest = {}
    for version in (
        QuestionVersion.objects.filter(question__exam=exam)
        .exclude(state=QuestionState.DRAFT)
        .order_by("question_id", "-number")
        .select_related("question")
    ):
        latest.setdefault(version.question_id, version)
    return [v for v in latest.values() if v.state == QuestionState.APPROVED]


def clean_blueprint(blueprint: dict, component) -> dict:
    clean = {}
    for domain, count in (blueprint or {}).items():
        domain = " ".join(str(domain).split())
        try:
            count = int(count)
        except (TypeError, ValueError):
            raise ExamError(f"Give a whole number of questions for {domain}.") from None
        if count < 0 or count > 500:
            raise ExamError(f"Give between 0 and 500 questions for {domain}.")
        if domain and count:
            clean[domain] = count
    total = sum(clean.values())
    if total != component.item_count:
        raise ExamError(
            f"The blueprint asks for {total} questions; {component.name} has "
            f"{component.item_count}."
        )
    return clean


@transaction.atomic
def create_paper(
    *,
    sitting: Sitting,
    component,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    duration_minutes: int,
    by,
    shuffle_questions=False,
    shuffle_options=False,
) -> Paper:
    if component.exam_id != sitting.exam_id or component.kind != ComponentKind.SBA:
        raise ExamError("Choose a single-best-answer paper of this sitting's exam.")
    refused = refusal(sitting, SittingAction.SET_UP_DELIVERY)
    if refused:
        raise ExamError(refused)
    if closes_at <= opens_at:
        raise ExamError("The paper must close after it opens.")
    if not 5 <= int(duration_minutes) <= MAX_DURATION:
        raise ExamError(f"Give a time allowed between 5 and {MAX_DURATION} minutes.")
    try:
        with transaction.atomic():
            paper = Paper.objects.create(
                sitting=sitting,
                component=component,
                opens_at=opens_at,
                closes_at=closes_at,
                duration_minutes=duration_minutes,
                shuffle_questions=shuffle_questions,
                shuffle_options=shuffle_options,
            )
    except IntegrityError:
        raise ExamError(f"This sitting already has a paper for {component.name}.") from None
    record("exams.paper_created", obj=paper, new=_snapshot(paper), actor=by)
    return paper


def _locked(paper) -> Paper:
    return (
        Paper.objects.select_for_update(of=("self",))
        .select_related("sitting", "component")
        .get(pk=paper.pk)
    )


def _draft(paper) -> None:
    if paper.state != PaperState.DRAFT:
        raise ExamError("The paper is frozen: it cannot change.")


@transaction.atomic
def assemble(*, paper: Paper, blueprint: dict, by, rng=None) -> Paper:
    """Fill PAPER from the bank: for each domain of BLUEPRINT, that many approved questions
    chosen at random. Replaces the paper's questions; refused if a domain has too few."""
    paper = _locked(paper)
    _draft(paper)
    blueprint = clean_blueprint(blueprint, paper.component)
    rng = rng or secrets.SystemRandom()
    by_domain: dict[str, list] = {}
    for version in approved_versions(paper.sitting.exam):
        by_domain.setdefault(version.domain, []).append(version)
    short = [
        f"{domain} (needs {count}, the bank has {len(by_domain.get(domain, []))} approved)"
        for domain, count in blueprint.items()
        if len(by_domain.get(domain, [])) < count
    ]
    if short:
        raise ExamError("Not enough approved questions: " + "; ".join(short) + ".")
    chosen = []
    for domain, count in blueprint.items():
        chosen += rng.sample(sorted(by_domain[domain], key=lambda v: v.question.code), count)
    paper.questions.all().delete()
    PaperQuestion.objects.bulk_create(
        PaperQuestion(paper=paper, order=n, version=version) for n, version in enumerate(chosen, 1)
    )
    paper.blueprint = blueprint
    paper.save(update_fields=["blueprint"])
    record("exams.paper_assembled", obj=paper, new=_snapshot(paper), actor=by)
    return paper


@transaction.atomic
def replace_question(*, paper: Paper, question: PaperQuestion, version: QuestionVersion, by):
    """Swap one question of a draft paper for another approved one."""
    paper = _locked(paper)
    _draft(paper)
    if question.paper_id != paper.pk:
        raise ExamError("That question is not in this paper.")
    if version.state != QuestionState.APPROVED or version.question.exam_id != paper.sitting.exam_id:
        raise ExamError("Choose an approved question from this exam's bank.")
    if paper.questions.filter(version__question=version.question).exists():
        raise ExamError(f"{version.question.code} is in the paper already.")
    old = question.version
    question.version = version
    question.save(update_fields=["version"])
    record(
        "exams.paper_question_replaced",
        obj=paper,
        old={"question": str(old)},
        new={"question": str(version)},
        actor=by,
    )
    return question


@transaction.atomic
def freeze(*, paper: Paper, by) -> Paper:
    """DRAFT → FROZEN: the paper's questions become the sitting's items (code, key, domain),
    and nothing in it changes again."""
    paper = _locked(paper)
    _draft(paper)
    questions = list(paper.questions.select_related("version__question").order_by("order"))
    if len(questions) != paper.component.item_count:
        raise ExamError(
            f"The paper has {len(questions)} questions; {paper.component.name} needs "
            f"{paper.component.item_count}."
        )
    not_approved = [q.version for q in questions if q.version.state != QuestionState.APPROVED]
    if not_approved:
        shown = ", ".join(str(v) for v in not_approved[:5])
        raise ExamError(f"Every question must be approved; not yet: {shown}.")
    if Item.objects.filter(sitting=paper.sitting, component=paper.component).exists():
        raise ExamError(
            "Results for this paper were imported from a file: it cannot also be sat here."
        )
    start = Item.objects.filter(sitting=paper.sitting).aggregate(n=Max("order"))["n"] or 0
    for question in questions:
        version = question.version
        question.item = Item.objects.create(
            sitting=paper.sitting,
            component=paper.component,
            code=version.question.code,
            order=start + question.order,
            answer=version.key,
            domain=version.domain,
        )
        question.save(update_fields=["item"])
    paper.state = PaperState.FROZEN
    paper.frozen_at = timezone.now()
    paper.frozen_by = by
    paper.save(update_fields=["state", "frozen_at", "frozen_by"])
    record("exams.paper_frozen", obj=paper, new=_snapshot(paper), actor=by)
    return paper


@transaction.atomic
def close_paper(*, paper: Paper, by, now=None) -> Paper:
    """FROZEN → CLOSED, once the time to start has passed: every attempt still open is
    submitted as it stands, and the sitting moves on to results when all its parts are in."""
    from exams.services.attempts import _submit_all

    now = now or timezone.now()
    paper = _locked(paper)
    if paper.state != PaperState.FROZEN:
        raise ExamError("Only a frozen paper can be closed.")
    if now < paper.closes_at:
        # Early only once every candidate with a place has submitted: closing shuts out anyone
        # who has not begun, and submits anyone still answering.
        answering = Attempt.objects.filter(paper=paper, state=AttemptState.IN_PROGRESS).count()
        not_begun = (
            Booking.objects.filter(sitting=paper.sitting, status=BookingStatus.CONFIRMED)
            .exclude(attempts__paper=paper)
            .count()
        )
        if answering or not_begun:
            when = timezone.localtime(paper.closes_at).strftime("%-H:%M on %-d %B %Y")
            raise ExamError(
                f"Candidates may start until {when}: {not_begun} not begun and {answering} "
                f"still answering. Close the paper after {when}, or once every candidate has "
                "submitted."
            )
    still_open = Attempt.objects.select_for_update().filter(
        paper=paper, state=AttemptState.IN_PROGRESS
    )
    _submit_all(list(still_open.order_by("pk")), SubmittedHow.CLOSED, at=now, by=by)
    paper.state = PaperState.CLOSED
    paper.closed_at = now
    paper.save(update_fields=["state", "closed_at"])
    record("exams.paper_closed", obj=paper, new=_snapshot(paper), actor=by)
    results_in_if_complete(paper.sitting, by=by)
    return paper


def results_in_if_complete(sitting: Sitting, *, by) -> bool:
    """SCHEDULED → RESULTS_IMPORTED once every component of the sitting has its marks: papers
    closed, circuits closed, or items imported from a file."""
    from exams.models import Circuit, CircuitState

    sitting = Sitting.objects.select_for_update().get(pk=sitting.pk)
    if refusal(sitting, SittingAction.COLLECT_RESULTS) is not None:
        return False
    for component in sitting.exam.components.all():
        papers = Paper.objects.filter(sitting=sitting, component=component)
        circuits = Circuit.objects.filter(sitting=sitting, component=component)
        if papers.exclude(state=PaperState.CLOSED).exists():
            return False
        if circuits.exclude(state=CircuitState.CLOSED).exists():
            return False
        if not Item.objects.filter(sitting=sitting, component=component).exists():
            return False
    sitting.status = MOVES[SittingAction.COLLECT_RESULTS].to
    sitting.save(update_fields=["status"])
    record(
        "exams.results_collected",
        obj=sitting,
        old={"status": SittingStatus.SCHEDULED},
        new={"status": SittingStatus.RESULTS_IMPORTED},
        actor=by,
        detail="Every paper and circuit of the sitting is closed.",
    )
    from exams.report_cache import results_changed

    results_changed(sitting.pk)
    return True
