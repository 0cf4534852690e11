"""Live notes on the dashboard cards (portal shows them; it never imports this app)."""

from accreditation.models import Allocation, Application, Review, State
from accreditation.states import APPLICANT_TO_ACT, LEAD_STATES, OFFICE_STATES


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
    mine = Allocation.objects.filter(assessor=user).values("application_id")
    waiting = Application.objects.filter(state__in=LEAD_STATES).exclude(pk__in=mine).count()
    return f"{waiting} waiting" if waiting else ""


def _admin_note(user) -> str:
    waiting = Application.objects.filter(state__in=OFFICE_STATES).count()
    return f"{waiting} to check or allocate" if waiting else ""


def _applicant_note(user) -> str:
    asked = Application.objects.filter(applicant=user, state__in=APPLICANT_TO_ACT).exists()
    return "Action needed" if asked else ""


def _assessor_list(user) -> dict:
    """Each application allocated to USER, linked straight to its page (one query)."""
    from django.urls import reverse

    allocations = (
        Allocation.objects.filter(assessor=user, ended_at__isnull=True)
        .select_related("application__pathway")
        .only(
            "no_conflict_declared_at",
            "application__state",
            "application__pathway__name",
            "application__state_changed_at",
        )
        .order_by("application__state_changed_at")[:50]
    )
    links = []
    for allocation in allocations:
        application = allocation.application
        step = (
            "declare any conflict first"
            if allocation.no_conflict_declared_at is None
            else application.get_state_display().lower()
        )
        links.append(
            {
                "text": f"{application.reference}: {application.pathway.name}",
                "url": reverse("accreditation:assess", args=[application.pk]),
                "note": f"({step})",
            }
        )
    return {
        "heading": "Applications allocated to you",
        "links": links,
        "empty": "No applications are allocated to you at the moment.",
    }


LISTS = {"/accreditation/assess/": _assessor_list}

NOTES = {
    "/accreditation/assess/": _assessor_note,
    "/accreditation/lead/": _lead_note,
    "/accreditation/manage/": _admin_note,
    "/accreditation/": _applicant_note,
}

__all__ = ["LISTS", "NOTES"]
