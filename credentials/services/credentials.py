"""Issuing credentials and changing their status: one guarded, audited function each."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from credentials.events import CredentialEvent, announce
from credentials.models import Credential, CredentialStatus, CredentialType, SerialCounter
from credentials.statuses import MOVES, RENEWAL_STANDS, Action, refusal
from portal.audit import record


class CredentialError(Exception):
    """An illegal change to a credential; the message is shown as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _snapshot(credential: Credential) -> dict:
    return {
        "status": credential.status,
        "status_reason": credential.status_reason,
        "valid_until": credential.valid_until.isoformat() if credential.valid_until else None,
    }


def _holder_details(holder) -> dict:
    profile = getattr(holder, "clinician", None)
    if profile is None:
        return {"holder_name": holder.get_full_name() or holder.email}
    return {
        "holder_name": profile.full_name,
        "regulator": profile.regulator,
        "registration_number": profile.registration_number,
        "profession": profile.profession,
        "region": profile.region,
    }


def _next_serial(kind: CredentialType, year: int) -> tuple[str, int]:
    # Make sure the counter row exists, then lock it for the rest of the transaction.
    SerialCounter.objects.bulk_create([SerialCounter(kind=kind, year=year)], ignore_conflicts=True)
    counter = SerialCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{kind.serial_prefix}-{year}-{counter.last_number:05d}", counter.last_number


def credential_type(kind: "CredentialType | str") -> CredentialType:
    if isinstance(kind, CredentialType):
        return kind
    try:
        return CredentialType.objects.get(pk=kind)
    except CredentialType.DoesNotExist:
        raise CredentialError(f"There is no credential type {kind!r}.") from None


def save_with_a_place(credential: Credential) -> None:
    from credentials.status_lists import save_with_a_place as save

    save(credential)


def issue_credential(
    *,
    holder,
    kind: "CredentialType | str",
    source_type: str,
    source_id,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    scope: str = "",
    conditions: str = "",
    supersedes: Credential | None = None,
    issued_by=None,
) -> Credential:
    """Issue a credential for SOURCE, or return the one already issued for it.

    Idempotent: a double click or a retried task gets the same credential back. The serial
    is taken from a locked counter row in the same transaction, so a rollback leaves no gap.
    """
    source_id = str(source_id)
    kind = credential_type(kind)
    title = kind.name  # one name per type, everywhere (CredentialType.name)
    if valid_until is not None and valid_until < valid_from:
        raise CredentialError("The credential cannot end before it starts.")
    try:
        with transaction.atomic():
            existing = Credential.objects.filter(
                source_type=source_type, source_id=source_id
            ).first()
            if existing is not None:
                return existing
            now = timezone.now()
            serial, number = _next_serial(kind, now.year)
            # The counter lock serialises issues of a kind; look again now that we hold it.
            existing = Credential.objects.filter(
                source_type=source_type, source_id=source_id
            ).first()
            if existing is not None:
                transaction.set_rollback(True)
                return existing
            if supersedes is not None:
                # Refuse before the insert, which would otherwise fail on the one-to-one link.
                _check_not_renewed(_locked(supersedes))
            credential = Credential(
                holder=holder,
                kind=kind,
                title=title,
                scope=scope,
                conditions=conditions,
                serial=serial,
                serial_year=now.year,
                serial_number=number,
                issued_at=now,
                valid_from=valid_from,
                valid_until=valid_until,
                source_type=source_type,
                source_id=source_id,
                supersedes=supersedes,
                **_holder_details(holder),
            )
            credential.full_clean(
                exclude=["certificate", "supersedes", "status_list", "status_index"]
            )
            # Saved with its random place in the published status lists.
            save_with_a_place(credential)
            if supersedes is not None and credential.valid_from <= timezone.localdate():
                _supersede(supersedes, by=credential, actor=issued_by)
            # A renewal that starts later leaves the old credential valid until it starts (the
            # daily run supersedes it then), so the clinician is never shown as not valid.
            record(
                "credential.issued",
                obj=credential,
                new=_snapshot(credential),
                actor=issued_by,
                detail=credential.serial,
            )
            announce(credential, CredentialEvent.ISSUED)
            return credential
    except IntegrityError:
        # Another request issued for the same source between our check and our insert.
        existing = Credential.objects.filter(source_type=source_type, source_id=source_id).first()
        if existing is None:
            raise
        return existing


def _locked(credential: Credential) -> Credential:
    return Credential.objects.select_for_update().get(pk=credential.pk)


def _refuse_unless_allowed(locked: Credential, action: Action) -> None:
    refused = refusal(serial=locked.serial, status=locked.status, action=action)
    if refused:
        raise CredentialError(refused)


def _change_status(credential, *, action: Action, reason: str, actor, note: str = ""):
    move = MOVES[action]
    with transaction.atomic():
        locked = _locked(credential)
        _refuse_unless_allowed(locked, action)
        old = _snapshot(locked)
        locked.status = move.to
        locked.status_reason = reason
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_reason", "status_changed_at"])
        record(
            f"credential.{action.label}",
            obj=locked,
            old=old,
            new=_snapshot(locked),
            actor=actor,
            detail=note,
        )
        announce(locked, move.event)
        _tell_holder(locked, action, reason or note)
    return locked


# What the holder is told when the faculty changes their credential's status.
HOLDER_WORDS = {
    Action.SUSPEND: (
        "suspended",
        "The faculty has suspended your credential.",
        "While it is suspended, the public register and the verification page say it is not "
        "valid, and commissioners watching your registration number are told.",
    ),
    Action.REINSTATE: (
        "reinstated",
        "The faculty has reinstated your credential.",
        "It is valid again: the public register and the verification page say so.",
    ),
    Action.REVOKE: (
        "revoked",
        "The faculty has revoked your credential.",
        "It is no longer valid and cannot be reinstated; the public register and the "
        "verification page say it has been revoked.",
    ),
}


def _tell_holder(credential: Credential, action: Action, reason: str) -> None:
    """Email the holder after the change commits (as their watchers are told)."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.urls import reverse

    from credentials.links import verification_url
    from portal.links import absolute_url
    from portal.tasks import send_email

    word, what, meaning = HOLDER_WORDS[action]
    holder = credential.holder
    body = render_to_string(
        "emails/credential_status_holder.txt",
        {
            "credential": credential,
            "what": what,
            "meaning": meaning,
            # A reinstatement's reason is for the audit trail, not for the public: the holder
            # may see it.
            "reason": reason,
            "verify_link": verification_url(credential),
            "sign_in_link": absolute_url(reverse("credentials:my_credentials")),
            "faculty": settings.FACULTY_NAME,
        },
    )
    subject = f"Your {credential.title} has been {word}"[:200]
    to = [holder.email]
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=subject, body=body, to=to, from_email=settings.DEFAULT_FROM_EMAIL
        )
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CredentialError("Give a reason: it is shown on the public register.")
    return reason


def suspend_credential(*, credential: Credential, reason: str, actor) -> Credential:
    return _change_status(
        credential, action=Action.SUSPEND, reason=_require_reason(reason), actor=actor
    )


def reinstate_credential(*, credential: Credential, reason: str, actor) -> Credential:
    # The reason is not shown publicly; the audit trail keeps it.
    return _change_status(
        credential, action=Action.REINSTATE, reason="", actor=actor, note=_require_reason(reason)
    )


def revoke_credential(*, credential: Credential, reason: str, actor) -> Credential:
    return _change_status(
        credential, action=Action.REVOKE, reason=_require_reason(reason), actor=actor
    )


def _check_renewable(locked: Credential) -> None:
    _refuse_unless_allowed(locked, Action.RENEW)


def _check_not_renewed(locked: Credential) -> None:
    _check_renewable(locked)
    renewal = Credential.objects.filter(supersedes=locked).only("serial").first()
    if renewal is not None:
        raise CredentialError(f"{locked.serial} has been renewed already, as {renewal.serial}.")


def supersede_started_renewals(*, today: datetime.date) -> int:
    """The daily run: each credential whose renewal starts by TODAY is superseded by it (a
    renewal issued early starts the day after the old one ends). A renewal revoked before it
    started leaves the old credential to run its course. Returns how many."""
    due = Credential.objects.filter(
        status=CredentialStatus.ACTIVE,
        superseded_by__valid_from__lte=today,
        superseded_by__status__in=RENEWAL_STANDS,
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            old = _locked(Credential(pk=pk))
            if old.status != CredentialStatus.ACTIVE:
                continue
            _supersede(old, by=Credential.objects.get(supersedes=old), actor=None)
            count += 1
    return count


def _supersede(old: Credential, *, by: Credential, actor) -> None:
    locked = _locked(old)
    _check_renewable(locked)
    before = _snapshot(locked)
    locked.status = MOVES[Action.RENEW].to
    locked.status_reason = f"Renewed as {by.serial}"
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_reason", "status_changed_at"])
    record("credential.superseded", obj=locked, old=before, new=_snapshot(locked), actor=actor)
    announce(locked, MOVES[Action.RENEW].event)


def renew_credential(
    *,
    credential: Credential,
    source_type: str,
    source_id,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    issued_by=None,
    scope: str | None = None,
    conditions: str | None = None,
) -> Credential:
    """Issue the renewal, linked to (and superseding) the credential it replaces. SCOPE and
    CONDITIONS default to the old credential's."""
    return issue_credential(
        holder=credential.holder,
        kind=credential.kind,
        scope=credential.scope if scope is None else scope,
        conditions=credential.conditions if conditions is None else conditions,
        source_type=source_type,
        source_id=source_id,
        valid_from=valid_from,
        valid_until=valid_until,
        supersedes=credential,
        issued_by=issued_by,
    )
