"""Making a credential's signed PDF certificate: one guarded, audited function."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from credentials.models import Credential, CredentialStatus
from credentials.services.credentials import CredentialError
from portal.audit import record


def can_have_certificate(credential: Credential) -> bool:
    """Every credential but a revoked one: a certificate is the record of an award."""
    return credential.status != CredentialStatus.REVOKED


def signed_certificate_pdf(*, credential: Credential) -> bytes:
    """Render and sign, storing nothing (the benchmark and previews use this)."""
    # WeasyPrint and pyHanko load only in the processes that make PDFs.
    from credentials.certificates.render import render_certificate
    from credentials.certificates.signing import sign_pdf

    return sign_pdf(render_certificate(credential))


def generate_certificate(*, credential: Credential, force: bool = False, actor=None) -> Credential:
    """Render, sign and store CREDENTIAL's certificate; return the credential as stored.

    Idempotent: a credential that has a certificate keeps it unless FORCE. The slow part
    (layout and signature, ~0.1 s) runs before the row is locked; under the lock the
    certificate is stored only if nobody stored one meanwhile. A replaced file is deleted
    once the new one is committed; a file written by a rolled-back attempt is deleted at once.
    """
    if credential.certificate and not force:
        return credential
    if not can_have_certificate(credential):
        raise CredentialError("A revoked credential has no certificate.")
    pdf = signed_certificate_pdf(credential=credential)
    stored_name = None
    try:
        with transaction.atomic():
            locked = Credential.objects.select_for_update().get(pk=credential.pk)
            if locked.certificate and not force:
                return locked
            if not can_have_certificate(locked):
                raise CredentialError("A revoked credential has no certificate.")
            old_name = locked.certificate.name
            locked.certificate.save(f"{locked.serial}.pdf", ContentFile(pdf), save=False)
            stored_name = locked.certificate.name
            locked.save(update_fields=["certificate"])
            record(
                "credential.certificate_generated",
                obj=locked,
                old={"certificate": old_name} if old_name else None,
                new={
                    "certificate": stored_name,
                    "sha256": hashlib.sha256(pdf).hexdigest(),
                    "bytes": len(pdf),
                },
                actor=actor,
                detail=locked.serial,
            )
            if old_name and old_name != stored_name:
                storage = locked.certificate.storage
                transaction.on_commit(lambda: storage.delete(old_name), robust=True)
    except BaseException:
        if stored_name:
            credential.certificate.storage.delete(stored_name)
        raise
    return locked
