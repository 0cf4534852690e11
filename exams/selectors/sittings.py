"""The exams team's lists: sittings with their places, a sitting's candidates, adjustments and
appeals waiting. Reads only."""

from django.db.models import Count, Q

from exams.adjustment_states import AdjustmentStatus
from exams.appeal_states import OPEN as OPEN_APPEALS
from exams.booking_states import BookingStatus
from exams.models import Adjustment, Appeal, Booking, Item, ResultsImport, Sitting
from portfolio.api import profession_name


def sittings_with_places():
    """Every sitting, newest first, with its confirmed and waiting candidates counted."""
    return (
        Sitting.objects.select_related("exam")
        .annotate(
            confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
            waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        )
        .order_by("-starts_on", "-pk")
    )


def sitting_summary(sitting) -> dict:
    """What the sitting's page lists beside it: candidates by status, what is waiting, the
    latest imports."""
    return {
        "counts": sitting.bookings.aggregate(
            confirmed=Count("pk", filter=Q(status=BookingStatus.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=BookingStatus.WAITING)),
            withdrawn=Count("pk", filter=Q(status=BookingStatus.WITHDRAWN)),
        ),
        "pending_adjustments": Adjustment.objects.filter(
            booking__sitting=sitting, status=AdjustmentStatus.REQUESTED
        ).count(),
        "imports": list(latest_imports(sitting).select_related("imported_by")[:20]),
        "open_appeals": Appeal.objects.filter(
            booking__sitting=sitting, status__in=OPEN_APPEALS
        ).count(),
    }


def latest_imports(sitting):
    return ResultsImport.objects.filter(sitting=sitting).select_related("component")


def candidates_of(sitting) -> list[Booking]:
    return list(
        Booking.objects.filter(sitting=sitting)
        .select_related("candidate")
        .annotate(adjustment_count=Count("adjustments"))
        .order_by("status", "candidate_number", "applied_at")
    )


CANDIDATES_EXPORT_HEADERS = ["candidate_number", "name", "email", "profession", "status", "attempt"]


def candidates_export_rows(bookings) -> list[tuple]:
    return [
        (
            b.candidate_number or "",
            b.candidate.get_full_name(),
            b.candidate.email,
            profession_name(b.profession),
            b.get_status_display(),
            b.attempt_number,
        )
        for b in bookings
    ]


def adjustments_of(sitting) -> list[Adjustment]:
    return list(
        Adjustment.objects.filter(booking__sitting=sitting)
        .select_related("booking__candidate")
        .order_by("status", "requested_at")
    )


def appeals_queue() -> list[Appeal]:
    return list(
        Appeal.objects.select_related("booking__candidate", "booking__sitting__exam").order_by(
            "status", "lodged_at"
        )
    )


def judges_of(sitting) -> list[str]:
    """The judges who have given Angoff judgements on SITTING's questions, by name."""
    return sorted(
        set(Item.objects.filter(sitting=sitting).values_list("judgements__judge", flat=True))
        - {None}
    )
