from credentials.models.credentials import (
    Credential,
    CredentialStatus,
    CredentialType,
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
    "CredentialType",
    "CredentialReminder",
    "CredentialStatus",
    "PublicStatus",
    "ReminderDays",
    "SerialCounter",
    "WatchList",
    "WatchListEntry",
    "WatchNotification",
]
