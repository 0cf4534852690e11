"""Asking for the commissioner role, and deciding: one guarded function per change.

submit → (confirm the work email by link, unless it is the account's verified address) → open
→ approved (the role is given and the organisation recorded) or declined (with a reason), or
withdrawn by the requester while it waits. Each change locks the row, checks the state, writes
the change and an audit event in one transaction, and emails after commit.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.audit import record
from portal.links import absolute_url
from portal.models import OrganisationType, RoleGrant, RoleRequest, RoleRequestStatus, User
from portal.models.role_requests import OPEN_STATUSES
from portal.roles import Role, assign_role
from portal.tasks import send_email
from portal.throttle import DAY, Limit, limit_reached

# However often someone is declined or withdraws, no more than this many requests a day
# (counted from the database: each request may email a link to confirm a work address).
MAX_REQUESTS_PER_DAY = 3
# How long the link that confirms a work email address works.
EMAIL_LINK_MAX_AGE = datetime.timedelta(days=3)
MAX_REASON_LENGTH = 1000
_SALT = "portal.role_requests.work_email"


class RoleRequestError(Exception):
    """A refused change to a role request; the message is shown to the person as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def open_request_of(user) -> RoleRequest | None:
    return RoleRequest.objects.filter(requester=user, status__in=OPEN_STATUSES).first()


def submit_role_request(
    *,
    requester,
    full_name: str,
    organisation_type: str,
    region: str = "",
    organisation_name: str = "",
    job_title: str,
    work_email: str,
) -> RoleRequest:
    """Ask for the commissioner role. The work email must be the account's verified address,
    or it is sent a link to confirm it before staff see the request."""
    organisation_type = OrganisationType(organisation_type)
    work_email = work_email.strip().lower()
    with transaction.atomic():
        # Serialise one person's submissions (two tabs, a double click) on their own row.
        User.objects.select_for_update().get(pk=requester.pk)
        if open_request_of(requester) is not None:
            raise RoleRequestError(
                "You already have a request waiting. Withdraw it first if you need to change it."
            )
        if limit_reached(
            RoleRequest.objects.filter(requester=requester),
            field="created_at",
            limits=[Limit(MAX_REQUESTS_PER_DAY, DAY)],
        ):
            raise RoleRequestError(
                f"You have asked {MAX_REQUESTS_PER_DAY} times in the last 24 hours. "
                "Try again tomorrow."
            )
        verified = EmailAddress.objects.filter(
            user=requester, email__iexact=work_email, verified=True
        ).exists()
        now = timezone.now()
        role_request = RoleRequest(
            requester=requester,
            role=Role.COMMISSIONER,
            full_name=full_name,
            organisation_type=organisation_type,
            region=region if organisation_type == OrganisationType.ICB else "",
            organisation_name=(
                organisation_name if organisation_type == OrganisationType.EMPLOYER else ""
            ),
            job_title=job_title,
            work_email=work_email,
            work_email_confirmed_at=now if verified else None,
            status=RoleRequestStatus.OPEN if verified else RoleRequestStatus.AWAITING_EMAIL,
        )
        try:
            with transaction.atomic():
                role_request.save()
        except IntegrityError:
            raise RoleRequestError("You already have a request waiting.") from None
        record(
            "role_request.submitted",
            obj=role_request,
            new=_snapshot(role_request),
            actor=requester,
        )
        if not verified:
            link = absolute_url(reverse("role_request_confirm", args=[email_token(role_request)]))
            _email_after_commit(
                role_request,
                "role_request_confirm_email",
                "Confirm your work email address",
                to=work_email,
                link=link,
            )
    return role_request


def email_token(role_request: RoleRequest) -> str:
    return signing.dumps({"r": role_request.pk, "e": role_request.work_email}, salt=_SALT)


def request_for_token(token: str, *, requester) -> RoleRequest | None:
    """The requester's request the token names, if the token is genuine and in date."""
    if len(token) > 300:
        return None
    try:
        data = signing.loads(token, salt=_SALT, max_age=EMAIL_LINK_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    return RoleRequest.objects.filter(
        pk=data["r"], requester=requester, work_email=data.get("e")
    ).first()


def confirm_work_email(*, role_request: RoleRequest, requester) -> RoleRequest:
    with transaction.atomic():
        locked = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
        if locked.requester_id != requester.pk:
            raise RoleRequestError("This link is for someone else's request.")
        if locked.status != RoleRequestStatus.AWAITING_EMAIL:
            raise RoleRequestError(
                "This request is not waiting for its email address to be confirmed."
            )
        locked.status = RoleRequestStatus.OPEN
        locked.work_email_confirmed_at = timezone.now()
        locked.save(update_fields=["status", "work_email_confirmed_at"])
        record(
            "role_request.email_confirmed",
            obj=locked,
            old={"status": RoleRequestStatus.AWAITING_EMAIL},
            new={"status": locked.status, "work_email": locked.work_email},
            actor=requester,
        )
    return locked


def withdraw_role_request(*, role_request: RoleRequest, requester) -> RoleRequest:
    with transaction.atomic():
        locked = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
        if locked.requester_id != requester.pk:
            raise RoleRequestError("Only the person who asked can withdraw a request.")
        if locked.status not in OPEN_STATUSES:
            raise RoleRequestError("This request has been decided already.")
        old = locked.status
        locked.status = RoleRequestStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        record(
            "role_request.withdrawn",
            obj=locked,
            old={"status": old},
            new={"status": locked.status},
            actor=requester,
        )
    return locked


def approve_role_request(*, role_request: RoleRequest, actor) -> RoleRequest:
    """Give the requester the role and record the organisation they act for."""
    with transaction.atomic():
        locked = _lock_for_decision(role_request, actor)
        now = timezone.now()
        locked.status = RoleRequestStatus.APPROVED
        locked.decided_at, locked.decided_by = now, actor
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        RoleGrant.objects.update_or_create(
            user=locked.requester,
            role=locked.role,
            defaults={
                "organisation_type": locked.organisation_type,
                "region": locked.region,
                "organisation_name": locked.organisation_name,
                "job_title": locked.job_title,
                "request": locked,
                "granted_by": actor,
                "granted_at": now,
            },
        )
        assign_role(locked.requester, Role(locked.role))
        record(
            "role_request.approved",
            obj=locked,
            old={"status": RoleRequestStatus.OPEN},
            new={
                "status": locked.status,
                "role": Role(locked.role).label,
                "organisation": locked.organisation,
            },
            actor=actor,
        )
        _email_after_commit(
            locked,
            "role_request_approved",
            f"You now have the {Role(locked.role).label.lower()} role",
            to=locked.requester.email,
            link=absolute_url(reverse("dashboard")),
        )
    return locked


def decline_role_request(*, role_request: RoleRequest, actor, reason: str) -> RoleRequest:
    reason = (reason or "").strip()
    if not reason:
        raise RoleRequestError("Enter the reason for declining: the requester is told it.")
    if len(reason) > MAX_REASON_LENGTH:
        raise RoleRequestError(f"The reason must be {MAX_REASON_LENGTH} characters or fewer.")
    with transaction.atomic():
        locked = _lock_for_decision(role_request, actor)
        locked.status = RoleRequestStatus.DECLINED
        locked.decided_at, locked.decided_by = timezone.now(), actor
        locked.decision_reason = reason
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        record(
            "role_request.declined",
            obj=locked,
            old={"status": RoleRequestStatus.OPEN},
            new={"status": locked.status},
            actor=actor,
            detail=reason,
        )
        _email_after_commit(
            locked,
            "role_request_declined",
            f"Your request for the {Role(locked.role).label.lower()} role",
            to=locked.requester.email,
            link=absolute_url(reverse("role_request")),
        )
    return locked


def _lock_for_decision(role_request: RoleRequest, actor) -> RoleRequest:
    locked = (
        RoleRequest.objects.select_for_update().select_related("requester").get(pk=role_request.pk)
    )
    if locked.requester_id == actor.pk:
        raise RoleRequestError("You cannot decide your own request: ask another administrator.")
    if locked.status != RoleRequestStatus.OPEN:
        raise RoleRequestError(
            f"This request cannot be decided now: it is {locked.get_status_display().lower()}."
        )
    return locked


def _snapshot(role_request: RoleRequest) -> dict:
    return {
        "status": role_request.status,
        "role": Role(role_request.role).label,
        "organisation": role_request.organisation,
        "job_title": role_request.job_title,
        "work_email": role_request.work_email,
    }


def _email_after_commit(role_request, template: str, subject: str, *, to: str, link: str) -> None:
    body = render_to_string(
        f"emails/{template}.txt",
        {
            "role_request": role_request,
            "link": link,
            "SERVICE_NAME": settings.SERVICE_NAME,
            "FACULTY_NAME": settings.FACULTY_NAME,
            "FACULTY_SHORT_NAME": settings.FACULTY_SHORT_NAME,
        },
    )
    message = {
        "subject": f"{settings.SERVICE_NAME}: {subject}",
        "body": body,
        "to": [to],
        "from_email": settings.DEFAULT_FROM_EMAIL,
    }
    transaction.on_commit(lambda: send_email.enqueue(**message))
