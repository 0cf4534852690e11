"""Absolute links for emails, certificates, badges and APIs: always from PORTAL_BASE_URL.

A request's own Host header is never used for these (it is the client's to choose), so a link
in an email or on a certificate cannot be pointed at another site.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    if not path.startswith("/"):
        raise ValueError(f"{path!r} is not a site path.")
    return f"{settings.PORTAL_BASE_URL}{path}"
