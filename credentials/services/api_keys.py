"""Register API keys: issuing, changing and revoking them (audited), reading a presented key,
and admitting a request under the key's rate limits.

Decisions:
- A key is "msk_<12 hex>_<43 URL-safe characters>": 256 random bits after a public prefix.
  Only its SHA-256 is stored (a fast hash is enough for a random secret of that size; there is
  nothing to guess); the prefix finds the row, so checking a key is one indexed read and one
  constant-time comparison. The whole key exists once, in the `IssuedKey` handed back by
  `issue_api_key`, to be shown to the administrator once; it is never logged or audited.
- A revoked key stays (with who, when and why) and is refused from then on; keys are not
  deleted, so the audit trail and the record of use keep naming them.
- Each key has two limits, both counted from `ApiKeyUse` rows under a lock on the key's row
  (portal.throttle's database form: every worker agrees, and Redis can be down): requests in
  any minute, and registration numbers in any 24 hours. A refused request is not counted,
  so a client that waits as told gets through.
"""

import datetime
import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from credentials.models import ApiKey, ApiKeyUse
from portal.audit import record
from portal.throttle import DAY, MINUTE, Limit, limit_reached

KEY_SHAPE = re.compile(r"msk_([0-9a-f]{12})_[A-Za-z0-9_-]{43}")
CHANGEABLE = ("organisation", "contact_email", "region", "requests_per_minute", "numbers_per_day")


class ApiKeyError(Exception):
    """An illegal change to a key; the message is shown as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str  # the whole key: show it once, store it nowhere

    def __repr__(self) -> str:  # never the secret, whatever prints this
        return f"IssuedKey(key={self.key!r})"


def _hash(presented: str) -> str:
    return hashlib.sha256(presented.encode()).hexdigest()


def _audited_state(key: ApiKey) -> dict:
    return {
        "organisation": key.organisation,
        "contact_email": key.contact_email,
        "region": key.region,
        "requests_per_minute": key.requests_per_minute,
        "numbers_per_day": key.numbers_per_day,
        "prefix": key.display_prefix,
    }


@sensitive_variables("secret")
def issue_api_key(
    *,
    organisation: str,
    contact_email: str,
    actor,
    region: str = "",
    requests_per_minute: int = ApiKey.DEFAULT_REQUESTS_PER_MINUTE,
    numbers_per_day: int = ApiKey.DEFAULT_NUMBERS_PER_DAY,
) -> IssuedKey:
    """A new key for ORGANISATION. Raises ValidationError for bad details."""
    for _attempt in range(3):
        prefix = secrets.token_hex(6)
        secret = f"msk_{prefix}_{secrets.token_urlsafe(32)}"
        key = ApiKey(
            organisation=organisation.strip(),
            contact_email=contact_email.strip(),
            region=region,
            requests_per_minute=requests_per_minute,
            numbers_per_day=numbers_per_day,
            prefix=prefix,
            key_hash=_hash(secret),
            created_by=actor,
        )
        key.full_clean(exclude=["prefix"])  # the prefix's uniqueness is the insert's to check
        try:
            with transaction.atomic():
                key.save()
                record("api_key.issued", obj=key, new=_audited_state(key), actor=actor)
        except IntegrityError:
            if ApiKey.objects.filter(prefix=prefix).exists():
                continue  # 48 random bits met an existing prefix: draw again
            raise
        return IssuedKey(key=key, secret=secret)
    raise RuntimeError("Could not find an unused key prefix.")  # pragma: no cover


def change_api_key(*, key: ApiKey, actor, **changes) -> ApiKey:
    """Change a key's organisation, contact, region or limits (not a revoked key's)."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValueError(f"These cannot be changed: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.is_revoked:
            raise ApiKeyError(f"{locked} has been revoked, so it cannot be changed.")
        old = _audited_state(locked)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.full_clean()
        new = _audited_state(locked)
        changed = [field for field in CHANGEABLE if old[field] != new[field]]
        if changed:
            locked.save(update_fields=changed)
            record(
                "api_key.changed",
                obj=locked,
                old={field: old[field] for field in changed},
                new={field: new[field] for field in changed},
                actor=actor,
            )
    return locked


def revoke_api_key(*, key: ApiKey, reason: str, actor) -> ApiKey:
    """Refuse KEY from now on. REASON is required (kept with the key and in the audit)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ApiKeyError("Give a reason for revoking the key.")
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.is_revoked:
            raise ApiKeyError(f"{locked} has already been revoked.")
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revoked_reason = reason[: ApiKey._meta.get_field("revoked_reason").max_length]
        locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
        record(
            "api_key.revoked",
            obj=locked,
            old={"status": "active"},
            new={"status": "revoked", "reason": locked.revoked_reason},
            actor=actor,
        )
    return locked


# --- a request with a key -----------------------------------------------------------------------


@sensitive_variables("presented")
def key_for(presented: str) -> ApiKey | None:
    """The key PRESENTED names, revoked or not, or None if it is no key of ours. One query."""
    if not isinstance(presented, str):
        return None
    shape = KEY_SHAPE.fullmatch(presented)
    if shape is None:
        return None
    key = ApiKey.objects.filter(prefix=shape.group(1)).first()
    if key is None or not hmac.compare_digest(key.key_hash, _hash(presented)):
        return None
    return key


@dataclass(frozen=True)
class Refusal:
    """Why a request with a good key is not answered now."""

    reason: str  # "revoked", "per_minute" or "per_day"
    message: str
    retry_after: int = 0  # seconds, for the limits


def admit(*, key: ApiKey, numbers: int) -> Refusal | None:
    """Count a request checking NUMBERS registration numbers against KEY's limits, or say why
    not. Under a lock on the key's row, so two requests at once cannot both slip under a
    limit; the key is read again under it, so a key revoked a moment ago is refused."""
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.is_revoked:
            return Refusal("revoked", "This API key has been revoked.")
        uses = ApiKeyUse.objects.filter(key=locked)
        per_minute = Limit(locked.requests_per_minute, MINUTE)
        if limit_reached(uses, field="at", limits=[per_minute]) is not None:
            return Refusal(
                "per_minute",
                f"This key may make {per_minute} requests. Wait, then try again.",
                _seconds_until_room(uses, MINUTE, most=locked.requests_per_minute),
            )
        now = timezone.now()
        today = uses.filter(at__gte=now - DAY).aggregate(total=Sum("numbers"))["total"] or 0
        if today + numbers > locked.numbers_per_day:
            return Refusal(
                "per_day",
                f"This key may check {locked.numbers_per_day:,} registration numbers in any "
                f"24 hours; it has checked {today:,}, so {numbers:,} more would go over.",
                _seconds_until_numbers(uses, room_needed=today + numbers - locked.numbers_per_day),
            )
        ApiKeyUse.objects.create(key=locked, at=now, numbers=numbers)
        ApiKey.objects.filter(pk=locked.pk).update(last_used_at=now)
    return None


def _seconds_until(moment: datetime.datetime) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def _seconds_until_room(uses, per: datetime.timedelta, *, most: int) -> int:
    """When the window holds fewer than MOST uses again: the oldest that must leave has left."""
    since = timezone.now() - per
    window = uses.filter(at__gte=since).order_by("-at").values_list("at", flat=True)
    leaving = window[most - 1 : most].first()
    return _seconds_until(leaving + per) if leaving else 1


def _seconds_until_numbers(uses, *, room_needed: int) -> int:
    """When enough of the last day's numbers have left the window to make ROOM_NEEDED."""
    freed = 0
    for at, numbers in (
        uses.filter(at__gte=timezone.now() - DAY).order_by("at").values_list("at", "numbers")
    ):
        freed += numbers
        if freed >= room_needed:
            return _seconds_until(at + DAY)
    return int(DAY.total_seconds())
