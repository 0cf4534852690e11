"""Portability: the whole portfolio as a zip with a manifest, the files and a PDF summary."""

import hashlib
import io
import json
import secrets
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from portal.models import AuditEvent
from portfolio.models import Confirmation, ConfirmationStatus, EvidenceFile
from portfolio.services import export as export_service
from portfolio.services.export import refusing_url_fetcher, render_pdf, safe_name
from tests.portfolio.factories import (
    ClinicianProfileFactory,
    CompetencyFactory,
    EvidenceItemFactory,
    EvidenceLinkFactory,
    FrameworkFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = '<img src="file:///etc/passwd">'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _attach(item, name: str, content: bytes) -> EvidenceFile:
    return EvidenceFile.objects.create(
        item=item,
        file=ContentFile(content, name="upload"),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _download(client) -> zipfile.ZipFile:
    response = client.post("/portfolio/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="msk-portfolio-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def portfolio(applicant):
    ClinicianProfileFactory(user=applicant, full_name="Asha Patel")
    framework = FrameworkFactory(code="msk-ap", version=2)
    competency = CompetencyFactory(domain__framework=framework, code="1.1", title="Assessment")
    item = EvidenceItemFactory(owner=applicant, title="Knee clinic audit", reflection="Learned.")
    EvidenceLinkFactory(item=item, competency=competency)
    first = _attach(item, "audit.pdf", b"%PDF-1.4 first file")
    second = _attach(item, "audit.pdf", b"%PDF-1.4 second file, same name")
    Confirmation.objects.create(
        item=item,
        confirmer_name="Dr Priya Raman",
        confirmer_email="priya@nhs.example",
        token_hash=secrets.token_hex(32),
        status=ConfirmationStatus.CONFIRMED,
        expires_at=timezone.now() + timedelta(days=14),
        responded_at=timezone.now(),
    )
    bare = EvidenceItemFactory(owner=applicant, title="CPD day", reflection="")
    return item, bare, [first, second]


def test_the_zip_holds_manifest_files_and_pdf(client, applicant, outsider, portfolio):
    item, bare, files = portfolio
    EvidenceItemFactory(owner=outsider, title="Somebody else's evidence")
    client.force_login(applicant)
    archive = _download(client)
    names = set(archive.namelist())
    assert {"manifest.json", "summary.pdf"} <= names

    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "msk-portal-portfolio-export"
    assert manifest["profile"]["full_name"] == "Asha Patel"
    assert [i["title"] for i in manifest["items"]] == ["Knee clinic audit", "CPD day"] or [
        i["title"] for i in manifest["items"]
    ] == ["CPD day", "Knee clinic audit"]
    assert "Somebody else's evidence" not in json.dumps(manifest)
    entry = next(i for i in manifest["items"] if i["id"] == item.pk)
    assert entry["kind"] == "case_review" and entry["reflection"] == "Learned."
    assert entry["links"] == [
        {
            "framework_code": "msk-ap",
            "framework_version": 2,
            "framework_name": item.links.get().competency.framework.name,
            "competency_code": "1.1",
            "competency_title": "Assessment",
        }
    ]
    assert entry["confirmations"][0]["status"] == "confirmed"
    assert entry["confirmations"][0]["confirmer_name"] == "Dr Priya Raman"
    paths = [f["path"] for f in entry["files"]]
    assert paths == [f"files/{item.pk}/audit.pdf", f"files/{item.pk}/audit-2.pdf"]
    for described, stored in zip(entry["files"], files, strict=True):
        content = archive.read(described["path"])
        assert hashlib.sha256(content).hexdigest() == described["sha256"] == stored.sha256
        assert described["size"] == len(content) == stored.size
        assert described["original_name"] == "audit.pdf"

    assert archive.read("summary.pdf").startswith(b"%PDF")
    event = AuditEvent.objects.get(action="portfolio.exported")
    assert event.actor == applicant
    assert event.new_state["items"] == 2 and event.new_state["files"] == 2


def test_the_profile_is_exported_in_words(client, applicant):
    ClinicianProfileFactory(user=applicant, region="greater_manchester")
    client.force_login(applicant)
    manifest = json.loads(_download(client).read("manifest.json"))
    assert manifest["profile"]["region"] == "NHS Greater Manchester ICB"
    assert manifest["profile"]["regulator"] == "General Medical Council (GMC)"
    html = render_to_string(
        "portfolio/export/summary_pdf.html",
        {"manifest": manifest, "items": [], "exported_at": timezone.now()},
    )
    assert "<dd>NHS Greater Manchester ICB</dd>" in html and "greater_manchester" not in html


def test_the_export_page_needs_an_account(client, applicant):
    assert client.get("/portfolio/export/").status_code == 302
    assert client.post("/portfolio/export/").status_code == 302
    assert not AuditEvent.objects.filter(action="portfolio.exported").exists()
    client.force_login(applicant)
    page = client.get("/portfolio/export/")
    assert page.status_code == 200
    assert "Download your portfolio (zip)" in page.content.decode()


def test_an_empty_portfolio_still_exports(client, outsider):
    client.force_login(outsider)
    archive = _download(client)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["profile"] is None and manifest["items"] == []
    assert archive.read("summary.pdf").startswith(b"%PDF")


def test_hostile_file_names_stay_inside_the_item_folder(client, applicant):
    item = EvidenceItemFactory(owner=applicant)
    _attach(item, "../../etc/passwd", b"not really")
    _attach(item, "ﬁle\u202ename.pdf", b"unicode")
    missing = _attach(item, "gone.pdf", b"deleted")
    missing.file.storage.delete(missing.file.name)
    client.force_login(applicant)
    archive = _download(client)
    files = json.loads(archive.read("manifest.json"))["items"][0]["files"]
    assert files[0]["path"] == f"files/{item.pk}/etc_passwd"
    assert files[1]["path"] == f"files/{item.pk}/filename.pdf"  # ligature unfolded, RLO dropped
    assert files[2]["path"] is None and files[2]["missing"] is True
    for name in archive.namelist():
        assert ".." not in name.split("/") and not name.startswith("/")


def test_safe_names():
    taken: set[str] = set()
    assert safe_name("Report.PDF", taken) == "Report.PDF"
    assert safe_name("report.pdf", taken) == "report-2.pdf"
    assert safe_name("...", taken) == "file"
    assert safe_name("a/b\\c:d.txt", taken) == "a_b_c_d.txt"
    assert len(safe_name("x" * 300 + ".pdf", taken)) <= 100


def test_the_pdf_fetcher_refuses_every_url():
    fetcher = refusing_url_fetcher()
    for url in [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
    ]:
        with pytest.raises(ValueError, match="Refused"):
            fetcher(url)


def test_a_hostile_title_is_escaped_and_fetches_nothing(client, applicant, monkeypatch):
    EvidenceItemFactory(owner=applicant, title=HOSTILE, reflection=f"<script>{HOSTILE}</script>")
    asked = []

    def spying_fetcher():
        fetcher = refusing_url_fetcher()
        original = fetcher.fetch

        def fetch(url, headers=None):
            asked.append(url)
            return original(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(export_service, "refusing_url_fetcher", spying_fetcher)
    client.force_login(applicant)
    archive = _download(client)
    assert archive.read("summary.pdf").startswith(b"%PDF")
    assert asked == []  # escaped text is text: there was nothing to fetch
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["items"][0]["title"] == HOSTILE  # the data itself is kept as typed

    html = render_to_string(
        "portfolio/export/summary_pdf.html",
        {"manifest": manifest, "items": manifest["items"], "exported_at": timezone.now()},
    )
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "<img" not in html and "<script" not in html


def test_markup_that_does_reach_weasyprint_is_refused(monkeypatch):
    asked = []

    def spying_fetcher():
        fetcher = refusing_url_fetcher()
        original = fetcher.fetch

        def fetch(url, headers=None):
            asked.append(url)
            return original(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(export_service, "refusing_url_fetcher", spying_fetcher)
    gif = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
    pdf = render_pdf(
        '<link rel="stylesheet" href="http://example.com/evil.css">'
        f'<p>Hello</p><img src="file:///etc/passwd"><img src="{gif}">'
    )
    assert pdf.startswith(b"%PDF")
    assert {"file:///etc/passwd", "http://example.com/evil.css", gif} <= set(asked)
    assert b"/Subtype /Image" not in pdf  # not even the harmless data: image was loaded


def test_the_summary_uses_the_sites_date_style(client, applicant):
    import datetime

    EvidenceItemFactory(owner=applicant, date=datetime.date(2026, 3, 27))
    client.force_login(applicant)
    manifest = json.loads(_download(client).read("manifest.json"))
    html = render_to_string(
        "portfolio/export/summary_pdf.html",
        {"manifest": manifest, "items": manifest["items"], "exported_at": timezone.now()},
    )
    assert "<dt>Date</dt><dd>27 March 2026</dd>" in html
    assert "2026-03-27" not in html
