"""Open Badges 3.0: the signed credential.json, the issuer's key document, and the key itself."""

import copy
import datetime
import os
import secrets
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from credentials import issuer
from credentials.openbadges import canonicalize, verify_credential
from credentials.services.credentials import (
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from tests.credentials.factories import make_credential
from tests.portal.test_settings_and_security import PRODUCTION_ENV, ROOT, _manage
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

BASE = "https://portal.example.org"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
TEST_SEED_FILE = ROOT / "tests" / "credentials" / "issuer-test-seed.txt"
TEST_SEED_MULTIKEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"  # 1EdTech test vector


@pytest.fixture(autouse=True)
def own_key(settings, tmp_path):
    """Each test gets a fresh demo key under its own VAR_DIR."""
    settings.VAR_DIR = tmp_path
    settings.ISSUER_ED25519_KEY_FILE = ""
    settings.PORTAL_BASE_URL = BASE


@pytest.fixture
def credential():
    profile = ClinicianProfileFactory(full_name="Asha Patel", registration_number="7654321")
    return make_credential(
        profile.user,
        scope="Community MSK triage and injection therapy.",
        conditions="Injections under supervision.",
    )


def badge(client, credential):
    response = client.get(f"/verify/{credential.token}/credential.json")
    assert response.status_code == 200
    return response.json()


def published_key(client, verification_method):
    """Find the key the way a verifier would: dereference the method in /issuer.json."""
    document = client.get("/issuer.json").json()
    for method in document["verificationMethod"]:
        if method["id"] == verification_method:
            return method["publicKeyMultibase"]
    raise AssertionError(f"{verification_method} is not published")


def test_the_badge_is_an_open_badge_credential(client, credential):
    document = badge(client, credential)
    assert document["@context"] == [VC_V2, OB_303]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["id"] == f"{BASE}/verify/{credential.token}/"
    assert document["issuer"] == {
        "id": f"{BASE}/issuer.json",
        "type": ["Profile"],
        "name": "Faculty of Sport and Exercise Medicine UK (FSEM)",
        "url": f"{BASE}/",
    }
    assert document["validFrom"] == "2026-01-01T00:00:00Z"
    assert document["validUntil"] == "2029-12-31T23:59:59Z"
    assert document["name"] == credential.title
    subject = document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "Asha Patel"
    assert subject["identifier"][0]["identityHash"] == "Asha Patel"
    assert subject["licenseNumber"] == credential.serial
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["id"].startswith(f"{BASE}/issuer.json#achievement-")
    assert achievement["name"] == credential.title
    assert achievement["description"] == "Community MSK triage and injection therapy."
    assert achievement["criteria"]["narrative"]
    assert document["credentialStatus"][0]["name"] == "active"
    assert document["credentialStatus"][0]["id"] == f"{BASE}/api/v1/credentials/{credential.token}"


def test_the_proof_is_eddsa_rdfc_2022_by_the_issuers_key(client, credential):
    proof = badge(client, credential)["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == f"{BASE}/issuer.json#{issuer.public_key_id()}"
    assert proof["verificationMethod"].split("#")[1].startswith("z6Mk")
    assert proof["proofValue"].startswith("z")


def test_the_badge_verifies_with_the_published_key(client, credential):
    document = badge(client, credential)
    key = published_key(client, document["proof"]["verificationMethod"])
    assert verify_credential(document, public_key=key)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "Consultant in everything"),
        (("validUntil",), "2099-12-31T23:59:59Z"),
        (("validFrom",), "2020-01-01T00:00:00Z"),
        (("issuer", "name"), "Another faculty"),
        (("credentialSubject", "name"), "Someone Else"),
        (("credentialSubject", "licenseNumber"), "GPWER-2026-99999"),
        (("credentialSubject", "achievement", "description"), "All of medicine."),
        (("credentialStatus", 0, "name"), "active-forever"),
        (("description",), "This credential is valid."),
        (("id",), f"{BASE}/verify/another-token/"),
    ],
)
def test_changing_any_field_breaks_the_proof(client, credential, path, value):
    document = badge(client, credential)
    key = published_key(client, document["proof"]["verificationMethod"])
    tampered = copy.deepcopy(document)
    target = tampered
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert not verify_credential(tampered, public_key=key)


def test_adding_a_field_breaks_the_proof(client, credential):
    document = badge(client, credential)
    key = published_key(client, document["proof"]["verificationMethod"])
    document["credentialSubject"]["achievement"]["criteria"]["narrative"] += " And more."
    assert not verify_credential(document, public_key=key)


def test_a_revoked_credentials_badge_says_so(client, credential, superuser):
    revoke_credential(
        credential=credential, reason="Removed from the GMC register", actor=superuser
    )
    document = badge(client, credential)
    status = document["credentialStatus"][0]
    assert status["name"] == "revoked"
    assert "revoked and is not valid" in status["description"]
    assert "Removed from the GMC register" in status["description"]
    assert document["description"].startswith("This credential has been revoked")
    key = published_key(client, document["proof"]["verificationMethod"])
    assert verify_credential(document, public_key=key)  # a signed statement of the revocation


def test_a_suspended_credentials_badge_says_so(client, credential, superuser):
    suspend_credential(credential=credential, reason="Under investigation", actor=superuser)
    status = badge(client, credential)["credentialStatus"][0]
    assert status["name"] == "suspended"
    assert "suspended and is not valid" in status["description"]


def test_an_expired_credentials_badge_says_so(client):
    expired = make_credential(
        valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2022, 6, 30)
    )
    document = badge(client, expired)
    assert document["credentialStatus"][0]["name"] == "expired"
    assert "expired and is not valid" in document["credentialStatus"][0]["description"]
    assert document["validUntil"] == "2022-06-30T23:59:59Z"


def test_a_renewed_credentials_badge_says_it_was_replaced(client, credential):
    renew_credential(
        credential=credential,
        source_type="tests.renewal",
        source_id="1",
        valid_from=datetime.date(2026, 6, 1),
        valid_until=None,
    )
    status = badge(client, credential)["credentialStatus"][0]
    assert status["name"] == "superseded"
    assert "replaced by a renewal and is not valid" in status["description"]


def test_a_credential_without_an_end_date_has_no_valid_until(client):
    open_ended = make_credential(valid_until=None)
    assert "validUntil" not in badge(client, open_ended)


def test_the_badge_never_carries_contact_details(client, credential):
    body = client.get(f"/verify/{credential.token}/credential.json").content.decode()
    assert credential.holder.email not in body
    assert "7654321" not in body


def test_the_badge_is_public_read_only_json(client, credential):
    response = client.get(f"/verify/{credential.token}/credential.json")
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert client.post(f"/verify/{credential.token}/credential.json").status_code == 405


@pytest.mark.parametrize(
    "kind", ["unknown", "truncated", "half", "extended", "other case", "serial", "bulk"]
)
def test_a_bad_token_has_no_badge(client, credential, kind):
    token = {
        "unknown": secrets.token_urlsafe(32),
        "truncated": credential.token[:-1],
        "half": credential.token[:21],
        "extended": credential.token + "A",
        "other case": credential.token.swapcase(),
        "serial": credential.serial,
        "bulk": "bulk",
    }[kind]
    response = client.get(f"/verify/{token}/credential.json")
    assert response.status_code == 404
    assert response.json() == {"error": "not found"}
    body = response.content.decode()
    for secret in ("Asha Patel", credential.serial, "proof", credential.scope):
        assert secret not in body


def test_the_badge_takes_one_query(client, credential, django_assert_num_queries):
    issuer.public_key_id()  # the key is read from its file once per process
    with django_assert_num_queries(1):
        badge(client, credential)


def _leaves(node, path=()):
    """Every (path, value) of a scalar in the document, proof included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    else:
        yield path, node


def _changed(value):
    if isinstance(value, bool):
        return not value
    if value.startswith("z"):  # a multibase value: change its last character
        return value[:-1] + ("1" if value[-1] != "1" else "2")
    return value[:-1] + ("X" if value[-1] != "X" else "Y")


def test_changing_any_single_value_anywhere_breaks_the_proof(client, credential, superuser):
    revoke_credential(credential=credential, reason="Struck off", actor=superuser)
    document = badge(client, credential)
    key = published_key(client, document["proof"]["verificationMethod"])
    assert verify_credential(document, public_key=key)
    leaves = list(_leaves(document))
    assert len(leaves) > 25
    for path, value in leaves:
        tampered = copy.deepcopy(document)
        target = tampered
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = _changed(value)
        assert not verify_credential(tampered, public_key=key), path


@pytest.mark.parametrize(
    "path",
    [
        ("validUntil",),
        ("credentialStatus",),
        ("credentialStatus", 0, "description"),
        ("credentialStatus", 1, "statusListIndex"),
        ("credentialSubject", "achievement", "description"),
        ("description",),
        ("issuer", "name"),
    ],
)
def test_removing_a_field_breaks_the_proof(client, credential, path):
    document = badge(client, credential)
    key = published_key(client, document["proof"]["verificationMethod"])
    target = document
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    assert not verify_credential(document, public_key=key)


def test_a_revoked_badge_cannot_be_passed_off_as_active(client, credential, superuser):
    revoke_credential(credential=credential, reason="Struck off", actor=superuser)
    revoked = badge(client, credential)
    key = published_key(client, revoked["proof"]["verificationMethod"])
    forged = copy.deepcopy(revoked)
    forged["credentialStatus"][0]["name"] = "active"
    forged["credentialStatus"][0]["description"] = "This credential is valid."
    forged["description"] = forged["description"].replace(
        revoked["credentialStatus"][0]["description"], "This credential is valid."
    )
    assert not verify_credential(forged, public_key=key)


def test_the_issuer_document_publishes_the_key_as_a_multikey(client):
    response = client.get("/issuer.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    multikey = issuer.public_key_id()
    method_id = f"{BASE}/issuer.json#{multikey}"
    assert document["id"] == f"{BASE}/issuer.json"
    assert document["type"] == ["Profile"]
    assert document["name"] == "Faculty of Sport and Exercise Medicine UK (FSEM)"
    assert document["verificationMethod"] == [
        {
            "id": method_id,
            "type": "Multikey",
            "controller": f"{BASE}/issuer.json",
            "publicKeyMultibase": multikey,
        }
    ]
    assert document["assertionMethod"] == [method_id]
    # Well-formed JSON-LD: nothing in it is dropped when it is processed.
    nquads = canonicalize(document)
    assert "https://w3id.org/security#publicKeyMultibase" in nquads
    assert "https://w3id.org/security#assertionMethod" in nquads
    assert "PRIVATE" not in response.content.decode()


def test_the_demo_key_is_made_once_and_kept_private(settings, tmp_path):
    path = tmp_path / "issuer" / "ed25519.pem"
    first = issuer.public_key_id()
    assert path.is_file()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    issuer._keys.clear()  # as a new process would
    assert issuer.public_key_id() == first


def test_a_configured_key_file_is_used(settings):
    settings.ISSUER_ED25519_KEY_FILE = str(TEST_SEED_FILE)
    assert issuer.public_key_id() == TEST_SEED_MULTIKEY


def test_a_broken_key_file_stops_with_a_clear_message(settings, tmp_path):
    broken = tmp_path / "broken.pem"
    broken.write_text("not a key")
    settings.ISSUER_ED25519_KEY_FILE = str(broken)
    with pytest.raises(ImproperlyConfigured, match="is not an Ed25519 key"):
        issuer.private_key()


def test_production_without_an_issuer_key_does_not_start():
    result = _manage("check", **{**PRODUCTION_ENV, "ISSUER_ED25519_KEY_FILE": ""})
    assert result.returncode != 0
    assert "ISSUER_ED25519_KEY_FILE must be set" in result.stderr


def test_production_with_a_missing_issuer_key_file_does_not_start(tmp_path):
    missing = str(tmp_path / "nowhere.pem")
    result = _manage("check", **{**PRODUCTION_ENV, "ISSUER_ED25519_KEY_FILE": missing})
    assert result.returncode != 0
    assert "is not a readable file" in result.stderr
