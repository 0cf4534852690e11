"""Open Badges 3.0: ``eddsa-rdfc-2022`` Data Integrity proofs, Ed25519 Multikeys, and badges.

    dataintegrity, keys, loader  the signing core, independent of Django models
    credential                   a Credential as a signed OpenBadgeCredential; /issuer.json

JSON-LD contexts are shipped in ``contexts/`` and never fetched (see ``loader``).
"""

from .dataintegrity import (
    CRYPTOSUITE,
    PROOF_TYPE,
    DataIntegrityError,
    UnsafeDocument,
    canonicalize,
    sign_credential,
    verify_credential,
)
from .keys import (
    InvalidKey,
    decode_public_key_multibase,
    generate_private_key,
    load_private_key,
    load_public_key,
    private_key_pem,
    private_key_seed,
    public_key_multibase,
)
from .loader import ContextNotAllowed, document_loader

__all__ = [
    "CRYPTOSUITE",
    "PROOF_TYPE",
    "ContextNotAllowed",
    "DataIntegrityError",
    "InvalidKey",
    "UnsafeDocument",
    "canonicalize",
    "decode_public_key_multibase",
    "document_loader",
    "generate_private_key",
    "load_private_key",
    "load_public_key",
    "private_key_pem",
    "private_key_seed",
    "public_key_multibase",
    "sign_credential",
    "verify_credential",
]
