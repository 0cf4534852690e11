"""Queue a certificate when a credential is issued (connected in AccreditationConfig.ready)."""

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from credentials.events import CredentialEvent, credential_event


@receiver(credential_event, dispatch_uid="credentials.certificates.on_issue")
def queue_certificate_on_issue(sender, *, credential, event, **kwargs) -> None:
    if event != CredentialEvent.ISSUED or not settings.CERTIFICATES_ON_ISSUE:
        return
    from credentials.tasks import generate_certificates

    pk = credential.pk
    transaction.on_commit(lambda: generate_certificates.enqueue(credential_ids=[pk]))
