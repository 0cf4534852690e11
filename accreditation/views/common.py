"""Who may see what: every private page answers 404 to anyone else. The role checks are the
services' own (services.guards); what a user may do is accreditation.states.allowed_actions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accreditation.models import Allocation, Application, Review
from accreditation.services import notify
from accreditation.services.guards import assessed, is_admin, is_lead

HOME = {"label": "Home", "url": "/"}


def applicant_crumbs(*extra) -> list[dict]:
    """The applicant's breadcrumbs: home, their applications, then EXTRA."""
    return [
        HOME,
        {"label": "Your applications", "url": reverse("accreditation:my_applications")},
        *extra,
    ]


def application_crumb(application) -> dict:
    return {
        "label": application.reference,
        "url": reverse("accreditation:application", args=[application.pk]),
    }


def throttled(request) -> bool:
    """True (with a message) once the user has taken too many emailing steps this hour."""
    if notify.over_user_limit(request.user):
        messages.error(request, "You have done this too many times in the last hour. Try later.")
        return True
    return False


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
    if is_lead(user) and not assessed(application, user):
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
