"""A throwaway signing certificate issued by a throwaway CA, made at run time and never kept.

What production's ISSUER_CERT_FILE looks like (the faculty's certificate, then the CA that issued
it), for the places that check a production configuration with `check --deploy`: CI, the settings
test and the production smoke run. The committed test pair is a demonstration certificate (its
key is public), which `check --deploy` rightly warns about.

    python -m tests.credentials.signing_keys FOLDER   writes FOLDER/cert.pem and FOLDER/key.pem
"""

import datetime
import os
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

FACULTY = "Faculty of Sport and Exercise Medicine UK (FSEM)"
LIFETIME = datetime.timedelta(days=60)


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def ca_issued_pair(name: str = FACULTY) -> tuple[bytes, bytes]:
    """(certificate chain PEM: the signer's certificate then the CA's, signer's key PEM)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Throwaway test CA (made at run time)", "Test CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(name, name))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + LIFETIME)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signing=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(pem) + ca.public_bytes(pem), key_pem


def write_ca_issued_pair(folder: Path, name: str = FACULTY) -> tuple[Path, Path]:
    """Write cert.pem and key.pem (mode 0600) into FOLDER; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    chain, key = ca_issued_pair(name)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(chain)
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return cert_path, key_path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write_ca_issued_pair(Path(sys.argv[1]))
