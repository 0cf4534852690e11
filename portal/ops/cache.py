"""Redis as a cache that the portal can lose for a while without failing requests.

Redis holds copies only: sessions live in the database (the cached_db engine), and every limit
the portal's own services put on email is counted in the database or falls back to it
(portal/throttle.py). When Redis is unreachable, each call answers as a miss within a second
(reads give the default, writes report failure, incr() raises CacheUnavailable), and one error
a minute per process is logged:
  - sign-in and sessions carry on from the database, slower;
  - the per-minute rate limits on public pages and allauth's limits (sign-in attempts, and
    its password-reset and address-confirmation emails) are NOT enforced until Redis returns
    (they fail open: the register and sign-in stay available; add() reports success so that
    allauth's lock around its counter does not refuse every sign-in);
  - the portal's limits on steps that send email are counted from the database instead;
  - cached fragments (the site menu, the register's credential list) are rebuilt per request.
Nothing is lost: when Redis is back, the next request uses it again.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY_SECONDS = 60


class CacheUnavailable(ValueError):
    """incr() could not reach the cache. A ValueError, as Django raises for a missing key, so
    that code written for any cache carries on; the portal's rate limits tell the two apart."""


class ReusedRedisClient(RedisCacheClient):
    """Django makes a new redis.Redis (and its table of five hundred reply parsers) for every
    cache call; one per connection pool does the same work. redis.Redis is thread-safe.

    Django has no public hook for this: get_client() is public, the two names it uses are not.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clients_by_pool = {}

    def get_client(self, key=None, *, write=False):
        # Django's private _get_connection_pool and _client: pinned to Django 6.1.x (pyproject).
        pool = self._get_connection_pool(write)
        client = self.clients_by_pool.get(id(pool))
        if client is None:
            client = self.clients_by_pool[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        # Django's private RedisCache._class (its client class): pinned to 6.1.x (pyproject).
        self._class = ReusedRedisClient

    def _unreachable(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= LOG_EVERY_SECONDS:
            ResilientRedisCache._last_logged = now
            logger.error(
                "Redis unreachable (%s: %s): running without the cache; public rate limits are off",
                operation,
                exc.__class__.__name__,
            )

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as exc:
            self._unreachable("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as exc:
            self._unreachable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as exc:
            self._unreachable("has_key", exc)
            return False

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("add", exc)
            # Reported as stored: allauth takes a lock with add() before counting sign-in
            # attempts and refuses the sign-in when it cannot; with Redis gone that would lock
            # everyone out. No rule of the portal relies on a cache lock (the database's locks
            # keep the data right), so granting it costs only the rate limit.
            return True

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("set", exc)
            return None

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("set_many", exc)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as exc:
            self._unreachable("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as exc:
            self._unreachable("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE as exc:
            self._unreachable("delete_many", exc)
            return None

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as exc:
            self._unreachable("incr", exc)
            raise CacheUnavailable("the cache is unreachable") from exc

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as exc:
            self._unreachable("clear", exc)
            return False
