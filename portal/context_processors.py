from django.conf import settings
from django.urls import reverse

from portal.navigation import menu_pages
from portal.roles import Role, has_role


def navigation(request):
    """The header's menu, by role. Kept short: the dashboard holds the rest."""
    user = getattr(request, "user", None)
    # The register is public (a stable contract, /register/): anyone may check a clinician.
    items = [("Home", "/"), *menu_pages(request), ("Check the register", "/register/")]
    if user is not None and user.is_authenticated:
        items.append(("Dashboard", reverse("dashboard")))
        if has_role(user, Role.APPLICANT):
            items.append(("Your portfolio", "/portfolio/"))
        if user.is_superuser or has_role(user, Role.EXAM_ADMINISTRATOR):
            items.append(("Audit trail", reverse("audit_trail")))
        if user.is_superuser or has_role(user, Role.CONTENT_EDITOR):
            items.append(("Edit the website", reverse("wagtailadmin_home")))
        items.append(("Account settings", reverse("account_settings")))
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
