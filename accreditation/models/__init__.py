from accreditation.models.credentials import (
    Credential,
    CredentialKind,
    CredentialStatus,
    PublicStatus,
    SerialCounter,
)

__all__ = ["Credential", "CredentialKind", "CredentialStatus", "PublicStatus", "SerialCounter"]
