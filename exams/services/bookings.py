"""Applications for a sitting: confirmed places up to capacity, then a waiting list that is
promoted automatically when a confirmed candidate withdraws or places are added
(exams.services.sittings); reasonable adjustments. Every change locks the sitting row
first, so concurrent applications are counted one at a time (no over-capacity)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from exams import adjustment_states, booking_states
from exams.adjustment_states import AdjustmentAction, Decision
from exams.booking_states import LIVE, BookingAction, BookingStatus
from exams.emails import email_candidate
from exams.models import Adjustment, Booking, Sitting
from exams.services.eligibility import check_eligibility
from exams.services.errors import ExamError, refuse_if
from portal.audit import record

MAX_ADJUSTMENTS_PER_BOOKING = 5
# Each application emails its candidate: withdrawing and applying again is limited per day.
MAX_APPLICATIONS_PER_DAY = 10


def locked_sitting(sitting_id) -> Sitting:
    """The sitting, its row locked: every change to its places counts under this lock."""
    return Sitting.objects.select_for_update().select_related("exam").get(pk=sitting_id)


def _next_candidate_number(sitting: Sitting) -> str:
    # The sitting row is locked by the caller; numbers are never reused.
    sitting.last_candidate_number += 1
    sitting.save(update_fields=["last_candidate_number"])
    return f"{sitting.last_candidate_number:04d}"


def _confirm(booking: Booking, sitting: Sitting) -> None:
    refuse_if(booking_states.refusal(booking, BookingAction.CONFIRM))
    booking.status = BookingStatus.CONFIRMED
    if not booking.candidate_number:
        booking.candidate_number = _next_candidate_number(sitting)
    booking.confirmed_at = timezone.now()


def apply_for_sitting(sitting: Sitting, candidate, *, today=None) -> Booking:
    """CANDIDATE applies for SITTING: a confirmed place if one is left, else the waiting list.

    Refused (ExamError, nothing written) outside the application window, for an ineligible
    candidate (with every reason) or a second live application."""
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            sitting = locked_sitting(sitting.pk)
            if not sitting.accepting_applications(today):
                raise ExamError("This sitting is not accepting applications.")
            recent = Booking.objects.filter(
                candidate=candidate, applied_at__gte=timezone.now() - datetime.timedelta(days=1)
            )
            if recent.count() >= MAX_APPLICATIONS_PER_DAY:
                raise ExamError(
                    f"You have made {MAX_APPLICATIONS_PER_DAY} applications in the last day. "
                    "Try again tomorrow, or contact the exams team."
                )
            if Booking.objects.filter(
                sitting=sitting, candidate=candidate, status__in=LIVE
            ).exists():
                raise ExamError("You have already applied for this sitting.")
            eligibility = check_eligibility(
                candidate, sitting.exam, on=today, exclude_sitting=sitting
            )
            if not eligibility.eligible:
                raise ExamError(" ".join(eligibility.reasons))
            confirmed = Booking.objects.filter(
                sitting=sitting, status=BookingStatus.CONFIRMED
            ).count()
            booking = Booking(
                sitting=sitting,
                candidate=candidate,
                status=BookingStatus.WAITING,
                attempt_number=eligibility.attempt_number,
                profession=eligibility.profession,
            )
            if confirmed < sitting.capacity:
                _confirm(booking, sitting)
            booking.save()
            record(
                "exams.booking_applied",
                obj=booking,
                actor=candidate,
                new={"status": booking.status, "candidate_number": booking.candidate_number},
            )
            email_candidate(booking, "booking", booking_states.words(booking).subject)
            return booking
    except IntegrityError as exc:  # a second request raced this one past the check
        raise ExamError("You have already applied for this sitting.") from exc


def withdraw(booking: Booking, *, by) -> Booking:
    """Withdraw a live booking before the sitting's results exist; a confirmed place goes to
    the first candidate on the waiting list."""
    with transaction.atomic():
        sitting = locked_sitting(booking.sitting_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        booking.sitting = sitting
        refuse_if(booking_states.refusal(booking, BookingAction.WITHDRAW))
        old = booking.status
        booking.status = BookingStatus.WITHDRAWN
        booking.withdrawn_at = timezone.now()
        booking.save(update_fields=["status", "withdrawn_at"])
        record(
            "exams.booking_withdrawn",
            obj=booking,
            actor=by,
            old={"status": old},
            new={"status": booking.status},
        )
        if old == BookingStatus.CONFIRMED:
            promote_waiting(sitting)
        return booking


def promote_waiting(sitting: Sitting) -> None:
    """Give free places to the waiting list, first come first served (SITTING is locked)."""
    confirmed = Booking.objects.filter(sitting=sitting, status=BookingStatus.CONFIRMED).count()
    waiting = (
        Booking.objects.select_for_update()
        .filter(sitting=sitting, status=BookingStatus.WAITING)
        .order_by("applied_at", "pk")[: max(sitting.capacity - confirmed, 0)]
    )
    for booking in waiting:
        _confirm(booking, sitting)
        booking.save(update_fields=["status", "candidate_number", "confirmed_at"])
        record(
            "exams.booking_promoted",
            obj=booking,
            old={"status": BookingStatus.WAITING},
            new={"status": booking.status, "candidate_number": booking.candidate_number},
            detail="A place came free: promoted from the waiting list.",
        )
        email_candidate(booking, "booking", booking_states.PROMOTED_SUBJECT)


def request_adjustment(booking: Booking, *, kind: str, details: str, by) -> Adjustment:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("sitting").get(pk=booking.pk)
        refuse_if(booking_states.refusal(booking, BookingAction.REQUEST_ADJUSTMENT))
        if booking.adjustments.count() >= MAX_ADJUSTMENTS_PER_BOOKING:
            raise ExamError(
                f"You can ask for at most {MAX_ADJUSTMENTS_PER_BOOKING} adjustments; "
                "contact the exams team for more."
            )
        adjustment = Adjustment.objects.create(booking=booking, kind=kind, details=details)
        record(
            "exams.adjustment_requested",
            obj=adjustment,
            actor=by,
            new={"kind": kind, "status": adjustment.status},
        )
        return adjustment


def decide_adjustment(adjustment: Adjustment, *, approve: bool, note: str, by) -> Adjustment:
    with transaction.atomic():
        adjustment = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
        refuse_if(adjustment_states.refusal(adjustment, AdjustmentAction.DECIDE))
        if not approve and not note.strip():
            raise ExamError("Say why the request is declined.")
        old = adjustment.status
        adjustment.status = adjustment_states.DECIDES[
            Decision.APPROVE if approve else Decision.DECLINE
        ]
        adjustment.decision_note = note.strip()
        adjustment.decided_by = by
        adjustment.decided_at = timezone.now()
        adjustment.save()
        record(
            "exams.adjustment_decided",
            obj=adjustment,
            actor=by,
            old={"status": old},
            new={"status": adjustment.status},
            detail=adjustment.decision_note,
        )
        email_candidate(
            adjustment.booking,
            "adjustment",
            f"your adjustment request is {adjustment.get_status_display().lower()}",
            adjustment=adjustment,
        )
        return adjustment
