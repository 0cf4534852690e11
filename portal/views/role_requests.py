"""Asking for the commissioner role (/account/role-request/) and deciding on it (staff)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.access import login_required_404, role_required
from portal.models import AuditEvent, OrganisationType, RoleRequest, RoleRequestStatus
from portal.models.role_requests import OPEN_STATUSES
from portal.organisations import commissioner_grant
from portal.regions import Region
from portal.role_requests import (
    MAX_REASON_LENGTH,
    RoleRequestError,
    approve_role_request,
    confirm_work_email,
    decline_role_request,
    open_request_of,
    request_for_token,
    submit_role_request,
    withdraw_role_request,
)
from portal.roles import Role
from portal.text import has_hidden_characters

ICB_CHOICES = [(code, label) for code, label in Region.choices if code != Region.OUTSIDE_UK]
BREADCRUMBS = [
    {"label": "Dashboard", "url": reverse_lazy("dashboard")},
    {"label": "Account settings", "url": reverse_lazy("account_settings")},
]
STAFF_BREADCRUMBS = [{"label": "Dashboard", "url": reverse_lazy("dashboard")}]


def _text(label: str, required_message: str = "", **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=200, error_messages={"required": required_message}, **kwargs
    )


class RoleRequestForm(forms.Form):
    full_name = _text("Full name", "Enter your full name")
    organisation_type = forms.ChoiceField(
        label="Who do you work for?",
        choices=OrganisationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who you work for"},
    )
    region = forms.ChoiceField(
        label="Integrated care board",
        help_text="If you work for an integrated care board, choose it.",
        choices=[("", "Choose an integrated care board"), *ICB_CHOICES],
        required=False,
        error_messages={"invalid_choice": "Choose your integrated care board from the list"},
    )
    organisation_name = _text(
        "Name of your employer",
        required=False,
        help_text="If you work for an employer, for example an NHS trust, a GP practice or a "
        "private provider, type its name.",
    )
    job_title = _text("Job title", "Enter your job title")
    work_email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="If it is not the address you sign in with, we will email it a link to "
        "confirm it is yours.",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def clean(self):
        data = super().clean()
        for name in ("full_name", "organisation_name", "job_title"):
            value = " ".join((data.get(name) or "").split())
            if has_hidden_characters(value):
                self.add_error(name, f"{self.fields[name].label} must only include visible text")
            data[name] = value
        kind = data.get("organisation_type")
        if kind == OrganisationType.ICB and not data.get("region") and "region" not in self.errors:
            self.add_error("region", "Choose your integrated care board")
        if (
            kind == OrganisationType.EMPLOYER
            and not data.get("organisation_name")
            and "organisation_name" not in self.errors
        ):
            self.add_error("organisation_name", "Enter the name of your employer")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: give the commissioner role"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or decline the request"},
    )
    reason = forms.CharField(
        label="Reason for declining",
        help_text="Needed if you decline. We email it to the person who asked.",
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        reason = (data.get("reason") or "").strip()
        if has_hidden_characters(reason, multiline=True):
            self.add_error("reason", "The reason must only include visible text")
        if data.get("decision") == "decline" and not reason:
            self.add_error("reason", "Enter the reason for declining")
        data["reason"] = reason
        return data


@login_required_404
def role_request(request):
    user = request.user
    waiting = open_request_of(user)
    form = None
    if waiting is None:
        initial = {"full_name": user.get_full_name(), "work_email": user.email}
        form = RoleRequestForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                created = submit_role_request(requester=user, **form.cleaned_data)
            except RoleRequestError as error:
                form.add_error(None, error.message)
            else:
                if created.status == RoleRequestStatus.AWAITING_EMAIL:
                    messages.success(
                        request,
                        f"We have sent a link to {created.work_email}. Open it to confirm your "
                        "work email address.",
                    )
                else:
                    messages.success(request, "Your request has been sent to the faculty.")
                return redirect("role_request")
    past = (
        RoleRequest.objects.filter(requester=user)
        .exclude(status__in=OPEN_STATUSES)
        .order_by("-created_at")[:5]
    )
    return render(
        request,
        "portal/role_request.html",
        {
            "form": form,
            "waiting": waiting,
            "past": past,
            "grant": commissioner_grant(user),
            "Status": RoleRequestStatus,
            "breadcrumbs": BREADCRUMBS,
        },
    )


@require_POST
@login_required_404
def withdraw(request, pk: int):
    role_request = get_object_or_404(RoleRequest, pk=pk, requester=request.user)
    try:
        withdraw_role_request(role_request=role_request, requester=request.user)
    except RoleRequestError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You have withdrawn your request.")
    return redirect("role_request")


@never_cache
@login_required_404
def confirm_email(request, token: str):
    """The link emailed to a work address: confirm it, as the requester, with a POST."""
    role_request = request_for_token(token, requester=request.user)
    if role_request is None:
        response = render(request, "portal/role_request_link.html", {"expired": True}, status=404)
    elif request.method == "POST":
        try:
            confirm_work_email(role_request=role_request, requester=request.user)
        except RoleRequestError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, "Your work email address is confirmed. The faculty will look at it."
            )
        response = redirect("role_request")
    else:
        response = render(
            request,
            "portal/role_request_link.html",
            {"role_request": role_request, "Status": RoleRequestStatus},
        )
    # The token is in the address. The site-wide Referrer-Policy (same-origin) keeps it from
    # other sites; no-referrer here made Chromium send "Origin: null" with the form's POST,
    # which Django's CSRF check refuses.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@role_required(Role.FACULTY_STAFF)
def manage_list(request):
    waiting = (
        RoleRequest.objects.filter(status=RoleRequestStatus.OPEN)
        .select_related("requester")
        .order_by("created_at", "id")
    )
    decided = (
        RoleRequest.objects.filter(
            status__in=[RoleRequestStatus.APPROVED, RoleRequestStatus.DECLINED]
        )
        .select_related("requester", "decided_by")
        .order_by("-decided_at", "-id")[:20]
    )
    return render(
        request,
        "portal/manage/role_requests.html",
        {
            "waiting": waiting,
            "decided": decided,
            "awaiting_email": RoleRequest.objects.filter(
                status=RoleRequestStatus.AWAITING_EMAIL
            ).count(),
            "breadcrumbs": STAFF_BREADCRUMBS,
        },
    )


@role_required(Role.FACULTY_STAFF)
def manage_detail(request, pk: int):
    role_request = get_object_or_404(
        RoleRequest.objects.select_related("requester", "decided_by"), pk=pk
    )
    form = None
    if role_request.status == RoleRequestStatus.OPEN:
        form = DecisionForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                _decide(request, role_request, form.cleaned_data)
            except RoleRequestError as error:
                form.add_error(None, error.message)
            else:
                return redirect("manage_role_requests")
    elif request.method == "POST":
        messages.error(request, "This request has been decided already.")
        return redirect("manage_role_request", pk)
    history = AuditEvent.objects.filter(
        content_type__app_label="portal",
        content_type__model="rolerequest",
        object_id=str(role_request.pk),
    ).order_by("created_at", "id")
    return render(
        request,
        "portal/manage/role_request.html",
        {
            "role_request": role_request,
            "form": form,
            "history": history,
            "own": role_request.requester_id == request.user.pk,
            "Status": RoleRequestStatus,
            "breadcrumbs": [
                *STAFF_BREADCRUMBS,
                {"label": "Role requests", "url": reverse("manage_role_requests")},
            ],
        },
    )


def _decide(request, role_request, data) -> None:
    # The message is for the person deciding; the requester is emailed.
    if data["decision"] == "approve":
        approve_role_request(role_request=role_request, actor=request.user)
        messages.success(request, f"Approved: {role_request.full_name} is now a commissioner.")
    else:
        decline_role_request(role_request=role_request, actor=request.user, reason=data["reason"])
        messages.success(request, f"Declined: {role_request.full_name} has been told why.")
