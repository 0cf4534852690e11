"""Each role lands on its own dashboard after signing in."""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from portal.access import login_required_404, role_required
from portal.models import AuditEvent, RoleRequest, RoleRequestStatus
from portal.models.role_requests import OPEN_STATUSES
from portal.roles import Role, describe_roles, primary_role, roles_of

DASHBOARD_SLUGS = {
    Role.APPLICANT: "applicant",
    Role.ASSESSOR: "assessor",
    Role.LEAD_ASSESSOR: "lead-assessor",
    Role.EXAM_ADMINISTRATOR: "exam-administrator",
    Role.COMMISSIONER: "commissioner",
    Role.CONTENT_EDITOR: "content-editor",
}
SLUG_ROLES = {slug: role for role, slug in DASHBOARD_SLUGS.items()}
# The clinician profile (portfolio's pages): a new applicant's first step.
PROFILE_PATH = "/portfolio/profile/"
PROFILE_EDIT_PATH = "/portfolio/profile/edit/"

# What each dashboard offers: (heading, description, url name or path).
DASHBOARD_CARDS: dict[Role, list[tuple[str, str, str]]] = {
    Role.APPLICANT: [
        (
            "Your evidence",
            "Add case reviews, audits, certificates and reflections; map them to capabilities.",
            "/portfolio/",
        ),
        (
            "Coverage",
            "See which capabilities your evidence covers and where the gaps are.",
            "/portfolio/coverage/",
        ),
        (
            "Your profile",
            "Your profession, registration number, employer and region.",
            PROFILE_PATH,
        ),
        (
            "Download your portfolio",
            "Everything you have added, as a zip file with a PDF summary.",
            "/portfolio/export/",
        ),
        (
            "Your credentials",
            "Your awards, their status, and each one's signed PDF certificate.",
            "credentials:my_credentials",
        ),
        (
            "Your applications",
            "Apply for accreditation, see what is missing, submit and follow each step.",
            "/accreditation/",
        ),
        (
            "Your exams",
            "Apply for a diploma or membership exam, see your bookings and your results.",
            "/exams/",
        ),
    ],
    Role.ASSESSOR: [
        (
            "Your assessments",
            "The applications allocated to you: declare no conflict, judge and recommend.",
            "/accreditation/assess/",
        ),
        (
            "Two-factor authentication",
            "Manage your authenticator app, security keys and recovery codes.",
            "mfa_index",
        ),
    ],
    Role.LEAD_ASSESSOR: [
        (
            "Sign-off and moderation",
            "Applications whose reviews are in, disagreements to moderate, and appeals.",
            "/accreditation/lead/",
        ),
        (
            "Your assessments",
            "Applications allocated to you as an assessor.",
            "/accreditation/assess/",
        ),
        (
            "Two-factor authentication",
            "Manage your authenticator app, security keys and recovery codes.",
            "mfa_index",
        ),
    ],
    Role.EXAM_ADMINISTRATOR: [
        ("Audit trail", "Who did what, when, to which record, and from where.", "audit_trail"),
        (
            "Role requests",
            "Approve or decline requests for the commissioner role from ICBs and employers.",
            "manage_role_requests",
        ),
        ("Competency frameworks", "Versions, import and export.", "portfolio:framework_list"),
        ("Administration", "The staff power tool: records, imports and exports.", "admin:index"),
        (
            "Credentials",
            "Find a credential; suspend, reinstate, revoke or renew it.",
            "/manage/credentials/",
        ),
        (
            "Accreditation applications",
            "Completeness checks, fees, assessor allocation, workload and overdue steps.",
            "/accreditation/manage/",
        ),
        (
            "Exam sittings",
            "Applications, adjustments, results import, standard setting, item analysis and "
            "release.",
            "/manage/exams/",
        ),
        (
            "Exam appeals",
            "Appeals and re-mark requests waiting for a decision.",
            "/manage/exams/appeals/",
        ),
    ],
    Role.COMMISSIONER: [
        (
            "Search the public register",
            "Check one clinician's credentials by name or registration number.",
            "credentials:register",
        ),
        (
            "Check a list of registration numbers",
            "Upload a CSV file; see and download each clinician's credentials and status.",
            "credentials:bulk_verify",
        ),
        (
            "Watch lists",
            "Keep lists of your workforce by registration number and see their credentials.",
            "/watchlists/",
        ),
        (
            "Watch list alerts",
            "Credentials issued, suspended, revoked, renewed or expiring on your lists.",
            "/watchlists/alerts/",
        ),
        (
            "Account settings",
            "Change your email address or password, and set up two-factor authentication.",
            "account_settings",
        ),
    ],
    Role.CONTENT_EDITOR: [
        (
            "Edit the website",
            "Write guidance, pathway pages, exam calendars and news, and submit them for "
            "another editor to approve. Changes awaiting your review are listed there.",
            "wagtailadmin_home",
        ),
        (
            "Documents",
            "Upload PDF, Word, Excel or CSV files; put members-only files in the Members only "
            "collection.",
            "/cms-admin/documents/",
        ),
    ],
}


def _has_clinician_profile(user) -> bool:
    """Whether USER has made their clinician profile. The profile belongs to portfolio, which
    portal may not import; portfolio names its one-to-one link on the user "clinician"."""
    return hasattr(user, "clinician")  # False when the related row does not exist


# Live notes on cards (an unread count, say), keyed by the card's URL name or path. Apps above
# portal register theirs in AppConfig.ready(), so that portal never imports them:
# callable(user) -> str.
CARD_NOTES: dict[str, Callable[[object], str]] = {}
# Lists shown under the cards (an assessor's allocated applications), keyed the same way:
# callable(user) -> {"heading": str, "links": [{"text": str, "url": str}], "empty": str}.
CARD_LISTS: dict[str, Callable[[object], dict]] = {}
ADMINISTRATION_CARDS = [
    ("Audit trail", "Every sign-in, failed sign-in and change, append-only.", "audit_trail"),
    ("Role requests", "Requests for the commissioner role.", "manage_role_requests"),
    ("Administration", "Users, roles and every record.", "admin:index"),
    ("Credentials", "Suspend, reinstate, revoke or renew a credential.", "/manage/credentials/"),
    ("Accreditation applications", "Checks, fees, allocation, workload.", "/accreditation/manage/"),
    ("Edit the website", "The content management system.", "wagtailadmin_home"),
]


def _open_role_requests_note(user) -> str:
    waiting = RoleRequest.objects.filter(status=RoleRequestStatus.OPEN).count()
    return f"{waiting} waiting" if waiting else ""


CARD_NOTES["manage_role_requests"] = _open_role_requests_note


def _cards(entries, user=None):
    # An entry is a URL name, or a path for pages owned by another app.
    return [
        {
            "heading": h,
            "description": d,
            "url": u if u.startswith("/") else reverse(u),
            "note": CARD_NOTES[u](user) if user is not None and u in CARD_NOTES else "",
            "list": CARD_LISTS[u](user) if user is not None and u in CARD_LISTS else None,
        }
        for h, d, u in entries
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
    entries = DASHBOARD_CARDS[role]
    first_step = None
    if role == Role.APPLICANT and not _has_clinician_profile(request.user):
        # Everything else in a portfolio hangs off the profile: it comes first, on its own.
        first_step = {"heading": "Create your profile", "url": PROFILE_EDIT_PATH}
        entries = [entry for entry in entries if entry[2] != PROFILE_PATH]
    context.update(
        role=role,
        first_step=first_step,
        cards=_cards(entries, request.user),
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
        cards=_cards(ADMINISTRATION_CARDS, request.user),
        breadcrumbs=[{"label": "Home", "url": "/"}],
    )
    return render(request, "portal/dashboard.html", context)
