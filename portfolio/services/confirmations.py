"""Third-party confirmation of one evidence item by a single-use, expiring link.

Decisions:
- A locked item (one inside a submitted application) may still be confirmed: a confirmation
  records what someone else says about the item and changes nothing in it.
- Only the SHA-256 of the link's token is stored; the token itself exists only in the email.
- The database allows one live (requested or confirmed) confirmation per item. A request whose
  link has expired still counts as live there, so asking again first withdraws the lapsed one.
- Editing an item voids its confirmations (`void_confirmations`, called by the evidence service).
"""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.audit import record
from portal.links import absolute_url
from portal.tasks import send_email
from portfolio.errors import PortfolioError
from portfolio.models import ClinicianProfile, Confirmation, ConfirmationStatus, EvidenceItem

TOKEN_BYTES = 32
COMMENT_MAX_LENGTH = 2000
LIVE_STATUSES = (ConfirmationStatus.REQUESTED, ConfirmationStatus.CONFIRMED)
RESPONSES = (ConfirmationStatus.CONFIRMED, ConfirmationStatus.DECLINED)


class LinkState:
    """What a confirmation link can do now; the public page shows no item data unless OPEN."""

    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


LINK_STATE_MESSAGES = {
    LinkState.USED: "This link has already been used",
    LinkState.EXPIRED: "This link has expired",
    LinkState.WITHDRAWN: "This link is no longer valid",
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def confirmation_link(token: str) -> str:
    return absolute_url(reverse("portfolio:confirmation_respond", args=[token]))


def find_by_token(token: str) -> Confirmation | None:
    """The confirmation behind TOKEN, or None for an unknown, truncated or garbled token."""
    return (
        Confirmation.objects.select_related("item", "item__owner")
        .filter(token_hash=hash_token(token))
        .first()
    )


def is_expired(confirmation: Confirmation) -> bool:
    return confirmation.expires_at <= timezone.now()


def link_state(confirmation: Confirmation) -> str:
    if confirmation.responded_at is not None:
        return LinkState.USED
    if confirmation.status != ConfirmationStatus.REQUESTED:
        return LinkState.WITHDRAWN
    if is_expired(confirmation):
        return LinkState.EXPIRED
    return LinkState.OPEN


def owner_name(user) -> str:
    try:
        name = user.clinician.full_name
    except ClinicianProfile.DoesNotExist:
        name = str(user)
    return " ".join(name.split())  # one line: it goes into email subjects


def _owner_emails(user) -> set[str]:
    emails = {user.email.lower()}
    emails.update(
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return emails


# Each request emails someone outside the portal with words the clinician chose: a limit per
# clinician keeps the faculty's address from being used to send mail in bulk.
REQUESTS_PER_HOUR = 10
REQUESTS_PER_DAY = 30


def _refuse_if_too_many(owner) -> None:
    """Counted from the database (every worker agrees), under the item's row lock."""
    from portal.throttle import DAY, HOUR, Limit, limit_reached

    limit = limit_reached(
        Confirmation.objects.filter(item__owner=owner),
        field="requested_at",
        limits=[Limit(REQUESTS_PER_HOUR, HOUR), Limit(REQUESTS_PER_DAY, DAY)],
    )
    if limit:
        raise PortfolioError(
            f"You have asked for {limit}, the most we send. Try again later; the requests you "
            "have made are still on their way."
        )


def _snapshot(confirmation: Confirmation) -> dict:
    return {"status": confirmation.status, "confirmer_email": confirmation.confirmer_email}


def request_confirmation(
    *,
    item: EvidenceItem,
    confirmer_name: str,
    confirmer_email: str,
    confirmer_role: str = "",
    requested_by,
) -> Confirmation:
    """Ask a named person to confirm ITEM; email them a single-use link once committed."""
    confirmer_name = " ".join((confirmer_name or "").split())
    confirmer_email = (confirmer_email or "").strip()
    confirmer_role = " ".join((confirmer_role or "").split())
    if item.owner_id != requested_by.pk:
        raise PortfolioError("You can only ask for confirmation of your own evidence.")
    if not confirmer_name:
        raise PortfolioError("Enter the name of the person you are asking to confirm this item.")
    try:
        validate_email(confirmer_email)
    except ValidationError:
        raise PortfolioError(
            "Enter an email address in the correct format, like name@example.nhs.uk."
        ) from None
    if confirmer_email.lower() in _owner_emails(requested_by):
        raise PortfolioError(
            "You cannot confirm your own evidence. "
            "Enter the email address of someone who saw your work."
        )

    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
        _refuse_if_too_many(requested_by)
        for live in Confirmation.objects.select_for_update().filter(
            item=item, status__in=LIVE_STATUSES
        ):
            _refuse_or_lapse(live)
        confirmation = Confirmation(
            item=item,
            confirmer_name=confirmer_name,
            confirmer_email=confirmer_email,
            confirmer_role=confirmer_role,
            token_hash=hash_token(token),
            status=ConfirmationStatus.REQUESTED,
            expires_at=timezone.now() + timedelta(days=settings.PORTFOLIO_CONFIRMATION_DAYS),
        )
        try:
            confirmation.full_clean(validate_constraints=False)
        except ValidationError as exc:
            raise PortfolioError(" ".join(exc.messages)) from None
        try:
            with transaction.atomic():
                confirmation.save()
        except IntegrityError:
            raise PortfolioError(
                "This item already has a confirmation request. Refresh the page to see it."
            ) from None
        record(
            "portfolio.confirmation_requested",
            obj=confirmation,
            new={**_snapshot(confirmation), "expires_at": confirmation.expires_at.isoformat()},
            actor=requested_by,
        )
        subject, body = _request_email(confirmation, token)
        transaction.on_commit(
            lambda: send_email.enqueue(
                subject=subject,
                body=body,
                to=[confirmer_email],
                from_email=settings.DEFAULT_FROM_EMAIL,
            )
        )
    return confirmation


def _refuse_or_lapse(live: Confirmation) -> None:
    if live.status == ConfirmationStatus.CONFIRMED:
        raise PortfolioError(
            f"This item has already been confirmed by {live.confirmer_name}. "
            "Change the item if it needs confirming again."
        )
    if not is_expired(live):
        raise PortfolioError(
            f"You have already asked {live.confirmer_name} to confirm this item. "
            "Withdraw that request before asking someone else."
        )
    old = _snapshot(live)
    live.status = ConfirmationStatus.WITHDRAWN
    live.save(update_fields=["status"])
    record(
        "portfolio.confirmation_lapsed",
        obj=live,
        old=old,
        new=_snapshot(live),
        detail="The link expired without a reply; a new request replaces it.",
    )


def _request_email(confirmation: Confirmation, token: str) -> tuple[str, str]:
    item = confirmation.item
    name = owner_name(item.owner)
    body = render_to_string(
        "emails/confirmation_request.txt",
        {
            "confirmation": confirmation,
            "item": item,
            "owner_name": name,
            "link": confirmation_link(token),
        },
    )
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Please confirm evidence for {name}", body


def respond_to_confirmation(*, token: str, decision: str, comment: str = "") -> Confirmation:
    """Record the confirmer's answer once; a second answer through the same link is refused."""
    if decision not in RESPONSES:
        raise PortfolioError("Choose whether you can confirm this evidence.")
    decision = ConfirmationStatus(decision)
    comment = (comment or "").strip()
    if decision == ConfirmationStatus.DECLINED and not comment:
        raise PortfolioError("Enter a comment to explain why you cannot confirm this evidence.")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise PortfolioError(f"Your comment must be {COMMENT_MAX_LENGTH} characters or fewer.")
    with transaction.atomic():
        confirmation = (
            Confirmation.objects.select_for_update()
            .select_related("item", "item__owner")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if confirmation is None:
            raise PortfolioError("This link is not valid.")
        state = link_state(confirmation)
        if state != LinkState.OPEN:
            raise PortfolioError(f"{LINK_STATE_MESSAGES[state]}.")
        old = _snapshot(confirmation)
        confirmation.status = decision
        confirmation.comment = comment
        confirmation.responded_at = timezone.now()
        confirmation.save(update_fields=["status", "comment", "responded_at"])
        record(
            "portfolio.confirmation_responded",
            obj=confirmation,
            old=old,
            new=_snapshot(confirmation),
            actor_email=confirmation.confirmer_email,
        )
        subject, body = _response_email(confirmation)
        owner_email = confirmation.item.owner.email
        transaction.on_commit(
            lambda: send_email.enqueue(
                subject=subject,
                body=body,
                to=[owner_email],
                from_email=settings.DEFAULT_FROM_EMAIL,
            )
        )
    return confirmation


def _response_email(confirmation: Confirmation) -> tuple[str, str]:
    item = confirmation.item
    verb = "confirmed" if confirmation.status == ConfirmationStatus.CONFIRMED else "declined"
    page = absolute_url(reverse("portfolio:confirmation_request", args=[item.pk]))
    body = (
        f'{confirmation.confirmer_name} has {verb} your evidence item "{item.title}".\n\n'
        + (f"Their comment:\n{confirmation.comment}\n\n" if confirmation.comment else "")
        + f"See the item's confirmations: {page}\n"
    )
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your evidence was {verb}", body


def withdraw_confirmation(*, confirmation: Confirmation, withdrawn_by) -> Confirmation:
    """The owner takes back a request that is still waiting for a reply; the link stops working."""
    with transaction.atomic():
        confirmation = (
            Confirmation.objects.select_for_update().select_related("item").get(pk=confirmation.pk)
        )
        if confirmation.item.owner_id != withdrawn_by.pk:
            raise PortfolioError("You can only withdraw requests for your own evidence.")
        if confirmation.status != ConfirmationStatus.REQUESTED:
            raise PortfolioError("Only a request still waiting for a reply can be withdrawn.")
        old = _snapshot(confirmation)
        confirmation.status = ConfirmationStatus.WITHDRAWN
        confirmation.save(update_fields=["status"])
        record(
            "portfolio.confirmation_withdrawn",
            obj=confirmation,
            old=old,
            new=_snapshot(confirmation),
            actor=withdrawn_by,
        )
    return confirmation


def void_confirmations(*, item: EvidenceItem) -> int:
    """The item changed: its confirmations (given or awaited) no longer vouch for it."""
    with transaction.atomic():
        live = list(
            Confirmation.objects.select_for_update().filter(item=item, status__in=LIVE_STATUSES)
        )
        for confirmation in live:
            old = _snapshot(confirmation)
            confirmation.status = ConfirmationStatus.VOID
            confirmation.save(update_fields=["status"])
            record(
                "portfolio.confirmation_voided",
                obj=confirmation,
                old=old,
                new=_snapshot(confirmation),
                detail="The evidence item was changed.",
            )
    return len(live)


def current_confirmation(item: EvidenceItem) -> Confirmation | None:
    """The item's live confirmation (waiting or confirmed), if any."""
    return item.confirmations.filter(status__in=LIVE_STATUSES).first()
