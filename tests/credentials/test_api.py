"""GET /api/v1/credentials/<token>: the public JSON record (a public contract)."""

import datetime
import secrets

import pytest

from credentials.services.credentials import (
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from tests.credentials.factories import make_credential
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


@pytest.fixture
def credential():
    profile = ClinicianProfileFactory(
        full_name="Asha Patel",
        registration_number="7654321",
        region="NHS Kent and Medway ICB",
        consent_to_public_register=False,
    )
    return make_credential(profile.user, conditions="Injections under supervision.")


def fetch(client, token, slash=""):
    return client.get(f"/api/v1/credentials/{token}{slash}")


def test_the_record_has_the_contracted_fields(client, credential, settings):
    settings.PORTAL_BASE_URL = BASE
    response = fetch(client, credential.token)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["serial"] == credential.serial
    assert data["holder"] == "Asha Patel"
    assert data["credential"] == credential.title
    assert data["kind"] == "gpwer_msk"
    assert data["scope"] == credential.scope
    assert data["conditions"] == "Injections under supervision."
    assert data["status"] == "active"
    assert data["valid"] is True
    assert data["status_reason"] is None
    assert data["valid_from"] == "2026-01-01"
    assert data["valid_until"] == "2029-12-31"
    assert data["issued_at"] == credential.issued_at.isoformat()
    assert data["issuer"] == {
        "name": "Faculty of Sport and Exercise Medicine UK (FSEM)",
        "id": f"{BASE}/issuer.json",
        "url": f"{BASE}/",
    }
    assert data["verification_url"] == f"{BASE}/verify/{credential.token}/"
    assert data["open_badge_url"] == f"{BASE}/verify/{credential.token}/credential.json"
    assert data["replaced_by"] is None


def test_a_trailing_slash_is_accepted(client, credential):
    assert fetch(client, credential.token, "/").json() == fetch(client, credential.token).json()


def test_any_site_may_read_it_and_nobody_caches_it(client, credential):
    response = fetch(client, credential.token)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"


def test_no_contact_or_registration_details_are_given(client, credential):
    """The holder is not on the public register: nor is their number here."""
    body = fetch(client, credential.token).content.decode()
    for hidden in (credential.holder.email, "7654321", "NHS Kent and Medway ICB", "Riverside"):
        assert hidden not in body
    assert fetch(client, credential.token).json()["registration"] is None


@pytest.mark.parametrize(
    "token",
    ["unknown", "truncated", "garbage"],
)
def test_a_bad_token_gets_a_plain_json_404(client, credential, token):
    tokens = {
        "unknown": secrets.token_urlsafe(32),
        "truncated": credential.token[:-3],
        "garbage": "%3Cscript%3E",
    }
    response = fetch(client, tokens[token])
    assert response.status_code == 404
    assert response.json() == {"error": "not found"}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_every_guessed_or_truncated_token_gets_the_same_bare_404(client, credential):
    token = credential.token
    bad = [
        secrets.token_urlsafe(32),
        token[:-1],
        token[: len(token) // 2],
        token[:8],
        "abc",
        token + "A",
        token + "A" * 40,
        token[:-1] + "!",
        token.swapcase(),
        credential.serial,
        str(credential.pk),
    ]
    bodies = set()
    for guess in bad:
        response = fetch(client, guess)
        assert response.status_code == 404, guess
        assert response.json() == {"error": "not found"}
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "same-origin"
        body = response.content.decode()
        for secret in (credential.serial, "Asha Patel", credential.title, credential.scope):
            assert secret not in body
        bodies.add(body)
    assert bodies == {'{"error": "not found"}'}


def test_a_revoked_credential_is_revoked_and_not_valid(client, credential, superuser):
    revoke_credential(credential=credential, reason="Removed from the register", actor=superuser)
    data = fetch(client, credential.token).json()
    assert data["status"] == "revoked"
    assert data["valid"] is False
    assert data["status_reason"] == "Removed from the register"
    assert data["status_changed_at"]
    assert "not valid" in data["status_description"]


def test_a_suspended_credential_is_suspended_and_not_valid(client, credential, superuser):
    suspend_credential(credential=credential, reason="Under investigation", actor=superuser)
    data = fetch(client, credential.token).json()
    assert (data["status"], data["valid"], data["status_reason"]) == (
        "suspended",
        False,
        "Under investigation",
    )


def test_an_expired_credential_is_expired_and_not_valid(client):
    expired = make_credential(
        valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 12, 31)
    )
    data = fetch(client, expired.token).json()
    assert (data["status"], data["valid"], data["valid_until"]) == ("expired", False, "2021-12-31")


def test_a_renewed_credential_reads_expired_and_names_its_renewal(client, credential):
    renewal = renew_credential(
        credential=credential,
        source_type="tests.renewal",
        source_id="1",
        valid_from=datetime.date(2026, 6, 1),
        valid_until=None,
    )
    data = fetch(client, credential.token).json()
    # The contract's statuses are active, suspended, revoked and expired: no fifth value.
    assert (data["status"], data["status_label"]) == ("expired", "Replaced by a renewal")
    assert data["valid"] is False
    assert data["replaced_by"]["serial"] == renewal.serial
    assert data["replaced_by"]["verification_url"].endswith(f"/verify/{renewal.token}/")
    renewed = fetch(client, renewal.token).json()
    assert (renewed["status"], renewed["valid"], renewed["valid_until"]) == ("active", True, None)


def test_a_credential_that_has_not_started_is_active_but_not_valid(client):
    future = make_credential(valid_from=datetime.date(2099, 1, 1), valid_until=None)
    data = fetch(client, future.token).json()
    assert (data["status"], data["valid"], data["status_label"]) == (
        "active",
        False,
        "Not yet valid",
    )


def test_it_takes_one_query(client, credential, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert fetch(client, credential.token).status_code == 200


def test_it_is_read_only(client, credential):
    assert client.post(f"/api/v1/credentials/{credential.token}").status_code == 405
    assert client.delete(f"/api/v1/credentials/{credential.token}").status_code == 405
