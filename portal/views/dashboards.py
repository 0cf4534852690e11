"""Each role lands on its own dashboard after signing in."""

from allauth.mfa.models import Authenticator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from portal.access import login_required_404, role_required
from portal.contributions import ADMINISTRATION, Card, FirstStep, declared
from portal.models import AuditEvent, RoleRequest, RoleRequestStatus
from portal.models.role_requests import OPEN_STATUSES
from portal.roles import Role, describe_roles, primary_role, roles_of

DASHBOARD_SLUGS = {
    Role.APPLICANT: "applicant",
    Role.ASSESSOR: "assessor",
    Role.LEAD_ASSESSOR: "lead-assessor",
    Role.FACULTY_STAFF: "faculty-staff",
    Role.COMMISSIONER: "commissioner",
    Role.CONTENT_EDITOR: "content-editor",
    Role.EXAMINER: "examiner",
}
SLUG_ROLES = {slug: role for role, slug in DASHBOARD_SLUGS.items()}


def _open_role_requests_note(user) -> str:
    waiting = RoleRequest.objects.filter(status=RoleRequestStatus.OPEN).count()
    return f"{waiting} waiting" if waiting else ""


_TWO_FACTOR = (
    "Two-factor authentication",
    "Manage your authenticator app, security keys and recovery codes.",
    "mfa_index",
)
# Portal's own cards. Each app adds its own in its api.py (DASHBOARD_CARDS), collected by
# portal.contributions; ORDER places them among the others on each dashboard.
PORTAL_CARDS = (
    Card(Role.ASSESSOR, 20, *_TWO_FACTOR),
    Card(Role.LEAD_ASSESSOR, 30, *_TWO_FACTOR),
    Card(Role.EXAMINER, 20, *_TWO_FACTOR),
    Card(
        Role.FACULTY_STAFF,
        10,
        "Audit trail",
        "Who did what, when, to which record, and from where.",
        "audit_trail",
    ),
    Card(
        Role.FACULTY_STAFF,
        20,
        "Role requests",
        "Approve or decline requests for the commissioner role from ICBs and employers.",
        "manage_role_requests",
        note=_open_role_requests_note,
    ),
    Card(
        Role.FACULTY_STAFF,
        40,
        "Administration",
        "The staff power tool: records, imports and exports.",
        "admin:index",
    ),
    Card(
        Role.COMMISSIONER,
        50,
        "Account settings",
        "Change your email address or password, and set up two-factor authentication.",
        "account_settings",
    ),
    Card(
        Role.CONTENT_EDITOR,
        10,
        "Edit the website",
        "Write guidance, pathway pages, exam calendars and news, and submit them for "
        "another editor to approve. Changes awaiting your review are listed there.",
        "wagtailadmin_home",
    ),
    Card(
        Role.CONTENT_EDITOR,
        20,
        "Documents",
        "Upload PDF, Word, Excel or CSV files; put members-only files in the Members only "
        "collection.",
        "wagtaildocs:index",
    ),
    Card(
        ADMINISTRATION,
        10,
        "Audit trail",
        "Every sign-in, failed sign-in and change, append-only.",
        "audit_trail",
    ),
    Card(
        ADMINISTRATION,
        20,
        "Role requests",
        "Requests for the commissioner role.",
        "manage_role_requests",
        note=_open_role_requests_note,
    ),
    Card(ADMINISTRATION, 30, "Administration", "Users, roles and every record.", "admin:index"),
    Card(
        ADMINISTRATION,
        60,
        "Edit the website",
        "The content management system.",
        "wagtailadmin_home",
    ),
)


def dashboard_cards(dashboard) -> list[Card]:
    """DASHBOARD's cards, portal's and the apps', in order."""
    cards = [*PORTAL_CARDS, *declared("DASHBOARD_CARDS")]
    return sorted((card for card in cards if card.dashboard == dashboard), key=lambda c: c.order)


def first_step(dashboard, user) -> FirstStep | None:
    """The step an app asks DASHBOARD to put first for USER, if any is still to do."""
    for step in declared("FIRST_STEPS"):
        if step.dashboard == dashboard and step.needed(user):
            return step
    return None


def _cards(cards, user):
    return [
        {
            "heading": card.heading,
            "description": card.description,
            "url": reverse(card.url),
            "note": card.note(user) if card.note else "",
            "list": card.list(user) if card.list else None,
        }
        for card in cards
    ]


def _common_context(request):
    user = request.user
    other_dashboards = [
        {"label": f"{role.label} dashboard", "url": reverse("role_dashboard", args=[slug])}
        for role, slug in DASHBOARD_SLUGS.items()
        if role in roles_of(user)
    ]
    recent_sign_ins = AuditEvent.objects.filter(
        actor=user, action__in=["auth.login", "auth.login_failed"]
    ).only("created_at", "action", "ip_address")[:5]
    return {
        "has_mfa": Authenticator.objects.filter(user=user).exists(),
        "role_request_offer": _role_request_offer(user),
        "other_dashboards": other_dashboards,
        "recent_sign_ins": recent_sign_ins,
        "role_summary": describe_roles(user),
    }


def _role_request_offer(user) -> dict | None:
    """What a person without the commissioner role is offered: ask for it, or where their
    request stands. None for commissioners (and superusers, who give roles)."""
    if user.is_superuser or Role.COMMISSIONER in roles_of(user):
        return None
    latest = RoleRequest.objects.filter(requester=user).order_by("-created_at", "-pk").first()
    return {
        "url": reverse("role_request"),
        "status": latest.get_status_display() if latest else "",
        "open": bool(latest and latest.status in OPEN_STATUSES),
    }


@login_required_404
def dashboard(request):
    """Send each user to the dashboard of their most senior role."""
    role = primary_role(request.user)
    if role is None:
        if request.user.is_superuser:
            return redirect("administration_dashboard")
        return render(request, "portal/dashboard_no_role.html", _common_context(request))
    return redirect("role_dashboard", DASHBOARD_SLUGS[role])


@login_required_404
def role_dashboard(request, slug: str):
    role = SLUG_ROLES.get(slug)
    if role is None or role not in roles_of(request.user):
        raise Http404("Page not found")
    context = _common_context(request)
    cards = dashboard_cards(role)
    step = first_step(role, request.user)
    if step is not None:
        # Everything else hangs off it: it comes first, on its own.
        cards = [card for card in cards if card.url != step.replaces]
        step = {"heading": step.heading, "description": step.description, "url": reverse(step.url)}
    context.update(
        role=role,
        first_step=step,
        cards=_cards(cards, request.user),
        breadcrumbs=[{"label": "Home", "url": "/"}],
    )
    return render(request, "portal/dashboard.html", context)


@role_required()
def administration_dashboard(request):
    # role_required() with no roles admits superusers only.
    context = _common_context(request)
    context.update(
        role=None,
        heading="Administration dashboard",
        cards=_cards(dashboard_cards(ADMINISTRATION), request.user),
        breadcrumbs=[{"label": "Home", "url": "/"}],
    )
    return render(request, "portal/dashboard.html", context)
