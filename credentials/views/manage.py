"""Credential pages for exam administrators (and superusers); 404 for anyone else.

List (search, filter by status) → one credential (details, renewals, audit history) → suspend,
reinstate, revoke (each asks for a reason on its own page) and renew. The changes are made by
credentials.services.credentials; a CredentialError's message is shown as it is.
"""

import datetime
import uuid
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from credentials.models import Credential, CredentialStatus, PublicStatus
from credentials.selectors.register import STATUS_FIELDS
from credentials.services import credentials as services
from credentials.statuses import Action, allowed_actions
from portal.access import role_required
from portal.forms import NHSDateField
from portal.models import AuditEvent
from portal.roles import Role
from portfolio.api import read_registration_number

staff_only = role_required(Role.FACULTY_STAFF)
PER_PAGE = 50
RENEWAL_SOURCE = "manage.renewal"
REASON_MAX_LENGTH = Credential._meta.get_field("status_reason").max_length


class CredentialSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Serial, holder's name or registration number",
    )
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "Any status"), *PublicStatus.choices],
        error_messages={"invalid_choice": "Choose a status from the list."},
    )


def _search(form: CredentialSearchForm):
    credentials = Credential.objects.only(
        "serial", "title", "holder_name", "registration_number", *STATUS_FIELDS
    ).order_by("-issued_at", "-id")
    if not form.is_valid():
        return credentials
    query = " ".join(form.cleaned_data["q"].split())
    if query:
        credentials = credentials.filter(
            Q(serial__icontains=query)
            | Q(holder_name__icontains=query)
            | Q(registration_number=read_registration_number(query))
        )
    status = form.cleaned_data["status"]
    today = timezone.localdate()
    not_expired = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    if status == PublicStatus.ACTIVE:
        credentials = credentials.filter(not_expired, status=CredentialStatus.ACTIVE)
    elif status == PublicStatus.EXPIRED:
        credentials = credentials.filter(status=CredentialStatus.ACTIVE, valid_until__lt=today)
    elif status:
        credentials = credentials.filter(status=status)
    return credentials


def _breadcrumbs(credential: Credential | None = None) -> list[dict]:
    crumbs = [
        {"label": "Dashboard", "url": reverse("dashboard")},
        {"label": "Credentials", "url": reverse("credentials:manage_credential_list")},
    ]
    if credential is not None:
        crumbs.append({"label": credential.serial, "url": _detail_url(credential)})
    return crumbs


def _detail_url(credential: Credential) -> str:
    return reverse("credentials:manage_credential_detail", args=[credential.serial])


@staff_only
def credential_list(request):
    form = CredentialSearchForm(request.GET or None)
    page = Paginator(_search(form), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "credentials/manage/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "breadcrumbs": _breadcrumbs()[:1],
        },
    )


@staff_only
def credential_detail(request, serial: str):
    credential = get_object_or_404(
        Credential.objects.select_related("kind", "supersedes", "holder"), serial=serial
    )
    history = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Credential),
        object_id=str(credential.pk),
    ).order_by("-created_at", "-id")
    allowed = allowed_actions(credential.status)
    renewed_as = Credential.objects.filter(supersedes=credential).first()
    return render(
        request,
        "credentials/manage/detail.html",
        {
            "credential": credential,
            "renewed_as": renewed_as,
            "history": history,
            "actions": [
                (ACTIONS[action], reverse(f"credentials:manage_credential_{action}", args=[serial]))
                for action in allowed
                if action in ACTIONS
            ],
            "can_renew": Action.RENEW in allowed and renewed_as is None,
            "breadcrumbs": _breadcrumbs(),
        },
    )


# --- suspend, reinstate, revoke -----------------------------------------------------------------


@dataclass(frozen=True)
class StatusAction:
    service: object
    heading: str
    explanation: str
    reason_label: str
    reason_hint: str
    button: str
    done: str
    confirm: str = ""
    warning: bool = False


PUBLIC_REASON = (
    "Shown on the public register, the verification page and to commissioners watching this "
    "clinician. Do not include confidential details."
)
ACTIONS = {
    Action.SUSPEND: StatusAction(
        services.suspend_credential,
        "Suspend this credential",
        "While suspended, the credential shows as suspended everywhere it is checked. "
        "You can reinstate it later.",
        "Reason for suspending",
        PUBLIC_REASON,
        "Suspend credential",
        "The credential was suspended.",
        warning=True,
    ),
    Action.REINSTATE: StatusAction(
        services.reinstate_credential,
        "Reinstate this credential",
        "The credential becomes valid again (unless its dates have passed).",
        "Reason for reinstating",
        "Recorded in the audit trail; not shown publicly.",
        "Reinstate credential",
        "The credential was reinstated.",
    ),
    Action.REVOKE: StatusAction(
        services.revoke_credential,
        "Revoke this credential",
        "Revoking is permanent: the credential can never be valid again. To restore the "
        "holder's standing later, a new credential must be awarded.",
        "Reason for revoking",
        PUBLIC_REASON,
        "Revoke credential",
        "The credential was revoked.",
        confirm="I understand that revoking cannot be undone",
        warning=True,
    ),
}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        required=True, error_messages={"required": "Confirm that you understand."}
    )

    def __init__(self, action: StatusAction, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.label = action.reason_label
        reason.help_text = action.reason_hint
        reason.error_messages.update(
            required=f"Enter the {action.reason_label[0].lower()}{action.reason_label[1:]}.",
            max_length=f"The reason must be {REASON_MAX_LENGTH} characters or fewer.",
        )
        if action.confirm:
            self.fields["confirm"].label = action.confirm
        else:
            del self.fields["confirm"]


def _status_action(request, serial: str, name: Action):
    action = ACTIONS[name]
    credential = get_object_or_404(Credential, serial=serial)
    form = ReasonForm(action, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            action.service(
                credential=credential, reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.CredentialError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, action.done)
            return redirect(_detail_url(credential))
    return render(
        request,
        "credentials/manage/action.html",
        {
            "credential": credential,
            "action": action,
            "form": form,
            "breadcrumbs": _breadcrumbs(credential),
        },
    )


@staff_only
def credential_suspend(request, serial: str):
    return _status_action(request, serial, Action.SUSPEND)


@staff_only
def credential_reinstate(request, serial: str):
    return _status_action(request, serial, Action.REINSTATE)


@staff_only
def credential_revoke(request, serial: str):
    return _status_action(request, serial, Action.REVOKE)


# --- renewal ----------------------------------------------------------------------------------

STALE_FORM = "This form is out of date. Go back to the credential and start the renewal again."


class RenewalForm(forms.Form):
    valid_from = NHSDateField(
        label="Valid from", error_messages={"required": "Enter the date the renewal starts."}
    )
    valid_until = NHSDateField(
        label="Valid until",
        required=False,
        help_text="Leave blank if the renewed credential does not expire.",
    )
    # Made when the form is shown: submitting it twice gives one renewal.
    request_key = forms.RegexField(
        regex=r"\A[0-9a-f]{32}\Z",
        widget=forms.HiddenInput,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM},
    )

    def full_clean(self):
        super().full_clean()
        for name in ("valid_from", "valid_until"):
            self.fields[name].widget.has_error = name in self.errors

    def clean(self):
        if "request_key" in self.errors:
            # A hidden field's error would be shown nowhere: show it above the form.
            self.add_error(None, self.errors.pop("request_key"))
        start, end = self.cleaned_data.get("valid_from"), self.cleaned_data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "The end date must be the same as or after the start.")
        return self.cleaned_data


def _renewal_initial(credential: Credential) -> dict:
    today = timezone.localdate()
    if credential.valid_until is None:
        return {"valid_from": today, "request_key": uuid.uuid4().hex}
    start = max(credential.valid_until + datetime.timedelta(days=1), today)
    return {
        "valid_from": start,
        "valid_until": start + (credential.valid_until - credential.valid_from),
        "request_key": uuid.uuid4().hex,
    }


@staff_only
def credential_renew(request, serial: str):
    credential = get_object_or_404(Credential, serial=serial)
    renewed_as = Credential.objects.filter(supersedes=credential).first()
    if request.method == "POST":
        form = RenewalForm(request.POST)
    else:
        form = RenewalForm(initial=_renewal_initial(credential))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            renewal = services.renew_credential(
                credential=credential,
                source_type=RENEWAL_SOURCE,
                source_id=f"{credential.pk}-{data['request_key']}",
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                issued_by=request.user,
            )
        except services.CredentialError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{credential.serial} was renewed as {renewal.serial}.")
            return redirect(_detail_url(renewal))
    return render(
        request,
        "credentials/manage/renew.html",
        {
            "credential": credential,
            "form": form,
            # A renewal issued early leaves this one active until it starts: renewed once.
            "renewed_as": renewed_as,
            "can_renew": (Action.RENEW in allowed_actions(credential.status) and not renewed_as)
            or request.method == "POST",
            "breadcrumbs": _breadcrumbs(credential),
        },
    )
