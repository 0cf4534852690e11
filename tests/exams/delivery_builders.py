"""Builders for exams delivered here: a bank of approved questions, a frozen paper on a small
SBA component, candidates sitting it; an OSCE circuit with stations and examiners."""

import datetime

from django.utils import timezone

from exams.models import Component, ComponentKind, Exam
from exams.services import bank, osce, papers
from portal.roles import Role
from tests.exams.factories import book, make_sitting
from tests.factories import make_persona

DOMAINS = ("Upper limb", "Lower limb")


def small_exam(code="tiny-sba", questions=4) -> Exam:
    """An exam with one SBA paper of QUESTIONS questions (the standard ones have 100)."""
    exam = Exam.objects.create(code=code, name=f"Exam {code}", max_attempts=6)
    Component.objects.create(
        exam=exam, code="paper", name="Paper", kind=ComponentKind.SBA, item_count=questions
    )
    return exam


def approved_bank(exam, *, per_domain=3, author=None, reviewer=None, options=4):
    """PER_DOMAIN approved questions in each of DOMAINS (keys cycle A, B, C, D)."""
    author = author or make_persona(Role.FACULTY_STAFF, mfa=True, first_name="Author")
    reviewer = reviewer or make_persona(Role.FACULTY_STAFF, mfa=True, first_name="Reviewer")
    versions = []
    for d, domain in enumerate(DOMAINS):
        for n in range(per_domain):
            version = bank.write_question(
                exam=exam,
                code=f"Q{d}{n:02d}",
                by=author,
                stem=f"Question {d}{n} about the {domain.lower()}?",
                options=[f"Option {letter} of {d}{n}" for letter in "ABCDE"[:options]],
                key="ABCD"[(d * per_domain + n) % 4],
                domain=domain,
                tags=["test"],
            )
            bank.review_question(version=version, by=reviewer)
            versions.append(bank.approve_question(version=version, by=reviewer))
    return versions


def frozen_paper(*, exam=None, sitting=None, admin=None, shuffle=False, duration=60):
    """A frozen paper open now, on a sitting of EXAM (4 questions, 2 per domain)."""
    exam = exam or small_exam()
    admin = admin or make_persona(Role.FACULTY_STAFF, mfa=True)
    approved_bank(exam)
    sitting = sitting or make_sitting(exam.code)
    now = timezone.now()
    paper = papers.create_paper(
        sitting=sitting,
        component=exam.components.get(),
        opens_at=now - datetime.timedelta(minutes=5),
        closes_at=now + datetime.timedelta(hours=2),
        duration_minutes=duration,
        shuffle_questions=shuffle,
        shuffle_options=shuffle,
        by=admin,
    )
    papers.assemble(paper=paper, blueprint={DOMAINS[0]: 2, DOMAINS[1]: 2}, by=admin)
    return papers.freeze(paper=paper, by=admin)


def seated(paper, candidate=None):
    """A confirmed booking on PAPER's sitting."""
    return book(paper.sitting, candidate)


def running_circuit(*, stations=2, candidates=2, admin=None, examiner=None):
    """A running circuit of STATIONS marked stations (two lines each, top 2) on an exam whose
    OSCE has that many stations, with CANDIDATES placed and one examiner at every station."""
    exam = Exam.objects.create(code="tiny-osce", name="Tiny OSCE", max_attempts=6)
    component = Component.objects.create(
        exam=exam,
        code="osce",
        name="OSCE",
        kind=ComponentKind.OSCE,
        item_count=stations,
        max_score=4,
        max_grade=5,
    )
    sitting = make_sitting(exam.code)
    admin = admin or make_persona(Role.FACULTY_STAFF, mfa=True)
    examiner = examiner or make_persona(Role.EXAMINER, mfa=True, first_name="Examiner")
    bookings = [book(sitting) for _ in range(candidates)]
    circuit = osce.create_circuit(
        sitting=sitting,
        component=component,
        name="Circuit A",
        starts_at=timezone.now(),
        station_minutes=10,
        by=admin,
    )
    made = []
    for n in range(stations):
        made.append(
            osce.add_station(
                circuit=circuit,
                title=f"Station {n + 1}",
                checklist=[{"text": "Introduces", "max": 2}, {"text": "Examines", "max": 2}],
                by=admin,
            )
        )
        osce.allocate_examiner(station=made[-1], examiner=examiner, by=admin)
    osce.place_candidates(circuit=circuit, by=admin)
    osce.start_circuit(circuit=circuit, by=admin)
    circuit.refresh_from_db()
    return circuit, made, bookings, examiner, admin
