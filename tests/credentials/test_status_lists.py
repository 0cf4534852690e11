"""Bitstring Status Lists: each badge names its place in a revocation and a suspension list;
the lists are signed, compressed and published; the bit follows the credential's status.

The lists are read here with an independent implementation of the specification's
algorithm (W3C Bitstring Status List v1.0, section 3.2 "Validate Algorithm": multibase
base64url without padding, then GZIP, then the bit at index i counted from the left-most
bit of the first byte) rather than with the portal's own helpers."""

import base64
import gzip
import importlib

import pytest
from django.apps import apps

from credentials.models import Credential
from credentials.openbadges import decode_public_key_multibase, verify_credential
from credentials.services.credentials import (
    reinstate_credential,
    revoke_credential,
    suspend_credential,
)
from credentials.status_lists import LIST_SIZE
from tests.credentials.factories import make_credential

pytestmark = pytest.mark.django_db


def decode_list(encoded: str) -> bytes:
    """The spec's expansion: a multibase 'u' (base64url, no padding), then GZIP."""
    assert encoded[0] == "u", "multibase base64url has the prefix u"
    body = encoded[1:]
    compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return gzip.decompress(compressed)


def bit(bitstring: bytes, index: int) -> int:
    """Index 0 is the left-most (most significant) bit of the first byte."""
    return (bitstring[index // 8] >> (7 - index % 8)) & 1


def _entries(client, credential):
    badge = client.get(f"/verify/{credential.token}/credential.json").json()
    return {
        entry["statusPurpose"]: entry
        for entry in badge["credentialStatus"]
        if entry["type"] == "BitstringStatusListEntry"
    }


def _published_key(client):
    issuer = client.get("/issuer.json").json()
    return decode_public_key_multibase(issuer["verificationMethod"][0]["publicKeyMultibase"])


def _status(client, entry):
    """Fetch the list an entry names, check its proof and type, return the entry's bit."""
    path = entry["statusListCredential"].split("//", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    assert "max-age" in response["Cache-Control"]
    document = response.json()
    assert verify_credential(document, public_key=_published_key(client))
    assert "BitstringStatusListCredential" in document["type"]
    subject = document["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == entry["statusPurpose"]
    assert subject["ttl"] > 0
    bits = decode_list(subject["encodedList"])
    assert len(bits) * 8 >= 131_072
    return bit(bits, int(entry["statusListIndex"]))


def test_active_suspended_and_revoked_credentials_read_from_the_lists(client, superuser):
    active, suspended, revoked = make_credential(), make_credential(), make_credential()
    suspend_credential(credential=suspended, reason="Under review", actor=superuser)
    revoke_credential(credential=revoked, reason="Struck off", actor=superuser)
    found = {}
    for name, credential in (("active", active), ("suspended", suspended), ("revoked", revoked)):
        entries = _entries(client, credential)
        found[name] = (
            _status(client, entries["revocation"]),
            _status(client, entries["suspension"]),
        )
    assert found == {"active": (0, 0), "suspended": (0, 1), "revoked": (1, 0)}


def test_reinstating_clears_the_suspension_bit(client, superuser):
    credential = make_credential()
    entries = _entries(client, credential)
    suspend_credential(credential=credential, reason="Under review", actor=superuser)
    assert _status(client, entries["suspension"]) == 1
    reinstate_credential(credential=credential, reason="Review closed", actor=superuser)
    assert _status(client, entries["suspension"]) == 0


def test_each_badge_names_its_place_in_both_lists(client):
    credential = make_credential()
    entries = _entries(client, credential)
    assert set(entries) == {"revocation", "suspension"}
    for purpose, entry in entries.items():
        assert entry["statusListIndex"] == str(credential.status_index)
        assert entry["statusListCredential"].endswith(
            f"/status/{credential.status_list}/{purpose}.json"
        )
        assert entry["id"] == f"{entry['statusListCredential']}#{credential.status_index}"


def test_places_are_random_unique_and_within_the_list(db):
    credentials = [make_credential() for _ in range(40)]
    indexes = [c.status_index for c in credentials]
    assert len(set(indexes)) == 40
    assert all(0 <= i < LIST_SIZE for i in indexes)
    assert indexes != sorted(indexes)  # not handed out in order of issue
    assert {c.status_list for c in credentials} == {1}


def test_a_list_is_small_once_compressed(client):
    make_credential()
    document = client.get("/status/1/revocation.json").json()
    assert len(document["credentialSubject"]["encodedList"]) < 20 * 1024


def test_unknown_lists_and_purposes_are_not_found(client):
    make_credential()
    assert client.get("/status/99/revocation.json").status_code == 404
    assert client.get("/status/1/refresh.json").status_code == 404


def test_the_migration_places_credentials_made_before_it(db):
    made = [make_credential() for _ in range(5)]
    Credential.objects.update(status_list=None, status_index=None)
    migration = importlib.import_module("credentials.migrations.0003_status_lists")
    migration.place_existing_credentials(apps, None)
    places = list(Credential.objects.values_list("status_list", "status_index"))
    assert len(places) == len(made) and len(set(places)) == len(made)
    assert all(number == 1 and 0 <= index < LIST_SIZE for number, index in places)
