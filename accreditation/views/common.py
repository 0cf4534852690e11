"""Who may see what: every private page answers 404 to anyone else."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404

from accreditation.models import Allocation, Application, Review, State
from portal.roles import Role, has_role

STATE_TAGS = {
    State.DRAFT: "grey",
    State.SUBMITTED: "blue",
    State.RETURNED: "orange",
    State.COMPLETE: "blue",
    State.IN_REVIEW: "blue",
    State.MORE_EVIDENCE: "orange",
    State.RESUBMITTED: "blue",
    State.RECOMMENDED: "purple",
    State.MODERATION: "purple",
    State.APPROVED: "green",
    State.DECLINED: "red",
    State.APPEAL_LODGED: "yellow",
    State.APPEAL_DISMISSED: "red",
    State.WITHDRAWN: "grey",
}


def is_admin(user) -> bool:
    return user.is_superuser or has_role(user, Role.EXAM_ADMINISTRATOR)


def is_lead(user) -> bool:
    return user.is_superuser or has_role(user, Role.LEAD_ASSESSOR)


def own_application(request, pk) -> Application:
    return get_object_or_404(
        Application.objects.select_related("pathway", "renewal_of"), pk=pk, applicant=request.user
    )


def viewable_application(request, pk) -> Application:
    """The application, if the user is its applicant, an allocated assessor who has declared
    no conflict, a lead assessor or an administrator; 404 otherwise."""
    user = request.user
    if not user.is_authenticated:
        raise Http404("Page not found")
    application = get_object_or_404(Application.objects.select_related("pathway"), pk=pk)
    if application.applicant_id == user.pk or is_admin(user):
        return application
    if (
        is_lead(user)
        and not Allocation.objects.filter(application=application, assessor=user).exists()
    ):
        return application
    # An assessor while allocated (after declaring no conflict), and afterwards only if they
    # reviewed it: one taken off before reviewing loses access.
    if (
        Allocation.objects.filter(
            application=application,
            assessor=user,
            no_conflict_declared_at__isnull=False,
            ended_at__isnull=True,
        ).exists()
        or Review.objects.filter(round__application=application, assessor=user).exists()
    ):
        return application
    raise Http404("Page not found")


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """START plus DAYS working days (Monday to Friday). Each whole week is five working days
    whatever the weekday, so only the last one to five are stepped through (at least one, so
    that the answer is a working day even from a weekend)."""
    weeks = max(days - 1, 0) // 5
    days -= 5 * weeks
    day = start + datetime.timedelta(weeks=weeks)
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def next_step(application) -> tuple[str, datetime.date | None]:
    """What happens next, in words, and by when (from the pathway's service levels)."""
    pathway = application.pathway
    since = application.state_changed_at.date()
    state = application.state
    if state in (State.DRAFT, State.RETURNED):
        return "Complete the checklist and submit while a window is open.", None
    if state in (State.SUBMITTED, State.RESUBMITTED):
        return "The faculty checks your application is complete.", add_working_days(
            since, pathway.completeness_days
        )
    if state == State.COMPLETE:
        return "The faculty allocates two trained assessors.", add_working_days(
            since, pathway.completeness_days
        )
    if state == State.IN_REVIEW:
        return "Your assessors review your evidence.", add_working_days(since, pathway.review_days)
    if state in (State.RECOMMENDED, State.MODERATION):
        return "A lead assessor makes the decision.", add_working_days(since, pathway.decision_days)
    if state == State.MORE_EVIDENCE:
        return (
            "Add the evidence asked for, then resubmit.",
            application.more_evidence_deadline,
        )
    if state == State.APPEAL_LODGED:
        return "A lead assessor who took no part considers your appeal.", add_working_days(
            since, pathway.decision_days
        )
    return "Nothing more: this application is finished.", None


def due_date(application):
    return next_step(application)[1]
