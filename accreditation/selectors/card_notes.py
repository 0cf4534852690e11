"""Live notes on the dashboard cards (portal shows them; it never imports this app)."""

from accreditation.models import Allocation, Application, Review, State


def _assessor_note(user) -> str:
    allocated = Allocation.objects.filter(
        assessor=user, ended_at__isnull=True, application__state=State.IN_REVIEW
    )
    reviewed = Review.objects.filter(
        assessor=user, round__application__state=State.IN_REVIEW
    ).values("round__application_id")
    waiting = allocated.exclude(application_id__in=reviewed).count()
    return f"{waiting} to review" if waiting else ""


def _lead_note(user) -> str:
    states = (State.RECOMMENDED, State.MODERATION, State.APPEAL_LODGED)
    mine = Allocation.objects.filter(assessor=user).values("application_id")
    waiting = Application.objects.filter(state__in=states).exclude(pk__in=mine).count()
    return f"{waiting} waiting" if waiting else ""


def _admin_note(user) -> str:
    waiting = Application.objects.filter(
        state__in=(State.SUBMITTED, State.COMPLETE, State.RESUBMITTED)
    ).count()
    return f"{waiting} to check or allocate" if waiting else ""


def _applicant_note(user) -> str:
    asked = Application.objects.filter(
        applicant=user, state__in=(State.RETURNED, State.MORE_EVIDENCE)
    ).exists()
    return "Action needed" if asked else ""


NOTES = {
    "/accreditation/assess/": _assessor_note,
    "/accreditation/lead/": _lead_note,
    "/accreditation/manage/": _admin_note,
    "/accreditation/": _applicant_note,
}

__all__ = ["NOTES"]
