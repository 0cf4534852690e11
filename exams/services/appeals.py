"""Appeals and re-mark requests: lodged by the candidate within the exam's window after the
results are released, decided by an administrator."""

import datetime

from django.db import transaction
from django.utils import timezone

from exams.emails import email_candidate
from exams.models import Appeal, AppealKind, AppealStatus, Booking
from exams.services.errors import ExamError
from exams.services.standards import results_visible
from portal.audit import record
from portal.links import absolute_url

MAX_APPEALS_PER_RESULT = 3  # each decision emails the candidate


def appeal_closes(booking: Booking) -> datetime.datetime | None:
    sitting = booking.sitting
    if not results_visible(sitting):
        return None
    return sitting.released_at + datetime.timedelta(days=sitting.exam.appeal_days)


def lodge_appeal(booking: Booking, *, grounds: str, by, kind: str = AppealKind.APPEAL) -> Appeal:
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update().select_related("sitting__exam").get(pk=booking.pk)
        )
        if booking.candidate_id != by.pk:
            raise ExamError("Only the candidate can appeal their result.")
        closes = appeal_closes(booking)
        if closes is None or not hasattr(booking, "result"):
            raise ExamError("You can appeal once your result is released.")
        if timezone.now() > closes:
            raise ExamError(f"Appeals closed on {closes:%-d %B %Y}.")
        if not grounds.strip():
            raise ExamError("Say what you are appealing against and why.")
        if booking.appeals.count() >= MAX_APPEALS_PER_RESULT:
            raise ExamError(
                f"You have lodged {MAX_APPEALS_PER_RESULT} appeals about this result already."
            )
        if booking.appeals.filter(status=AppealStatus.LODGED).exists():
            raise ExamError("You have an appeal waiting for a decision already.")
        if kind not in AppealKind.values:
            raise ExamError("Choose an appeal or a re-mark request.")
        appeal = Appeal.objects.create(booking=booking, kind=kind, grounds=grounds.strip())
        record("exams.appeal_lodged", obj=appeal, actor=by, new={"status": appeal.status})
        return appeal


def decide_appeal(appeal: Appeal, *, upheld: bool, outcome: str, by) -> Appeal:
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.status != AppealStatus.LODGED:
            raise ExamError("This appeal has been decided already.")
        if not outcome.strip():
            raise ExamError("Write the outcome the candidate will read.")
        appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED
        appeal.outcome = outcome.strip()
        appeal.decided_by = by
        appeal.decided_at = timezone.now()
        appeal.save()
        record(
            "exams.appeal_decided",
            obj=appeal,
            actor=by,
            old={"status": AppealStatus.LODGED},
            new={"status": appeal.status},
        )
        email_candidate(
            appeal.booking,
            "appeal",
            "your appeal has been decided",
            appeal=appeal,
            result_link=absolute_url(f"/exams/bookings/{appeal.booking_id}/result/"),
        )
        return appeal
