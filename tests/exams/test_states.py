"""The exams state modules: each refused move says why (and the service refuses with the same
words), allowed_actions per role, and the pages offer what they allow and nothing else."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from exams import adjustment_states, appeal_states, booking_states, sitting_states
from exams.adjustment_states import AdjustmentAction, AdjustmentStatus
from exams.appeal_states import AppealAction, AppealStatus
from exams.booking_states import BookingAction, BookingStatus
from exams.models import Adjustment, Appeal, CandidateResult, Sitting
from exams.services import bookings as booking_services
from exams.services import sittings as sitting_services
from exams.services.appeals import decide_appeal, lodge_appeal
from exams.services.errors import ExamError
from exams.services.standards import ratify, release
from exams.sitting_states import MOVES, SittingAction, SittingStatus
from portal.roles import Role
from tests.exams.factories import book, make_candidate, make_sitting
from tests.factories import make_persona

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def board(db):
    return make_persona(Role.FACULTY_STAFF, mfa=True)


def _at(status, **fields) -> Sitting:
    return make_sitting(status=status, **fields)


# Sittings ---------------------------------------------------------------------------------------


def test_every_status_has_words_and_every_move_starts_and_ends_in_a_status():
    assert set(sitting_states.WORDS) == set(SittingStatus)
    for move in MOVES.values():
        assert move.allowed_from <= set(SittingStatus)
        assert move.to is None or move.to in SittingStatus


@pytest.mark.parametrize(
    ("action", "status", "reason"),
    [
        (SittingAction.SCHEDULE, SittingStatus.SCHEDULED, "Only a draft sitting can be scheduled."),
        (
            SittingAction.CANCEL,
            SittingStatus.RESULTS_IMPORTED,
            "A sitting with results cannot be cancelled.",
        ),
        (
            SittingAction.CHANGE_PLACES,
            SittingStatus.RELEASED,
            "Places can change only before results are imported.",
        ),
        (
            SittingAction.IMPORT_RESULTS,
            SittingStatus.RATIFIED,
            "Results can be imported only until the standard is set (this sitting is: Ratified).",
        ),
        (
            SittingAction.SET_STANDARD,
            SittingStatus.SCHEDULED,
            "The standard can be set only after results are imported and before they are "
            "ratified (this sitting is: Scheduled).",
        ),
        (
            SittingAction.RATIFY,
            SittingStatus.RESULTS_IMPORTED,
            "Only results whose standard is set can be ratified.",
        ),
        (
            SittingAction.RELEASE,
            SittingStatus.STANDARD_SET,
            "Only ratified results can be released.",
        ),
    ],
)
def test_a_refused_sitting_move_says_why(action, status, reason):
    assert sitting_states.refusal(_at(status, past=True), action) == reason


def test_results_are_imported_once_the_sitting_has_started():
    future = _at(SittingStatus.SCHEDULED)
    assert sitting_states.refusal(future, SittingAction.IMPORT_RESULTS) == (
        "Results can be imported once the sitting has started."
    )
    assert (
        sitting_states.refusal(
            _at(SittingStatus.SCHEDULED, past=True), SittingAction.IMPORT_RESULTS
        )
        is None
    )


@pytest.mark.parametrize(
    ("service", "status", "reason"),
    [
        (sitting_services.schedule_sitting, SittingStatus.CANCELLED, "Only a draft sitting"),
        (sitting_services.cancel_sitting, SittingStatus.RELEASED, "with results cannot be"),
        (ratify, SittingStatus.RATIFIED, "Only results whose standard is set"),
        (release, SittingStatus.RELEASED, "Only ratified results can be released."),
    ],
)
def test_the_services_refuse_with_the_same_words(service, status, reason, board):
    sitting = _at(status, past=True)
    with pytest.raises(ExamError, match=reason):
        service(sitting, by=board)
    assert Sitting.objects.get(pk=sitting.pk).status == status


def test_the_administrator_who_set_the_standard_is_not_offered_ratification(faculty_staff, board):
    sitting = _at(SittingStatus.STANDARD_SET, past=True, standard_set_by=faculty_staff)
    assert SittingAction.RATIFY not in sitting_states.allowed_actions(sitting, faculty_staff)
    assert sitting_states.refusal(sitting, SittingAction.RATIFY, by=faculty_staff) == (
        "A second administrator must ratify: you set the standard."
    )
    assert SittingAction.RATIFY in sitting_states.allowed_actions(sitting, board)


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (
            SittingStatus.DRAFT,
            [
                SittingAction.SCHEDULE,
                SittingAction.CANCEL,
                SittingAction.CHANGE_PLACES,
                SittingAction.CHANGE_DATES,
            ],
        ),
        (
            SittingStatus.SCHEDULED,
            [
                SittingAction.CANCEL,
                SittingAction.CHANGE_PLACES,
                SittingAction.CHANGE_DATES,
                SittingAction.IMPORT_RESULTS,
                SittingAction.SAVE_JUDGEMENTS,
                SittingAction.SET_UP_DELIVERY,
            ],
        ),
        (
            SittingStatus.RESULTS_IMPORTED,
            [
                SittingAction.IMPORT_RESULTS,
                SittingAction.SAVE_JUDGEMENTS,
                SittingAction.SET_STANDARD,
                SittingAction.EXCLUDE_QUESTIONS,
            ],
        ),
        (SittingStatus.RATIFIED, [SittingAction.RELEASE]),
        (SittingStatus.RELEASED, []),
        (SittingStatus.CANCELLED, []),
    ],
)
def test_allowed_actions_for_the_exams_team(status, offered, board):
    assert sitting_states.allowed_actions(_at(status, past=True), board) == offered


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ASSESSOR, Role.COMMISSIONER, None])
def test_nobody_else_may_do_anything_to_a_sitting(role):
    sitting = _at(SittingStatus.DRAFT)
    assert sitting_states.allowed_actions(sitting, make_persona(role)) == []


def test_a_superuser_may_do_what_the_exams_team_may(superuser):
    assert SittingAction.SCHEDULE in sitting_states.allowed_actions(
        _at(SittingStatus.DRAFT), superuser
    )


def test_the_next_step_is_said_in_words(board):
    scheduled = _at(SittingStatus.SCHEDULED)
    assert sitting_states.next_step(scheduled).startswith(
        "Once the sitting has been held, close its online papers and OSCE circuits"
    )
    released = _at(
        SittingStatus.RELEASED,
        past=True,
        released_at=timezone.make_aware(datetime.datetime(2027, 3, 1, 9, 0)),
    )
    assert sitting_states.next_step(released) == (
        "Results are released (visible to candidates from 1 Mar 2027 09:00)."
    )


# Applications (bookings) -----------------------------------------------------------------------


def test_the_candidate_may_withdraw_and_ask_for_adjustments_until_the_sitting_starts():
    sitting = _at(SittingStatus.SCHEDULED)
    booking = book(sitting)
    assert booking_states.allowed_actions(booking, booking.candidate) == [
        BookingAction.WITHDRAW,
        BookingAction.REQUEST_ADJUSTMENT,
    ]
    sitting.starts_on = sitting.applications_close = timezone.localdate()
    sitting.save()
    booking.refresh_from_db()
    assert booking_states.allowed_actions(booking, booking.candidate) == [
        BookingAction.REQUEST_ADJUSTMENT
    ]
    assert booking_states.refusal(booking, BookingAction.WITHDRAW) == (
        "Applications can be withdrawn only before the sitting starts."
    )
    with pytest.raises(ExamError, match="only before the sitting starts"):
        booking_services.withdraw(booking, by=booking.candidate)


def test_nobody_but_the_candidate_is_offered_their_application(board):
    booking = book(_at(SittingStatus.SCHEDULED))
    for user in (board, make_candidate()):
        assert booking_states.allowed_actions(booking, user) == []


def test_a_withdrawn_application_offers_nothing_and_says_why():
    booking = book(_at(SittingStatus.SCHEDULED))
    booking_services.withdraw(booking, by=booking.candidate)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.WITHDRAWN
    assert booking_states.allowed_actions(booking, booking.candidate) == []
    assert booking_states.refusal(booking, BookingAction.WITHDRAW) == (
        "This application has already been withdrawn."
    )
    with pytest.raises(ExamError, match="already been withdrawn"):
        booking_services.withdraw(booking, by=booking.candidate)


def _released_result(board):
    sitting = _at(
        SittingStatus.RELEASED, past=True, released_at=timezone.now() - datetime.timedelta(days=1)
    )
    booking = book(sitting)
    CandidateResult.objects.create(booking=booking, total=5, max_total=10, passed=False)
    return Sitting.objects.get(pk=sitting.pk).bookings.get()


def test_an_appeal_is_offered_within_the_window_only(board):
    booking = _released_result(board)
    assert BookingAction.APPEAL in booking_states.allowed_actions(booking, booking.candidate)
    later = timezone.now() + datetime.timedelta(days=30)
    reason = booking_states.refusal(booking, BookingAction.APPEAL, by=booking.candidate, now=later)
    assert reason.startswith("Appeals closed on ")
    assert booking_states.refusal(booking, BookingAction.APPEAL, by=board) == (
        "Only the candidate can appeal their result."
    )


# Appeals and adjustments ------------------------------------------------------------------------


def test_the_exams_team_decides_an_appeal_once(board):
    booking = _released_result(board)
    appeal = lodge_appeal(booking, grounds="Question 3 had two answers.", by=booking.candidate)
    assert appeal_states.allowed_actions(appeal, board) == [AppealAction.DECIDE]
    assert appeal_states.allowed_actions(appeal, booking.candidate) == []
    decide_appeal(appeal, upheld=False, outcome="The key was right.", by=board)
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.status == AppealStatus.DISMISSED
    assert appeal_states.allowed_actions(appeal, board) == []
    assert appeal_states.refusal(appeal, AppealAction.DECIDE) == (
        "This appeal has been decided already."
    )
    with pytest.raises(ExamError, match="decided already"):
        decide_appeal(appeal, upheld=True, outcome="Changed our mind.", by=board)


def test_the_exams_team_decides_an_adjustment_once(board):
    booking = book(_at(SittingStatus.SCHEDULED))
    adjustment = booking_services.request_adjustment(
        booking, kind="extra_time", details="25%", by=booking.candidate
    )
    assert adjustment_states.allowed_actions(adjustment, board) == [AdjustmentAction.DECIDE]
    assert adjustment_states.allowed_actions(adjustment, booking.candidate) == []
    booking_services.decide_adjustment(adjustment, approve=True, note="", by=board)
    adjustment = Adjustment.objects.get(pk=adjustment.pk)
    assert adjustment.status == AdjustmentStatus.APPROVED
    assert adjustment_states.refusal(adjustment, AdjustmentAction.DECIDE) == (
        "This request has already been decided."
    )
    with pytest.raises(ExamError, match="already been decided"):
        booking_services.decide_adjustment(adjustment, approve=False, note="No.", by=board)


# The pages offer what the state modules allow -------------------------------------------------


def test_the_sitting_page_offers_ratification_to_a_second_administrator_only(
    client, faculty_staff, board
):
    sitting = _at(SittingStatus.STANDARD_SET, past=True, standard_set_by=faculty_staff)
    client.force_login(faculty_staff)
    page = client.get(f"/manage/exams/sittings/{sitting.pk}/").content.decode()
    assert "Another member of faculty staff (not the one who set the standard)" in page
    assert "Ratify results</button>" not in page
    client.force_login(board)
    page = client.get(f"/manage/exams/sittings/{sitting.pk}/").content.decode()
    assert "Ratify results</button>" in page
    assert f"/manage/exams/sittings/{sitting.pk}/ratify/do/" in page


def test_the_booking_page_offers_no_withdrawal_once_the_sitting_has_started(client):
    sitting = _at(SittingStatus.SCHEDULED)
    booking = book(sitting)
    client.force_login(booking.candidate)
    page = client.get(f"/exams/bookings/{booking.pk}/").content.decode()
    assert "Withdraw from this sitting" in page
    today = timezone.localdate()
    Sitting.objects.filter(pk=sitting.pk).update(starts_on=today, applications_close=today)
    page = client.get(f"/exams/bookings/{booking.pk}/").content.decode()
    assert "Withdraw from this sitting" not in page
    assert "Ask for a reasonable adjustment" in page


# No bare strings ----------------------------------------------------------------------------------

STATE_WORDS = {
    *SittingStatus.values,
    *BookingStatus.values,
    *AdjustmentStatus.values,
    *AppealStatus.values,
}


@pytest.mark.parametrize(
    "folder", ["templates/exams/manage", "templates/exams/candidate", "templates/exams/emails"]
)
def test_no_exams_template_compares_a_status_to_a_string(folder):
    for path in sorted((ROOT / folder).iterdir()):
        for tag in re.findall(r"\{%.*?%\}", path.read_text()):
            assert not re.search(r"(==|!=|\bin)\s*[\"']", tag), f"{path.name}: {tag}"
            assert not any(f'"{word}"' in tag for word in STATE_WORDS), f"{path.name}: {tag}"
