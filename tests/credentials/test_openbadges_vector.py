"""The 1EdTech Open Badges 3.0 eddsa-rdfc-2022 test vector, reproduced byte for byte."""

import copy
import datetime as dt
import hashlib
import json
import socket
import threading
from pathlib import Path

import pytest

from credentials.openbadges import (
    ContextNotAllowed,
    DataIntegrityError,
    InvalidKey,
    UnsafeDocument,
    canonicalize,
    decode_public_key_multibase,
    document_loader,
    generate_private_key,
    load_private_key,
    load_public_key,
    private_key_pem,
    private_key_seed,
    public_key_multibase,
    sign_credential,
    verify_credential,
)
from credentials.openbadges.dataintegrity import hash_data, proof_config
from credentials.openbadges.keys import b58decode, b58encode, raw_public_key
from credentials.openbadges.loader import CONTEXT_FILES, CONTEXTS_DIR, load_context

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTORS = Path(__file__).resolve().parent / "vectors" / "ob3"
SHARED_VECTORS = REPO_ROOT.parent / "shared" / "reference" / "ob3"
VECTOR_FILES = [
    "vector.json",
    "document-canon.txt",
    "proof-canon.txt",
    "signed-ob3-eddsa.json",
    "ob-context-3.0.3.json",
]

VECTOR = json.loads((VECTORS / "vector.json").read_text(encoding="utf-8"))
SIGNED_BYTES = (VECTORS / "signed-ob3-eddsa.json").read_bytes()
SIGNED = json.loads(SIGNED_BYTES)
DOCUMENT_CANON = (VECTORS / "document-canon.txt").read_bytes()
PROOF_CANON = (VECTORS / "proof-canon.txt").read_bytes()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Every test here runs with sockets and DNS disabled: nothing may be fetched."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def private_key():
    return load_private_key(bytes.fromhex(VECTOR["private_key_seed_hex"]))


def unsigned():
    return {name: value for name, value in copy.deepcopy(SIGNED).items() if name != "proof"}


# --- the vector files -------------------------------------------------------------------


# SHA-256 of the published files in ../shared/reference/ob3, so the vendored copy is checked
# on machines without that folder too.
PUBLISHED_SHA256 = {
    "document-canon.txt": "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773",
    "ob-context-3.0.3.json": "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    "proof-canon.txt": "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19",
    "signed-ob3-eddsa.json": "68e790303a7d725bb06747b4ae0d7ee36bef51b38799c87bb5f9c2a649c18f55",
    "vector.json": "7008d19738c3d5bd5ab95c660056e68b90e2cf7f017646a3fca748c2e0b7ed48",
}


@pytest.mark.parametrize("name", VECTOR_FILES)
def test_vendored_vector_is_the_published_one(name):
    digest = hashlib.sha256((VECTORS / name).read_bytes()).hexdigest()
    assert digest == PUBLISHED_SHA256[name]
    if SHARED_VECTORS.is_dir():
        assert (VECTORS / name).read_bytes() == (SHARED_VECTORS / name).read_bytes()


def test_shipped_ob_context_is_the_reference_one():
    shipped = (
        CONTEXTS_DIR / CONTEXT_FILES["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    )
    assert shipped.read_bytes() == (VECTORS / "ob-context-3.0.3.json").read_bytes()


# --- keys --------------------------------------------------------------------------------


def test_public_key_from_seed(private_key):
    assert raw_public_key(private_key).hex() == VECTOR["public_key_hex"]


def test_public_key_multibase(private_key):
    assert public_key_multibase(private_key) == VECTOR["publicKeyMultibase"]
    assert public_key_multibase(private_key.public_key()) == VECTOR["publicKeyMultibase"]


def test_multikey_decodes_to_the_same_key():
    key = decode_public_key_multibase(VECTOR["publicKeyMultibase"])
    assert raw_public_key(key).hex() == VECTOR["public_key_hex"]


@pytest.mark.parametrize(
    "value",
    [
        "6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",  # no multibase prefix
        "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hw",  # one character short
        "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hw0",  # '0' is not base58
        "z" + b58encode(b"\x12\x00" + bytes(32)),  # wrong multicodec
        "z",
    ],
)
def test_bad_multikey_is_rejected(value):
    with pytest.raises(InvalidKey):
        decode_public_key_multibase(value)


@pytest.mark.parametrize("data", [b"", b"\0", b"\0\0\x01", bytes(range(256)), b"\xff" * 40])
def test_base58_round_trip(data):
    assert b58decode(b58encode(data)) == data


def test_base58_known_value():
    assert b58encode(b"hello world") == "StV1DL6CwTryKyV"
    assert b58encode(b"\0\0abc") == "11ZiCa"


def test_private_key_forms_agree(private_key):
    seed = bytes.fromhex(VECTOR["private_key_seed_hex"])
    pem = private_key_pem(private_key)
    for form in (seed, VECTOR["private_key_seed_hex"], pem, pem.decode(), private_key):
        assert private_key_seed(load_private_key(form)) == seed


def test_public_key_forms_agree(private_key):
    expected = bytes.fromhex(VECTOR["public_key_hex"])
    for form in (
        private_key,
        private_key.public_key(),
        expected,
        VECTOR["public_key_hex"],
        VECTOR["publicKeyMultibase"],
    ):
        assert raw_public_key(load_public_key(form)) == expected


@pytest.mark.parametrize("value", [b"short", "nothex" * 11, "", 12345, b"\0" * 31])
def test_bad_private_key_is_rejected(value):
    with pytest.raises(InvalidKey):
        load_private_key(value)


# --- canonical forms, hashes, signature -------------------------------------------------


def test_canonical_document_matches_byte_for_byte():
    assert canonicalize(unsigned()).encode("utf-8") == DOCUMENT_CANON


def test_canonical_proof_config_matches_byte_for_byte():
    config = proof_config(SIGNED["proof"], unsigned())
    assert "proofValue" not in config
    assert config["@context"] == SIGNED["@context"]
    assert canonicalize(config).encode("utf-8") == PROOF_CANON


def test_canonical_hashes():
    assert hashlib.sha256(DOCUMENT_CANON).hexdigest() == VECTOR["sha256_canon_document"]
    assert hashlib.sha256(PROOF_CANON).hexdigest() == VECTOR["sha256_canon_proof_config"]
    document = unsigned()
    data = hash_data(document, proof_config(SIGNED["proof"], document))
    assert data.hex() == VECTOR["sha256_canon_proof_config"] + VECTOR["sha256_canon_document"]


def test_signature(private_key):
    document = unsigned()
    signature = private_key.sign(hash_data(document, proof_config(SIGNED["proof"], document)))
    assert signature.hex() == VECTOR["signature_hex"]
    assert "z" + b58encode(signature) == VECTOR["proofValue"]


def sign_vector_document(private_key, **overrides):
    kwargs = {
        "private_key": private_key,
        "verification_method": SIGNED["proof"]["verificationMethod"],
        "created": VECTOR["proof_created"],
        **overrides,
    }
    return sign_credential(unsigned(), **kwargs)


def test_sign_reproduces_the_signed_vector(private_key):
    signed = sign_vector_document(private_key)
    assert signed["proof"]["proofValue"] == VECTOR["proofValue"]
    assert signed["proof"] == SIGNED["proof"]
    assert signed == SIGNED
    # Same key order as the reference, so it serializes to the same bytes.
    assert json.dumps(signed, indent=2, ensure_ascii=False).encode("utf-8") == SIGNED_BYTES


def test_sign_accepts_the_seed_and_an_aware_datetime():
    created = dt.datetime(2010, 1, 1, 20, 23, 24, 999, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    signed = sign_vector_document(bytes.fromhex(VECTOR["private_key_seed_hex"]), created=created)
    assert signed == SIGNED


def test_sign_does_not_mutate_its_input(private_key):
    document = unsigned()
    before = copy.deepcopy(document)
    sign_credential(
        document,
        private_key=private_key,
        verification_method=SIGNED["proof"]["verificationMethod"],
        created=VECTOR["proof_created"],
    )
    assert document == before


# --- verification -----------------------------------------------------------------------


def test_verify_the_reference_credential():
    assert verify_credential(SIGNED, public_key=VECTOR["publicKeyMultibase"]) is True
    assert verify_credential(SIGNED, public_key=bytes.fromhex(VECTOR["public_key_hex"])) is True


def test_verify_with_another_key_fails():
    assert verify_credential(SIGNED, public_key=generate_private_key().public_key()) is False


def test_verify_checks_purpose_and_verification_method_when_asked():
    key = VECTOR["publicKeyMultibase"]
    vm = SIGNED["proof"]["verificationMethod"]
    assert verify_credential(SIGNED, public_key=key, verification_method=vm) is True
    assert verify_credential(SIGNED, public_key=key, verification_method=vm + "x") is False
    assert (
        verify_credential(SIGNED, public_key=key, expected_proof_purpose="authentication") is False
    )
    assert verify_credential(SIGNED, public_key=key, expected_proof_purpose=None) is True


def _set(path, value):
    def change(document):
        *parents, last = path
        node = document
        for key in parents:
            node = node[key]
        node[last] = value

    return change


def _delete(path):
    def change(document):
        *parents, last = path
        node = document
        for key in parents:
            node = node[key]
        del node[last]

    return change


def _flip_last_char(document):
    value = document["proof"]["proofValue"]
    document["proof"]["proofValue"] = value[:-1] + ("s" if value[-1] != "s" else "t")


ACHIEVEMENT = ("credentialSubject", "achievement")
TAMPERINGS = {
    "name": _set(("name",), "Teamwork Badge!"),
    "id": _set(("id",), "http://example.com/credentials/3528"),
    "id relative": _set(("id",), "credentials/3527"),
    "type": _set(("type",), ["VerifiableCredential"]),
    "issuer.name": _set(("issuer", "name"), "Evil Corp"),
    "issuer.id": _set(("issuer", "id"), "https://example.edu/issuers/565050"),
    "issuer.url": _set(("issuer", "url"), "https://evil.example"),
    "validFrom": _set(("validFrom",), "2010-01-01T00:00:01Z"),
    "validFrom removed": _delete(("validFrom",)),
    "validUntil added": _set(("validUntil",), "2030-01-01T00:00:00Z"),
    "credentialSubject.id": _set(("credentialSubject", "id"), "did:example:someone-else"),
    "achievement.id": _set((*ACHIEVEMENT, "id"), "https://example.com/achievements/other"),
    "achievement.name": _set((*ACHIEVEMENT, "name"), "Leadership"),
    "achievement.description": _set((*ACHIEVEMENT, "description"), "Something else."),
    "achievement.criteria.narrative": _set((*ACHIEVEMENT, "criteria", "narrative"), "None."),
    "undefined term added": _set(("colour",), "blue"),
    "undefined term in subject": _set(("credentialSubject", "grade"), "A*"),
    "context reordered": _set(("@context",), list(reversed(SIGNED["@context"]))),
    "context shortened": _set(("@context",), SIGNED["@context"][:1]),
    "proof.created": _set(("proof", "created"), "2010-01-01T19:23:25Z"),
    "proof.created removed": _delete(("proof", "created")),
    "proof.verificationMethod": _set(
        ("proof", "verificationMethod"), "https://example.edu/issuers/565049#key-2"
    ),
    "proof.proofPurpose": _set(("proof", "proofPurpose"), "authentication"),
    "proof.cryptosuite": _set(("proof", "cryptosuite"), "eddsa-jcs-2022"),
    "proof.type": _set(("proof", "type"), "Ed25519Signature2020"),
    "proof.expires added": _set(("proof", "expires"), "2030-01-01T00:00:00Z"),
    "proof.@context added": _set(("proof", "@context"), SIGNED["@context"][:1]),
    "proofValue one char": _flip_last_char,
    "proof removed": _delete(("proof",)),
}


@pytest.mark.parametrize("change", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_any_change_breaks_verification(change):
    tampered = copy.deepcopy(SIGNED)
    change(tampered)
    assert tampered != SIGNED
    assert verify_credential(tampered, public_key=VECTOR["publicKeyMultibase"]) is False


@pytest.mark.parametrize(
    "proof_value",
    [
        VECTOR["proofValue"][:-1],  # 63 bytes
        VECTOR["proofValue"] + "2",  # 65 bytes
        "z",
        "",
        "z" + b58encode(bytes(64)) + "0",  # not base58
        "u" + VECTOR["proofValue"][1:],  # wrong multibase prefix
        None,
        12345,
        ["z" + b58encode(bytes(64))],
    ],
)
def test_malformed_proof_value_is_false_not_an_exception(proof_value):
    tampered = copy.deepcopy(SIGNED)
    tampered["proof"]["proofValue"] = proof_value
    assert verify_credential(tampered, public_key=VECTOR["publicKeyMultibase"]) is False


@pytest.mark.parametrize("document", [None, "{}", [], {}, {"proof": "z123"}, {"proof": [{}]}])
def test_malformed_document_is_false(document):
    assert verify_credential(document, public_key=VECTOR["publicKeyMultibase"]) is False


def test_verify_ignores_json_key_order_and_whitespace():
    # eddsa-rdfc-2022 signs the RDF graph, not the JSON text.
    reordered = json.loads(json.dumps(SIGNED, sort_keys=True, separators=(",", ":")))
    reordered["credentialSubject"] = dict(reversed(list(reordered["credentialSubject"].items())))
    assert verify_credential(reordered, public_key=VECTOR["publicKeyMultibase"]) is True


def test_fresh_key_round_trip():
    key = generate_private_key()
    multikey = public_key_multibase(key)
    vm = f"https://portal.example/issuer.json#{multikey}"
    signed = sign_credential(
        unsigned(),
        private_key=key,
        verification_method=vm,
        created="2026-01-01T00:00:00Z",
    )
    assert verify_credential(signed, public_key=multikey, verification_method=vm) is True
    assert verify_credential(signed, public_key=VECTOR["publicKeyMultibase"]) is False


def test_concurrent_verification():
    results = []

    def work():
        for _ in range(5):
            results.append(verify_credential(SIGNED, public_key=VECTOR["publicKeyMultibase"]))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 20


# --- refusing to sign what would not be protected ---------------------------------------


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (_set(("colour",), "blue"), UnsafeDocument),
        (_set(("credentialSubject", "id"), "relative/id"), UnsafeDocument),
        (_set(("id",), "relative/3527"), UnsafeDocument),
        (_set(("issuer", "type"), ["Profile", "UndefinedType"]), UnsafeDocument),
        (_delete(("@context",)), DataIntegrityError),
        (_set(("@context",), []), DataIntegrityError),
        (_set(("@context",), list(reversed(SIGNED["@context"]))), DataIntegrityError),
        (_set(("proof",), {}), DataIntegrityError),
        (
            _set(("@context",), [*SIGNED["@context"], "https://example.org/evil.json"]),
            ContextNotAllowed,
        ),
    ],
)
def test_sign_refuses_unsafe_documents(private_key, change, error):
    document = unsigned()
    change(document)
    with pytest.raises(error):
        sign_credential(
            document,
            private_key=private_key,
            verification_method=SIGNED["proof"]["verificationMethod"],
            created=VECTOR["proof_created"],
        )


@pytest.mark.parametrize(
    "overrides",
    [
        {"created": "2010-01-01"},
        {"created": "yesterday"},
        {"created": dt.datetime(2010, 1, 1)},  # naive
        {"verification_method": "key-1"},
    ],
)
def test_sign_refuses_bad_proof_options(private_key, overrides):
    with pytest.raises(DataIntegrityError):
        sign_vector_document(private_key, **overrides)


# --- the document loader ----------------------------------------------------------------


def test_loader_refuses_unknown_url():
    with pytest.raises(ContextNotAllowed, match="example.org/evil.json"):
        document_loader("https://example.org/evil.json", {})


@pytest.mark.parametrize(
    "url",
    [
        "http://www.w3.org/ns/credentials/v2",  # http, not https
        "https://www.w3.org/ns/credentials/v2/",
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "file:///etc/passwd",
    ],
)
def test_loader_matches_urls_exactly(url):
    with pytest.raises(ContextNotAllowed):
        document_loader(url, {})


def test_canonicalize_with_unknown_context_raises_without_network():
    document = unsigned()
    document["@context"] = [*document["@context"], "https://example.org/evil.json"]
    with pytest.raises(ContextNotAllowed):
        canonicalize(document)


def test_verify_with_unknown_context_is_false_without_network():
    tampered = copy.deepcopy(SIGNED)
    tampered["@context"] = [*tampered["@context"], "https://example.org/evil.json"]
    assert verify_credential(tampered, public_key=VECTOR["publicKeyMultibase"]) is False
    tampered = copy.deepcopy(SIGNED)
    tampered["credentialSubject"]["@context"] = "https://example.org/evil.json"
    assert verify_credential(tampered, public_key=VECTOR["publicKeyMultibase"]) is False


@pytest.mark.parametrize("url", sorted(CONTEXT_FILES))
def test_loader_serves_every_shipped_context(url):
    remote = document_loader(url, {})
    assert remote["documentUrl"] == url
    assert isinstance(remote["document"]["@context"], dict)
    # Each call hands out a fresh copy, so pyld cannot corrupt the cache.
    remote["document"]["@context"]["id"] = "changed"
    assert load_context(url)["@context"]["id"] == "@id"


def test_contexts_readme_names_every_shipped_file():
    readme = (CONTEXTS_DIR / "README.md").read_text(encoding="utf-8")
    for url, filename in CONTEXT_FILES.items():
        assert url in readme
        assert filename in readme
