"""Credential events other parts listen to (watch lists, certificates).

Sent after the transaction that caused them commits, with `credential` and `event`.
"""

from django.dispatch import Signal

from credentials.statuses import CredentialEvent

__all__ = ["CredentialEvent", "announce", "credential_event"]


credential_event = Signal()


def announce(credential, event: CredentialEvent) -> None:
    from django.db import transaction

    transaction.on_commit(
        lambda: credential_event.send(sender=type(credential), credential=credential, event=event)
    )
