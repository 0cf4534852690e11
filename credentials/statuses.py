"""A credential's statuses: what each means in words, and which moves are allowed from each.

The one place for this vocabulary. Pages, emails, the Open Badges sentence and the API's
contract value all read their words from here; the services ask `check_move()` before a
change and the staff pages ask `allowed_actions()` which buttons to offer, so the two can
never disagree.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format


class CredentialStatus(models.TextChoices):
    """The stored status. "Expired" is never stored: it follows from the dates."""

    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    SUPERSEDED = "superseded", "Superseded by a renewal"


class PublicStatus(models.TextChoices):
    """What the register, the verification page, the JSON and the badge say."""

    ACTIVE = "active", "Valid"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Replaced by a renewal"


class CredentialEvent(models.TextChoices):
    """What can happen to a credential; watchers and certificates listen (credentials.events)."""

    ISSUED = "issued", "issued"
    SUSPENDED = "suspended", "suspended"
    REINSTATED = "reinstated", "reinstated"
    REVOKED = "revoked", "revoked"
    SUPERSEDED = "superseded", "replaced by a renewal"
    EXPIRING = "expiring", "expires within 30 days"
    EXPIRED = "expired", "expired"


@dataclass(frozen=True)
class PublicWords:
    tag_colour: str  # an NHS.UK tag colour; the words always say the status too
    sentence: str  # the verification page and the Open Badges description
    contract: str  # GET /api/v1/credentials/<token> promises one of four values (DESIGN.md)
    shows_reason: bool  # the reason and date of the change are public


PUBLIC_WORDS = {
    PublicStatus.ACTIVE: PublicWords("green", "This credential is valid.", "active", False),
    PublicStatus.SUSPENDED: PublicWords(
        "red", "This credential is suspended and is not valid.", "suspended", True
    ),
    PublicStatus.REVOKED: PublicWords(
        "red", "This credential has been revoked and is not valid.", "revoked", True
    ),
    PublicStatus.EXPIRED: PublicWords(
        "orange", "This credential has expired and is not valid.", "expired", False
    ),
    # A credential replaced by its renewal is no longer in force: "expired" in the contract,
    # whose "replaced_by" names the renewal.
    PublicStatus.SUPERSEDED: PublicWords(
        "grey", "This credential has been replaced by a renewal and is not valid.", "expired", True
    ),
}
NOT_YET_VALID = "Not yet valid"
NOT_YET_VALID_COLOUR = "orange"

# "GPWER-2026-00002 has been revoked, so it cannot be suspended."
STORED_WORDS = {
    CredentialStatus.ACTIVE: "is active",
    CredentialStatus.SUSPENDED: "is suspended",
    CredentialStatus.REVOKED: "has been revoked",
    CredentialStatus.SUPERSEDED: "has been superseded by a renewal",
}


def event_sentence(event: "CredentialEvent", credential) -> str:
    """What a watch-list alert says happened, in a sentence."""
    ends = date_format(credential.valid_until, "j F Y") if credential.valid_until else ""
    if event == CredentialEvent.ISSUED:
        starts = date_format(credential.valid_from, "j F Y")
        until = f" until {ends}" if ends else ""
        return f"The credential has been issued. It is valid from {starts}{until}."
    if event == CredentialEvent.SUSPENDED:
        return f"The credential has been suspended. Reason given: {credential.status_reason}"
    if event == CredentialEvent.REINSTATED:
        return "The credential has been reinstated and is valid again."
    if event == CredentialEvent.REVOKED:
        return f"The credential has been revoked. Reason given: {credential.status_reason}"
    if event == CredentialEvent.SUPERSEDED:
        return f"The credential has been replaced by a renewal. {credential.status_reason}."
    if event == CredentialEvent.EXPIRING:
        return f"The credential expires on {ends}, within 30 days."
    return f"The credential expired on {ends}."


# --- what may be said in public about one credential, today --------------------------------


@dataclass(frozen=True)
class PublicRecord:
    credential: object
    status: PublicStatus
    is_valid: bool
    not_yet_valid: bool
    reason: str
    changed_at: datetime.datetime | None

    @property
    def status_words(self) -> str:
        return NOT_YET_VALID if self.not_yet_valid else self.status.label

    @property
    def tag_colour(self) -> str:
        if self.not_yet_valid:
            return NOT_YET_VALID_COLOUR
        return PUBLIC_WORDS[self.status].tag_colour

    @property
    def contract_status(self) -> str:
        return PUBLIC_WORDS[self.status].contract

    @property
    def description(self) -> str:
        """The status in a sentence or two: the verification page, the JSON and the badge."""
        credential = self.credential
        if self.not_yet_valid:
            return (
                f"This credential is not valid until {date_format(credential.valid_from, 'j F Y')}."
            )
        sentence = PUBLIC_WORDS[self.status].sentence
        if self.status == PublicStatus.EXPIRED:
            ended = date_format(credential.valid_until, "j F Y")
            return f"{sentence} It expired after {ended}."
        if self.changed_at is not None:
            sentence += f" Since {date_format(timezone.localtime(self.changed_at), 'j F Y')}."
        if self.reason:
            sentence += f" Reason: {self.reason}"
        return sentence


def public_record(credential, today: datetime.date | None = None) -> PublicRecord:
    """Revoked, suspended and superseded win; otherwise the dates decide."""
    today = today or timezone.localdate()
    status = credential.public_status(today)
    shows_reason = PUBLIC_WORDS[status].shows_reason
    return PublicRecord(
        credential=credential,
        status=status,
        is_valid=status == PublicStatus.ACTIVE and credential.valid_from <= today,
        not_yet_valid=status == PublicStatus.ACTIVE and credential.valid_from > today,
        reason=credential.status_reason if shows_reason else "",
        changed_at=credential.status_changed_at if shows_reason else None,
    )


# --- allowed moves ----------------------------------------------------------------------------


class Action(models.TextChoices):
    SUSPEND = "suspend", "suspended"
    REINSTATE = "reinstate", "reinstated"
    REVOKE = "revoke", "revoked"
    # Issuing a renewal moves the old credential to SUPERSEDED.
    RENEW = "renew", "renewed"


@dataclass(frozen=True)
class Move:
    allowed_from: frozenset
    to: CredentialStatus
    event: CredentialEvent


MOVES = {
    Action.SUSPEND: Move(
        frozenset({CredentialStatus.ACTIVE}), CredentialStatus.SUSPENDED, CredentialEvent.SUSPENDED
    ),
    Action.REINSTATE: Move(
        frozenset({CredentialStatus.SUSPENDED}), CredentialStatus.ACTIVE, CredentialEvent.REINSTATED
    ),
    Action.REVOKE: Move(
        frozenset({CredentialStatus.ACTIVE, CredentialStatus.SUSPENDED}),
        CredentialStatus.REVOKED,
        CredentialEvent.REVOKED,
    ),
    # A suspended credential is reinstated (with a reason) before it is renewed, so that a
    # renewal never silently lifts a suspension.
    Action.RENEW: Move(
        frozenset({CredentialStatus.ACTIVE}),
        CredentialStatus.SUPERSEDED,
        CredentialEvent.SUPERSEDED,
    ),
}

# A renewal issued early takes over on its first day while it is in one of these states (one
# revoked before it starts leaves the old credential to end, with its reminders and alerts).
RENEWAL_STANDS = (CredentialStatus.ACTIVE, CredentialStatus.SUSPENDED)


def allowed_actions(status: str) -> list[Action]:
    return [action for action, move in MOVES.items() if status in move.allowed_from]


def refusal(*, serial: str, status: str, action: Action) -> str | None:
    """Why ACTION cannot be taken from STATUS, or None when it can."""
    if status in MOVES[action].allowed_from:
        return None
    reason = f"{serial} {STORED_WORDS[CredentialStatus(status)]}, so it cannot be {action.label}."
    if action == Action.RENEW and status == CredentialStatus.SUSPENDED:
        reason += " Reinstate it first, giving a reason."
    return reason
