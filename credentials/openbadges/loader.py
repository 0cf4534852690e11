"""A pyld document loader that serves only the JSON-LD contexts shipped in ``contexts/``.

Any other URL raises :class:`ContextNotAllowed`; nothing is ever fetched from the network.
See ``contexts/README.md`` for where each file came from.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

VC_V2_URL = "https://www.w3.org/ns/credentials/v2"
OB_V3P0_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2_URL = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1_URL = "https://w3id.org/security/multikey/v1"

# URL -> file in contexts/. Exact string match only: no redirects, no http/https aliasing.
CONTEXT_FILES: dict[str, str] = {
    VC_V2_URL: "credentials-v2.jsonld",
    OB_V3P0_URL: "ob-context-3.0.3.json",
    DATA_INTEGRITY_V2_URL: "data-integrity-v2.jsonld",
    MULTIKEY_V1_URL: "multikey-v1.jsonld",
}


class ContextNotAllowed(LookupError):
    """A JSON-LD document asked for a URL that is not one of the shipped contexts."""

    def __init__(self, url: object):
        self.url = url
        super().__init__(f"JSON-LD context not shipped with the portal (not fetched): {url!r}")


@cache
def _context_text(url: str) -> str:
    return (CONTEXTS_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8")


def load_context(url: str) -> dict:
    """A fresh parsed copy of a shipped context (callers may mutate it)."""
    if not isinstance(url, str) or url not in CONTEXT_FILES:
        raise ContextNotAllowed(url)
    return json.loads(_context_text(url))


def document_loader(url: str, options: dict | None = None) -> dict:
    """pyld ``documentLoader``: a RemoteDocument for a shipped context, else raise.

    ``tag: "static"`` lets pyld's context resolver keep the processed context between
    operations, so each context is parsed once per cache.
    """
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": load_context(url),
        "tag": "static",
    }
