"""Request bodies are refused by size before anything reads them.

Django reads a POST body when something first asks for request.POST (the CSRF check does, for
every POST), and spools file parts to a temporary file as it goes. This middleware looks at
Content-Length before that: a body over the limit gets 413 at once and is never read.

Every view gets MAX_REQUEST_BYTES. A view decorated with @allows_uploads (evidence files)
gets MAX_UPLOAD_REQUEST_BYTES, and only for a signed-in user: nobody without an account can
make the portal write a large file to disk. A body without Content-Length is not read at all
by Django's WSGI handler. The reverse proxy should have its own, slightly larger, limit.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def allows_uploads(view):
    """Let VIEW receive bodies up to MAX_UPLOAD_REQUEST_BYTES (signed-in users only)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.allows_uploads = True
    return wrapper


def _declared_length(request) -> int | None:
    value = request.META.get("CONTENT_LENGTH") or "0"
    if not (value.isascii() and value.isdigit()):
        return None
    return int(value)


def too_large_response(request, limit: int) -> HttpResponse:
    """A plain 413 page. No "Connection: close" header: a WSGI application may not send a
    hop-by-hop header (runserver's wsgiref turned it into a 500, gunicorn drops it). The
    servers decide: runserver discards the unread body after answering, gunicorn's sync
    workers close the connection after every response, and the reverse proxy refuses a body
    over its own limit before it reaches either."""
    body = render_to_string(
        "413.html", {"limit": limit, "service_name": settings.SERVICE_NAME}
    )  # no request: no context processors, so no session, menu or database on the way
    return HttpResponse(body, status=413)


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _declared_length(request)
        if length is None:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        # Nothing is ever bigger than the largest upload: refuse before resolving the view.
        if length > settings.MAX_UPLOAD_REQUEST_BYTES:
            return too_large_response(request, settings.MAX_UPLOAD_REQUEST_BYTES)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        length = _declared_length(request) or 0
        limit = settings.MAX_REQUEST_BYTES
        user = getattr(request, "user", None)
        if getattr(view_func, "allows_uploads", False) and user and user.is_authenticated:
            limit = settings.MAX_UPLOAD_REQUEST_BYTES
        if length > limit:
            return too_large_response(request, limit)
        return None
