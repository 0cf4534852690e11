"""The lead assessor's queue (sign-off, moderation, appeals) and decision page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accreditation.errors import AccreditationError
from accreditation.forms import AppealDecisionForm, DecisionForm
from accreditation.models import Allocation, Application, Decision, Judgement, State
from accreditation.selectors.outcomes import decision_history
from accreditation.selectors.progress import due_date
from accreditation.services import transitions
from accreditation.services.guards import assessed, took_part
from accreditation.states import LEAD_STATES, Action, allowed_actions, tag
from accreditation.views.common import HOME
from portal.access import role_required
from portal.roles import Role

JUDGEMENT_LABELS = dict(Judgement.choices)


def _order(capabilities):
    position = {c["code"]: n for n, c in enumerate(capabilities)}
    return lambda code: position.get(code, len(position))


@role_required(Role.LEAD_ASSESSOR)
def queue(request):
    """Two queries whatever the number of applications (their own assessments left out)."""
    mine = Allocation.objects.filter(assessor=request.user).values("application_id")
    # An appeal goes to a lead who took no part: not to the one who decided.
    decided = Decision.objects.filter(decided_by=request.user).values("round__application_id")
    applications = list(
        Application.objects.filter(state__in=LEAD_STATES)
        .exclude(pk__in=mine)
        .exclude(state=State.APPEAL_LODGED, pk__in=decided)
        .select_related("pathway")
        .order_by("state_changed_at")[:500]
    )
    rows = [{"application": a, "tag": tag(a.state), "due": due_date(a)} for a in applications]
    return render(request, "accreditation/lead/queue.html", {"rows": rows, "breadcrumbs": [HOME]})


@role_required(Role.LEAD_ASSESSOR)
def application_page(request, pk: int):
    application = get_object_or_404(
        Application.objects.select_related("pathway", "applicant"), pk=pk
    )
    # Never to one of its assessors, nor an appeal to the lead who made the decision.
    if assessed(application, request.user) or (
        application.state == State.APPEAL_LODGED and took_part(application, request.user)
    ):
        raise Http404("Page not found")
    actions = allowed_actions(application, request.user)
    deciding = Action.DECIDE in actions
    if not deciding and Action.DECIDE_APPEAL not in actions:
        if request.method == "POST":
            # Another lead assessor got there first: say so rather than lose the page.
            messages.error(
                request,
                f"{application.reference} is {application.get_state_display().lower()} now: "
                "another lead assessor decided it first. Nothing was changed.",
            )
            return redirect("accreditation:lead_queue")
        raise Http404("Page not found")
    current = application.rounds.order_by("-number").first()
    if current is None:
        raise Http404("Page not found")
    reviews = list(current.reviews.select_related("assessor"))
    titles = {item["id"]: item["title"] for item in current.items}
    capabilities = current.capabilities
    differ = set(transitions.disagreements(reviews)) if len(reviews) > 1 else set()
    grid = []
    for capability in capabilities:
        cells = []
        for review in reviews:
            row = next((j for j in review.judgements if j["code"] == capability["code"]), None)
            cells.append(
                {
                    "label": JUDGEMENT_LABELS.get(row["judgement"], "") if row else "",
                    "comment": row["comment"] if row else "",
                    "evidence": [titles.get(i, f"Item {i}") for i in row["evidence"]]
                    if row
                    else [],
                }
            )
        grid.append(
            {
                "capability": capability,
                "cells": cells,
                "disagree": capability["code"] in differ,
            }
        )
    terms = {
        "scope": application.pathway.default_scope,
        "conditions": application.pathway.default_conditions,
    }
    form = DecisionForm(
        request.POST if deciding and request.method == "POST" else None,
        capabilities=capabilities,
        initial=terms,
    )
    appeal_form = AppealDecisionForm(
        request.POST if not deciding and request.method == "POST" else None, initial=terms
    )
    if request.method == "POST":
        try:
            if deciding and form.is_valid():
                transitions.decide(
                    application=application,
                    by=request.user,
                    outcome=form.cleaned_data["outcome"],
                    reasons=form.cleaned_data["reasons"],
                    capability_reasons=form.capability_reasons(),
                    capabilities=form.cleaned_data["capabilities"],
                    deadline=form.cleaned_data["deadline"],
                    scope=form.cleaned_data["scope"],
                    conditions=form.cleaned_data["conditions"],
                )
                messages.success(request, "Your decision has been recorded.")
                return redirect("accreditation:lead_queue")
            if not deciding and appeal_form.is_valid():
                transitions.decide_appeal(
                    application=application,
                    by=request.user,
                    outcome=appeal_form.cleaned_data["appeal_outcome"],
                    reasons=appeal_form.cleaned_data["appeal_reasons"],
                    scope=appeal_form.cleaned_data["scope"],
                    conditions=appeal_form.cleaned_data["conditions"],
                )
                messages.success(request, "The appeal has been decided.")
                return redirect("accreditation:lead_queue")
        except AccreditationError as exc:
            (form if deciding else appeal_form).add_error(None, exc.message)
    return render(
        request,
        "accreditation/lead/application.html",
        {
            "application": application,
            "tag": tag(application.state),
            "round": current,
            "reviews": reviews,
            "grid": grid,
            "deciding": deciding,
            "moderating": application.state == State.MODERATION,
            "disagreements": [
                next((c for c in capabilities if c["code"] == code), {"code": code, "title": ""})
                for code in sorted(differ - {"recommendation"}, key=_order(capabilities))
            ],
            "recommendations_differ": "recommendation" in differ,
            "decisions": decision_history(application),
            "earlier_rounds": [
                r.number for r in application.rounds.filter(number__lt=current.number)
            ],
            "form": form if deciding else appeal_form,
            "appeal": getattr(application, "appeal", None) if not deciding else None,
            "breadcrumbs": [
                HOME,
                {"label": "Sign-off and moderation", "url": reverse("accreditation:lead_queue")},
            ],
        },
    )
