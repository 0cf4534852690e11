"""Appeals and re-mark requests: lodged by the candidate within the exam's window after the
results are released, decided by an administrator."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from exams import appeal_states, booking_states
from exams.appeal_states import OPEN, AppealAction, AppealStatus
from exams.booking_states import BookingAction
from exams.emails import email_candidate
from exams.models import Appeal, AppealKind, Booking
from exams.services.errors import ExamError, refuse_if
from portal.audit import record
from portal.links import absolute_url

MAX_APPEALS_PER_RESULT = 3  # each decision emails the candidate


def lodge_appeal(booking: Booking, *, grounds: str, by, kind: str = AppealKind.APPEAL) -> Appeal:
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update().select_related("sitting__exam").get(pk=booking.pk)
        )
        refuse_if(booking_states.refusal(booking, BookingAction.APPEAL, by=by))
        if not grounds.strip():
            raise ExamError("Say what you are appealing against and why.")
        if booking.appeals.count() >= MAX_APPEALS_PER_RESULT:
            raise ExamError(
                f"You have lodged {MAX_APPEALS_PER_RESULT} appeals about this result already."
            )
        if booking.appeals.filter(status__in=OPEN).exists():
            raise ExamError("You have an appeal waiting for a decision already.")
        if kind not in AppealKind.values:
            raise ExamError("Choose an appeal or a re-mark request.")
        appeal = Appeal.objects.create(booking=booking, kind=kind, grounds=grounds.strip())
        record("exams.appeal_lodged", obj=appeal, actor=by, new={"status": appeal.status})
        return appeal


def decide_appeal(appeal: Appeal, *, upheld: bool, outcome: str, by) -> Appeal:
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        refuse_if(appeal_states.refusal(appeal, AppealAction.DECIDE))
        if not outcome.strip():
            raise ExamError("Write the outcome the candidate will read.")
        old = appeal.status
        appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED
        appeal.outcome = outcome.strip()
        appeal.decided_by = by
        appeal.decided_at = timezone.now()
        appeal.save()
        record(
            "exams.appeal_decided",
            obj=appeal,
            actor=by,
            old={"status": old},
            new={"status": appeal.status},
        )
        email_candidate(
            appeal.booking,
            "appeal",
            "your appeal has been decided",
            appeal=appeal,
            result_link=absolute_url(reverse("exams:result", args=[appeal.booking_id])),
        )
        return appeal
