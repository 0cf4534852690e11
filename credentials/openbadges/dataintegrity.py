"""W3C Data Integrity ``eddsa-rdfc-2022`` proofs (vc-di-eddsa) for Open Badges 3.0.

    proofConfig = proof options (no proofValue) + "@context" of the document
    hashData    = SHA-256(RDFC-1.0(proofConfig)) || SHA-256(RDFC-1.0(document without proof))
    proofValue  = "z" + base58btc(Ed25519-sign(hashData))

Canonicalization is pyld's URDNA2015 (identical to RDFC-1.0 for these inputs) with a
document loader that serves only the shipped contexts. It runs in "safe mode": a property
that the contexts do not define (and JSON-LD would silently drop) or a node identifier or
type that is not an absolute IRI is an error, so nothing in a signed document can change
without changing the signed bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import logging
import re
import threading

from cachetools import LRUCache
from cryptography.exceptions import InvalidSignature
from pyld.context_resolver import ContextResolver
from pyld.jsonld import JsonLdError, JsonLdProcessor

from .keys import InvalidKey, load_private_key, load_public_key, multibase_decode, multibase_encode
from .loader import VC_V2_URL, ContextNotAllowed, document_loader

logger = logging.getLogger(__name__)

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
ASSERTION_METHOD = "assertionMethod"
SIGNATURE_LENGTH = 64

# XML Schema dateTime (timezone optional, as in xsd; VC producers should always give one).
_XSD_DATETIME = re.compile(
    r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?"
    r"(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?"
)
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S*")

# pyld keeps processed contexts here between operations (its own module-level cache is shared
# with any other pyld user in the process and its loader; ours is fed only by document_loader).
# pyld's caches are not thread-safe, so JSON-LD processing is serialized by _LOCK.
_RESOLVED_CONTEXTS: LRUCache = LRUCache(maxsize=64)
_LOCK = threading.Lock()


class DataIntegrityError(ValueError):
    """A document or proof cannot be canonicalized, signed or verified."""


class UnsafeDocument(DataIntegrityError):
    """JSON-LD processing would lose data (undefined term, relative IRI)."""


def _find_cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__ or getattr(exc, "cause", None)
    return None


def _check_expanded(node, path: str = "$") -> None:
    """Every @id, @type and typed-literal datatype must be an absolute IRI or blank node."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _check_expanded(item, f"{path}[{i}]")
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        datatype = node.get("@type")
        if datatype is not None and datatype != "@json" and not _ABSOLUTE_IRI.fullmatch(datatype):
            raise UnsafeDocument(f"{path}: datatype {datatype!r} is not an absolute IRI")
        return
    node_id = node.get("@id")
    if node_id is not None and not (node_id.startswith("_:") or _ABSOLUTE_IRI.fullmatch(node_id)):
        raise UnsafeDocument(f"{path}: id {node_id!r} is not an absolute IRI")
    for node_type in node.get("@type", []):
        if not (node_type.startswith("_:") or _ABSOLUTE_IRI.fullmatch(node_type)):
            raise UnsafeDocument(f"{path}: type {node_type!r} is not an absolute IRI")
    for key, value in node.items():
        if key not in ("@id", "@type", "@value"):
            _check_expanded(value, f"{path}[{key!r}]")


def canonicalize(document: dict) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, in safe mode."""
    if not isinstance(document, dict):
        raise DataIntegrityError("a JSON-LD document must be a JSON object")
    if "@context" not in document:
        raise DataIntegrityError("document has no @context")
    dropped: list[str | None] = []
    processor = JsonLdProcessor(on_property_dropped=dropped.append)
    try:
        with _LOCK:
            options = {
                "documentLoader": document_loader,
                "contextResolver": ContextResolver(_RESOLVED_CONTEXTS, document_loader),
                # No base IRI: relative IRIs stay relative and _check_expanded rejects them
                # (pyld would otherwise resolve them against http://example.org/base/).
                "base": None,
            }
            expanded = processor.expand(copy.deepcopy(document), dict(options))
            if dropped:
                raise UnsafeDocument(
                    "terms not defined by the document's @context would be dropped: "
                    + ", ".join(sorted({str(term) for term in dropped}))
                )
            _check_expanded(expanded)
            nquads = processor.normalize(
                expanded,
                {**options, "algorithm": "URDNA2015", "format": "application/n-quads"},
            )
    except JsonLdError as exc:
        not_allowed = _find_cause(exc, ContextNotAllowed)
        if not_allowed is not None:
            raise ContextNotAllowed(not_allowed.url) from exc
        raise DataIntegrityError(f"JSON-LD processing failed: {exc}") from exc
    if not nquads:
        raise UnsafeDocument("document produces no RDF statements")
    return nquads


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _check_base_context(document: dict) -> None:
    """VC Data Model 2.0: the first @context item MUST be the VC v2 context URL."""
    if "@context" not in document:
        raise DataIntegrityError("document has no @context")
    contexts = _as_list(document["@context"])
    if not contexts or contexts[0] != VC_V2_URL:
        raise DataIntegrityError(f"the first @context must be {VC_V2_URL}")


def _format_created(created: str | dt.datetime) -> str:
    if isinstance(created, dt.datetime):
        if created.tzinfo is None:
            raise DataIntegrityError("created must be timezone-aware")
        return created.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    if not isinstance(created, str) or not _XSD_DATETIME.fullmatch(created):
        raise DataIntegrityError(f"created is not an XML Schema dateTime: {created!r}")
    return created


def proof_config(proof_options: dict, document: dict) -> dict:
    """The proof configuration: proof options without proofValue + the document's @context."""
    if proof_options.get("type") != PROOF_TYPE or proof_options.get("cryptosuite") != CRYPTOSUITE:
        raise DataIntegrityError(f"proof must be a {PROOF_TYPE} with cryptosuite {CRYPTOSUITE}")
    if "created" in proof_options:
        _format_created(proof_options["created"])
    if "@context" not in document:
        raise DataIntegrityError("document has no @context")
    config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    config["@context"] = document["@context"]
    return config


def hash_data(document: dict, config: dict) -> bytes:
    """SHA-256(canonical proof config) || SHA-256(canonical document) — 64 bytes."""
    canonical_config = canonicalize(config).encode("utf-8")
    canonical_document = canonicalize(document).encode("utf-8")
    return hashlib.sha256(canonical_config).digest() + hashlib.sha256(canonical_document).digest()


def sign_credential(
    document: dict,
    *,
    private_key,
    verification_method: str,
    created: str | dt.datetime,
    proof_purpose: str = ASSERTION_METHOD,
) -> dict:
    """A new dict: ``document`` plus an ``eddsa-rdfc-2022`` DataIntegrityProof.

    ``private_key``: anything :func:`load_private_key` accepts. ``created``: an XML Schema
    dateTime string, or an aware datetime (written as UTC to the second).
    Raises :class:`DataIntegrityError` (incl. :class:`UnsafeDocument`) or
    :class:`ContextNotAllowed` if the document cannot be signed safely.
    """
    if not isinstance(document, dict):
        raise DataIntegrityError("document must be a dict")
    if "proof" in document:
        raise DataIntegrityError("document already has a proof")
    if not isinstance(verification_method, str) or not _ABSOLUTE_IRI.fullmatch(verification_method):
        raise DataIntegrityError("verification_method must be an absolute IRI")
    _check_base_context(document)
    key = load_private_key(private_key)
    unsecured = copy.deepcopy(document)
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _format_created(created),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = key.sign(hash_data(unsecured, proof_config(proof, unsecured)))
    proof["proofValue"] = multibase_encode(signature)
    secured = copy.deepcopy(document)
    secured["proof"] = proof
    return secured


def verify_credential(
    document: dict,
    *,
    public_key,
    expected_proof_purpose: str | None = ASSERTION_METHOD,
    verification_method: str | None = None,
) -> bool:
    """True only if ``document.proof`` is a valid eddsa-rdfc-2022 proof by ``public_key``.

    Any malformed, tampered or unprocessable document gives False (never an exception);
    an unusable ``public_key`` raises, as that is the caller's error. ``verification_method``,
    if given, must equal ``proof.verificationMethod`` exactly.
    """
    key = load_public_key(public_key)
    try:
        if not isinstance(document, dict):
            return False
        proof = document.get("proof")
        if not isinstance(proof, dict):
            return False
        if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
            return False
        if expected_proof_purpose is not None and proof.get("proofPurpose") != (
            expected_proof_purpose
        ):
            return False
        if verification_method is not None and proof.get("verificationMethod") != (
            verification_method
        ):
            return False
        _check_base_context(document)
        signature = multibase_decode(proof.get("proofValue"))
        if len(signature) != SIGNATURE_LENGTH:
            return False
        unsecured = {name: value for name, value in document.items() if name != "proof"}
        options = {name: value for name, value in proof.items() if name != "proofValue"}
        if "@context" in options:
            # The document's @context must start with the proof's, in order.
            proof_context = _as_list(options["@context"])
            if _as_list(unsecured.get("@context"))[: len(proof_context)] != proof_context:
                return False
            unsecured["@context"] = options["@context"]
        data = hash_data(unsecured, proof_config(options, unsecured))
        key.verify(signature, data)
    except (InvalidSignature, InvalidKey, DataIntegrityError, ContextNotAllowed) as exc:
        logger.debug("credential proof rejected: %s", exc)
        return False
    except Exception:  # untrusted input: whatever pyld trips over is "not verified"
        logger.warning("credential proof could not be processed", exc_info=True)
        return False
    return True
