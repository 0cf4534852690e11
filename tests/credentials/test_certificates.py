"""Signed PDF certificates: the document, its PAdES signature, hostile input, the holder's pages
and bulk generation."""

import datetime
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from credentials import issuer
from credentials.certificates import render
from credentials.certificates.services import generate_certificate
from credentials.models import Credential
from credentials.services.credentials import CredentialError, revoke_credential
from credentials.tasks import generate_certificates
from portal.models import AuditEvent
from tests.credentials.factories import UserFactory, make_credential
from tests.credentials.pdfs import has_attachments, pdf_pages, pdf_text, validation
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

HERE = Path(__file__).resolve().parent
HOSTILE_NAME = '<img src="file:///etc/passwd">'
HOSTILE_SCOPE = (
    '<link rel="attachment" href="file:///etc/passwd"> '
    "<style>@import url(http://127.0.0.1:9/x.css); p { background: url(http://127.0.0.1:9/) }"
    "</style> Injection therapy."
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test (sockets can still be made, e.g. by
    asyncio for pyHanko's event loop, but not connected)."""
    attempts = []

    class NoConnectSocket(socket.socket):
        def connect(self, address):
            attempts.append(address)
            raise AssertionError(f"network connection attempted to {address!r}")

        def connect_ex(self, address):
            self.connect(address)

    def no_create_connection(address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"network connection attempted to {address!r}")

    monkeypatch.setattr(socket, "socket", NoConnectSocket)
    monkeypatch.setattr(socket, "create_connection", no_create_connection)
    return attempts


@pytest.fixture
def holder():
    return UserFactory(first_name="Asha", last_name="Patel")


def stored_pdf(credential) -> bytes:
    credential.refresh_from_db()
    with credential.certificate.open("rb") as handle:
        return handle.read()


# The document


def test_the_certificate_is_one_signed_a4_page_with_the_award(holder):
    credential = make_credential(holder, conditions="Annual audit of injection outcomes.")
    generate_certificate(credential=credential)
    pdf = stored_pdf(credential)
    assert pdf.startswith(b"%PDF")
    reader, pages = pdf_pages(pdf)
    assert len(pages) == 1
    media_box = pages[0]["/MediaBox"]
    width, height = float(media_box[2]), float(media_box[3])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(pdf)
    for expected in [
        credential.serial,
        "AshaPatel",
        "GPwithExtendedRole(GPwER)inMSK",
        "".join(settings.ISSUER_NAME.split()),  # the issuer named in settings
        "Annualauditofinjectionoutcomes.",
        "".join(credential.scope.split()),  # the scope of practice
        "1January2026",
        "31December2029",
        f"/verify/{credential.token}/",
    ]:
        assert expected in text, expected
    event = AuditEvent.objects.get(action="credential.certificate_generated")
    assert event.object_id == str(credential.pk)
    assert len(event.new_state["sha256"]) == 64


def test_the_longest_texts_still_fit_one_page(holder):
    credential = make_credential(
        holder,
        scope="Injection therapy, triage and independent prescribing in the community. " * 40,
        conditions="Supervised monthly by a consultant in sport and exercise medicine. " * 20,
    )
    Credential.objects.filter(pk=credential.pk).update(
        holder_name=("Wolfeschlegelsteinhausenbergerdorff Montgomery-Smythe " * 5)[:200],
        registration_number="AB1234567890",
    )
    credential.refresh_from_db()
    pdf = render.render_certificate(credential)
    assert len(pdf_pages(pdf)[1]) == 1
    assert "Thefullscopeisontheverificationpage." in pdf_text(pdf)


def test_the_qr_code_and_link_lead_to_the_public_verification_page(holder, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    credential = make_credential(holder)
    url = f"https://portal.example.org/verify/{credential.token}/"
    html = render.certificate_html(credential)
    assert render.qr_svg(url) in html  # the QR code of exactly this URL, inline SVG
    _, pages = pdf_pages(render.render_certificate(credential))
    links = {a.get_object()["/A"]["/URI"] for a in pages[0]["/Annots"]}
    assert links == {url}


def test_the_signature_is_valid_and_one_changed_byte_breaks_it(holder):
    credential = make_credential(holder)
    generate_certificate(credential=credential)
    pdf = stored_pdf(credential)
    signature, status = validation(pdf)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert signature.sig_object["/Filter"] == "/Adobe.PPKLite"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES

    byte_range = signature.sig_object["/ByteRange"]
    start, first_length = int(byte_range[0]), int(byte_range[1])
    position = pdf.index(b"\n", 9) - 1  # inside the binary comment on line 2: still parses
    assert start <= position < start + first_length
    tampered = bytearray(pdf)
    tampered[position] ^= 0x01
    _, broken = validation(bytes(tampered))
    assert not broken.intact
    assert not broken.bottom_line


def _comment_byte(pdf, signature):
    return pdf.index(b"\n", 9) - 1  # the binary comment on line 2


def _page_size_digit(pdf, signature):
    return pdf.index(b"/MediaBox [ 0 0 595") + len(b"/MediaBox [ 0 0 59")  # 595 -> 594


def _serial_in_the_title(pdf, signature):
    return pdf.index(b"/Title (") + len(b"/Title (")


def _after_the_signature(pdf, signature):
    # In the second signed range: the signature's own /Reason.
    return pdf.index(b"/Reason (Certificate") + len(b"/Reason (")


@pytest.mark.parametrize(
    "where", [_comment_byte, _page_size_digit, _serial_in_the_title, _after_the_signature]
)
def test_one_altered_byte_anywhere_fails_validation(holder, where):
    pdf = stored_pdf(generate_certificate(credential=make_credential(holder)))
    signature, status = validation(pdf)
    assert status.bottom_line
    position = where(pdf, signature)
    start1, length1, start2, length2 = (int(n) for n in signature.sig_object["/ByteRange"])
    assert start1 <= position < start1 + length1 or start2 <= position < start2 + length2
    tampered = bytearray(pdf)
    tampered[position] ^= 0x01
    assert len(tampered) == len(pdf) and bytes(tampered) != pdf
    _, broken = validation(bytes(tampered))
    assert not broken.intact  # the document digest no longer matches what was signed
    assert not broken.bottom_line


def test_generating_again_keeps_the_certificate_unless_forced(
    holder, django_capture_on_commit_callbacks
):
    credential = make_credential(holder)
    first = generate_certificate(credential=credential)
    name = first.certificate.name
    again = generate_certificate(credential=Credential.objects.get(pk=credential.pk))
    assert again.certificate.name == name
    assert AuditEvent.objects.filter(action="credential.certificate_generated").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        forced = generate_certificate(credential=again, force=True)
    assert forced.certificate.name != name
    assert not forced.certificate.storage.exists(name)  # the replaced file is gone
    assert AuditEvent.objects.filter(action="credential.certificate_generated").count() == 2


def test_a_revoked_credential_gets_no_certificate(holder, superuser):
    credential = make_credential(holder)
    revoke_credential(credential=credential, reason="Removed from the register", actor=superuser)
    with pytest.raises(CredentialError):
        generate_certificate(credential=Credential.objects.get(pk=credential.pk))


# Hostile input


def test_hostile_text_is_printed_as_text_and_fetches_nothing(no_network):
    holder = UserFactory(first_name=HOSTILE_NAME, last_name="Smith")
    credential = make_credential(holder, scope=HOSTILE_SCOPE, conditions="url(file:///etc/hosts)")
    render.FETCHER.attempts.clear()
    generate_certificate(credential=credential)
    pdf = stored_pdf(credential)

    asked = [attempt.url for attempt in render.FETCHER.attempts]
    assert all(url.startswith("portal-static:/credentials/") for url in asked)
    assert no_network == []
    assert not has_attachments(pdf)
    text = pdf_text(pdf)
    assert '<imgsrc="file:///etc/passwd">' in text  # escaped: the markup is visible text
    assert '<linkrel="attachment"href="file:///etc/passwd">' in text
    assert "@importurl(http://127.0.0.1:9/x.css);" in text
    assert b"root:x:0:0" not in pdf
    assert validation(pdf)[1].bottom_line


HOSTILE_PAYLOADS = {
    "img file": '<img src="file:///etc/passwd">',
    "attachment link": '<link rel="attachment" href="file:///etc/passwd">',
    "css url": '<p style="background: url(http://127.0.0.1:9/)">url(http://127.0.0.1:9/)</p>',
    "css import": "<style>@import url(http://127.0.0.1:9/x.css);</style>@import 'file:///etc/passwd';",
}


@pytest.mark.parametrize("field", ["holder name", "scope"])
@pytest.mark.parametrize("payload", list(HOSTILE_PAYLOADS.values()), ids=list(HOSTILE_PAYLOADS))
def test_each_hostile_holder_name_or_scope_is_inert(no_network, monkeypatch, field, payload):
    """Each attack on its own, in either field: no attachment, nothing fetched, shown as text."""
    from weasyprint import urls

    default_fetches = []

    def default_fetch(self, url, headers=None):  # any fetcher but ours would land here
        default_fetches.append(url)
        raise AssertionError(f"fetched {url!r} with WeasyPrint's own fetcher")

    monkeypatch.setattr(urls.URLFetcher, "fetch", default_fetch)
    if field == "holder name":
        profile = ClinicianProfileFactory(full_name=f"Asha {payload} Patel")
        credential = make_credential(profile.user, scope="Injection therapy.")
    else:
        credential = make_credential(UserFactory(), scope=f"Injection therapy. {payload}")
    assert payload in (credential.holder_name + credential.scope)

    html = render.certificate_html(credential)
    assert payload not in html  # escaped before WeasyPrint sees it
    assert escape(payload) in html
    render.FETCHER.attempts.clear()
    generate_certificate(credential=credential)
    pdf = stored_pdf(credential)

    assert not has_attachments(pdf)
    assert no_network == [] and default_fetches == []
    refused = [a.url for a in render.FETCHER.attempts if not a.served]
    assert refused == []
    assert all(a.url.startswith("portal-static:/credentials/") for a in render.FETCHER.attempts)
    assert "".join(payload.split()) in pdf_text(pdf)  # printed as the characters typed
    assert b"root:x:0:0" not in pdf
    assert validation(pdf)[1].bottom_line


def test_markup_that_does_reach_weasyprint_is_refused(no_network):
    """Were the template ever to pass markup through, the fetcher still loads nothing."""
    render.FETCHER.attempts.clear()
    pdf = render.html_to_pdf(
        '<html><head><link rel="attachment" href="file:///etc/passwd">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        "<style>@import url(http://127.0.0.1:9/y.css); @font-face { font-family: x; "
        "src: url(file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf) }"
        "body { background: url(https://127.0.0.1:9/) }</style></head><body>"
        '<img src="file:///etc/passwd"><img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E">'
        '<img src="../../etc/passwd"><a rel="attachment" href="file:///etc/hosts">x</a>'
        "</body></html>"
    )
    assert pdf.startswith(b"%PDF")
    assert not has_attachments(pdf)
    assert no_network == []
    asked = list(render.FETCHER.attempts)
    assert asked, "WeasyPrint asked the fetcher for the resources"
    served = {attempt.url for attempt in asked if attempt.served}
    assert served <= {"portal-static:/credentials/certificate.css"}  # the stylesheet only
    assert {a.url.split(":")[0] for a in asked} >= {"file", "http"}
    # The check above does see an attachment when one gets in (from our own static files).
    control = render.html_to_pdf(
        '<link rel="attachment" href="portal-static:/credentials/certificate.css"><p>x</p>'
    )
    assert has_attachments(control)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.org/a.css",
        "data:text/css,body{}",
        "portal-static:/../../portal/settings.py",
        "portal-static:/credentials/../../../etc/passwd",
        "portal-static:/%2e%2e/%2e%2e/etc/passwd",
        "portal-static://evil.example/credentials/certificate.css",
        "portal-static:/credentials/certificate.css?x=1",
        "portal-static:/credentials/missing.css",
        "portal-static:/js/portal.mjs",
        "credentials/certificate.css",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(render.RefusedURL):
        render.FETCHER.fetch(url)
    assert render.FETCHER.attempts[-1] == render.FetchAttempt(url, served=False)


def test_the_fetcher_cannot_follow_a_redirect_or_open_anything_itself(no_network):
    # urllib's handlers (HTTP, HTTPS, FTP, file, data, redirects) are what would fetch: none.
    assert render.FETCHER.handlers == []
    for url in ("http://127.0.0.1:9/redirect", "file:///etc/passwd"):
        with pytest.raises(render.RefusedURL):
            render.FETCHER.open(url)
        with pytest.raises(render.RefusedURL):
            render.FETCHER(url)
    assert no_network == []


def test_the_fetcher_serves_the_certificate_stylesheet():
    response = render.FETCHER.fetch("portal-static:/credentials/certificate.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


# Issuer keys


def test_production_refuses_to_sign_without_configured_keys(settings):
    settings.PRODUCTION = True
    settings.ISSUER_CERT_FILE = settings.ISSUER_KEY_FILE = ""
    with pytest.raises(ImproperlyConfigured, match="ISSUER_CERT_FILE"):
        issuer.pdf_key_paths()
    with pytest.raises(ImproperlyConfigured):
        issuer.create_demo_issuer()


def test_configured_keys_are_loaded_and_checked(settings, tmp_path):
    cert = HERE / "pdf-issuer-test-cert.pem"
    key = HERE / "pdf-issuer-test-key.pem"
    loaded = issuer.read_pdf_keys(cert, key)
    assert f"Common Name: {settings.FACULTY_NAME};" in loaded.subject  # the signer is the faculty
    other = tmp_path / "other-key.pem"
    other.write_bytes(issuer.demo_pem_pair()[1])
    with pytest.raises(ImproperlyConfigured, match="does not match"):
        issuer.read_pdf_keys(cert, other)
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        issuer.read_pdf_keys(tmp_path / "missing.pem", key)


@pytest.mark.parametrize("algorithm", ["rsa", "ecdsa"])
def test_configured_production_keys_sign_the_certificate(settings, tmp_path, holder, algorithm):
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    from credentials.certificates.services import signed_certificate_pdf

    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if algorithm == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    cert_pem, key_pem = issuer.demo_pem_pair(key=key, passphrase=b"correct horse")
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    (tmp_path / "key.pem").write_bytes(key_pem)
    settings.ISSUER_CERT_FILE = str(tmp_path / "cert.pem")
    settings.ISSUER_KEY_FILE = str(tmp_path / "key.pem")
    settings.ISSUER_KEY_PASSPHRASE = "correct horse"
    issuer.forget_pdf_keys()
    try:
        pdf = signed_certificate_pdf(credential=make_credential(holder))
        assert not issuer.load_pdf_keys().demo
        _, status = validation(pdf)
        assert status.bottom_line
        assert algorithm in status.md_algorithm + status.pkcs7_signature_mechanism
    finally:
        issuer.forget_pdf_keys()
    settings.ISSUER_KEY_PASSPHRASE = "wrong"
    with pytest.raises(ImproperlyConfigured, match="ISSUER_KEY_PASSPHRASE"):
        issuer.load_pdf_keys()
    issuer.forget_pdf_keys()


# The holder's pages


def test_the_holder_lists_their_own_credentials(client, holder):
    mine = make_credential(holder)
    theirs = make_credential()
    client.force_login(holder)
    page = client.get("/credentials/")
    assert page.status_code == 200
    html = page.content.decode()
    assert mine.serial in html and "GP with Extended Role (GPwER) in MSK" in html
    assert "Valid" in html
    assert f"/verify/{mine.token}/" in html
    assert f"/credentials/{mine.serial}/certificate.pdf" in html
    assert theirs.serial not in html and "Someone else" not in html


def test_the_listing_makes_the_same_number_of_queries_for_more_credentials(client, holder):
    make_credential(holder)
    client.force_login(holder)
    client.get("/credentials/")
    with CaptureQueriesContext(connection) as one:
        client.get("/credentials/")
    for _ in range(4):
        make_credential(holder)
    with CaptureQueriesContext(connection) as five:
        response = client.get("/credentials/")
    assert response.content.decode().count("certificate.pdf") == 5
    assert len(five) == len(one)


def test_the_holder_finds_their_certificates_from_their_dashboard(client, applicant):
    credential = make_credential(applicant)
    client.force_login(applicant)
    dashboard = client.get("/dashboard/applicant/").content.decode()
    assert 'href="/credentials/"' in dashboard
    page = client.get("/credentials/").content.decode()
    assert f'href="/credentials/{credential.serial}/certificate.pdf"' in page
    response = client.get(f"/credentials/{credential.serial}/certificate.pdf")
    assert response.status_code == 200
    assert validation(b"".join(response.streaming_content))[1].bottom_line


def test_an_outsider_sees_only_an_empty_list_and_no_ones_certificate(client, holder, outsider):
    credential = make_credential(holder)
    client.force_login(outsider)
    page = client.get("/credentials/").content.decode()
    assert credential.serial not in page and "Patel" not in page
    assert client.get(f"/credentials/{credential.serial}/certificate.pdf").status_code == 404
    credential.refresh_from_db()
    assert not credential.certificate  # nothing was made for the outsider either


def test_signed_out_visitors_are_sent_to_sign_in(client, holder):
    credential = make_credential(holder)
    for url in ["/credentials/", f"/credentials/{credential.serial}/certificate.pdf"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_holder_downloads_the_signed_pdf_made_on_the_fly(client, holder):
    credential = make_credential(holder)
    assert not credential.certificate
    client.force_login(holder)
    response = client.get(f"/credentials/{credential.serial}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{credential.serial}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "no-store" in response["Cache-Control"]
    pdf = b"".join(response.streaming_content)
    assert validation(pdf)[1].bottom_line
    credential.refresh_from_db()
    assert credential.certificate  # stored: the next download is not made again


def test_a_lost_file_is_made_again(client, holder):
    credential = generate_certificate(credential=make_credential(holder))
    credential.certificate.storage.delete(credential.certificate.name)
    client.force_login(holder)
    response = client.get(f"/credentials/{credential.serial}/certificate.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_nobody_else_can_download_it(client, holder, superuser, faculty_staff, outsider):
    credential = generate_certificate(credential=make_credential(holder))
    url = f"/credentials/{credential.serial}/certificate.pdf"
    for user in (outsider, faculty_staff, superuser):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(holder)
    assert client.get("/credentials/NOPE-2026-00001/certificate.pdf").status_code == 404


def test_a_revoked_credential_has_no_download(client, holder, superuser):
    credential = make_credential(holder)
    revoke_credential(credential=credential, reason="Struck off", actor=superuser)
    client.force_login(holder)
    html = client.get("/credentials/").content.decode()
    assert "Revoked" in html and "certificate.pdf" not in html
    assert client.get(f"/credentials/{credential.serial}/certificate.pdf").status_code == 404


# Bulk and on issue


def test_one_background_run_makes_many_certificates(superuser):
    credentials = [make_credential() for _ in range(6)]
    revoke_credential(credential=credentials[0], reason="Struck off", actor=superuser)
    result = generate_certificates.enqueue(credential_ids=[c.pk for c in credentials])
    assert result.return_value == 5
    stored = Credential.objects.filter(pk__in=[c.pk for c in credentials[1:]])
    assert all(c.certificate for c in stored)
    assert not Credential.objects.get(pk=credentials[0].pk).certificate


def test_issuing_queues_the_certificate(settings, holder, django_capture_on_commit_callbacks):
    settings.CERTIFICATES_ON_ISSUE = True
    with django_capture_on_commit_callbacks(execute=True):
        credential = make_credential(holder)
    credential.refresh_from_db()
    assert credential.certificate.name.startswith("certificates/")
    settings.CERTIFICATES_ON_ISSUE = False
    with django_capture_on_commit_callbacks(execute=True):
        quiet = make_credential(holder)
    quiet.refresh_from_db()
    assert not quiet.certificate


def test_the_command_makes_the_missing_ones(capsys):
    credentials = [make_credential() for _ in range(2)]
    call_command("generate_certificates")
    assert all(Credential.objects.get(pk=c.pk).certificate for c in credentials)
    call_command("generate_certificates")
    assert "Nothing to do" in capsys.readouterr().out


def test_expiry_does_not_matter_to_the_certificate(holder):
    credential = make_credential(
        holder, valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 1, 1)
    )
    generate_certificate(credential=credential)
    assert "1January2021" in pdf_text(stored_pdf(credential))


def test_the_certificate_names_the_regulators_number(holder):
    ClinicianProfileFactory(user=holder, regulator="gmc", registration_number="7012345")
    credential = make_credential(holder)
    html = render.certificate_html(credential)
    assert f"GMC number {credential.registration_number}" in html
    Credential.objects.filter(pk=credential.pk).update(
        regulator="nmc", registration_number="12A3456E"
    )
    credential.refresh_from_db()
    assert "NMC PIN 12A3456E" in render.certificate_html(credential)
