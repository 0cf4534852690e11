"""Applications: eligibility explained, capacity and the waiting list, candidate numbers,
attempts, withdrawals and reasonable adjustments. Every refused move changes nothing."""

import datetime

import pytest
from django.db import IntegrityError

from credentials.api import Source, issue_credential
from exams.models import (
    Adjustment,
    AdjustmentStatus,
    Booking,
    BookingStatus,
    CandidateResult,
    Exam,
    SittingStatus,
)
from exams.services.bookings import (
    apply_for_sitting,
    decide_adjustment,
    request_adjustment,
    withdraw,
)
from exams.services.errors import ExamError
from exams.services.sittings import cancel_sitting, change_capacity, schedule_sitting
from portal.models import AuditEvent
from portfolio.models import Profession
from tests.exams.factories import book, make_candidate, make_sitting, today
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


def _pass(candidate, exam_code, *, years_ago=1):
    held = today() - datetime.timedelta(days=365 * years_ago)
    sitting = make_sitting(
        exam_code,
        starts_on=held,
        ends_on=held,
        applications_open=held - datetime.timedelta(days=60),
        applications_close=held - datetime.timedelta(days=10),
        status=SittingStatus.RELEASED,
    )
    booking = book(sitting, candidate)
    CandidateResult.objects.create(booking=booking, total=150, max_total=200, passed=True)
    return booking


def test_an_eligible_candidate_gets_a_confirmed_place_and_a_number():
    sitting = make_sitting()
    candidate = make_candidate()
    booking = apply_for_sitting(sitting, candidate)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.candidate_number == "0001"
    assert booking.attempt_number == 1
    assert AuditEvent.objects.filter(action="exams.booking_applied").count() == 1


def test_places_fill_to_capacity_then_the_waiting_list_is_promoted_on_withdrawal():
    sitting = make_sitting(capacity=2)
    first, second, third, fourth = (make_candidate() for _ in range(4))
    bookings = [apply_for_sitting(sitting, c) for c in (first, second, third, fourth)]
    assert [b.status for b in bookings] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [b.candidate_number for b in bookings] == ["0001", "0002", None, None]
    withdraw(bookings[0], by=first)
    bookings = [Booking.objects.get(pk=b.pk) for b in bookings]
    assert [b.status for b in bookings] == ["withdrawn", "confirmed", "confirmed", "waiting"]
    # Numbers are never reused: the promoted candidate gets a new one.
    assert bookings[2].candidate_number == "0003"
    assert AuditEvent.objects.filter(action="exams.booking_promoted").count() == 1


def test_withdrawing_from_the_waiting_list_promotes_nobody():
    sitting = make_sitting(capacity=1)
    a, b = make_candidate(), make_candidate()
    apply_for_sitting(sitting, a)
    waiting = apply_for_sitting(sitting, b)
    withdraw(waiting, by=b)
    assert Booking.objects.filter(sitting=sitting, status="confirmed").count() == 1


def test_withdrawing_twice_is_refused_and_changes_nothing():
    sitting = make_sitting()
    candidate = make_candidate()
    booking = apply_for_sitting(sitting, candidate)
    withdraw(booking, by=candidate)
    before = AuditEvent.objects.count()
    with pytest.raises(ExamError, match="already been withdrawn"):
        withdraw(booking, by=candidate)
    assert AuditEvent.objects.count() == before


def test_a_second_application_for_the_same_sitting_is_refused():
    sitting = make_sitting()
    candidate = make_candidate()
    apply_for_sitting(sitting, candidate)
    with pytest.raises(ExamError, match="already applied"):
        apply_for_sitting(sitting, candidate)
    assert Booking.objects.filter(sitting=sitting).count() == 1


def test_the_database_refuses_two_live_bookings_and_duplicate_candidate_numbers():
    sitting = make_sitting()
    candidate = make_candidate()
    book(sitting, candidate)
    with pytest.raises(IntegrityError):
        book(sitting, candidate, number="0999")


def test_candidate_numbers_are_unique_within_a_sitting():
    sitting = make_sitting()
    book(sitting, number="0001")
    with pytest.raises(IntegrityError):
        book(sitting, number="0001")


def test_applications_outside_the_window_are_refused():
    sitting = make_sitting(
        applications_open=today() + datetime.timedelta(days=1),
        applications_close=today() + datetime.timedelta(days=10),
    )
    with pytest.raises(ExamError, match="not accepting"):
        apply_for_sitting(sitting, make_candidate())
    assert not Booking.objects.exists()


def test_a_draft_sitting_takes_no_applications():
    sitting = make_sitting(status=SittingStatus.DRAFT)
    with pytest.raises(ExamError, match="not accepting"):
        apply_for_sitting(sitting, make_candidate())


def test_no_profile_and_the_wrong_profession_are_explained():
    sitting = make_sitting("mfsem-part-1")
    with pytest.raises(ExamError, match="Create your clinician profile"):
        apply_for_sitting(sitting, make_persona(None))
    with pytest.raises(ExamError, match="open to: GP, Other. Your profile says Physiotherapist"):
        apply_for_sitting(sitting, make_candidate(Profession.PHYSIOTHERAPIST))
    assert not Booking.objects.exists()


def test_part_2_needs_a_part_1_pass_within_seven_years():
    sitting = make_sitting("mfsem-part-2")
    candidate = make_candidate()
    with pytest.raises(ExamError, match="pass in MFSEM Part 1 within the last 7 years"):
        apply_for_sitting(sitting, candidate)
    _pass(candidate, "mfsem-part-1", years_ago=8)
    with pytest.raises(ExamError, match="within the last 7 years"):
        apply_for_sitting(sitting, candidate)
    _pass(candidate, "mfsem-part-1", years_ago=6)
    assert apply_for_sitting(sitting, candidate).status == BookingStatus.CONFIRMED


def test_a_prerequisite_credential_is_checked_through_credentials():
    exam = Exam.objects.get(code="diploma-exercise-medicine")
    exam.prerequisite_credential_id = "diploma_msk_medicine"
    exam.save()
    sitting = make_sitting("diploma-exercise-medicine")
    candidate = make_candidate()
    with pytest.raises(ExamError, match="valid Diploma in MSK Medicine credential"):
        apply_for_sitting(sitting, candidate)
    issue_credential(
        holder=candidate, credential_type="diploma_msk_medicine", source=Source("exams.test", 1)
    )
    assert apply_for_sitting(sitting, candidate).status == BookingStatus.CONFIRMED


def test_at_most_six_attempts_and_attempt_numbers_are_counted():
    exam_code = "diploma-msk-medicine"
    candidate = make_candidate()
    for n in range(5):
        earlier = make_sitting(exam_code, past=True, label=f"Earlier {n}")
        book(earlier, candidate)
    sixth = apply_for_sitting(make_sitting(exam_code, label="Sixth"), candidate)
    assert sixth.attempt_number == 6
    with pytest.raises(ExamError, match="used all 6 attempts"):
        apply_for_sitting(make_sitting(exam_code, label="Seventh"), candidate)


def test_someone_who_passed_cannot_apply_again():
    candidate = make_candidate()
    _pass(candidate, "diploma-msk-medicine")
    with pytest.raises(ExamError, match="already passed"):
        apply_for_sitting(make_sitting(), candidate)


def test_adjustments_are_requested_and_decided_once(faculty_staff):
    sitting = make_sitting()
    candidate = make_candidate()
    booking = apply_for_sitting(sitting, candidate)
    adjustment = request_adjustment(
        booking, kind="extra_time", details="25% extra time (dyslexia)", by=candidate
    )
    with pytest.raises(ExamError, match="Say why"):
        decide_adjustment(adjustment, approve=False, note=" ", by=faculty_staff)
    decide_adjustment(adjustment, approve=True, note="", by=faculty_staff)
    with pytest.raises(ExamError, match="already been decided"):
        decide_adjustment(adjustment, approve=False, note="No", by=faculty_staff)
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.APPROVED
    for _ in range(4):
        request_adjustment(booking, kind="rest_breaks", details="Breaks", by=candidate)
    with pytest.raises(ExamError, match="at most 5"):
        request_adjustment(booking, kind="other", details="More", by=candidate)
    assert Adjustment.objects.count() == 5


def test_sitting_status_moves_are_guarded(faculty_staff):
    sitting = make_sitting(status=SittingStatus.DRAFT)
    schedule_sitting(sitting, by=faculty_staff)
    with pytest.raises(ExamError, match="Only a draft"):
        schedule_sitting(sitting, by=faculty_staff)
    released = make_sitting(past=True, status=SittingStatus.RELEASED)
    with pytest.raises(ExamError, match="cannot be cancelled"):
        cancel_sitting(released, by=faculty_staff)
    released.refresh_from_db()
    assert released.status == SittingStatus.RELEASED
    cancel_sitting(sitting, by=faculty_staff)
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.CANCELLED


def test_candidates_are_emailed_and_applications_are_limited_per_day(
    mailoutbox, django_capture_on_commit_callbacks
):
    sitting = make_sitting(capacity=1)
    first, second = make_candidate(), make_candidate()
    with django_capture_on_commit_callbacks(execute=True):
        booking = apply_for_sitting(sitting, first)
        apply_for_sitting(sitting, second)
    assert [m.to for m in mailoutbox] == [[first.email], [second.email]]
    assert "Your candidate number is 0001" in mailoutbox[0].body
    assert "waiting list" in mailoutbox[1].subject
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(booking, by=first)
    assert mailoutbox[-1].to == [second.email]
    assert "a place came free" in mailoutbox[-1].subject
    busy = make_candidate()
    for n in range(10):
        withdraw(apply_for_sitting(make_sitting(label=f"S{n}"), busy), by=busy)
    with pytest.raises(ExamError, match="10 applications in the last day"):
        apply_for_sitting(make_sitting(label="Eleventh"), busy)


def test_more_places_promote_the_waiting_list_and_fewer_than_confirmed_are_refused(
    faculty_staff,
):
    sitting = make_sitting(capacity=1)
    bookings = [apply_for_sitting(sitting, make_candidate()) for _ in range(4)]
    change_capacity(sitting, capacity=3, by=faculty_staff)
    statuses = [Booking.objects.get(pk=b.pk).status for b in bookings]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]
    with pytest.raises(ExamError, match="3 places are confirmed already"):
        change_capacity(sitting, capacity=2, by=faculty_staff)
    sitting.refresh_from_db()
    assert sitting.capacity == 3
    change_capacity(sitting, capacity=3, by=faculty_staff)
    assert Booking.objects.filter(sitting=sitting, status="waiting").count() == 1
