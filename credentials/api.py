"""What other apps (exams, accreditation reviews) call to award credentials."""

from credentials.models import Credential, CredentialKind, CredentialStatus, PublicStatus
from credentials.services.credentials import (
    CredentialError,
    issue_credential,
    renew_credential,
    revoke_credential,
    suspend_credential,
)

__all__ = [
    "Credential",
    "CredentialError",
    "CredentialKind",
    "CredentialStatus",
    "PublicStatus",
    "issue_credential",
    "renew_credential",
    "revoke_credential",
    "suspend_credential",
]
