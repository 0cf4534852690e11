"""A clinician's whole portfolio as one zip they can take anywhere.

The zip holds `manifest.json` (machine-readable), every file under `files/<item id>/<safe name>`,
and `summary.pdf` (human-readable). It is written to a SpooledTemporaryFile: a small export stays
in memory, a large one goes to disk, and file contents are copied in chunks.

The PDF is rendered by WeasyPrint with a URL fetcher that refuses every URL (http, file:, data:):
the summary is self-contained, and user text is escaped by the template, so nothing a user types
can make the server read a local file or call out to the network.
"""

import hashlib
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from portal.audit import record
from portal.regions import region_name
from portfolio.models import ClinicianProfile, EvidenceItem, EvidenceLink

EXPORT_FORMAT = "msk-portal-portfolio-export"
EXPORT_VERSION = 1
SPOOL_MAX_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
NAME_MAX_LENGTH = 100
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass
class PortfolioExport:
    file: SpooledTemporaryFile
    filename: str
    size: int
    item_count: int
    file_count: int


def refusing_url_fetcher():
    """A WeasyPrint URL fetcher that fetches nothing at all."""
    from weasyprint.urls import URLFetcher

    class RefusingURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"Refused to fetch {url[:100]!r}: the summary loads no resources.")

    return RefusingURLFetcher()


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy: imported only when a PDF is made

    return HTML(string=html, base_url=None, url_fetcher=refusing_url_fetcher()).write_pdf()


def safe_name(name: str, taken: set[str]) -> str:
    """An ASCII file name with no path parts, unique among TAKEN (which it joins)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE_NAME.sub("_", ascii_name).strip(" ._") or "file"
    stem, dot, ext = cleaned.rpartition(".")
    if not dot:
        stem, ext = cleaned, ""
    ext = ext[:10]
    stem = stem[: NAME_MAX_LENGTH - len(ext) - 4].rstrip(" .") or "file"
    candidate, n = f"{stem}.{ext}" if ext else stem, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
    taken.add(candidate.lower())
    return candidate


def _profile(user) -> dict | None:
    profile = ClinicianProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "full_name": profile.full_name,
        "profession": profile.get_profession_display(),
        "regulator": profile.get_regulator_display(),
        "registration_number": profile.registration_number,
        "employer": profile.employer,
        "region": region_name(profile.region),
        "consent_to_public_register": profile.consent_to_public_register,
    }


def _items(user):
    links = EvidenceLink.objects.select_related("competency__framework").order_by(
        "competency__framework__code", "competency__framework__version", "competency__code"
    )
    return (
        EvidenceItem.objects.filter(owner=user)
        .order_by("date", "id")
        .prefetch_related(Prefetch("links", queryset=links), "files", "confirmations")
    )


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _item_entry(item) -> dict:
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "date": item.date.isoformat(),
        "title": item.title,
        "reflection": item.reflection,
        "locked": item.is_locked,
        "created_at": _iso(item.created_at),
        "updated_at": _iso(item.updated_at),
        "links": [
            {
                "framework_code": link.competency.framework.code,
                "framework_version": link.competency.framework.version,
                "framework_name": link.competency.framework.name,
                "competency_code": link.competency.code,
                "competency_title": link.competency.title,
            }
            for link in item.links.all()
        ],
        "files": [],
        "confirmations": [
            {
                "confirmer_name": c.confirmer_name,
                "confirmer_email": c.confirmer_email,
                "confirmer_role": c.confirmer_role,
                "status": c.status,
                "status_label": c.get_status_display(),
                "comment": c.comment,
                "requested_at": _iso(c.requested_at),
                "expires_at": _iso(c.expires_at),
                "responded_at": _iso(c.responded_at),
            }
            for c in item.confirmations.all()
        ],
    }


def _copy_file(zf: zipfile.ZipFile, evidence_file, path: str) -> dict:
    """Copy one stored file into the zip in chunks; describe it for the manifest."""
    entry = {
        "original_name": evidence_file.original_name,
        "content_type": evidence_file.content_type,
        "size": evidence_file.size,
        "sha256": evidence_file.sha256,
        "path": path,
    }
    try:
        source = evidence_file.file.open("rb")
    except FileNotFoundError:
        entry.update(path=None, missing=True)
        return entry
    digest, size = hashlib.sha256(), 0
    with source, zf.open(path, "w") as target:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    if digest.hexdigest() != evidence_file.sha256 or size != evidence_file.size:
        # Report what is really in the zip, and that it differs from what was uploaded.
        entry.update(sha256=digest.hexdigest(), size=size, changed_since_upload=True)
    return entry


def _write_zip(spool, items, manifest: dict, now) -> int:
    file_count = 0
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for item in items:
            entry = _item_entry(item)
            taken: set[str] = set()
            for evidence_file in item.files.all():
                path = f"files/{item.pk}/{safe_name(evidence_file.original_name, taken)}"
                described = _copy_file(zf, evidence_file, path)
                file_count += 0 if described.get("missing") else 1
                entry["files"].append(described)
            manifest["items"].append(entry)
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        html = render_to_string(
            "portfolio/export/summary_pdf.html",
            {"manifest": manifest, "items": manifest["items"], "exported_at": now},
        )
        zf.writestr("summary.pdf", render_pdf(html))
    return file_count


def build_portfolio_export(*, user) -> PortfolioExport:
    """The user's portfolio as a zip in a temporary file (rewound, ready to stream); audited."""
    now = timezone.now()
    items = list(_items(user))
    manifest = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now.isoformat(),
        "account_email": user.email,
        "profile": _profile(user),
        "items": [],
    }
    spool = SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES, mode="w+b")  # noqa: SIM115
    try:
        file_count = _write_zip(spool, items, manifest, now)
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)
    record(
        "portfolio.exported",
        obj=user,
        new={"items": len(items), "files": file_count, "bytes": size},
        actor=user,
    )
    return PortfolioExport(
        file=spool,
        filename=f"msk-portfolio-{timezone.localdate(now).isoformat()}.zip",
        size=size,
        item_count=len(items),
        file_count=file_count,
    )
