"""Sitting a paper under real concurrency on PostgreSQL: double starts, saves racing each
other and the exam team closing the paper while candidates are still answering."""

import pytest

from exams.models import Attempt, AttemptState, Mark, PaperState, Response
from exams.services import attempts, papers
from exams.services.errors import ExamError
from portal.roles import Role
from tests.exams import delivery_builders as builders
from tests.exams.test_booking_races import _run_in_threads
from tests.factories import make_persona

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _questions(paper):
    return list(paper.questions.select_related("version", "item").order_by("order"))


def test_start_pressed_six_times_at_once_makes_one_attempt():
    paper = builders.frozen_paper()
    booking = builders.seated(paper)
    started = []
    errors = _run_in_threads(
        lambda n: started.append(
            attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate).pk
        ),
        6,
    )
    assert errors == []
    assert Attempt.objects.count() == 1 and set(started) == {Attempt.objects.get().pk}


def test_saves_from_eight_tabs_at_once_keep_one_answer_that_one_of_them_sent():
    paper = builders.frozen_paper()
    booking = builders.seated(paper)
    attempt = attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate)
    question = _questions(paper)[0]
    letters = "ABCD"
    errors = _run_in_threads(
        lambda n: attempts.save_answer(
            attempt_id=attempt.pk,
            by=booking.candidate,
            paper_question_id=question.pk,
            version_id=question.version_id,
            tab=f"tab-{n}",
            sequence=1,
            option=letters[n % 4],
        ),
        8,
    )
    assert errors == []
    assert Response.objects.count() == 1
    assert Response.objects.get().option in letters


def test_closing_the_paper_while_candidates_save_marks_what_each_had_saved():
    """Every save either lands before the close (and is marked) or is refused after it: no
    answer is stored that its mark does not show, and no attempt is left open."""
    paper = builders.frozen_paper()
    admin = make_persona(Role.FACULTY_STAFF, mfa=True)
    seats = []
    for _ in range(4):
        booking = builders.seated(paper)
        seats.append(attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate))
    questions = _questions(paper)
    refused = []

    def act(n):
        if n == 0:
            papers.close_paper(paper=paper, by=admin, now=paper.closes_at)
            return
        attempt = seats[(n - 1) % 4]
        for sequence, question in enumerate(questions, 1):
            try:
                attempts.save_answer(
                    attempt_id=attempt.pk,
                    by=attempt.booking.candidate,
                    paper_question_id=question.pk,
                    version_id=question.version_id,
                    tab=f"tab-{n}",
                    sequence=sequence,
                    option="A",
                )
            except attempts.Refused as exc:
                refused.append(str(exc))

    errors = _run_in_threads(act, 9)
    assert errors == []
    assert all("submitted" in message for message in refused), refused
    paper.refresh_from_db()
    assert paper.state == PaperState.CLOSED
    assert not Attempt.objects.filter(state=AttemptState.IN_PROGRESS).exists()
    for attempt in seats:
        saved = dict(
            Response.objects.filter(attempt=attempt).values_list("paper_question__item", "option")
        )
        marked = dict(Mark.objects.filter(booking=attempt.booking).values_list("item", "option"))
        assert len(marked) == len(questions)
        assert {item: option for item, option in marked.items() if option} == saved


def test_a_candidate_starting_as_the_paper_closes_is_either_marked_or_refused():
    paper = builders.frozen_paper()
    admin = make_persona(Role.FACULTY_STAFF, mfa=True)
    bookings = [builders.seated(paper) for _ in range(5)]
    refusals = []

    def act(n):
        if n == 5:
            papers.close_paper(paper=paper, by=admin, now=paper.closes_at)
            return
        try:
            attempts.start_attempt(paper=paper, booking=bookings[n], by=bookings[n].candidate)
        except ExamError as exc:
            refusals.append(str(exc))

    errors = _run_in_threads(act, 6)
    assert errors == []
    assert all("not open" in message for message in refusals), refusals
    assert not Attempt.objects.filter(state=AttemptState.IN_PROGRESS).exists()
    assert Attempt.objects.count() + len(refusals) == 5
    for attempt in Attempt.objects.all():
        assert Mark.objects.filter(booking=attempt.booking).count() == 4
