"""Demo data for exams delivered here (`make demo`), through the real services; safe to run
twice:

- the Diploma in MSK Medicine's question bank: 125 questions written for the demo
  (exams/demo_data/question_bank.json), 120 approved by a second person, five still in review;
- a Diploma sitting held online now, with a frozen 100-question paper (20 a domain) that the
  demo applicant can sit straight away, and made-up candidates who have started or finished;
- an MFSEM Part 2 circuit of 12 stations and a rest station, running, with the demo examiner
  at station 1 and made-up examiners at the others, ready to mark.
"""

import datetime
import json
from pathlib import Path

from django.utils import timezone

from exams.models import (
    Booking,
    BookingStatus,
    Circuit,
    Exam,
    Paper,
    Question,
    Sitting,
    SittingMode,
    SittingStatus,
)
from exams.services import attempts, bank, osce, papers
from portal.demo import seed_user
from portal.roles import Role

BANK_FILE = Path(__file__).parent / "demo_data" / "question_bank.json"
DIPLOMA = "diploma-msk-medicine"
PART_2 = "mfsem-part-2"
SITTING_LABEL = "December 2026 (online)"
CIRCUIT_LABEL = "December 2026"
IN_REVIEW = 5
EXAMINER_DOMAIN = "examiners.demo.msk-portal.example"

OSCE_STATIONS = [
    "Knee examination",
    "Shoulder examination",
    "Lumbar spine and red flags",
    "Explaining a tendinopathy loading plan",
    "Ankle injury on the pitch",
    "Hip pain in a young runner",
    "Concussion: return to play",
    "Exercise prescription in type 2 diabetes",
    "Hand and wrist examination",
    "Breaking bad news: a stress fracture",
    "Pre-participation cardiac screening",
    "Injection consent: subacromial bursa",
]
CHECKLIST = [
    {"text": "Introduces themselves and gains consent", "max": 2},
    {"text": "Takes a focused history or explains the task clearly", "max": 4},
    {"text": "Carries out the examination or plan safely and in a sound order", "max": 6},
    {"text": "Reaches and explains a sound conclusion", "max": 4},
    {"text": "Checks understanding and agrees the next steps", "max": 4},
]


def seed_demo_delivery(*, applicant, administrator, board, candidates, examiner) -> None:
    _bank(administrator, board)
    _online_sitting(applicant, administrator, candidates)
    _circuit(administrator, candidates, examiner)


def _bank(author, reviewer) -> None:
    if Question.objects.filter(exam__code=DIPLOMA).exists():
        return
    write_bank(author, reviewer, leave_for_review=True)


def write_bank(author, reviewer, *, leave_for_review: bool) -> None:
    """The Diploma's demo bank (BANK_FILE) written, reviewed and approved through the bank's
    services; with LEAVE_FOR_REVIEW the last question of each domain waits for review."""
    exam = Exam.objects.get(code=DIPLOMA)
    entries = json.loads(BANK_FILE.read_text(encoding="utf-8"))
    for n, entry in enumerate(entries):
        version = bank.write_question(
            exam=exam,
            code=entry["code"],
            by=author,
            stem=entry["stem"],
            options=entry["options"],
            key=entry["key"],
            domain=entry["domain"],
            tags=entry["tags"],
            explanation=entry["explanation"],
        )
        if leave_for_review and n % 25 == 24:
            continue  # the last of each domain waits for review
        bank.review_question(version=version, by=reviewer)
        bank.approve_question(version=version, by=reviewer)


def _book(sitting, people) -> list[Booking]:
    bookings = []
    for person in people:
        booking = Booking.objects.filter(sitting=sitting, candidate=person).first()
        if booking is None:
            sitting.last_candidate_number += 1
            sitting.save(update_fields=["last_candidate_number"])
            booking = Booking.objects.create(
                sitting=sitting,
                candidate=person,
                status=BookingStatus.CONFIRMED,
                candidate_number=f"{sitting.last_candidate_number:04d}",
                attempt_number=1,
                profession=getattr(getattr(person, "clinician", None), "profession", "") or "gp",
            )
        bookings.append(booking)
    return bookings


def _sitting_today(exam_code, label, *, mode=SittingMode.REMOTE, venue="") -> tuple:
    exam = Exam.objects.get(code=exam_code)
    sitting = Sitting.objects.filter(exam=exam, label=label).first()
    if sitting is not None:
        return sitting, False
    today = timezone.localdate()
    sitting = Sitting.objects.create(
        exam=exam,
        label=label,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        mode=mode,
        venue=venue,
        capacity=60,
        applications_open=today - datetime.timedelta(days=60),
        applications_close=today - datetime.timedelta(days=7),
        fee_pence=45000,
        status=SittingStatus.SCHEDULED,
    )
    return sitting, True


def _online_sitting(applicant, administrator, candidates) -> None:
    sitting, made = _sitting_today(DIPLOMA, SITTING_LABEL)
    if not made and Paper.objects.filter(sitting=sitting).exists():
        return
    bookings = _book(sitting, [applicant, *candidates[:6]])
    now = timezone.now()
    paper = papers.create_paper(
        sitting=sitting,
        component=sitting.exam.components.get(code="paper"),
        # Open for a month from the seeding, so that the demo can be sat whenever it is run.
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=30),
        duration_minutes=120,
        shuffle_questions=True,
        shuffle_options=True,
        by=administrator,
    )
    domains = sorted({v.domain for v in papers.approved_versions(sitting.exam)})
    papers.assemble(
        paper=paper, blueprint=dict.fromkeys(domains, 100 // len(domains)), by=administrator
    )
    papers.freeze(paper=paper, by=administrator)
    # Made-up candidates: three answering, two finished, one not begun.
    for n, booking in enumerate(bookings[1:6]):
        attempt = attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate)
        questions = list(paper.questions.select_related("version").order_by("order"))
        for m, question in enumerate(questions[: 30 + 20 * n]):
            right = (
                question.version.key if (m + n) % 4 else "ABCD".replace(question.version.key, "")[0]
            )
            attempts.save_answer(
                attempt_id=attempt.pk,
                by=booking.candidate,
                paper_question_id=question.pk,
                version_id=question.version_id,
                tab="demo",
                sequence=m + 1,
                option=right,
                flagged=m % 17 == 0,
            )
        if n >= 3:
            attempts.submit_attempt(attempt=attempt, by=booking.candidate)


def _circuit(administrator, candidates, examiner) -> None:
    sitting, _ = _sitting_today(
        PART_2, CIRCUIT_LABEL, mode=SittingMode.VENUE, venue="Faculty examination centre, Leeds"
    )
    if Circuit.objects.filter(sitting=sitting).exists():
        return
    gps = [c for c in candidates if getattr(c.clinician, "profession", "") == "gp"][:10]
    _book(sitting, gps)
    circuit = osce.create_circuit(
        sitting=sitting,
        component=sitting.exam.components.get(kind="osce"),
        name="Circuit A",
        starts_at=timezone.now().replace(minute=0, second=0, microsecond=0),
        station_minutes=10,
        by=administrator,
    )
    examiners = [examiner] + [
        seed_user(f"examiner{n:02d}@{EXAMINER_DOMAIN}", "Examiner", f"{n:02d}", role=Role.EXAMINER)
        for n in range(2, len(OSCE_STATIONS) + 1)
    ]
    for title, person in zip(OSCE_STATIONS, examiners, strict=True):
        station = osce.add_station(
            circuit=circuit, title=title, checklist=CHECKLIST, by=administrator
        )
        osce.allocate_examiner(station=station, examiner=person, by=administrator)
    osce.add_station(circuit=circuit, title="Rest", is_rest=True, by=administrator)
    osce.place_candidates(circuit=circuit, by=administrator)
    osce.start_circuit(circuit=circuit, by=administrator)
