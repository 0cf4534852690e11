"""Who may see what: every private page answers 404 to anyone else."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accreditation.models import Allocation, AppealOutcome, Application, Review, State
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


def appeal_of(application):
    """APPLICATION's appeal or None (no query when the list selected it with the row)."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return application.appeal
    except ObjectDoesNotExist:
        return None


def next_step(application, *, appeal=None) -> tuple[str, datetime.date | None]:
    """What happens next, in words, and by when (from the pathway's service levels). APPEAL,
    when given, lets a page say what an appeal changed."""
    from accreditation.services.transitions import appeal_deadline

    pathway = application.pathway
    since = application.state_changed_at.date()
    state = application.state
    new_review = appeal is not None and appeal.outcome == AppealOutcome.NEW_REVIEW
    if state in (State.DRAFT, State.RETURNED):
        return "Complete the checklist and submit while a window is open.", None
    if state == State.SUBMITTED:
        return (
            "The faculty checks your application is complete, the fee and any qualification "
            "you declared.",
            add_working_days(since, pathway.completeness_days),
        )
    if state == State.RESUBMITTED:
        return "The faculty sends your further evidence back to your assessors.", (
            add_working_days(since, pathway.completeness_days)
        )
    if state == State.COMPLETE:
        who = "two assessors who have not seen it before" if new_review else "trained assessors"
        return f"The faculty allocates {who}.", add_working_days(since, pathway.completeness_days)
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
    if state == State.APPROVED:
        return "Nothing more: your credential is on the public register.", None
    if state == State.DECLINED:
        if appeal is not None:
            return (
                "Nothing more: the decision after the new review is final. You may apply "
                "again in a later window.",
                None,
            )
        deadline = appeal_deadline(application)
        if deadline and deadline >= timezone.localdate():
            return "You can appeal against the decision, or apply again later.", deadline
        return "Nothing more: the time to appeal has passed. You may apply again later.", None
    if state == State.APPEAL_DISMISSED:
        return "Nothing more: the decision stands. You may apply again in a later window.", None
    return "Nothing more: you withdrew this application. You can start a new one.", None


def due_date(application):
    return next_step(application)[1]
