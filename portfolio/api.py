"""What other apps use from portfolio: clinicians' registration and profiles, read-only.

Other apps import from here rather than from portfolio's models, forms or services
(tests/test_layering.py checks), so portfolio can change its insides freely.
"""

import csv
import io
import re

from django.db.models import OuterRef, Subquery

from portal.contributions import Card, FirstStep, NavLink
from portal.regions import Region, region_name
from portal.roles import Role, has_role
from portal.spreadsheets import is_formula
from portfolio.errors import PortfolioError
from portfolio.files import CSV, DOCX, PDF, XLSX, CheckedUpload, UploadRefused, inspect_upload
from portfolio.models import ClinicianProfile, EvidenceKind, Profession
from portfolio.registration import (
    FORMATS,
    NOT_A_NUMBER,
    NUMBER_MAX_LENGTH,
    Regulator,
    display_number,
    is_registration_number,
    normalise_registration_number,
    number_in_words,
    number_with_register,
    read_registration_number,
    regulator_for_number,
)
from portfolio.selectors.coverage import (
    CoverageRules,
    CoverageState,
    framework_coverage,
)

__all__ = [
    "AUDIT_WORDS",
    "DASHBOARD_CARDS",
    "FIRST_STEPS",
    "NAVIGATION",
    "ROLE_PERMISSIONS",
    "CoverageRules",
    "CoverageState",
    "framework_coverage",
    "EVIDENCE_KIND_LABELS",
    "add_certificate",
    "certificate_form_parts",
    "add_evidence_with_note",
    "FORMATS",
    "NOT_A_NUMBER",
    "NUMBER_MAX_LENGTH",
    "CheckedUpload",
    "ClinicianProfile",
    "PortfolioError",
    "Profession",
    "Region",
    "Regulator",
    "UploadRefused",
    "consents_to_register",
    "display_number",
    "inspect_document",
    "evidence_file_response",
    "evidence_for_framework",
    "framework_outline",
    "is_registration_number",
    "lock_evidence",
    "normalise_registration_number",
    "number_in_words",
    "profession_name",
    "profile_of",
    "profiles_of",
    "published_framework",
    "region_name",
    "region_of",
    "number_with_register",
    "read_registration_number",
    "regulator_for_number",
    "save_profile",
]


# Evidence kinds in words, for rules that name a kind ("cpd_certificate").
EVIDENCE_KIND_LABELS = dict(EvidenceKind.choices)


def profession_name(code: str) -> str:
    if not code:
        return ""
    try:
        return Profession(code).label
    except ValueError:
        return code


def profile_of(user) -> ClinicianProfile | None:
    """USER's clinician profile, or None if they have not made one."""
    if user is None or not getattr(user, "is_authenticated", True):
        return None
    return ClinicianProfile.objects.filter(user=user).first()


def region_of(user_ref=None):
    """A subquery: the ICB code on the profile of the user at USER_REF (default the holder)."""
    user_ref = user_ref if user_ref is not None else OuterRef("holder_id")
    return Subquery(ClinicianProfile.objects.filter(user_id=user_ref).values("region")[:1])


def consents_to_register(user_ref=None):
    """A subquery: whether the user at USER_REF (default OuterRef("holder_id")) agreed to
    appear on the public register (None when they have no profile)."""
    user_ref = user_ref if user_ref is not None else OuterRef("holder_id")
    return Subquery(
        ClinicianProfile.objects.filter(user_id=user_ref).values("consent_to_public_register")[:1]
    )


# Documents the faculty publishes on the website (cms): the evidence files' checks, these types.
PUBLISHED_DOCUMENT_TYPES = (PDF, DOCX, XLSX, CSV)
PUBLISHED_DOCUMENT_DESCRIPTION = "PDF, Word (.docx), Excel (.xlsx) or CSV"
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.][0-9]+)?")


def inspect_document(upload) -> CheckedUpload:
    """Check a document for publishing as evidence files are checked (hostile content, macros,
    links outside the file, zip bombs, viruses). A CSV must also hold no cell a spreadsheet
    would run as a formula (a plain number such as -5 is fine). Raises UploadRefused."""
    checked = inspect_upload(
        upload,
        allowed=PUBLISHED_DOCUMENT_TYPES,
        allowed_description=PUBLISHED_DOCUMENT_DESCRIPTION,
    )
    if checked.file_type is CSV:
        upload.seek(0)
        text = io.StringIO(upload.read().decode("utf-8"), newline="")  # UTF-8: checked above
        upload.seek(0)
        try:
            for row_number, row in enumerate(csv.reader(text), start=1):
                for column_number, cell in enumerate(row, start=1):
                    if is_formula(cell) and not _NUMBER.fullmatch(cell.strip()):
                        raise UploadRefused(
                            f"“{checked.name}” has a cell that a spreadsheet would run as a "
                            f"formula (row {row_number}, column {column_number}). Remove the "
                            "formula or start the cell with a quote mark, and upload it again."
                        )
        except csv.Error:
            raise UploadRefused(f"“{checked.name}” is not a readable CSV file.") from None
    return checked


# --- for accreditation: the framework a pathway uses, the evidence it snapshots --------------


def published_framework(code: str):
    """The published version of the framework with CODE (None if none is published)."""
    from portfolio.models import Framework, FrameworkStatus

    return Framework.objects.filter(code=code, status=FrameworkStatus.PUBLISHED).first()


def framework_outline(framework) -> list[dict]:
    """FRAMEWORK's domains in order, each {code, title, min, max, competencies: [{code, title,
    level, min, max}]}: plain data, two queries."""
    from portfolio.models import Competency, Domain

    domains = {
        d.pk: {
            "code": d.code,
            "title": d.title,
            "min": d.min_evidence,
            "max": d.max_evidence,
            "competencies": [],
        }
        for d in Domain.objects.filter(framework=framework).order_by("order", "code")
    }
    for c in Competency.objects.filter(framework=framework).order_by("order", "code"):
        domains[c.domain_id]["competencies"].append(
            {
                "code": c.code,
                "title": c.title,
                "level": c.level,
                "min": c.min_evidence,
                "max": c.max_evidence,
            }
        )
    return list(domains.values())


def evidence_for_framework(user, framework, *, kinds=(), since=None) -> list[dict]:
    """USER's evidence linked to FRAMEWORK (or of one of KINDS), dated on or after SINCE when
    given (a renewal: evidence since the last award), as plain data a snapshot can
    keep: {id, kind, kind_label, date, title, reflection, confirmed, confirmer, competencies:
    [codes], domains: [codes], files: [{id, name, size, sha256}]}. Four queries."""
    from django.db.models import Q

    from portfolio.models import Confirmation, ConfirmationStatus, EvidenceItem, EvidenceLink

    wanted = Q(owner=user) & (Q(links__competency__framework=framework) | Q(kind__in=list(kinds)))
    if since is not None:
        wanted &= Q(date__gte=since)
    items = list(
        EvidenceItem.objects.filter(wanted)
        .distinct()
        .order_by("date", "id")
        .prefetch_related("files")
    )
    ids = [item.pk for item in items]
    links = EvidenceLink.objects.filter(item_id__in=ids, competency__framework=framework)
    codes: dict[int, list[tuple[str, str]]] = {}
    for item_id, code, domain in links.values_list(
        "item_id", "competency__code", "competency__domain__code"
    ).order_by("competency__order", "competency__code"):
        codes.setdefault(item_id, []).append((code, domain))
    confirmers = dict(
        Confirmation.objects.filter(
            item_id__in=ids, status=ConfirmationStatus.CONFIRMED
        ).values_list("item_id", "confirmer_name")
    )
    return [
        {
            "id": item.pk,
            "kind": item.kind,
            "kind_label": item.get_kind_display(),
            "date": item.date.isoformat(),
            "date_text": f"{item.date.day} {item.date:%B %Y}",
            "title": item.title,
            "reflection": item.reflection,
            "confirmed": item.pk in confirmers,
            "confirmer": confirmers.get(item.pk, ""),
            "competencies": [code for code, _ in codes.get(item.pk, [])],
            "domains": sorted({domain for _, domain in codes.get(item.pk, [])}),
            "files": [
                {"id": f.pk, "name": f.original_name, "size": f.size, "sha256": f.sha256}
                for f in item.files.all()
            ],
        }
        for item in items
    ]


def lock_evidence(item_ids) -> int:
    """Lock the items (they go into a submitted application): they can no longer be edited or
    deleted, nor their files changed. Items already locked keep their first lock time."""
    from django.utils import timezone

    from portfolio.models import EvidenceItem

    return EvidenceItem.objects.filter(pk__in=list(item_ids), locked_at__isnull=True).update(
        locked_at=timezone.now()
    )


def evidence_file_response(file_id: int, sha256: str):
    """A download of the evidence file FILE_ID, only if its content still has SHA256 (the hash
    a snapshot recorded); Http404 otherwise. The caller decides who may download it."""
    from django.http import FileResponse, Http404

    from portfolio.models import EvidenceFile
    from portfolio.views.evidence import attachment_header, served_content_type

    evidence_file = EvidenceFile.objects.filter(pk=file_id, sha256=sha256).first()
    if evidence_file is None:
        raise Http404("File not found")
    try:
        handle = evidence_file.file.open("rb")
    except FileNotFoundError:
        raise Http404("File not found") from None
    response = FileResponse(handle, content_type=served_content_type(evidence_file.content_type))
    response["Content-Disposition"] = attachment_header(evidence_file.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def profiles_of(user_ids) -> dict:
    """{user id: ClinicianProfile} for those of USER_IDS who have made a profile (one query)."""
    return {p.user_id: p for p in ClinicianProfile.objects.filter(user_id__in=list(user_ids))}


# --- for seeding (the demo, benchmarks): through the real services ---------------------------


def save_profile(*, user, data: dict):
    """Create or update USER's clinician profile (portfolio.services.profile.save_profile)."""
    from portfolio.services.profile import save_profile as _save

    return _save(user=user, data=data)


def add_evidence_with_note(
    *, owner, framework, kind: str, title: str, date, reflection: str = "", codes=()
):
    """A new evidence item linked to the competencies of FRAMEWORK with CODES, with one text
    file holding its title and reflection (portfolio.services.evidence.create_evidence)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portfolio.files import inspect_upload
    from portfolio.models import Competency
    from portfolio.services.evidence import create_evidence

    ids = list(
        Competency.objects.filter(framework=framework, code__in=list(codes)).values_list(
            "pk", flat=True
        )
    )
    note = f"{title}\n\n{reflection}\n".encode()
    upload = SimpleUploadedFile("note.txt", note, content_type="text/plain")
    return create_evidence(
        owner=owner,
        kind=kind,
        date=date,
        title=title,
        reflection=reflection,
        competency_ids=ids,
        uploads=[inspect_upload(upload)],
    )


# --- certificates other apps take with a declaration (accreditation's prior qualifications) ---


def add_certificate(*, owner, title: str, date, uploads):
    """A new, locked evidence item of kind "qualification" holding the checked UPLOADS (the
    certificate of a qualification OWNER declares), through the evidence service; returns
    (item, [{id, name, size, sha256}])."""
    from portfolio.services.evidence import create_evidence

    item = create_evidence(
        owner=owner,
        kind=EvidenceKind.QUALIFICATION,
        date=date,
        title=title[:200],
        reflection="",
        competency_ids=[],
        uploads=uploads,
    )
    lock_evidence([item.pk])
    files = [
        {"id": f.pk, "name": f.original_name, "size": f.size, "sha256": f.sha256}
        for f in item.files.all()
    ]
    return item, files


def certificate_form_parts():
    """(FilesMixin, files_field, record_sent_file_names): what a form and its view need to take
    evidence files as the portfolio does (names as sent, count, content checked)."""
    from portfolio.files import record_sent_file_names
    from portfolio.forms.evidence import FilesMixin, files_field

    return FilesMixin, files_field, record_sent_file_names


# -- benchmark data (manage.py bench_data) -------------------------------------------------------
def load_bench_clinicians(**kwargs) -> range:
    """Benchmark clinicians and evidence loaded with COPY (portfolio/benchdata.py)."""
    from portfolio.benchdata import generate

    return generate(**kwargs)


def bench_clinician_facts(n: int) -> tuple[str, str, str, str]:
    """(full name, profession, regulator, registration number) of bench clinician N."""
    from portfolio.benchdata import clinician_facts

    return clinician_facts(n)


# -- what portfolio adds to portal's pages (collected by portal.contributions) --------------------
def _has_no_profile(user) -> bool:
    return not hasattr(user, "clinician")  # the profile's one-to-one link; no row: False


DASHBOARD_CARDS = (
    Card(
        Role.APPLICANT,
        10,
        "Your evidence",
        "Add case reviews, audits, certificates and reflections; map them to capabilities.",
        "portfolio:evidence_list",
    ),
    Card(
        Role.APPLICANT,
        20,
        "Coverage",
        "See which capabilities your evidence covers and where the gaps are.",
        "portfolio:coverage",
    ),
    Card(
        Role.APPLICANT,
        30,
        "Your profile",
        "Your profession, registration number, employer and region.",
        "portfolio:profile",
    ),
    Card(
        Role.APPLICANT,
        40,
        "Download your portfolio",
        "Everything you have added, as a zip file with a PDF summary.",
        "portfolio:export",
    ),
    Card(
        Role.FACULTY_STAFF,
        30,
        "Competency frameworks",
        "Versions, import and export.",
        "portfolio:framework_list",
    ),
)
# Everything else in a portfolio hangs off the profile: a new applicant makes it first.
FIRST_STEPS = (
    FirstStep(
        Role.APPLICANT,
        "Create your profile",
        "Tell us your profession, professional registration number, employer and region. Your "
        "evidence, applications and credentials all build on your profile.",
        "portfolio:profile_edit",
        needed=_has_no_profile,
        replaces="portfolio:profile",
    ),
)
NAVIGATION = (
    NavLink(20, "Your portfolio", "portfolio:evidence_list", lambda u: has_role(u, Role.APPLICANT)),
)
# Competency frameworks in the Django admin (import/export; drafts only change).
ROLE_PERMISSIONS = {
    Role.FACULTY_STAFF: tuple(
        f"portfolio.{verb}_{model}"
        for model in ("framework", "domain", "competency")
        for verb in ("view", "add", "change", "delete")
    ),
}
AUDIT_WORDS = {
    "portfolio.profile_saved": "Clinician profile saved",
    "portfolio.evidence_created": "Evidence added",
    "portfolio.evidence_updated": "Evidence changed",
    "portfolio.evidence_deleted": "Evidence deleted",
    "portfolio.evidence_file_added": "File added to evidence",
    "portfolio.evidence_file_removed": "File removed from evidence",
    "portfolio.exported": "Portfolio downloaded",
    "portfolio.confirmation_requested": "Confirmation of evidence requested",
    "portfolio.confirmation_responded": "Confirmer answered",
    "portfolio.confirmation_withdrawn": "Confirmation request withdrawn",
    "portfolio.confirmation_voided": "Confirmation cancelled: the evidence changed",
    "portfolio.confirmation_lapsed": "Confirmation link expired",
    "portfolio.framework_created": "Competency framework created",
    "portfolio.framework_changed": "Competency framework changed",
    "portfolio.framework_imported": "Competency framework imported",
    "portfolio.framework_published": "Competency framework published",
    "portfolio.framework_retired": "Competency framework retired",
    "portfolio.framework_draft_created": "New draft of a competency framework",
    "portfolio.framework_draft_deleted": "Draft competency framework deleted",
}
