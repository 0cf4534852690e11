"""Asking for, withdrawing and (without an account) giving a third-party confirmation."""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.access import login_required_404
from portal.throttle import over_limit
from portfolio.errors import PortfolioError
from portfolio.models import Confirmation, ConfirmationStatus, EvidenceItem
from portfolio.services.confirmations import (
    COMMENT_MAX_LENGTH,
    LINK_STATE_MESSAGES,
    LIVE_STATUSES,
    LinkState,
    find_by_token,
    is_expired,
    link_state,
    owner_name,
    request_confirmation,
    respond_to_confirmation,
    withdraw_confirmation,
)

logger = logging.getLogger(__name__)

# The public page: at most this many requests a minute from one address.
RESPOND_RATE_PER_MINUTE = 30
CLOSED_EXPLANATIONS = {
    LinkState.USED: "An answer has already been given through this link. Each link works once.",
    LinkState.EXPIRED: (
        "Links to confirm evidence work for a limited time. "
        "Ask the person who sent it to send a new one."
    ),
    LinkState.WITHDRAWN: (
        "The person who sent it has withdrawn the request, or the evidence has changed since. "
        "You do not need to do anything."
    ),
}


class ConfirmationRequestForm(forms.Form):
    confirmer_name = forms.CharField(
        label="Their full name",
        max_length=200,
        error_messages={
            "required": "Enter the full name of the person you are asking.",
            "max_length": "Their name must be 200 characters or fewer.",
        },
    )
    confirmer_email = forms.EmailField(
        label="Their email address",
        help_text="We will send the link here. Use a work address if they have one.",
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address in the correct format, like name@example.nhs.uk.",
        },
    )
    confirmer_role = forms.CharField(
        label="Their role",
        max_length=200,
        required=False,
        help_text="For example, consultant physiotherapist or clinical supervisor.",
        error_messages={"max_length": "Their role must be 200 characters or fewer."},
    )


class ConfirmationResponseForm(forms.Form):
    decision = forms.ChoiceField(
        label="Can you confirm this evidence?",
        widget=forms.RadioSelect,
        choices=[
            (ConfirmationStatus.CONFIRMED.value, "Yes, I confirm this is a true account"),
            (ConfirmationStatus.DECLINED.value, "No, I cannot confirm it"),
        ],
        error_messages={"required": "Select whether you can confirm this evidence."},
    )
    comment = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        help_text="Required if you cannot confirm it: say why.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == ConfirmationStatus.DECLINED and not data.get("comment"):
            self.add_error(
                "comment", "Enter a comment to explain why you cannot confirm this evidence."
            )
        return data


def _breadcrumbs(item):
    return [
        {"label": "Dashboard", "url": reverse("dashboard")},
        {"label": "Your evidence", "url": reverse("portfolio:evidence_list")},
        {"label": item.title, "url": reverse("portfolio:evidence_detail", args=[item.pk])},
    ]


def _own_item(request, item_id: int) -> EvidenceItem:
    return get_object_or_404(EvidenceItem, pk=item_id, owner=request.user)


@login_required_404
def request_page(request, item_id: int):
    """The owner's page for one item: its confirmations so far, and a form to ask someone."""
    item = _own_item(request, item_id)
    form = ConfirmationRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmation = request_confirmation(
                item=item, requested_by=request.user, **form.cleaned_data
            )
        except PortfolioError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"We have emailed {confirmation.confirmer_name} a link to confirm this item. "
                f"It works for {settings.PORTFOLIO_CONFIRMATION_DAYS} days.",
            )
            return redirect("portfolio:confirmation_request", item.pk)
    confirmations = list(item.confirmations.all())
    for confirmation in confirmations:
        confirmation.lapsed = confirmation.status == ConfirmationStatus.REQUESTED and is_expired(
            confirmation
        )
    live = next((c for c in confirmations if c.status in LIVE_STATUSES), None)
    return render(
        request,
        "portfolio/confirmations/request.html",
        {
            "item": item,
            "form": form,
            "confirmations": confirmations,
            "live": live,
            "Status": ConfirmationStatus,
            "days": settings.PORTFOLIO_CONFIRMATION_DAYS,
            "breadcrumbs": _breadcrumbs(item),
        },
    )


@require_POST
@login_required_404
def withdraw(request, item_id: int, confirmation_id: int):
    confirmation = get_object_or_404(
        Confirmation, pk=confirmation_id, item_id=item_id, item__owner=request.user
    )
    try:
        withdraw_confirmation(confirmation=confirmation, withdrawn_by=request.user)
    except PortfolioError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"You have withdrawn the request to {confirmation.confirmer_name}."
        )
    return redirect("portfolio:confirmation_request", item_id)


def _public(response):
    # The token is in the address. The site-wide Referrer-Policy (same-origin) never sends it
    # to another site, and lets the browser send the Origin header the answer form's CSRF check
    # needs (no-referrer made Chromium post with Origin: null, refused as a CSRF failure).
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Django logs a failed request's path; portal.logfilters redacts the token from it.
    return response


@never_cache
def respond_page(request, token: str):
    """The confirmer's page: the one item, and confirm or decline. No account needed."""
    if over_limit(request, "confirm-link", RESPOND_RATE_PER_MINUTE):
        return _public(render(request, "429.html", status=429))
    confirmation = find_by_token(token)
    if confirmation is None:
        return _public(render(request, "404.html", status=404))
    state = link_state(confirmation)
    if state != LinkState.OPEN:
        return _closed(request, state)
    form = ConfirmationResponseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmation = respond_to_confirmation(token=token, **form.cleaned_data)
        except PortfolioError as exc:
            confirmation.refresh_from_db()
            state = link_state(confirmation)
            if state != LinkState.OPEN:
                return _closed(request, state)
            form.add_error(None, exc.message)
        else:
            return _public(
                render(
                    request,
                    "portfolio/confirmations/thanks.html",
                    {"confirmation": confirmation, "Status": ConfirmationStatus},
                )
            )
    item = confirmation.item
    return _public(
        render(
            request,
            "portfolio/confirmations/respond.html",
            {
                "form": form,
                "confirmation": confirmation,
                "item": item,
                "owner_name": owner_name(item.owner),
                "links": item.links.select_related("competency__framework").order_by(
                    "competency__framework__name", "competency__code"
                ),
                "file_names": item.files.values_list("original_name", flat=True),
            },
        )
    )


def _closed(request, state: str):
    return _public(
        render(
            request,
            "portfolio/confirmations/closed.html",
            {"heading": LINK_STATE_MESSAGES[state], "explanation": CLOSED_EXPLANATIONS[state]},
            status=410,
        )
    )
