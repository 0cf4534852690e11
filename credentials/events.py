"""Credential events other parts listen to (watch lists, certificates).

Sent after the transaction that caused them commits, with `credential` and `event`.
"""

from django.db import models
from django.dispatch import Signal


class CredentialEvent(models.TextChoices):
    ISSUED = "issued", "Issued"
    SUSPENDED = "suspended", "Suspended"
    REINSTATED = "reinstated", "Reinstated"
    REVOKED = "revoked", "Revoked"
    SUPERSEDED = "superseded", "Replaced by a renewal"
    EXPIRING = "expiring", "Expires within 30 days"
    EXPIRED = "expired", "Expired"


credential_event = Signal()


def announce(credential, event: CredentialEvent) -> None:
    from django.db import transaction

    transaction.on_commit(
        lambda: credential_event.send(sender=type(credential), credential=credential, event=event)
    )
