"""The supervisor's reference: the applicant's page to ask for it, and the supervisor's page
(no account, a single-use link) to give it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accreditation.errors import AccreditationError
from accreditation.forms_reference import SupervisorReferenceForm
from accreditation.models import ReferenceStatus
from accreditation.services import references
from accreditation.states import Action, allowed_actions
from accreditation.views.common import applicant_crumbs, application_crumb, own_application
from portal.access import login_required_404
from portal.throttle import over_limit

# The public page: at most this many requests a minute from one address.
GIVE_RATE_PER_MINUTE = 30


@login_required_404
def reference_page(request, pk: int):
    """Where the request stands; POST sends it (or sends it again, replacing the link)."""
    application = own_application(request, pk)
    if request.method == "POST":
        try:
            reference = references.request_reference(application=application, by=request.user)
        except AccreditationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"We have emailed {reference.supervisor_name} a link to give their reference. "
                f"It works for {references.REFERENCE_DAYS} days.",
            )
        return redirect("accreditation:reference", pk)
    reference = references.current_reference(application)
    state = references.link_state(reference) if reference else ""
    return render(
        request,
        "accreditation/reference/applicant.html",
        {
            "application": application,
            "reference": reference,
            "given": reference is not None and reference.status == ReferenceStatus.GIVEN,
            "waiting": state == references.LinkState.OPEN,
            "expired": state == references.LinkState.EXPIRED,
            "can_ask": Action.ASK_REFERENCE in allowed_actions(application, request.user),
            "days": references.REFERENCE_DAYS,
            "breadcrumbs": applicant_crumbs(application_crumb(application)),
        },
    )


def _public(response):
    # The token is in the address: never cached, never indexed. The site's same-origin
    # Referrer-Policy keeps it from other sites and lets the form's CSRF check see the Origin.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _closed(request, state):
    heading, explanation = references.LINK_CLOSED[state]
    return _public(
        render(
            request,
            "portfolio/confirmations/closed.html",
            {"heading": heading, "explanation": explanation},
            status=410 if state != references.LinkState.USED else 200,
        )
    )


@never_cache
def give_page(request, token: str):
    """The supervisor's page: the structured reference form, once."""
    if over_limit(request, "reference-link", GIVE_RATE_PER_MINUTE):
        return _public(render(request, "429.html", status=429))
    reference = references.find_by_token(token)
    if reference is None:
        return _public(render(request, "404.html", status=404))
    state = references.link_state(reference)
    if state != references.LinkState.OPEN:
        return _closed(request, state)
    application = reference.application
    gp_name = references.applicant_name(application)
    form = SupervisorReferenceForm(
        request.POST if request.method == "POST" else None,
        capabilities=references.capabilities_asked(application),
        gp_name=gp_name,
    )
    if request.method == "POST" and form.is_valid():
        try:
            references.give_reference(token=token, answers=form.answers())
        except AccreditationError as exc:
            reference.refresh_from_db()
            state = references.link_state(reference)
            if state != references.LinkState.OPEN:
                return _closed(request, state)
            form.add_error(None, exc.message)
        else:
            return _public(
                render(
                    request,
                    "accreditation/reference/thanks.html",
                    {"reference": reference, "gp_name": gp_name},
                )
            )
    return _public(
        render(
            request,
            "accreditation/reference/give.html",
            {
                "reference": reference,
                "application": application,
                "gp_name": gp_name,
                "form": form,
            },
        )
    )
