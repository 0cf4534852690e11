"""One rate-limit helper, two forms: counted rows in the database, counters in the cache."""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from portal.audit import record
from portal.models import AuditEvent
from portal.throttle import (
    DAY,
    HOUR,
    MINUTE,
    Limit,
    limit_reached,
    over_cache_limit,
    over_limit,
    over_user_limit,
)

pytestmark = pytest.mark.django_db


def recorded(user, action: str, *, ago: datetime.timedelta) -> None:
    """An audit event by USER, made AGO before now."""
    moment = timezone.now() - ago
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        record(action, actor=user)


def test_a_limit_says_itself_in_words():
    assert str(Limit(10, HOUR)) == "10 in an hour"
    assert str(Limit(30, DAY)) == "30 in a day"
    assert str(Limit(60, MINUTE)) == "60 in a minute"
    with pytest.raises(ValueError, match="longer than nothing"):
        Limit(1, datetime.timedelta(0))


def test_the_database_form_counts_rows_inside_each_window(applicant, django_assert_num_queries):
    for ago in (datetime.timedelta(minutes=5), datetime.timedelta(hours=3)):
        recorded(applicant, "test.step", ago=ago)
    rows = AuditEvent.objects.filter(actor=applicant, action="test.step")
    hourly, daily = Limit(2, HOUR), Limit(2, DAY)
    with django_assert_num_queries(1):
        assert limit_reached(rows, field="created_at", limits=[hourly, daily]) is daily
    assert limit_reached(rows, field="created_at", limits=[hourly]) is None
    recorded(applicant, "test.step", ago=datetime.timedelta(minutes=1))
    # The first limit filled is the one named, so the person is told the nearer wait.
    assert limit_reached(rows, field="created_at", limits=[hourly, daily]) is hourly


def test_rows_older_than_the_window_do_not_count(applicant):
    recorded(applicant, "test.step", ago=datetime.timedelta(days=2))
    rows = AuditEvent.objects.filter(actor=applicant, action="test.step")
    assert limit_reached(rows, field="created_at", limits=[Limit(1, DAY)]) is None
    assert limit_reached(rows, field="created_at", limits=[]) is None


def test_the_cache_form_refuses_the_one_after_the_most():
    key = uuid.uuid4().hex
    limit = Limit(3, MINUTE)
    answers = [over_cache_limit(key, limit, if_cache_down=True) for _ in range(5)]
    assert answers == [False, False, False, True, True]
    # Another key has its own count.
    assert over_cache_limit(uuid.uuid4().hex, limit, if_cache_down=True) is False


def test_the_cache_form_starts_again_when_the_window_has_passed():
    key = uuid.uuid4().hex
    limit = Limit(1, MINUTE)
    assert [over_cache_limit(key, limit, if_cache_down=True) for _ in range(2)] == [False, True]
    cache.delete(f"throttle:{key}")  # what the window's timeout does
    assert over_cache_limit(key, limit, if_cache_down=True) is False


def test_per_address_limits_count_each_address_apart():
    scope = uuid.uuid4().hex
    first = RequestFactory().get("/register/", REMOTE_ADDR="192.0.2.1")
    second = RequestFactory().get("/register/", REMOTE_ADDR="192.0.2.2")
    assert [over_limit(first, scope, per_minute=1) for _ in range(2)] == [False, True]
    assert over_limit(second, scope, per_minute=1) is False


def test_per_person_limits_count_each_person_apart(applicant, assessor):
    scope, limit = uuid.uuid4().hex, Limit(1, HOUR)
    answers = [over_user_limit(applicant, scope, limit, audit_prefix="x.") for _ in range(2)]
    assert answers == [False, True]
    assert over_user_limit(assessor, scope, limit, audit_prefix="x.") is False
