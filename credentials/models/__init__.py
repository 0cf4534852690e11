from credentials.models.credentials import (
    Credential,
    CredentialKind,
    CredentialStatus,
    PublicStatus,
    SerialCounter,
)
from credentials.models.watchlists import (
    CredentialExpiryNotice,
    CredentialReminder,
    ReminderDays,
    WatchList,
    WatchListEntry,
    WatchNotification,
)

__all__ = [
    "Credential",
    "CredentialExpiryNotice",
    "CredentialKind",
    "CredentialReminder",
    "CredentialStatus",
    "PublicStatus",
    "ReminderDays",
    "SerialCounter",
    "WatchList",
    "WatchListEntry",
    "WatchNotification",
]
