"""A request id on every log line, from the request into the background tasks it queues.

The id comes from the load balancer's X-Request-ID header when that is a plain token, else a
new one is made; it is sent back on the response. A task queued while a request is handled
carries the request's id: it is kept in the cache under the task's id at enqueue, and the worker
sets it again when the task starts (the task's own arguments stay as they are).
"""

import contextvars
import logging
import re
import uuid

from django.core.cache import cache
from django.dispatch import receiver
from django.tasks.signals import task_enqueued, task_finished, task_started

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
# ASCII letters, digits and - _ . only, up to 64: anything else is replaced, never logged.
_VALID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_TASK_KEY = "task-request-id:{}"
_TASK_KEY_SECONDS = 7 * 24 * 3600

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default="-"
)


def request_id() -> str:
    return current_request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def _from_header(value: str | None) -> str:
    if value and _VALID.fullmatch(value):
        return value
    return new_request_id()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = _from_header(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = rid
        token = current_request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (and `-` outside a request or task)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


@receiver(task_enqueued)
def _remember_request_id(sender, task_result, **kwargs):
    rid = current_request_id.get()
    if rid == "-":
        return
    try:
        cache.set(_TASK_KEY.format(task_result.id), rid, _TASK_KEY_SECONDS)
    except Exception:  # noqa: BLE001 - a cache outage must not stop the task being queued
        logger.warning("Could not keep the request id for task %s", task_result.id)


_task_tokens: dict[str, contextvars.Token] = {}


@receiver(task_started)
def _restore_request_id(sender, task_result, **kwargs):
    if current_request_id.get() != "-":
        return  # run inline (the immediate backend): the request's id is already set
    try:
        rid = cache.get(_TASK_KEY.format(task_result.id))
    except Exception:  # noqa: BLE001
        rid = None
    _task_tokens[str(task_result.id)] = current_request_id.set(rid or f"task-{task_result.id}")


@receiver(task_finished)
def _forget_request_id(sender, task_result, **kwargs):
    token = _task_tokens.pop(str(task_result.id), None)
    if token is not None:
        current_request_id.reset(token)
