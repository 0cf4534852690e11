"""Generation numbers: a cache key that embeds one goes stale, all at once, when it is bumped.

Cached copies (page fragments, the menu, register counts, a sitting's report) are kept under
a key holding the current generation; a change bumps the number and the old entries simply
expire. A lost or evicted number starts again from a new value, so it never repeats one.
"""

import time

from django.core.cache import cache
from django.db import transaction


def current(key: str) -> int:
    return cache.get_or_set(key, 1, None)


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not set yet, evicted, or Redis away: any new value differs
        cache.set(key, time.time_ns(), None)


def bump_now_and_after_commit(key: str) -> None:
    """For changes made in a transaction: a copy made between the change and the commit would
    otherwise be kept under the new generation with the old contents."""
    bump(key)
    transaction.on_commit(lambda: bump(key))
