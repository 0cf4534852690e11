"""Recording the audit trail.

`record()` is the one way to write an audit event (`record_all()` writes many built with
`event()`). The request's user and
source IP come from the request context (set by RequestContextMiddleware) when
not given, so services need not pass the request around.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from portal.models import AuditEvent


@dataclass(frozen=True)
class RequestContext:
    user: object | None
    ip_address: str | None


_current: ContextVar[RequestContext | None] = ContextVar("portal_request_context", default=None)


def set_request_context(ctx: RequestContext | None):
    return _current.set(ctx)


def reset_request_context(token) -> None:
    _current.reset(token)


def client_ip(request) -> str | None:
    """The client's IP, trusting only as many proxy hops as allauth is told to."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import ImproperlyConfigured, PermissionDenied

    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No usable address (or a forwarded header with too few hops): record none.
        return None


def event(
    action: str,
    *,
    obj=None,
    old=None,
    new=None,
    actor=None,
    actor_email: str = "",
    ip_address: str | None = None,
    detail: str = "",
) -> AuditEvent:
    """An audit event, not yet written: `record` writes one, `record_all` many at once."""
    ctx = _current.get()
    if actor is None and ctx is not None and getattr(ctx.user, "is_authenticated", False):
        actor = ctx.user
    if ip_address is None and ctx is not None:
        ip_address = ctx.ip_address
    if actor is not None and not actor_email:
        actor_email = actor.email
    item = AuditEvent(
        actor=actor,
        actor_email=actor_email[:254],
        action=action,
        old_state=old,
        new_state=new,
        ip_address=ip_address,
        detail=detail[:500],
    )
    if obj is not None:
        item.content_type = ContentType.objects.get_for_model(obj)
        item.object_id = str(obj.pk)
        item.object_repr = str(obj)[:255]
    return item


def record(action: str, **kwargs) -> AuditEvent:
    item = event(action, **kwargs)
    item.save()
    return item


def record_all(events: list[AuditEvent]) -> None:
    """Write many events in a few INSERTs (closing a paper submits a thousand attempts)."""
    AuditEvent.objects.bulk_create(events, batch_size=500)
