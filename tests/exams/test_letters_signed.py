"""Results letters are signed, tagged and checkable: a reference, a link and a QR code. A pass
that awarded a credential points to that credential's verification page and serial; any other
letter points to its own verification page, which states the result without the scores."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from credentials.api import Source, credential_for_source, verification_url
from credentials.certificates.render import QR_TITLE, qr_svg
from exams.letters import letter_verification_url, results_letter_html
from exams.models import CandidateResult, ResultsLetter, Sitting, SittingStatus
from exams.services.standards import award_passes
from portal.logfilters import redact
from portal.models import AuditEvent
from portfolio.models import ClinicianProfile
from tests.credentials.pdfs import extracted_text, link_targets, tagging, validation
from tests.exams.factories import book, make_sitting

pytestmark = pytest.mark.django_db

FEEDBACK = [
    {"label": "Diagnosis", "score": 4.0, "max": 5.0},
    {"label": "Management", "score": 3.0, "max": 5.0},
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def released(exam_code: str, *, passed: bool, when=None):
    """A candidate's released result at EXAM_CODE (released an hour ago unless WHEN), the
    awards made as release makes them."""
    sitting = make_sitting(exam_code, past=True, label="Autumn 2026")
    booking = book(sitting)
    ClinicianProfile.objects.filter(user=booking.candidate).update(full_name="Dr Asha Patel")
    CandidateResult.objects.create(
        booking=booking, total=7.0, max_total=10.0, passed=passed, feedback=FEEDBACK
    )
    when = when or timezone.now() - datetime.timedelta(hours=1)
    Sitting.objects.filter(pk=sitting.pk).update(status=SittingStatus.RELEASED, released_at=when)
    award_passes(sitting.pk)
    booking.refresh_from_db()
    return booking


def words(pdf: bytes) -> str:
    """The extracted text with line breaks as spaces (lines break anywhere)."""
    return " ".join(extracted_text(pdf).split())


def download(client, booking) -> bytes:
    client.force_login(booking.candidate)
    response = client.get(f"/exams/bookings/{booking.pk}/letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def assert_signed_and_tagged(pdf: bytes) -> None:
    signature, status = validation(pdf)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert str(signature.sig_object["/Reason"]) == "Results letter issued by the faculty"
    assert str(signature.sig_object["/Name"]) == settings.ISSUER_NAME
    assert signature.signer_cert.subject.native["common_name"] == settings.ISSUER_NAME
    tags = tagging(pdf)
    assert tags.marked and tags.pdfua_part == "2" and tags.lang == "en-GB"
    assert tags.display_doc_title and tags.title.startswith("Results letter RL-")
    assert {"H1", "Table", "TH", "TD", "Link", "Figure"} <= set(tags.structure)
    assert tags.figure_alts == [QR_TITLE]


def test_a_pass_that_awarded_a_credential_points_to_the_credential(client):
    booking = released("diploma-msk-medicine", passed=True)
    credential = credential_for_source(Source("exams.candidate_result", booking.result.pk))
    assert credential is not None
    pdf = download(client, booking)
    assert_signed_and_tagged(pdf)
    letter = ResultsLetter.objects.get(booking=booking)
    text = words(pdf)
    # The name as the credential prints it, the award's serial, both links, the reference.
    assert credential.holder_name == "Dr Asha Patel"
    assert text.count("Dr Asha Patel") >= 2  # the address and "Dear Dr Asha Patel"
    assert f"serial number {credential.serial}" in text
    assert letter.reference in text
    credential_url = verification_url(credential)
    assert link_targets(pdf) == {credential_url, letter_verification_url(letter)}
    # The QR code is exactly the credential's verification URL.
    html = results_letter_html(booking, booking.result, letter)
    assert qr_svg(credential_url, svgclass="letter__qr") in html


def test_a_pass_that_awards_nothing_has_its_own_checkable_page(client):
    booking = released("mfsem-part-1", passed=True)
    pdf = download(client, booking)
    assert_signed_and_tagged(pdf)
    letter = ResultsLetter.objects.get(booking=booking)
    url = letter_verification_url(letter)
    assert link_targets(pdf) == {url}
    assert qr_svg(url, svgclass="letter__qr") in results_letter_html(
        booking, booking.result, letter
    )
    assert f"Check this letter, reference {letter.reference}" in words(pdf)

    client.logout()  # whoever the candidate shows the letter to
    response = client.get(url.removeprefix(settings.PORTAL_BASE_URL))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = response.content.decode()
    for shown in [letter.reference, "Dr Asha Patel", "MFSEM Part 1", "Autumn 2026", "Pass"]:
        assert shown in page, shown
    for private in ["7 out of 10", "70.0%", "Diagnosis"]:  # the scores are the candidate's
        assert private not in page, private


def test_a_letter_that_is_not_a_pass_says_so_on_its_page(client):
    booking = released("diploma-msk-medicine", passed=False)
    assert_signed_and_tagged(download(client, booking))
    letter = ResultsLetter.objects.get(booking=booking)
    page = client.get(f"/exams/letters/{letter.token}/").content.decode()
    assert "Not passed" in page and "Credential awarded" not in page


def test_a_pass_whose_award_is_still_to_come_points_to_the_letter(client):
    booking = released("diploma-msk-medicine", passed=True)
    credential = credential_for_source(Source("exams.candidate_result", booking.result.pk))
    credential.delete()  # as after a scheduled release, before `exam_awards` has run
    pdf = download(client, booking)
    letter = ResultsLetter.objects.get(booking=booking)
    assert link_targets(pdf) == {letter_verification_url(letter)}
    assert "which is being added to the faculty's register" in words(pdf)


def test_every_copy_has_the_same_reference_and_one_audit_record(client):
    booking = released("mfsem-part-1", passed=True)
    first, second = download(client, booking), download(client, booking)
    letter = ResultsLetter.objects.get(booking=booking)
    assert letter.reference in words(first) and letter.reference in words(second)
    events = AuditEvent.objects.filter(action="exams.results_letter_issued")
    assert [e.detail for e in events] == [letter.reference]


def test_one_changed_byte_breaks_the_letter_s_signature(client):
    pdf = download(client, released("mfsem-part-1", passed=True))
    position = pdf.index(b"/Title (") + len(b"/Title (")
    tampered = bytearray(pdf)
    tampered[position] ^= 0x01
    _, status = validation(bytes(tampered))
    assert not status.intact and not status.bottom_line


def test_no_letter_and_no_page_before_the_release(client):
    later = timezone.now() + datetime.timedelta(days=2)
    booking = released("mfsem-part-1", passed=True, when=later)
    client.force_login(booking.candidate)
    assert client.get(f"/exams/bookings/{booking.pk}/letter.pdf").status_code == 404
    assert not ResultsLetter.objects.exists()


def test_the_letter_s_token_never_reaches_the_logs():
    token = "q7Jx2mZbV9cRt4LwP0sKdE8hYf1uNa3GiOv6XeT5lWk"
    assert redact(f"Not Found: /exams/letters/{token}/") == "Not Found: /exams/letters/[token]/"


def test_an_unknown_letter_token_is_not_found(client):
    response = client.get("/exams/letters/q7Jx2mZbV9cRt4LwP0sKdE8hYf1uNa3GiOv6XeT5lWk/")
    assert response.status_code == 404
    assert "Results letter not found" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
