from credentials.models.api_keys import ApiKey, ApiKeyUse
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
    "ApiKey",
    "ApiKeyUse",
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
