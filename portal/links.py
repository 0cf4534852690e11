"""Absolute links for emails, certificates, badges and APIs: always from PORTAL_BASE_URL; and
the one check on a `next` path a page is asked to return to.

A request's own Host header is never used for these (it is the client's to choose), so a link
in an email or on a certificate cannot be pointed at another site.
"""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def absolute_url(path: str) -> str:
    if not path.startswith("/"):
        raise ValueError(f"{path!r} is not a site path.")
    return f"{settings.PORTAL_BASE_URL}{path}"


def local_path(value) -> str:
    """VALUE when it is a path on this site ("/accreditation/3/?tab=x"), else "": for a `next`
    parameter, so that a link cannot send someone to another site after a form. A scheme, a
    host, "//host", "/\\host" and control characters are all refused."""
    path = str(value or "")
    if not (path.startswith("/") and path.isprintable()):
        return ""
    return path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else ""
