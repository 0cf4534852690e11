"""Rate limits, in one place, in two forms. Services call them; views only show the refusal.

The database form, `limit_reached(rows, field=..., limits=...)`, counts the rows an action
writes anyway (requests made, confirmations asked for) inside each limit's window. Every worker
agrees on it and it keeps working when Redis is down; called under a lock on the rows' owner
(select_for_update), two requests at once cannot both slip under it. Use it whenever the action
leaves a row behind, and always for anything that sends email.

The cache form, `over_cache_limit(key, limit, if_cache_down=...)`, counts in the shared cache
(Redis in production): for requests that leave no row behind, such as public pages anyone may
load but no one should script (`over_limit`, per client IP) or steps a person repeats (per
user). Redis may go away for a while (portal/ops/cache.py), so each caller says what happens
then: False lets the request through (public pages that send no email stay available), True
refuses it, and a function answers instead, usually the database form. Anything that sends
email passes True or a function, never False.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from portal.audit import client_ip
from portal.ops.cache import CacheUnavailable

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
_PERIOD_WORDS = {MINUTE: "a minute", HOUR: "an hour", DAY: "a day"}


@dataclass(frozen=True)
class Limit:
    """At most MOST in any PER (a window of time)."""

    most: int
    per: datetime.timedelta

    def __post_init__(self):
        if self.per <= datetime.timedelta(0):
            raise ValueError("A limit's window must be longer than nothing.")

    def __str__(self) -> str:
        period = _PERIOD_WORDS.get(self.per) or f"{int(self.per.total_seconds())} seconds"
        return f"{self.most} in {period}"


# -- the database form ---------------------------------------------------------------------------


def limit_reached(rows: QuerySet, *, field: str, limits: Sequence[Limit]) -> Limit | None:
    """The first of LIMITS that ROWS already fill (at least `most` rows whose FIELD, a moment,
    falls within its window, so one more would go over), or None. One query."""
    if not limits:
        return None
    now = timezone.now()
    counts = rows.filter(**{f"{field}__gte": now - max(limit.per for limit in limits)}).aggregate(
        **{
            f"within_{n}": Count("pk", filter=Q(**{f"{field}__gte": now - limit.per}))
            for n, limit in enumerate(limits)
        }
    )
    for n, limit in enumerate(limits):
        if counts[f"within_{n}"] >= limit.most:
            return limit
    return None


# -- the cache form ------------------------------------------------------------------------------


def over_cache_limit(key: str, limit: Limit, *, if_cache_down: bool | Callable[[], bool]) -> bool:
    """Count one more for KEY; True once there have been more than `limit.most` in the window
    (which starts at the first one counted). IF_CACHE_DOWN answers when the cache cannot be
    reached: True refuses, False allows, a function decides (the database form)."""
    try:
        count = _count(f"throttle:{key}", int(limit.per.total_seconds()))
    except CacheUnavailable:
        return if_cache_down() if callable(if_cache_down) else if_cache_down
    return count > limit.most


def _count(key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except CacheUnavailable:
        raise
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def over_limit(request, scope: str, per_minute: int) -> bool:
    """Count this request; True once the client's IP has made more than PER_MINUTE this minute.
    For public pages that send no email (the register, single-use links): with the cache down,
    the page stays available without its limit."""
    return over_cache_limit(
        f"{scope}:{client_ip(request) or 'unknown'}",
        Limit(per_minute, MINUTE),
        if_cache_down=False,
    )


def over_user_limit(user, scope: str, limit: Limit, *, audit_prefix: str) -> bool:
    """Count one step by USER that sends email; True once they are over LIMIT. With the cache
    down, the database decides: USER's audit events whose action starts with AUDIT_PREFIX within
    the window (each such step records one)."""
    from portal.models import AuditEvent

    def from_database() -> bool:
        steps = AuditEvent.objects.filter(actor=user, action__startswith=audit_prefix)
        return limit_reached(steps, field="created_at", limits=[limit]) is not None

    return over_cache_limit(f"{scope}:user:{user.pk}", limit, if_cache_down=from_database)
