"""`check --deploy`: the certificate that signs the faculty's PDFs (ISSUER_CERT_FILE).

A PDF reader trusts a signature only when the signing certificate chains to a root it trusts
(Adobe's AATL, an EU trusted list, the operating system's store). So production warns when the
certificate is one anybody could have made:

- credentials.W001: a demonstration certificate (made by `issuer_keys` or the demo, or the one
  committed for the tests, whose private key is public in the repository);
- credentials.W002: a self-signed certificate (no reader can trust it);
- credentials.W003: a certificate that has expired or expires within 30 days;
- credentials.E001: a file that holds no PEM certificate.

README.md ("Signing certificates") says how to get one from a CA on a trust list.
"""

import contextlib
import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core import checks

from credentials.issuer import CERT_NAME, DEMO_UNIT, TEST_CERT_SHA256, pdf_demo_dir

EXPIRY_WARNING = datetime.timedelta(days=30)
HINT = (
    "Sign with a certificate issued to the faculty by a CA on Adobe's AATL or an EU trusted "
    "list: see README.md, 'Signing certificates'."
)


def _sha256(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def _demo_fingerprints() -> set[str]:
    """The test certificate's, and this machine's demonstration certificate's if there is one."""
    found = {TEST_CERT_SHA256}
    demo = pdf_demo_dir() / CERT_NAME
    with contextlib.suppress(OSError, ValueError):  # no demonstration pair made here
        found.add(_sha256(x509.load_pem_x509_certificate(demo.read_bytes())))
    return found


def is_demo_certificate(cert: x509.Certificate) -> bool:
    units = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return _sha256(cert) in _demo_fingerprints() or any(u.value == DEMO_UNIT for u in units)


def is_self_signed(cert: x509.Certificate) -> bool:
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


@checks.register(checks.Tags.security, deploy=True)
def check_signing_certificate(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not settings.ISSUER_CERT_FILE:
        return []  # production refuses to start without it (portal/settings.py)
    path = Path(settings.ISSUER_CERT_FILE)
    try:
        cert = x509.load_pem_x509_certificates(path.read_bytes())[0]
    except (OSError, ValueError) as exc:
        return [
            checks.Error(
                f"ISSUER_CERT_FILE ({path}) holds no PEM certificate: {exc}",
                id="credentials.E001",
            )
        ]
    problems: list[checks.CheckMessage] = []
    if is_demo_certificate(cert):
        problems.append(
            checks.Warning(
                f"ISSUER_CERT_FILE ({path}) is a demonstration certificate: anyone can make "
                "one (or has its key), and no PDF reader trusts it.",
                hint=HINT,
                id="credentials.W001",
            )
        )
    elif is_self_signed(cert):
        problems.append(
            checks.Warning(
                f"ISSUER_CERT_FILE ({path}) is self-signed: PDF readers show certificates and "
                "letters signed with it as signed by an unknown signer.",
                hint=HINT,
                id="credentials.W002",
            )
        )
    now = datetime.datetime.now(datetime.UTC)
    if cert.not_valid_after_utc < now + EXPIRY_WARNING:
        problems.append(
            checks.Warning(
                f"ISSUER_CERT_FILE ({path}) expires on {cert.not_valid_after_utc:%Y-%m-%d}: "
                "documents signed after that do not validate.",
                hint="Renew the certificate with the CA and replace the file before then.",
                id="credentials.W003",
            )
        )
    return problems
