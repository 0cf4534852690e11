"""Ed25519 key handling for Open Badges 3.0 Data Integrity proofs.

Keys are `cryptography` Ed25519 objects. Public keys travel as W3C Multikey
``publicKeyMultibase`` values: ``"z"`` + base58btc(0xed 0x01 + 32-byte raw key).
"""

from __future__ import annotations

import binascii

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# Multicodec header for an Ed25519 public key (varint 0xed = "ed25519-pub").
ED25519_PUB_MULTICODEC = b"\xed\x01"
_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {char: i for i, char in enumerate(_B58_ALPHABET)}


class InvalidKey(ValueError):
    """A key, seed or multibase value could not be decoded."""


def b58encode(data: bytes) -> str:
    """Base58btc (Bitcoin alphabet); each leading zero byte becomes a '1'."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, remainder = divmod(number, 58)
        out.append(_B58_ALPHABET[remainder])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Inverse of :func:`b58encode`; raises :class:`InvalidKey` on a bad character."""
    number = 0
    for char in text:
        try:
            number = number * 58 + _B58_INDEX[char]
        except KeyError:
            raise InvalidKey(f"not a base58btc character: {char!r}") from None
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc: ``"z"`` + base58btc(data)."""
    return "z" + b58encode(data)


def multibase_decode(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z") or len(value) < 2:
        raise InvalidKey("expected a base58btc multibase value starting with 'z'")
    return b58decode(value[1:])


def _from_text_or_bytes(value: str | bytes) -> bytes:
    return value.encode("ascii") if isinstance(value, str) else bytes(value)


def load_private_key(seed_or_pem: Ed25519PrivateKey | bytes | str) -> Ed25519PrivateKey:
    """An Ed25519 private key from a 32-byte seed, its 64-char hex form, or PEM (PKCS#8).

    An :class:`Ed25519PrivateKey` is returned unchanged. PEM may be ``bytes`` or ``str``;
    encrypted PEM is not supported here (decrypt it first).
    """
    if isinstance(seed_or_pem, Ed25519PrivateKey):
        return seed_or_pem
    if isinstance(seed_or_pem, bytes | bytearray | memoryview) and len(seed_or_pem) == 32:
        return Ed25519PrivateKey.from_private_bytes(bytes(seed_or_pem))
    if not isinstance(seed_or_pem, str | bytes | bytearray | memoryview):
        raise InvalidKey(f"unsupported private key type: {type(seed_or_pem).__name__}")
    raw = _from_text_or_bytes(seed_or_pem).strip()
    if raw.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(raw, password=None)
        except (ValueError, TypeError) as exc:
            raise InvalidKey(f"could not load PEM private key: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise InvalidKey("PEM key is not an Ed25519 private key")
        return key
    if len(raw) == 64:
        try:
            return Ed25519PrivateKey.from_private_bytes(binascii.unhexlify(raw))
        except (binascii.Error, ValueError) as exc:
            raise InvalidKey("seed is not 64 hex characters") from exc
    raise InvalidKey("expected a 32-byte seed, 64 hex characters, or a PEM private key")


def load_public_key(
    value: Ed25519PublicKey | Ed25519PrivateKey | bytes | str,
) -> Ed25519PublicKey:
    """An Ed25519 public key from a key object, 32 raw bytes, 64-char hex, Multikey or PEM.

    A private key yields its public half.
    """
    if isinstance(value, Ed25519PublicKey):
        return value
    if isinstance(value, Ed25519PrivateKey):
        return value.public_key()
    if isinstance(value, bytes | bytearray | memoryview) and len(value) == 32:
        return Ed25519PublicKey.from_public_bytes(bytes(value))
    if isinstance(value, str) and value.startswith("z"):
        return decode_public_key_multibase(value)
    if not isinstance(value, str | bytes | bytearray | memoryview):
        raise InvalidKey(f"unsupported public key type: {type(value).__name__}")
    raw = _from_text_or_bytes(value).strip()
    if raw.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(raw)
        except (ValueError, TypeError) as exc:
            raise InvalidKey(f"could not load PEM public key: {exc}") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise InvalidKey("PEM key is not an Ed25519 public key")
        return key
    if len(raw) == 64:
        try:
            return Ed25519PublicKey.from_public_bytes(binascii.unhexlify(raw))
        except (binascii.Error, ValueError) as exc:
            raise InvalidKey("public key is not 64 hex characters") from exc
    raise InvalidKey("expected 32 raw bytes, 64 hex characters, Multikey or PEM public key")


def raw_public_key(public_key) -> bytes:
    return load_public_key(public_key).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def private_key_seed(private_key) -> bytes:
    """The 32-byte seed of a private key (store it as a secret, never log it)."""
    return load_private_key(private_key).private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def private_key_pem(private_key) -> bytes:
    """Unencrypted PKCS#8 PEM of a private key."""
    return load_private_key(private_key).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_multibase(public_key) -> str:
    """Multikey ``publicKeyMultibase`` for an Ed25519 public (or private) key."""
    return multibase_encode(ED25519_PUB_MULTICODEC + raw_public_key(public_key))


def decode_public_key_multibase(value: str) -> Ed25519PublicKey:
    """Inverse of :func:`public_key_multibase`; checks the 0xed01 header and length."""
    data = multibase_decode(value)
    if len(data) != 34 or not data.startswith(ED25519_PUB_MULTICODEC):
        raise InvalidKey("not an Ed25519 Multikey (expected 0xed01 + 32 bytes)")
    return Ed25519PublicKey.from_public_bytes(data[2:])
