"""Accreditation background tasks. Thin: load the rows, call the service."""

import logging

from django.tasks import task

from credentials.models import Credential

logger = logging.getLogger(__name__)


@task
def generate_certificates(*, credential_ids: list[int], force: bool = False) -> int:
    """Make the signed PDF certificate of each credential; return how many now have one.

    One run handles any number (bulk generation reuses one renderer and one signer). A revoked
    credential is skipped; any other failure stops the run, to be retried.
    """
    from credentials.certificates.services import generate_certificate
    from credentials.services.credentials import CredentialError

    done = 0
    for credential in Credential.objects.filter(pk__in=credential_ids).order_by("pk"):
        try:
            generate_certificate(credential=credential, force=force)
        except CredentialError as exc:
            logger.info("No certificate for %s: %s", credential.serial, exc.message)
            continue
        done += 1
    return done
