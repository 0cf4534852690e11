"""GET /api/v1/credentials/<token>: a credential's public record as JSON (a public contract)."""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from credentials import issuer
from credentials.links import open_badge_url, verification_url
from credentials.selectors.register import credential_for_token, registration_is_public
from credentials.statuses import PublicRecord, public_record
from credentials.views.verify import not_found_json, public_json


def _register_name(credential) -> str:
    """ "GMC", as the register writes it before the number."""
    return credential.registration.removesuffix(credential.registration_number).strip()


def _date(value):
    return value.isoformat() if value is not None else None


def credential_payload(record: PublicRecord, *, registration_public: bool = False) -> dict:
    credential = record.credential
    renewal = getattr(credential, "superseded_by", None)
    return {
        "serial": credential.serial,
        "holder": credential.holder_name,
        # The number with its register ("GMC 7012345"), as the register shows it: null when
        # the holder has none or is not on the public register.
        "registration": (
            {
                "register": _register_name(credential),
                "number": credential.registration_number,
                "display": credential.registration,
            }
            if registration_public
            else None
        ),
        "credential": credential.title,
        "kind": credential.kind_id,
        "kind_label": credential.kind.name,
        "scope": credential.scope,
        "conditions": credential.conditions,
        # One of active, suspended, revoked, expired. "valid" says whether the credential
        # may be relied on today (an active one may not have started yet).
        "status": record.contract_status,
        "status_label": record.status_words,
        "status_description": record.description,
        "valid": record.is_valid,
        "status_reason": record.reason or None,
        "status_changed_at": _date(record.changed_at),
        "valid_from": _date(credential.valid_from),
        "valid_until": _date(credential.valid_until),
        "issued_at": _date(credential.issued_at),
        "issuer": {
            "name": issuer.issuer_name(),
            "id": issuer.issuer_id(),
            "url": issuer.issuer_url(),
        },
        "verification_url": verification_url(credential),
        "open_badge_url": open_badge_url(credential),
        "replaced_by": (
            {"serial": renewal.serial, "verification_url": verification_url(renewal)}
            if renewal is not None
            else None
        ),
    }


@require_safe
def credential(request, token: str):
    found = credential_for_token(token)
    if found is None:
        return not_found_json()
    payload = credential_payload(
        public_record(found), registration_public=registration_is_public(found)
    )
    return public_json(JsonResponse(payload))
