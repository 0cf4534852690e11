"""PAdES baseline B-B signatures on the faculty's PDFs (certificates, results letters), with
pyHanko.

The signer is built once per process from the issuer's keys (credentials.issuer): parsing the
key on every signature (pyHanko's SimpleSigner does, and an RSA key takes ~50 ms to load) would cost
more than the signature itself. The signature is a certification signature that allows no
changes: a reader shows the document as certified by the faculty, and any edit breaks it.

The signature is added as an incremental update, so the tagged structure WeasyPrint wrote
(PDF/UA-2) stays as it was. Its field is invisible and untagged, so its widget lies outside the
page (pyHanko's box_out_of_bounds) with the print flag kept: allowed by PDF/UA and by PDF/A.
"""

import io
import threading

from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import InvisSigSettings, MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from credentials.issuer import PdfIssuerKeys, load_pdf_keys

SIGNATURE_FIELD = "FacultySignature"
FIELD_SPEC = SigFieldSpec(
    SIGNATURE_FIELD, invis_sig_settings=InvisSigSettings(box_out_of_bounds=True)
)
DIGEST = "sha256"
CERTIFICATE_REASON = "Certificate issued by the faculty"
# Room for the CMS signature beyond the certificates it carries (pyHanko would otherwise sign a
# dummy document first to measure it). The placeholder holds hex: two characters a byte.
SIGNATURE_OVERHEAD_BYTES = 4096


class _LoadedKeySigner(signers.SimpleSigner):
    """SimpleSigner that signs with an already parsed key instead of re-reading its DER."""

    def __init__(self, *, private_key, **kwargs):
        self._private_key = private_key
        super().__init__(**kwargs)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        key = self._private_key
        if mechanism == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
            return key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


def build_pdf_signer(issuer: PdfIssuerKeys) -> tuple[signers.Signer, int]:
    """The issuer's signer and the bytes to reserve for its signature."""
    signer = _LoadedKeySigner(
        private_key=issuer.private_key,
        signing_cert=issuer.certificate,
        signing_key=issuer.key_info,
        # The signing certificate is embedded anyway; the registry adds only the chain.
        cert_registry=SimpleCertificateStore.from_certs(list(issuer.chain)),
    )
    reserved = 2 * (
        SIGNATURE_OVERHEAD_BYTES
        + sum(len(cert.dump()) for cert in (issuer.certificate, *issuer.chain))
    )
    return signer, reserved


_signer: tuple[signers.Signer, int] | None = None
_lock = threading.Lock()


def _pdf_signer() -> tuple[signers.Signer, int]:
    global _signer
    if _signer is None:
        with _lock:
            if _signer is None:
                _signer = build_pdf_signer(load_pdf_keys())
    return _signer


def forget_signer() -> None:
    global _signer
    with _lock:
        _signer = None


def sign_pdf(pdf: bytes, *, reason: str = CERTIFICATE_REASON) -> bytes:
    """PDF bytes in, the same document with the issuer's PAdES B-B signature out, signed in
    the issuer's name (settings.ISSUER_NAME, the name its certificate should carry too) for
    REASON.

    Synchronous (pyHanko runs its own event loop): call it from views and tasks, not from
    async code.
    """
    signer, reserved = _pdf_signer()
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm=DIGEST,
        reason=reason,
        name=settings.ISSUER_NAME,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    pdf_signer = signers.PdfSigner(meta, signer, new_field_spec=FIELD_SPEC)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = pdf_signer.sign_pdf(writer, bytes_reserved=reserved, output=io.BytesIO())
    return output.getvalue()
