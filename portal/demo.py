"""Demo accounts, one per role. Safe to run twice. (`manage.py seed_demo` lives in cms, the
app that may import every other: it seeds accounts, pages, frameworks and portfolios.)"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from portal.models import User
from portal.regions import Region
from portal.roles import Role, assign_role, ensure_roles, needs_mfa
from portal.totp import add_authenticator_app

# For the demo only: published in the README, never used outside `make demo`.
DEMO_PASSWORD = "msk-demo-2026!"
# Staff (every role in MFA_REQUIRED_ROLES: assessors, exam administrators, content editors) and
# the superuser must enrol MFA; demo staff share this published TOTP secret so that
# `manage.py demo_totp` can print a code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_ACCOUNTS = [
    ("applicant@demo.msk-portal.example", "Asha", "Patel", Role.APPLICANT, False),
    ("assessor@demo.msk-portal.example", "Ben", "Okafor", Role.ASSESSOR, False),
    ("lead.assessor@demo.msk-portal.example", "Catherine", "Lewis", Role.LEAD_ASSESSOR, False),
    ("exams@demo.msk-portal.example", "Daniel", "Hughes", Role.FACULTY_STAFF, False),
    ("commissioner@demo.msk-portal.example", "Eleanor", "Shah", Role.COMMISSIONER, False),
    ("editor@demo.msk-portal.example", "Farah", "Iqbal", Role.CONTENT_EDITOR, False),
    ("examiner@demo.msk-portal.example", "Ifeoma", "Nwosu", Role.EXAMINER, False),
    ("superuser@demo.msk-portal.example", "Gareth", "Jones", None, True),
]


# Someone from an employer whose request for the commissioner role waits for a decision.
DEMO_REQUESTER = ("employer@demo.msk-portal.example", "Hannah", "Moore")


def seed_accounts(stdout=None) -> None:
    ensure_roles()
    for email, first, last, role, superuser in DEMO_ACCOUNTS:
        seed_user(email, first, last, role=role, superuser=superuser)
        if stdout is not None:
            stdout.write(f"  {email:42} {role.label if role else 'Superuser'}")
    seed_role_requests()
    if stdout is not None:
        stdout.write(f"  {DEMO_REQUESTER[0]:42} No role yet (asked for the commissioner role)")


def seed_role_requests() -> None:
    """The demo commissioner acts for NHS Greater Manchester ICB (asked and approved, as anyone
    would be); an employer's request waits for the exam administrator. Safe to run twice."""
    from portal.models import RoleGrant, RoleRequest
    from portal.role_requests import approve_role_request, submit_role_request

    commissioner = User.objects.get(email="commissioner@demo.msk-portal.example")
    deciding = User.objects.get(email="exams@demo.msk-portal.example")
    if not RoleGrant.objects.filter(user=commissioner, role=Role.COMMISSIONER).exists():
        asked = submit_role_request(
            requester=commissioner,
            full_name=commissioner.get_full_name(),
            organisation_type="icb",
            region=Region.GREATER_MANCHESTER,
            job_title="MSK commissioning manager",
            work_email=commissioner.email,
        )
        approve_role_request(role_request=asked, actor=deciding)
    requester = seed_user(*DEMO_REQUESTER)
    if not RoleRequest.objects.filter(requester=requester).exists():
        submit_role_request(
            requester=requester,
            full_name=requester.get_full_name(),
            organisation_type="employer",
            organisation_name="Northern Care Alliance NHS Foundation Trust",
            job_title="Head of MSK physiotherapy",
            work_email=requester.email,
        )


def seed_user(email, first_name, last_name, *, role=None, superuser=False, password=DEMO_PASSWORD):
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email)
        user.set_password(password)
    user.first_name, user.last_name = first_name, last_name
    user.is_superuser = user.is_staff = superuser or user.is_staff
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if role is not None:
        assign_role(user, role)
    if (
        needs_mfa(user)
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        add_authenticator_app(user, DEMO_TOTP_SECRET)
    return user
