"""Open Badges 3.0: a Credential as a signed OpenBadgeCredential, and the issuer's profile.

The badge is built and signed when it is asked for, so it always states the credential's
current status: `credentialStatus` names it ("active", "suspended", "revoked", "expired" or
"superseded") and says in words whether the credential is valid, with the reason and date of a
suspension or revocation. Its `id` points at the JSON status API for a machine check.
The proof is an eddsa-rdfc-2022 DataIntegrityProof by the issuer's key, published as a
Multikey in /issuer.json. Only terms the VC 2.0 and OB 3.0.3 contexts define are used: the
signer refuses anything JSON-LD would drop, so every field is covered by the signature.
"""

import datetime

from django.utils import timezone

from credentials import issuer
from credentials.links import status_url, verification_url
from credentials.models import Credential
from credentials.openbadges import sign_credential
from credentials.openbadges.loader import MULTIKEY_V1_URL, OB_V3P0_URL, VC_V2_URL
from credentials.status_lists import status_entries
from credentials.statuses import PublicRecord, public_record

CONTEXTS = [VC_V2_URL, OB_V3P0_URL]
# Terms the issuer profile uses that no shipped context defines (from the W3C Controlled
# Identifiers vocabulary), so that the profile is complete JSON-LD without fetching anything.
KEY_TERMS = {
    "verificationMethod": {"@id": "https://w3id.org/security#verificationMethod", "@type": "@id"},
    "assertionMethod": {"@id": "https://w3id.org/security#assertionMethod", "@type": "@id"},
}


def achievement_id(kind: str) -> str:
    return f"{issuer.issuer_id()}#achievement-{kind}"


def _xsd(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _start_of(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _end_of(day: datetime.date) -> str:
    return f"{day.isoformat()}T23:59:59Z"


def credential_status(record: PublicRecord) -> dict:
    """The current status, stated in the signed document (and checkable at its id)."""
    return {
        "id": status_url(record.credential),
        "type": f"{issuer.issuer_id()}#CredentialStatusCheck",
        "name": record.status.value,
        "description": record.description,
    }


def credential_document(credential: Credential, *, today: datetime.date | None = None) -> dict:
    """The unsigned OpenBadgeCredential for CREDENTIAL as it stands today."""
    record = public_record(credential, today)
    description = record.credential.scope or credential.title
    if credential.conditions:
        description = f"{description}\n\nConditions: {credential.conditions}"
    document = {
        "@context": list(CONTEXTS),
        "id": verification_url(credential),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer.issuer_id(),
            "type": ["Profile"],
            "name": issuer.issuer_name(),
            "url": issuer.issuer_url(),
        },
        "validFrom": _start_of(credential.valid_from),
        "name": credential.title,
        "description": f"{record.description}\n\n{description}",
        "awardedDate": _xsd(credential.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": credential.holder_name,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": credential.holder_name,
                }
            ],
            "licenseNumber": credential.serial,
            "achievement": {
                "id": achievement_id(credential.kind_id),
                "type": ["Achievement"],
                "name": credential.title,
                "description": credential.scope or credential.title,
                "criteria": {"narrative": credential.kind.criteria},
            },
        },
        # The status in words (and its API), then the two Bitstring Status List entries that
        # a wallet checks without asking about this credential.
        "credentialStatus": [credential_status(record), *status_entries(credential)],
    }
    if credential.valid_until is not None:
        document["validUntil"] = _end_of(credential.valid_until)
    return document


def signed_credential(
    credential: Credential,
    *,
    today: datetime.date | None = None,
    created: datetime.datetime | None = None,
) -> dict:
    """The OpenBadgeCredential with an eddsa-rdfc-2022 proof made now by the issuer's key."""
    return sign_credential(
        credential_document(credential, today=today),
        private_key=issuer.private_key(),
        verification_method=issuer.verification_method(),
        created=created or timezone.now(),
    )


def issuer_document() -> dict:
    """/issuer.json: the issuer's Profile, publishing its key as a Multikey."""
    issuer_id = issuer.issuer_id()
    method = issuer.verification_method()
    return {
        "@context": [*CONTEXTS, MULTIKEY_V1_URL, KEY_TERMS],
        "id": issuer_id,
        "type": ["Profile"],
        "name": issuer.issuer_name(),
        "url": issuer.issuer_url(),
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": issuer_id,
                "publicKeyMultibase": issuer.public_key_id(),
            }
        ],
        "assertionMethod": [method],
    }
