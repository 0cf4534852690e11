"""A per-IP, per-minute counter in the shared cache (Redis in production), for public pages
that anyone may load but no one should script: the register, confirmation links."""

from django.core.cache import cache

from portal.audit import client_ip


def over_limit(request, scope: str, per_minute: int) -> bool:
    """Count this request; True once the client has made more than PER_MINUTE this minute."""
    key = f"throttle:{scope}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count > per_minute
