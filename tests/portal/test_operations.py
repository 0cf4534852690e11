"""Operations: health checks, request ids in logs and tasks, JSON logs, the outage page."""

import json
import logging
import sys
import types

import pytest
from django.db import OperationalError
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.test import RequestFactory

from portal.ops import health, requestid
from portal.ops.jsonlog import JsonFormatter
from portal.ops.outage import server_error


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any database query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_names_each_part_when_all_answer(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok"},
    }
    # The probe leaves nothing behind in the storage.
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_readyz_is_503_and_names_the_part_that_failed(client, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def cache_down():
        raise ConnectionError("redis refused the connection")

    monkeypatch.setitem(health.CHECKS, "cache", cache_down)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"database": "ok", "cache": "unavailable", "storage": "ok"}
    # Nothing about the failure itself is shown to whoever asked.
    assert "redis" not in response.text


def test_a_request_gets_an_id_on_its_response(client):
    response = client.get("/healthz")
    rid = response["X-Request-ID"]
    assert len(rid) == 32 and rid.isascii() and rid.isalnum()


def test_a_load_balancers_request_id_is_carried_through(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-2f9c1a7e-0001"})
    assert response["X-Request-ID"] == "lb-2f9c1a7e-0001"


@pytest.mark.parametrize(
    "hostile",
    ["short", "a" * 65, "abc\u0661\u0662\u0663defgh", "abcdefgh\r\nSet-Cookie: x=1", "<script>xx"],
)
def test_a_hostile_request_id_is_replaced_not_echoed(client, hostile):
    response = client.get("/healthz", headers={"X-Request-ID": hostile})
    assert response["X-Request-ID"] != hostile
    assert len(response["X-Request-ID"]) == 32


def test_log_lines_are_one_json_object_with_the_request_id():
    record = logging.LogRecord("portal", logging.ERROR, __file__, 1, "line one\nline two", (), None)
    token = requestid.current_request_id.set("req-12345678")
    try:
        requestid.RequestIdFilter().filter(record)
    finally:
        requestid.current_request_id.reset(token)
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "portal"
    assert entry["message"] == "line one\nline two"
    assert entry["request_id"] == "req-12345678"
    assert "ValueError: boom" in entry["exception"]


def fake_task_result(task_id: str):
    return types.SimpleNamespace(
        id=task_id,
        task=types.SimpleNamespace(module_path="portal.tasks.x"),
        backend="db",
        status="x",
    )


def test_a_task_queued_in_a_request_logs_with_that_requests_id():
    """The worker is another process: the id travels through the cache, keyed by task id."""
    task_result = fake_task_result("0b7d6d8c-task")
    token = requestid.current_request_id.set("req-abcdef12")
    try:
        task_enqueued.send(sender=object, task_result=task_result)
    finally:
        requestid.current_request_id.reset(token)
    assert requestid.request_id() == "-"
    # In the worker:
    task_started.send(sender=object, task_result=task_result)
    assert requestid.request_id() == "req-abcdef12"
    task_finished.send(sender=object, task_result=task_result)
    assert requestid.request_id() == "-"


def test_a_task_queued_outside_a_request_logs_with_its_own_id():
    task_result = fake_task_result("5e1c-task")
    task_enqueued.send(sender=object, task_result=task_result)
    task_started.send(sender=object, task_result=task_result)
    assert requestid.request_id() == "task-5e1c-task"
    task_finished.send(sender=object, task_result=task_result)
    assert requestid.request_id() == "-"


def test_a_lost_database_gives_a_clean_503_page():
    request = RequestFactory().get("/register/")
    try:
        raise OperationalError("connection to server at 127.0.0.1 failed")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "127.0.0.1" not in page and "Traceback" not in page


def test_any_other_error_gives_the_plain_500_page():
    request = RequestFactory().get("/register/")
    try:
        raise ValueError("unexpected")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_a_database_outage_during_a_request_answers_503(client, monkeypatch):
    """The whole stack: the register's query fails as it would with PostgreSQL restarting."""
    from django.db.backends.utils import CursorWrapper

    def refuse(self, sql, params=None):
        raise OperationalError("server closed the connection unexpectedly")

    client.raise_request_exception = False
    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/register/?q=Patel")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.text


@pytest.mark.django_db
def test_migrate_makes_the_database_cache_table_before_anything_uses_it(settings):
    """A fresh database can be migrated by `manage.py migrate` alone (no createcachetable)."""
    from django.apps import apps
    from django.db import connection
    from django.db.models.signals import pre_migrate

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache_made_by_migrate",
        }
    }
    assert "portal_cache_made_by_migrate" not in connection.introspection.table_names()
    pre_migrate.send(sender=apps.get_app_config("portal"), app_config=None, using="default")
    assert "portal_cache_made_by_migrate" in connection.introspection.table_names()
