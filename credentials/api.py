"""The one door into credentials for the apps that award them (accreditation, exams).

Other apps import from here and nowhere else in `credentials` (tests/test_layering.py checks).

Saying what a credential is for
-------------------------------
Every credential is issued *for a source*: the awarding app's own record that earned it, named
as `Source(type="<app>.<model>", id=<its primary key>)`, for example
`Source("exams.candidate_result", 42)` or `Source("accreditation.application", 7)`. The source
is stored on the credential, so the awarding app can find its award again
(`credential_for_source`) and the credential can be traced back to the decision behind it.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from credentials.links import verification_path, verification_url
from credentials.models import Credential, CredentialType
from credentials.services import credentials as services
from credentials.services.credentials import CredentialError
from credentials.services.watchlists import unread_alerts_note
from credentials.statuses import CredentialStatus, PublicStatus, public_record
from portal.contributions import ADMINISTRATION, Card, NavLink, api_modules
from portal.roles import Role

__all__ = [
    "AUDIT_WORDS",
    "DASHBOARD_CARDS",
    "NAVIGATION",
    "ROLE_PERMISSIONS",
    "Credential",
    "CredentialError",
    "CredentialRoute",
    "CredentialStatus",
    "CredentialType",
    "PublicStatus",
    "Source",
    "credential_for_source",
    "credential_type",
    "credential_types",
    "default_valid_until",
    "holder_credentials",
    "holder_name",
    "holds_valid_credential",
    "issue_credential",
    "public_record",
    "last_day_after",
    "qr_code_svg",
    "renew_credential",
    "routes_to",
    "signed_pdf",
    "verification_path",
    "verification_url",
]

# "<app>.<model>": ASCII letters, digits and underscores only.
SOURCE_TYPE = re.compile(r"[a-z][a-z0-9_]{0,29}\.[a-z][a-z0-9_]{0,29}")
SOURCE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_TYPE_DEFAULT = object()


@dataclass(frozen=True)
class Source:
    """What a credential is for: the awarding app's record ("exams.candidate_result", 42)."""

    type: str
    id: str | int

    def __post_init__(self):
        object.__setattr__(self, "id", str(self.id))
        if not (isinstance(self.type, str) and SOURCE_TYPE.fullmatch(self.type)):
            raise ValueError(f"Source type {self.type!r} is not '<app>.<model>'.")
        if not SOURCE_ID.fullmatch(self.id):
            raise ValueError(f"Source id {self.id!r} is not a plain identifier.")


def credential_types() -> QuerySet[CredentialType]:
    return CredentialType.objects.order_by("name")


def credential_type(code: str) -> CredentialType:
    """The credential type with CODE; CredentialError if there is none."""
    return services.credential_type(code)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def last_day_after(valid_from: datetime.date, months: int) -> datetime.date:
    """The last day of an award lasting MONTHS from VALID_FROM (1 Mar + 36 months: 28 Feb)."""
    return _add_months(valid_from, months) - datetime.timedelta(days=1)


def default_valid_until(kind: CredentialType, valid_from: datetime.date) -> datetime.date | None:
    """The last day of an award of KIND starting VALID_FROM (None: it does not expire)."""
    if kind.validity_months is None:
        return None
    return last_day_after(valid_from, kind.validity_months)


def issue_credential(
    *,
    holder,
    credential_type: CredentialType | str,
    source: Source,
    valid_from: datetime.date | None = None,
    valid_until=_TYPE_DEFAULT,
    scope: str = "",
    conditions: str = "",
    issued_by=None,
) -> Credential:
    """Award a credential of CREDENTIAL_TYPE to HOLDER for SOURCE, or return the one it has.

    Idempotency: one credential per source, ever. A second call with the same source returns
    the credential already issued for it, unchanged, whatever the other arguments say and
    whatever its status is now; it never issues a second one. A double click, a retried task
    or two workers racing are therefore safe (a unique constraint backs this). To award again,
    name a new source.

    VALID_FROM defaults to today; VALID_UNTIL to the type's validity (pass None for no end).
    Its title is the type's name (one name per type). Raises CredentialError if the award
    is impossible.
    """
    kind = services.credential_type(credential_type)
    valid_from = valid_from or timezone.localdate()
    if valid_until is _TYPE_DEFAULT:
        valid_until = default_valid_until(kind, valid_from)
    return services.issue_credential(
        holder=holder,
        kind=kind,
        source_type=source.type,
        source_id=source.id,
        valid_from=valid_from,
        valid_until=valid_until,
        scope=scope,
        conditions=conditions,
        issued_by=issued_by,
    )


def renew_credential(
    *,
    credential: Credential,
    source: Source,
    valid_from: datetime.date | None = None,
    valid_until=_TYPE_DEFAULT,
    issued_by=None,
    scope: str | None = None,
    conditions: str | None = None,
) -> Credential:
    """Issue the renewal of CREDENTIAL for SOURCE; the old one becomes "replaced by a renewal".
    SCOPE and CONDITIONS default to the old credential's.

    Idempotent per source, like issue_credential. Refused (CredentialError) unless the old
    credential is active: a suspended one is reinstated first, a revoked one never renewed.
    """
    if valid_from is None:
        today = timezone.localdate()
        ends = credential.valid_until
        valid_from = max(ends + datetime.timedelta(days=1), today) if ends else today
    if valid_until is _TYPE_DEFAULT:
        valid_until = default_valid_until(credential.kind, valid_from)
    return services.renew_credential(
        credential=credential,
        source_type=source.type,
        source_id=source.id,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_by=issued_by,
        scope=scope,
        conditions=conditions,
    )


def credential_for_source(source: Source) -> Credential | None:
    """The credential issued for SOURCE, if there is one."""
    return (
        Credential.objects.select_related("kind")
        .filter(source_type=source.type, source_id=source.id)
        .first()
    )


def holder_credentials(holder, *, credential_type: str | None = None) -> QuerySet[Credential]:
    """HOLDER's credentials, newest first (every status: ask public_record() what each is)."""
    credentials = Credential.objects.filter(holder=holder).select_related("kind", "superseded_by")
    if credential_type:
        credentials = credentials.filter(kind_id=credential_type)
    return credentials.order_by("-issued_at", "-pk")


def holds_valid_credential(
    holder, credential_type: str, *, on: datetime.date | None = None
) -> bool:
    """Whether HOLDER holds a CREDENTIAL_TYPE credential valid ON that day (today).

    Decided by public_record(), the one rule for "valid", over the holder's few credentials.
    """
    return any(
        public_record(credential, on).is_valid
        for credential in holder_credentials(holder, credential_type=credential_type)
    )


def holder_name(holder) -> str:
    """HOLDER's name as their credentials print it: the clinician profile's full name
    ("Dr Asha Patel"), else the account's name. Letters and other documents use this too."""
    return services._holder_details(holder)["holder_name"]


# -- the faculty's signed PDFs --------------------------------------------------------------------


def signed_pdf(html: str, *, stylesheet: str, reason: str) -> bytes:
    """Trusted template output (every value escaped) as a tagged PDF/UA-2 document, laid out
    with STYLESHEET (a static file; nothing else loads), signed by the faculty with the same
    PAdES signature as certificates, for REASON. Synchronous; WeasyPrint and pyHanko load here
    only, in the processes that make PDFs."""
    from credentials.certificates.render import html_to_pdf
    from credentials.certificates.signing import sign_pdf

    return sign_pdf(html_to_pdf(html, stylesheet_path=stylesheet), reason=reason)


def qr_code_svg(url: str, *, svgclass: str):
    """URL as an inline SVG QR code for such a PDF (safe markup: paths and a fixed title)."""
    from credentials.certificates.render import qr_svg

    return qr_svg(url, svgclass=svgclass)


# -- ways to earn a credential that other apps offer ---------------------------------------------


@dataclass(frozen=True)
class CredentialRoute:
    """One way to earn a credential: "The next Diploma in MSK Medicine sitting, 12 March 2027
    (applications close 1 February)", with the page that starts it."""

    text: str
    url: str


def routes_to(credential_type_code: str) -> list[CredentialRoute]:
    """The ways the portal's apps offer to earn CREDENTIAL_TYPE_CODE (an exam's next sitting).

    Apps above credentials declare them in their api.py as `credential_routes(code)`; this
    collects them by name, so credentials imports none of them (and they never import each
    other: accreditation shows the diploma's next sitting without knowing exams exists)."""
    routes: list[CredentialRoute] = []
    for provider in _route_providers():
        routes.extend(provider(credential_type_code))
    return routes


def _route_providers() -> list:
    return [
        provider
        for module in api_modules()
        if callable(provider := getattr(module, "credential_routes", None))
    ]


# -- benchmark data (manage.py bench_data) -------------------------------------------------------
def load_bench_credentials(**kwargs) -> None:
    """Benchmark credentials loaded with COPY, serial counters moved on (benchdata.py)."""
    from credentials.benchdata import generate
    from credentials.standard_types import ensure_standard_types

    ensure_standard_types()
    generate(**kwargs)


def ensure_credential_types() -> int:
    """Create any standard credential type that is missing."""
    from credentials.standard_types import ensure_standard_types

    return ensure_standard_types()


# -- what credentials adds to portal's pages (collected by portal.contributions) ------------------
DASHBOARD_CARDS = (
    Card(
        Role.APPLICANT,
        50,
        "Your credentials",
        "Your awards, their status, and each one's signed PDF certificate.",
        "credentials:my_credentials",
    ),
    Card(
        Role.FACULTY_STAFF,
        50,
        "Credentials",
        "Find a credential; suspend, reinstate, revoke or renew it.",
        "credentials:manage_credential_list",
    ),
    Card(
        ADMINISTRATION,
        40,
        "Credentials",
        "Suspend, reinstate, revoke or renew a credential.",
        "credentials:manage_credential_list",
    ),
    Card(
        Role.COMMISSIONER,
        10,
        "Search the public register",
        "Check one clinician's credentials by name or registration number.",
        "credentials:register",
    ),
    Card(
        Role.COMMISSIONER,
        20,
        "Check a list of registration numbers",
        "Upload a CSV file; see and download each clinician's credentials and status.",
        "credentials:bulk_verify",
    ),
    Card(
        Role.COMMISSIONER,
        30,
        "Watch lists",
        "Keep lists of your workforce by registration number and see their credentials.",
        "credentials:watchlist_index",
    ),
    Card(
        Role.COMMISSIONER,
        40,
        "Watch list alerts",
        "Credentials issued, suspended, revoked, renewed or expiring on your lists.",
        "credentials:watchlist_alerts",
        note=unread_alerts_note,
    ),
    Card(
        Role.COMMISSIONER,
        45,
        "Workforce by ICB and nation",
        "Accredited clinicians by credential, ending soon, new awards and rates per 100,000.",
        "credentials:workforce",
    ),
    Card(
        Role.FACULTY_STAFF,
        55,
        "Workforce by ICB and nation",
        "Accredited clinicians by credential, ending soon, new awards and rates per 100,000.",
        "credentials:workforce",
    ),
)

# The register is public: anyone may check a clinician.
NAVIGATION = (NavLink(10, "Check the register", "credentials:register"),)

AUDIT_WORDS = {
    "credential.issued": "Credential issued",
    "credential.suspended": "Credential suspended",
    "credential.reinstated": "Credential reinstated",
    "credential.revoked": "Credential revoked",
    "credential.renewed": "Credential renewed",
    "credential.superseded": "Credential replaced by a renewal",
    "credential.expiring": "Credential ends within 30 days",
    "credential.expired": "Credential expired",
    "credential.reminder_sent": "Expiry reminder sent to the holder",
    "credential.watchers_alerted": "Watch lists told of a change",
    "credential.certificate_generated": "Certificate made and signed",
    "watchlist.created": "Watch list created",
    "watchlist.renamed": "Watch list renamed",
    "watchlist.deleted": "Watch list deleted",
    "watchlist.entries_added": "Registration numbers added to a watch list",
    "watchlist.entry_removed": "Registration number removed from a watch list",
    "api_key.issued": "Register API key issued",
    "api_key.changed": "Register API key changed",
    "api_key.revoked": "Register API key revoked",
}

# Exam administrators issue, change and revoke register API keys in the Django admin.
ROLE_PERMISSIONS = {
    Role.FACULTY_STAFF: tuple(f"credentials.{verb}_apikey" for verb in ("view", "add", "change")),
}
