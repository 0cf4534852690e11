"""A clean 503 page while the database is unreachable (a restart, a failover).

Django answers a lost connection with its 500 page; a visitor should see "try again shortly"
and a load balancer a 503 it can retry. Whichever layer lost the connection (a view, the
session or the user lookup in middleware), Django ends in handler500 with the exception still
current, so the choice is made there. Connections are health-checked (CONN_HEALTH_CHECKS), so
the first request after the database returns reconnects by itself.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30
DATABASE_LOST = (OperationalError, InterfaceError)


def service_unavailable() -> HttpResponse:
    # Rendered without a request: no context processor may reach for the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, *args, **kwargs):
    """handler500: 503 when the database is unreachable, the plain 500 page otherwise."""
    if isinstance(sys.exc_info()[1], DATABASE_LOST):
        return service_unavailable()
    return HttpResponseServerError(render_to_string("500.html"), content_type="text/html")
