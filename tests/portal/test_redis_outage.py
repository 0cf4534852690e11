"""Redis lost: the portal carries on from the database, slower; public pages lose their rate
limits, and the limits on steps that send email are counted from the database instead."""

import logging
import socket
import uuid

import pytest
import redis
from django.core.cache import cache
from django.test import RequestFactory

from accreditation.services import notify
from portal.audit import record
from portal.ops.cache import ResilientRedisCache
from portal.throttle import HOUR, Limit, over_cache_limit, over_limit, over_user_limit

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is: nothing listens there


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "portal.ops.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
    ResilientRedisCache._last_logged = 0.0
    return settings


def test_reads_miss_and_writes_fail_quietly(redis_down, caplog):
    with caplog.at_level(logging.ERROR, logger="portal.ops.cache"):
        assert cache.get("anything", "default") == "default"
        cache.set("anything", 1)
        assert cache.add("anything", 1) is True  # a lock taken with add() is granted
        assert cache.get_many(["a", "b"]) == {}
        cache.delete("anything")
    # One error line a minute, not one per call.
    assert len([r for r in caplog.records if "Redis unreachable" in r.message]) == 1


def test_rate_limits_are_lifted_not_turned_into_errors(redis_down):
    request = RequestFactory().get("/register/")
    assert not any(over_limit(request, "register", per_minute=2) for _ in range(10))


def test_limits_on_email_refuse_or_count_from_the_database(redis_down, applicant):
    limit = Limit(2, HOUR)
    assert over_cache_limit("anything", limit, if_cache_down=True) is True
    assert over_cache_limit("anything", limit, if_cache_down=False) is False
    # Per person: their recorded steps in the window decide, as every worker agrees.
    answers = []
    for _ in range(3):
        answers.append(over_user_limit(applicant, "steps", limit, audit_prefix="demo."))
        record("demo.step_taken", actor=applicant)
    assert answers == [False, False, True]


def test_the_accreditation_email_limit_holds_with_redis_down(redis_down, applicant, monkeypatch):
    """It used to count in Redis alone: with Redis gone every step counted as the first."""
    monkeypatch.setattr(notify, "USER_EMAIL_STEPS_PER_HOUR", 2)
    assert notify.over_user_limit(applicant) is False
    record("accreditation.submitted", actor=applicant)
    # The person's steps elsewhere in the portal are not counted.
    record("portfolio.evidence_created", actor=applicant)
    assert notify.over_user_limit(applicant) is False
    record("accreditation.withdrawn", actor=applicant)
    assert notify.over_user_limit(applicant) is True


def test_sign_in_and_pages_work_from_the_database(redis_down, client, applicant, password):
    response = client.post("/accounts/login/", {"login": applicant.email, "password": password})
    assert response.status_code == 302
    dashboard = client.get("/dashboard/", follow=True)
    assert dashboard.status_code == 200
    assert applicant.email in dashboard.text or "Your evidence" in dashboard.text


def test_readyz_reports_the_cache_unavailable(redis_down, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "unavailable",
        "storage": "ok",
    }


def test_with_redis_up_the_cache_and_rate_limits_work(settings):
    """Against the machine's Redis (127.0.0.1:6379, database 14)."""
    settings.CACHES = redis_cache("redis://127.0.0.1:6379/14")
    key = f"test:{uuid.uuid4().hex}"
    cache.set(key, "kept", 5)
    assert cache.get(key) == "kept"
    request = RequestFactory().get("/register/", REMOTE_ADDR=f"192.0.2.{uuid.uuid4().int % 250}")
    scope = uuid.uuid4().hex
    results = [over_limit(request, scope, per_minute=3) for _ in range(5)]
    assert results == [False, False, False, True, True]
    cache.delete(key)


def test_one_redis_client_serves_every_call_and_the_values_round_trip(settings, monkeypatch):
    made = []

    class CountedRedis(redis.Redis):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(redis, "Redis", CountedRedis)
    settings.CACHES = redis_cache("redis://127.0.0.1:6379/14")
    key = f"reuse-{uuid.uuid4().hex}"
    for n in range(3):
        cache.set(key, {"n": n}, 30)
        assert cache.get(key) == {"n": n}
    cache.delete(key)
    assert cache.get(key) is None
    assert len(made) == 1  # one server: reads and writes share one pool, and so one client
