"""The supervisor's structured reference: asked for by the portal, given without an account.

Decisions:
- The applicant never uploads their own supervisor's reference. The portal emails the
  supervisor named on the application a single-use link (only its SHA-256 is kept) that works
  for REFERENCE_DAYS; asking again replaces a waiting request (its link stops working).
- A reference given stays with the application for every later round. Changing the named
  supervisor (a draft or a returned application) withdraws it, and the new supervisor is asked.
- The applicant sees whether and when a reference was given, never what it says: the
  assessors, the lead assessor and the faculty office read it in the frozen round.
- Each request emails someone outside the portal: at most REQUESTS_PER_DAY per application,
  counted in the database under the application's row lock, so every worker agrees.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    LIVE_REFERENCE_STATUSES,
    ReferenceStatus,
    SupervisorReference,
    SupervisorSpecialty,
)
from accreditation.services import notify
from accreditation.services.guards import locked, require_move
from accreditation.states import Action
from portal.audit import record
from portal.links import absolute_url
from portfolio import api as portfolio_api

TOKEN_BYTES = 32
REFERENCE_DAYS = 28
REQUESTS_PER_DAY = 3
MAX_COMMENT = 3000
MAX_MONTHS = 600


class LinkState:
    """What a reference link can do now; the public page shows nothing of the GP unless OPEN."""

    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


LINK_CLOSED = {
    LinkState.USED: (
        "This link has already been used",
        "A reference has already been given through this link. Each link works once.",
    ),
    LinkState.EXPIRED: (
        "This link has expired",
        f"Links to give a reference work for {REFERENCE_DAYS} days. Ask the GP to send a new "
        "request from their application.",
    ),
    LinkState.WITHDRAWN: (
        "This link is no longer valid",
        "The applicant has sent a newer request or named another supervisor. You do not need to "
        "do anything with this one.",
    ),
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def find_by_token(token: str) -> SupervisorReference | None:
    if not (token.isascii() and 20 <= len(token) <= 100):
        return None
    return (
        SupervisorReference.objects.select_related("application__pathway", "application__applicant")
        .filter(token_hash=hash_token(token))
        .first()
    )


def link_state(reference: SupervisorReference) -> str:
    if reference.given_at is not None:
        return LinkState.USED
    if reference.status != ReferenceStatus.REQUESTED:
        return LinkState.WITHDRAWN
    if reference.expires_at <= timezone.now():
        return LinkState.EXPIRED
    return LinkState.OPEN


def current_reference(application) -> SupervisorReference | None:
    """The application's live reference (waiting or given), else its latest, else None."""
    references = list(application.supervisor_references.all()[:5])
    live = next((r for r in references if r.status in LIVE_REFERENCE_STATUSES), None)
    return live or (references[0] if references else None)


def applicant_name(application) -> str:
    profile = portfolio_api.profile_of(application.applicant)
    name = profile.full_name if profile else application.applicant.get_full_name()
    return " ".join((name or application.applicant.email).split())


@dataclass(frozen=True)
class Capability:
    code: str
    title: str
    level: str


def capabilities_asked(application) -> list[Capability]:
    """What the supervisor judges: the framework's capabilities that carry an entrustment
    level (the GPwER Capabilities in Practice); none when the framework sets no level."""
    framework = portfolio_api.published_framework(application.pathway.framework_code)
    if framework is None:
        return []
    return [
        Capability(c["code"], c["title"], c["level"])
        for domain in portfolio_api.framework_outline(framework)
        for c in domain["competencies"]
        if c["level"]
    ]


def _applicant_emails(user) -> set[str]:
    emails = {user.email.lower()}
    emails.update(
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return emails


def _snapshot(reference) -> dict:
    return {"status": reference.status, "supervisor_email": reference.supervisor_email}


@transaction.atomic
def request_reference(*, application, by, token: str | None = None) -> SupervisorReference:
    """Email the application's named supervisor a link to give their structured reference.
    TOKEN: the link's secret (made here; the demo and tests pass their own to answer it)."""
    application = locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can ask their supervisor for a reference.")
    # Only before the portfolio is frozen (accreditation.states).
    require_move(application, Action.ASK_REFERENCE)
    name = " ".join(application.supervisor_name.split())
    email = application.supervisor_email.strip()
    if not name or not email:
        raise AccreditationError(
            "Name your supervisor and give their email address on your application first."
        )
    try:
        validate_email(email)
    except ValidationError:
        raise AccreditationError(
            "Your supervisor's email address is not in the correct format. Change it on your "
            "application first."
        ) from None
    if email.lower() in _applicant_emails(by):
        raise AccreditationError(
            "Your supervisor's email address is one of yours. Give your supervisor's own address."
        )
    references = list(
        SupervisorReference.objects.select_for_update().filter(application=application)
    )
    if any(r.status == ReferenceStatus.GIVEN for r in references):
        raise AccreditationError("Your supervisor has given their reference already.")
    since = timezone.now() - datetime.timedelta(days=1)
    if sum(1 for r in references if r.requested_at >= since) >= REQUESTS_PER_DAY:
        raise AccreditationError(
            f"You have asked {REQUESTS_PER_DAY} times in the last day, the most we send. Try "
            "again tomorrow; the last request's link still works."
        )
    for waiting in references:
        if waiting.status == ReferenceStatus.REQUESTED:
            _withdraw(waiting, detail="A new request replaces it.")
    token = token or secrets.token_urlsafe(TOKEN_BYTES)
    reference = SupervisorReference(
        application=application,
        supervisor_name=name[:200],
        supervisor_email=email,
        token_hash=hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(days=REFERENCE_DAYS),
    )
    try:
        with transaction.atomic():
            reference.save()
    except IntegrityError:
        raise AccreditationError(
            "A request for your reference has just been sent. Refresh the page to see it."
        ) from None
    record(
        "accreditation.reference_requested",
        obj=application,
        new={**_snapshot(reference), "expires_at": reference.expires_at.isoformat()},
        actor=by,
    )
    gp = applicant_name(application)
    link = absolute_url(reverse("accreditation:reference_give", args=[token]))
    notify.email(
        [email],
        f"Please give a structured reference for {gp}",
        [
            f"Dear {name},",
            f"{gp} has named you as the supervisor of their extended role in their application "
            f"for {application.pathway.name} to the {settings.FACULTY_NAME}.",
            "Please give your structured reference through this link. It takes about ten "
            f"minutes, needs no account and works once, for {REFERENCE_DAYS} days:",
            link,
            "Your reference goes to the assessors; the applicant is told only that you have "
            "given it. If you do not supervise this GP, you can ignore this email.",
        ],
    )
    return reference


def _withdraw(reference, *, detail: str) -> None:
    old = _snapshot(reference)
    reference.status = ReferenceStatus.WITHDRAWN
    reference.save(update_fields=["status"])
    record(
        "accreditation.reference_withdrawn",
        obj=reference.application,
        old=old,
        new=_snapshot(reference),
        detail=detail,
    )


def supervisor_changed(application) -> None:
    """The applicant named another supervisor (or changed their address): the reference asked
    of the old one no longer counts. Called inside the declaration's transaction."""
    for reference in SupervisorReference.objects.select_for_update().filter(
        application=application, status__in=LIVE_REFERENCE_STATUSES
    ):
        _withdraw(reference, detail="The applicant named another supervisor.")


def clean_answers(answers: dict, capabilities: list[Capability]) -> dict:
    """The structured reference, checked again by the service (the form checks it first)."""
    specialty = answers.get("specialty", "")
    if specialty not in SupervisorSpecialty.values:
        raise AccreditationError("Select your specialty.")
    post = " ".join(str(answers.get("post", "")).split())
    if not post or len(post) > 200:
        raise AccreditationError("Enter your post, in 200 characters or fewer.")
    months = answers.get("months")
    if not isinstance(months, int) or not 0 <= months <= MAX_MONTHS:
        raise AccreditationError("Enter how many months you have supervised them.")
    judged = []
    given = {c["code"]: c for c in answers.get("capabilities", [])}
    for capability in capabilities:
        entry = given.get(capability.code) or {}
        if entry.get("entrusted") not in ("yes", "not_yet"):
            raise AccreditationError(f"Say whether they meet {capability.code}.")
        comment = str(entry.get("comment", "")).strip()[:MAX_COMMENT]
        if entry["entrusted"] == "not_yet" and not comment:
            raise AccreditationError(f"Say what they still need for {capability.code}.")
        judged.append(
            {
                "code": capability.code,
                "title": capability.title,
                "level": capability.level,
                "entrusted": entry["entrusted"],
                "comment": comment,
            }
        )
    concerns = answers.get("concerns")
    if concerns not in ("yes", "no"):
        raise AccreditationError("Say whether you have any concerns.")
    detail = str(answers.get("concerns_detail", "")).strip()[:MAX_COMMENT]
    if concerns == "yes" and not detail:
        raise AccreditationError("Describe your concerns.")
    return {
        "specialty": specialty,
        "post": post,
        "registration": " ".join(str(answers.get("registration", "")).split())[:40],
        "months": months,
        "capabilities": judged,
        "concerns": concerns,
        "concerns_detail": detail if concerns == "yes" else "",
        "comment": str(answers.get("comment", "")).strip()[:MAX_COMMENT],
    }


@transaction.atomic
def give_reference(*, token: str, answers: dict) -> SupervisorReference:
    """Record the supervisor's reference once; a second answer through the link is refused."""
    reference = (
        SupervisorReference.objects.select_for_update()
        .select_related("application__pathway", "application__applicant")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if reference is None:
        raise AccreditationError("This link is not valid.")
    state = link_state(reference)
    if state != LinkState.OPEN:
        raise AccreditationError(f"{LINK_CLOSED[state][0]}.")
    application = reference.application
    cleaned = clean_answers(answers, capabilities_asked(application))
    old = _snapshot(reference)
    reference.status = ReferenceStatus.GIVEN
    reference.given_at = timezone.now()
    reference.answers = cleaned
    reference.save(update_fields=["status", "given_at", "answers"])
    record(
        "accreditation.reference_given",
        obj=application,
        old=old,
        new=_snapshot(reference),
        actor_email=reference.supervisor_email,
    )
    notify.email(
        [application.applicant.email],
        "Your supervisor has given their reference",
        [
            f"{reference.supervisor_name} has given their structured reference for your "
            f"application for {application.pathway.name} ({application.reference}).",
            "It goes to your assessors with your portfolio when you submit.",
        ],
        reverse("accreditation:application", args=[application.pk]),
    )
    return reference


def snapshot_of(application) -> dict | None:
    """The given reference as a round keeps it (None when there is none)."""
    reference = application.supervisor_references.filter(status=ReferenceStatus.GIVEN).first()
    if reference is None:
        return None
    return {
        "supervisor_name": reference.supervisor_name,
        "supervisor_email": reference.supervisor_email,
        "given_at": reference.given_at.isoformat(),
        "specialty": SupervisorSpecialty(reference.answers["specialty"]).label,
        **{k: v for k, v in reference.answers.items() if k != "specialty"},
    }


def reference_in(snapshot_round) -> dict | None:
    """The reference SNAPSHOT_ROUND froze, for the assessors' pages (never the applicant's)."""
    reference = (snapshot_round.snapshot or {}).get("reference") if snapshot_round else None
    if not reference:
        return None
    return {**reference, "given_on": datetime.datetime.fromisoformat(reference["given_at"])}
