"""The issuer of credentials: who it is, where its profile lives, and both of its keys.

- The Ed25519 key signs Open Badges. Production names it with ISSUER_ED25519_KEY_FILE (a PEM
  file or the 64-hex-character seed; required there). Everywhere else a key is generated on
  first use and kept in VAR_DIR/issuer/ed25519.pem (mode 0600), so the demo's badges keep
  verifying across restarts.
- The PDF certificate and key sign certificates and results letters (PAdES). Production names
  the PEM files in ISSUER_CERT_FILE and ISSUER_KEY_FILE (the key may be encrypted with
  ISSUER_KEY_PASSPHRASE); signing fails loudly when they are missing, and `check --deploy`
  warns about a demonstration or self-signed certificate (credentials.checks). In development
  a self-signed ECDSA P-256 pair in the faculty's name (ISSUER_NAME, as every page says it) is
  made under VAR_DIR/issuer/pdf/ on first use (or by `manage.py issuer_keys`) and reused
  afterwards; made again when the name has changed.
Keys never leave this module except as key objects handed to the signers; each is read once
per process.
"""

import contextlib
import datetime
import os
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from credentials.openbadges import (
    InvalidKey,
    generate_private_key,
    load_private_key,
    private_key_pem,
    public_key_multibase,
)
from portal.links import absolute_url

_lock = threading.Lock()
_keys: dict[Path, object] = {}


def issuer_id() -> str:
    """The issuer's Profile document: also where verifiers find its public key."""
    return absolute_url(reverse("credentials:issuer_json"))


def issuer_name() -> str:
    return settings.ISSUER_NAME


def issuer_url() -> str:
    return absolute_url("/")


def ed25519_key_path() -> Path:
    if settings.ISSUER_ED25519_KEY_FILE:
        return Path(settings.ISSUER_ED25519_KEY_FILE)
    if settings.PRODUCTION:
        raise ImproperlyConfigured("ISSUER_ED25519_KEY_FILE must name the issuer's signing key.")
    return Path(settings.VAR_DIR) / "issuer" / "ed25519.pem"


def private_key():
    """The issuer's Ed25519 private key (read once per process)."""
    path = ed25519_key_path()
    with _lock:
        key = _keys.get(path)
        if key is None:
            if not settings.ISSUER_ED25519_KEY_FILE:
                _create_once(path)
            key = _keys[path] = _read_ed25519(path)
    return key


def public_key_id() -> str:
    """The publicKeyMultibase of the issuer's key ("z6Mk…")."""
    return public_key_multibase(private_key())


def verification_method() -> str:
    """The key's id: the issuer's profile URL with the Multikey as its fragment."""
    return f"{issuer_id()}#{public_key_id()}"


def _read_ed25519(path: Path):
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"The issuer's key {path} cannot be read: {exc}") from exc
    try:
        return load_private_key(data.strip())
    except InvalidKey as exc:
        raise ImproperlyConfigured(f"The issuer's key {path} is not an Ed25519 key: {exc}") from exc


def _create_once(path: Path) -> None:
    """Write a new key to PATH unless one is there; safe when several processes race."""
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private_key_pem(generate_private_key()))
        with contextlib.suppress(FileExistsError):  # another process got there first
            os.link(temporary, path)  # atomic: never a half-written key at PATH
    finally:
        temporary.unlink(missing_ok=True)


# --- the PDF signing certificate and key -------------------------------------------------------

# The organisational unit of every demonstration certificate: how `check --deploy` recognises
# one wherever it was made. Its subject's organisation and common name are the faculty's name.
DEMO_UNIT = "Demonstration signing key, not for production"
# The SHA-256 of the certificate committed for the tests (tests/credentials/
# pdf-issuer-test-cert.pem): its private key is public in the repository.
TEST_CERT_SHA256 = "7b6c680a0a118a6650498ea524d62cf611def06363ebcd3f021a09950c68ff87"
DEMO_VALIDITY = datetime.timedelta(days=10 * 365)
CERT_NAME = "certificate.pem"
KEY_NAME = "key.pem"


@dataclass(frozen=True)
class PdfIssuerKeys:
    """Everything signing needs, parsed once: no file or key parsing per signature."""

    certificate: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]
    private_key: object  # a cryptography private key object, used as it is
    key_info: asn1_keys.PrivateKeyInfo
    cert_path: Path
    key_path: Path
    demo: bool

    @property
    def subject(self) -> str:
        return self.certificate.subject.human_friendly

    @property
    def sha256_fingerprint(self) -> str:
        return self.certificate.sha256_fingerprint


def pdf_demo_dir() -> Path:
    return Path(settings.VAR_DIR) / "issuer" / "pdf"


def pdf_key_paths() -> tuple[Path, Path, bool]:
    """(certificate file, key file, is the demo pair) from the settings."""
    if settings.ISSUER_CERT_FILE and settings.ISSUER_KEY_FILE:
        return Path(settings.ISSUER_CERT_FILE), Path(settings.ISSUER_KEY_FILE), False
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "ISSUER_CERT_FILE and ISSUER_KEY_FILE must name the issuer's signing certificate "
            "and key (PEM) when PORTAL_ENV=production: certificates cannot be signed without them."
        )
    return pdf_demo_dir() / CERT_NAME, pdf_demo_dir() / KEY_NAME, True


def demo_pem_pair(
    *, key=None, passphrase: bytes | None = None, name: str | None = None
) -> tuple[bytes, bytes]:
    """A self-signed demonstration certificate in the faculty's name (NAME, by default
    ISSUER_NAME) and its key, as PEM.

    A new ECDSA P-256 key unless KEY is given; the key PEM is encrypted with PASSPHRASE if given.
    """
    key = key or ec.generate_private_key(ec.SECP256R1())
    faculty = name or issuer_name()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, faculty),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_UNIT),
            x509.NameAttribute(NameOID.COMMON_NAME, faculty),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + DEMO_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def certificate_names(cert: x509.Certificate) -> list[str]:
    """The common names in the certificate's subject (what PDF readers show as the signer)."""
    return [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]


def _demo_pair_is_current(folder: Path) -> bool:
    """Whether the demonstration pair in FOLDER is complete and names the faculty as now."""
    try:
        cert = x509.load_pem_x509_certificate((folder / CERT_NAME).read_bytes())
    except (OSError, ValueError):
        return False
    return (folder / KEY_NAME).is_file() and certificate_names(cert) == [issuer_name()]


def create_demo_issuer(*, replace: bool = False) -> tuple[Path, bool]:
    """Make the demonstration pair unless it exists; return (folder, whether it was made).

    A pair made in another name (an older demonstration faculty, or before ISSUER_NAME
    changed) is replaced, so the signer's name is always the faculty's. Both files are
    written into a fresh folder that is then renamed into place, so two processes starting
    together never end up with one's certificate and the other's key.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demonstration issuer is never made in production.")
    target = pdf_demo_dir()
    if target.exists() and not replace:
        if _demo_pair_is_current(target):
            return target, False
        replace = True
    cert_pem, key_pem = demo_pem_pair()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pdf-", dir=target.parent))
    (staging / CERT_NAME).write_bytes(cert_pem)
    key_file = staging / KEY_NAME
    key_file.touch(mode=0o600)
    key_file.write_bytes(key_pem)
    if replace and target.exists():
        shutil.rmtree(target)
    try:
        staging.rename(target)
    except OSError:
        # Another process made it first: use theirs.
        shutil.rmtree(staging, ignore_errors=True)
        return target, False
    return target, True


def _read_pdf_file(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"The issuer's {what} ({path}) cannot be read: {exc}") from exc


def read_pdf_keys(cert_path: Path, key_path: Path, *, demo: bool = False) -> PdfIssuerKeys:
    """Parse and check a PEM certificate (chain after it) and its private key."""
    try:
        certs = x509.load_pem_x509_certificates(_read_pdf_file(cert_path, "certificate"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{cert_path} holds no PEM certificate: {exc}") from exc
    passphrase = (settings.ISSUER_KEY_PASSPHRASE or "").encode() or None
    try:
        key = serialization.load_pem_private_key(
            _read_pdf_file(key_path, "key"), password=passphrase
        )
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"{key_path} is not a PEM private key that ISSUER_KEY_PASSPHRASE opens: {exc}"
        ) from exc
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if certs[0].public_key().public_bytes(der, public) != key.public_key().public_bytes(
        der, public
    ):
        raise ImproperlyConfigured(f"The key in {key_path} does not match {cert_path}.")
    asn1_certs = [asn1_x509.Certificate.load(c.public_bytes(der)) for c in certs]
    key_der = key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return PdfIssuerKeys(
        certificate=asn1_certs[0],
        chain=tuple(asn1_certs[1:]),
        private_key=key,
        key_info=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_path=cert_path,
        key_path=key_path,
        demo=demo,
    )


_loaded: PdfIssuerKeys | None = None
_pdf_lock = threading.Lock()


def load_pdf_keys() -> PdfIssuerKeys:
    """The issuer's keys, read from disk on the first call only."""
    global _loaded
    if _loaded is None:
        with _pdf_lock:
            if _loaded is None:
                cert_path, key_path, demo = pdf_key_paths()
                if demo:
                    create_demo_issuer()
                _loaded = read_pdf_keys(cert_path, key_path, demo=demo)
    return _loaded


def forget_pdf_keys() -> None:
    """Drop the cached keys (after replacing the files, and in tests)."""
    global _loaded
    with _pdf_lock:
        _loaded = None
    from credentials.certificates import signing

    signing.forget_signer()


def key_file_is_private(path: Path) -> bool:
    return not (os.stat(path).st_mode & 0o077)
