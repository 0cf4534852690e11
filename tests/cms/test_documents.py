"""Documents: only safe types, checked like evidence files, private ones only for members."""

import io
import warnings

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from wagtail.models import Collection

from cms.models import PortalDocument
from cms.moderation import MEMBERS_COLLECTION

pytestmark = pytest.mark.django_db


def _pdf(javascript: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        with warnings.catch_warnings():  # deprecated in pypdf, still the simplest way here
            warnings.simplefilter("ignore", DeprecationWarning)
            writer.add_js(javascript)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(client, name, content, collection=None):
    collection = collection or Collection.get_first_root_node()
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": collection.pk,
            "tags": "",
        },
    )


def _serve(client, document):
    return client.get(reverse("wagtaildocs_serve", args=[document.pk, document.filename]))


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_private_document_is_refused_to_a_visitor_and_served_to_a_member(client, home, applicant):
    document = PortalDocument.objects.get(title="Structured reference form")
    assert document.collection.name == MEMBERS_COLLECTION
    response = _serve(client, document)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(applicant)
    response = _serve(client, document)
    assert response.status_code == 200
    assert _content(response).startswith(b"%PDF-")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_documents_link_through_the_serve_view_never_the_media_folder(client, home):
    document = PortalDocument.objects.get(title="GPwER application checklist")
    assert document.url == f"/documents/{document.pk}/{document.filename}"
    html = client.get("/gpwer-in-msk/").content.decode()
    assert f'href="{document.url}"' in html
    assert "/media/" not in html
    assert "(PDF" in html  # readers are told the type (and size) before they click
    assert _serve(client, document).status_code == 200


def test_an_editor_uploads_a_clean_pdf_and_csv(client, home, content_editor):
    client.force_login(content_editor)
    assert _upload(client, "dates.pdf", _pdf()).status_code == 302
    csv = b"Sitting,Places\nSpring 2027,-5\nAutumn 2027,40\n"
    assert _upload(client, "sittings.csv", csv).status_code == 302
    assert set(PortalDocument.objects.values_list("title", flat=True)) >= {
        "dates.pdf",
        "sittings.csv",
    }


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("guide.pdf", _pdf("app.alert(1)"), "contains JavaScript"),
        ("guide.pdf", b"<html><script>alert(1)</script></html>", "web page"),
        ("list.csv", b'Name,Total\nA,=HYPERLINK("http://x")\n', "formula"),
        ("list.csv", b"<svg onload=alert(1)>", "web page"),
        ("report.docx", _pdf(), "is not really a Word document"),
        ("setup.exe", b"MZ\x90\x00", "not allowed"),
        ("notes.txt", b"Just text", "not allowed"),
    ],
)
def test_hostile_or_unexpected_files_are_refused(
    client, home, content_editor, name, content, message
):
    client.force_login(content_editor)
    before = PortalDocument.objects.count()
    response = _upload(client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert PortalDocument.objects.count() == before


def test_documents_larger_than_an_ordinary_request_can_be_uploaded(
    client, home, content_editor, settings
):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Padding": "x" * (settings.MAX_REQUEST_BYTES + 1024)})
    out = io.BytesIO()
    writer.write(out)
    assert len(out.getvalue()) > settings.MAX_REQUEST_BYTES
    client.force_login(content_editor)
    assert _upload(client, "handbook.pdf", out.getvalue()).status_code == 302
    assert PortalDocument.objects.filter(title="handbook.pdf").exists()


def test_the_upload_views_still_need_the_wagtail_admin(client, home, applicant):
    assert _upload(client, "dates.pdf", _pdf()).status_code == 302  # to sign in
    client.force_login(applicant)
    response = _upload(client, "dates.pdf", _pdf())
    # As for the rest of the CMS admin: told they may not (not sent round a sign-in loop).
    assert response.status_code == 403
    assert "You do not have permission to do this" in response.content.decode()
    assert not PortalDocument.objects.filter(title="dates.pdf").exists()
