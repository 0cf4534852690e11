"""Certificates are tagged PDF/UA-2 documents with real text in reading order, and the faculty's
signature, added after the tagging, still verifies and names the faculty."""

import io

import pytest
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pypdf import PdfReader

from credentials.certificates.render import PDF_VARIANT, QR_TITLE
from credentials.certificates.services import generate_certificate
from tests.credentials.factories import UserFactory, make_credential
from tests.credentials.pdfs import extracted_text, tagging, validation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def certificate():
    holder = UserFactory(first_name="Asha", last_name="Patel")
    credential = make_credential(holder, conditions="Annual audit of injection outcomes.")
    credential = generate_certificate(credential=credential)
    with credential.certificate.open("rb") as handle:
        return credential, handle.read()


def test_the_certificate_is_tagged_and_declares_pdf_ua(certificate):
    credential, pdf = certificate
    assert PDF_VARIANT == "pdf/ua-2"
    assert pdf.startswith(b"%PDF-2.0")  # PDF/UA-2 is the PDF/UA of PDF 2.0
    tags = tagging(pdf)
    assert tags.marked  # /MarkInfo << /Marked true >>
    assert tags.pdfua_part == "2"  # pdfuaid:part in the XMP metadata
    assert tags.lang == "en-GB"
    assert tags.display_doc_title  # readers show the title, not the file name
    assert tags.title == tags.xmp_title == f"{credential.serial} {credential.title}"
    # The structure follows the page: the holder's name, the award, its sections, the facts
    # table, then the QR code (a figure with its text) inside the link to the verification page.
    assert tags.structure[0] == "Document"
    for earlier, later in [("H1", "H2"), ("H2", "H3"), ("H3", "Table"), ("Table", "Figure")]:
        assert tags.structure.index(earlier) < tags.structure.index(later), (earlier, later)
    assert {"TR", "TH", "TD", "Link", "P"} <= set(tags.structure)
    assert tags.figure_alts == [QR_TITLE]


def test_the_text_extracts_as_words_in_reading_order(certificate):
    credential, pdf = certificate
    text = extracted_text(pdf)
    # The credential's kind as written: not spaced-out capitals ("G P W I T H ...").
    assert "GP with Extended Role (GPwER) in MSK" in text
    assert "GP WITH" not in text and "G P " not in text
    assert "Scope of practice" in text and "SCOPE OF PRACTICE" not in text
    in_order = [
        settings.ISSUER_NAME.split()[0],
        "This certificate is awarded to",
        "Asha Patel",
        "Scope of practice",
        "Conditions",
        f"Serial number {credential.serial}",
        "Check that this certificate is current",
        f"/verify/{credential.token}/",
    ]
    positions = [text.index(words) for words in in_order]
    assert positions == sorted(positions), dict(zip(in_order, positions, strict=True))


def test_the_signature_after_tagging_verifies_and_keeps_the_tags(certificate):
    _, pdf = certificate
    signature, status = validation(pdf)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    # An incremental update: the signed revision is the tagged document as WeasyPrint wrote it.
    unsigned = pdf[: int(signature.sig_object["/ByteRange"][1])]
    assert b"/StructTreeRoot" in unsigned
    final = tagging(pdf)
    assert final.marked and final.pdfua_part == "2" and "Document" in final.structure


def test_the_signer_is_the_faculty(certificate):
    _, pdf = certificate
    signature, _ = validation(pdf)
    assert str(signature.sig_object["/Name"]) == settings.ISSUER_NAME
    signer = signature.signer_cert
    assert isinstance(signer, asn1_x509.Certificate)
    assert signer.subject.native["common_name"] == settings.ISSUER_NAME
    assert signer.subject.native["organization_name"] == settings.ISSUER_NAME


def test_the_invisible_signature_field_stays_off_the_page(certificate):
    # PDF/UA: an untagged annotation must be hidden or outside the page; PDF/A: it must print.
    _, pdf = certificate
    reader = PdfReader(io.BytesIO(pdf))
    (widget,) = [
        a.get_object()
        for a in reader.pages[0].get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Widget"
    ]
    left, bottom, right, top = (float(n) for n in widget["/Rect"])
    assert right <= 0 and top <= 0 and (right - left) == (top - bottom) == 0
    assert int(widget["/F"]) & 0b100  # print
    assert not int(widget["/F"]) & 0b10  # not hidden
