"""The certificate that signs the faculty's PDFs: the demonstration one names the faculty, and
`check --deploy` warns when production would sign with one nobody can trust."""

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import checks

from credentials import issuer
from credentials.checks import check_signing_certificate
from tests.credentials.signing_keys import ca_issued_pair, write_ca_issued_pair

TEST_CERT = "tests/credentials/pdf-issuer-test-cert.pem"


def _ids(messages):
    return [m.id for m in messages]


@pytest.fixture
def demo_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.ISSUER_CERT_FILE = settings.ISSUER_KEY_FILE = ""
    issuer.forget_pdf_keys()
    yield issuer.pdf_demo_dir()
    issuer.forget_pdf_keys()


def test_the_demo_signer_is_the_faculty(settings, demo_dir):
    keys = issuer.load_pdf_keys()
    assert keys.demo
    subject = keys.certificate.subject.native
    assert subject["common_name"] == subject["organization_name"] == settings.ISSUER_NAME
    assert subject["organizational_unit_name"] == issuer.DEMO_UNIT


def test_a_demo_pair_in_another_name_is_made_again(settings, demo_dir):
    folder, made = issuer.create_demo_issuer()
    assert made
    old_cert, old_key = issuer.demo_pem_pair(name="Faculty of Musculoskeletal Practice")
    (folder / issuer.CERT_NAME).write_bytes(old_cert)
    (folder / issuer.KEY_NAME).write_bytes(old_key)
    assert issuer.create_demo_issuer() == (folder, True)
    assert issuer.load_pdf_keys().certificate.subject.native["common_name"] == (
        settings.ISSUER_NAME
    )
    assert issuer.create_demo_issuer() == (folder, False)  # current: kept


def test_the_committed_test_certificate_is_the_faculty_s_and_its_fingerprint_is_known(settings):
    with open(TEST_CERT, "rb") as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    assert cert.fingerprint(hashes.SHA256()).hex() == issuer.TEST_CERT_SHA256
    assert issuer.certificate_names(cert) == [settings.FACULTY_NAME]


@pytest.mark.parametrize("which", ["the committed test pair", "a demo pair made anywhere"])
def test_deploy_check_warns_about_a_demonstration_certificate(settings, tmp_path, which):
    if which == "the committed test pair":  # known by its fingerprint: its key is public
        settings.ISSUER_CERT_FILE = TEST_CERT
    else:  # known by its organisational unit
        path = tmp_path / "cert.pem"
        path.write_bytes(issuer.demo_pem_pair()[0])
        settings.ISSUER_CERT_FILE = str(path)
    (message,) = check_signing_certificate()
    assert message.id == "credentials.W001" and message.level == checks.WARNING
    assert "demonstration certificate" in message.msg and "AATL" in message.hint


def test_deploy_check_warns_about_a_self_signed_certificate(settings, tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, settings.ISSUER_NAME)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "cert.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    settings.ISSUER_CERT_FILE = str(path)
    (message,) = check_signing_certificate()
    assert message.id == "credentials.W002"
    assert "unknown signer" in message.msg


def test_deploy_check_is_quiet_for_a_ca_issued_certificate(settings, tmp_path):
    cert, _ = write_ca_issued_pair(tmp_path)
    settings.ISSUER_CERT_FILE = str(cert)
    assert check_signing_certificate() == []


def test_deploy_check_warns_before_the_certificate_expires(settings, tmp_path, monkeypatch):
    monkeypatch.setattr("tests.credentials.signing_keys.LIFETIME", datetime.timedelta(days=10))
    chain, _ = ca_issued_pair()
    path = tmp_path / "cert.pem"
    path.write_bytes(chain)
    settings.ISSUER_CERT_FILE = str(path)
    assert _ids(check_signing_certificate()) == ["credentials.W003"]


def test_deploy_check_refuses_a_file_that_is_no_certificate(settings, tmp_path):
    path = tmp_path / "cert.pem"
    path.write_text("not a certificate")
    settings.ISSUER_CERT_FILE = str(path)
    assert _ids(check_signing_certificate()) == ["credentials.E001"]


def test_the_deploy_check_is_registered_for_deploy_only():
    registered = checks.registry.registry.get_checks(include_deployment_checks=True)
    assert check_signing_certificate in registered
    assert check_signing_certificate not in checks.registry.registry.get_checks()
