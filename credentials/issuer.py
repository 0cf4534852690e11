"""The issuer of credentials: who it is, where its profile lives, and its Ed25519 signing key.

Production names the key with ISSUER_ED25519_KEY_FILE (a PEM file or the 64-hex-character seed;
the setting is required there). Everywhere else a key is generated on first use and kept in
VAR_DIR/issuer/ed25519.pem (mode 0600), so the demo's badges keep verifying across restarts.
The key never leaves this module except as a key object handed to the signer.
"""

import contextlib
import os
import secrets
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from credentials.openbadges import (
    InvalidKey,
    generate_private_key,
    load_private_key,
    private_key_pem,
    public_key_multibase,
)

_lock = threading.Lock()
_keys: dict[Path, object] = {}


def issuer_id() -> str:
    """The issuer's Profile document: also where verifiers find its public key."""
    return f"{settings.PORTAL_BASE_URL}/issuer.json"


def issuer_name() -> str:
    return settings.ISSUER_NAME


def issuer_url() -> str:
    return f"{settings.PORTAL_BASE_URL}/"


def key_path() -> Path:
    if settings.ISSUER_ED25519_KEY_FILE:
        return Path(settings.ISSUER_ED25519_KEY_FILE)
    if settings.PRODUCTION:
        raise ImproperlyConfigured("ISSUER_ED25519_KEY_FILE must name the issuer's signing key.")
    return Path(settings.VAR_DIR) / "issuer" / "ed25519.pem"


def private_key():
    """The issuer's Ed25519 private key (read once per process)."""
    path = key_path()
    with _lock:
        key = _keys.get(path)
        if key is None:
            if not settings.ISSUER_ED25519_KEY_FILE:
                _create_once(path)
            key = _keys[path] = _read(path)
    return key


def public_key_id() -> str:
    """The publicKeyMultibase of the issuer's key ("z6Mk…")."""
    return public_key_multibase(private_key())


def verification_method() -> str:
    """The key's id: the issuer's profile URL with the Multikey as its fragment."""
    return f"{issuer_id()}#{public_key_id()}"


def _read(path: Path):
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"The issuer's key {path} cannot be read: {exc}") from exc
    try:
        return load_private_key(data.strip())
    except InvalidKey as exc:
        raise ImproperlyConfigured(f"The issuer's key {path} is not an Ed25519 key: {exc}") from exc


def _create_once(path: Path) -> None:
    """Write a new key to PATH unless one is there; safe when several processes race."""
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private_key_pem(generate_private_key()))
        with contextlib.suppress(FileExistsError):  # another process got there first
            os.link(temporary, path)  # atomic: never a half-written key at PATH
    finally:
        temporary.unlink(missing_ok=True)
