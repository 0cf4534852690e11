from django.conf import settings
from django.urls import reverse

from portal.contributions import NavLink, declared
from portal.navigation import menu_pages
from portal.roles import Role, has_role

# Portal's own links in the header. Each app adds its own in its api.py (NAVIGATION).
PORTAL_NAVIGATION = (
    NavLink(10, "Dashboard", "dashboard", shown=lambda user: True),
    NavLink(
        30,
        "Audit trail",
        "audit_trail",
        shown=lambda user: user.is_superuser or has_role(user, Role.FACULTY_STAFF),
    ),
    NavLink(
        40,
        "Edit the website",
        "wagtailadmin_home",
        shown=lambda user: user.is_superuser or has_role(user, Role.CONTENT_EDITOR),
    ),
    NavLink(90, "Account settings", "account_settings", shown=lambda user: True),
)


def navigation(request):
    """The header's menu, by role. Kept short: the dashboard holds the rest."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    links = sorted([*PORTAL_NAVIGATION, *declared("NAVIGATION")], key=lambda link: link.order)
    items = [
        ("Home", "/"),
        *menu_pages(request),
        *((link.label, reverse(link.url)) for link in links if link.shown is None),
    ]
    if signed_in:
        items.extend(
            (link.label, reverse(link.url))
            for link in links
            if link.shown is not None and link.shown(user)
        )
    path = request.path
    nav = []
    for label, url in items:
        current = path == url if url == "/" else path.startswith(url)
        nav.append({"label": label, "url": url, "current": current})
    return {"nav_items": nav}


def names(request):
    """The service's and the faculty's names (settings), for every page."""
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "FACULTY_NAME": settings.FACULTY_NAME,
        "FACULTY_SHORT_NAME": settings.FACULTY_SHORT_NAME,
    }
