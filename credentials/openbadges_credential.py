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

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from credentials import issuer
from credentials.models import Credential, CredentialKind, PublicStatus
from credentials.openbadges import sign_credential
from credentials.openbadges.loader import MULTIKEY_V1_URL, OB_V3P0_URL, VC_V2_URL
from credentials.selectors.register import PublicRecord, public_record

CONTEXTS = [VC_V2_URL, OB_V3P0_URL]
# Terms the issuer profile uses that no shipped context defines (from the W3C Controlled
# Identifiers vocabulary), so that the profile is complete JSON-LD without fetching anything.
KEY_TERMS = {
    "verificationMethod": {"@id": "https://w3id.org/security#verificationMethod", "@type": "@id"},
    "assertionMethod": {"@id": "https://w3id.org/security#assertionMethod", "@type": "@id"},
}
CRITERIA = {
    CredentialKind.GPWER_MSK: (
        "Eligibility review (extended role, Diploma in MSK Medicine, member in good standing); "
        "a portfolio judged by two trained assessors against both Capabilities in Practice at "
        "'entrusted to act independently'; sign-off by the lead assessor."
    ),
    CredentialKind.MSK_ADVANCED_PRACTICE: (
        "A portfolio of peer-confirmed evidence mapped to the four pillars of advanced "
        "practice and their capabilities, verified by more than one reviewer."
    ),
    CredentialKind.SPORT_EXERCISE_THERAPIST: (
        "Assessment against the service's competency framework for sport and exercise therapists."
    ),
    CredentialKind.DIPLOMA: "A pass in the Diploma in MSK Medicine examination.",
    CredentialKind.MEMBERSHIP: "A pass in both parts of the membership examination.",
}
STATUS_SENTENCES = {
    PublicStatus.ACTIVE: "This credential is valid.",
    PublicStatus.SUSPENDED: "This credential is suspended and is not valid.",
    PublicStatus.REVOKED: "This credential has been revoked and is not valid.",
    PublicStatus.EXPIRED: "This credential has expired and is not valid.",
    PublicStatus.SUPERSEDED: "This credential has been replaced by a renewal and is not valid.",
}


def absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def verification_url(credential: Credential) -> str:
    return absolute(reverse("credentials:verify", args=[credential.token]))


def open_badge_url(credential: Credential) -> str:
    return absolute(reverse("credentials:verify_credential_json", args=[credential.token]))


def status_url(credential: Credential) -> str:
    return absolute(reverse("credentials:api_credential", args=[credential.token]))


def achievement_id(kind: str) -> str:
    return f"{issuer.issuer_id()}#achievement-{kind}"


def _xsd(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _start_of(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _end_of(day: datetime.date) -> str:
    return f"{day.isoformat()}T23:59:59Z"


def status_description(record: PublicRecord) -> str:
    credential = record.credential
    if record.not_yet_valid:
        when = date_format(credential.valid_from, "j F Y")
        return f"This credential is not valid until {when}."
    sentence = STATUS_SENTENCES[record.status]
    if record.status == PublicStatus.EXPIRED:
        return f"{sentence} It expired after {date_format(credential.valid_until, 'j F Y')}."
    if record.changed_at is not None:
        sentence += f" Since {date_format(timezone.localtime(record.changed_at), 'j F Y')}."
    if record.reason:
        sentence += f" Reason: {record.reason}"
    return sentence


def credential_status(record: PublicRecord) -> dict:
    """The current status, stated in the signed document (and checkable at its id)."""
    return {
        "id": status_url(record.credential),
        "type": f"{issuer.issuer_id()}#CredentialStatusCheck",
        "name": record.status.value,
        "description": status_description(record),
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
        "description": f"{status_description(record)}\n\n{description}",
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
                "id": achievement_id(credential.kind),
                "type": ["Achievement"],
                "name": credential.title,
                "description": credential.scope or credential.title,
                "criteria": {"narrative": CRITERIA[CredentialKind(credential.kind)]},
            },
        },
        "credentialStatus": credential_status(record),
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
