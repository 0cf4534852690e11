"""Bitstring Status Lists (W3C Recommendation, 2025): revocation and suspension that a wallet
or verifier can check without asking about one credential.

Each credential has a place in a list: a list number and a bit index (random within the list,
as the specification advises, so that neighbouring bits say nothing about issue order). The
same place serves two lists: /status/<list>/revocation.json and /status/<list>/suspension.json.
A bit is 1 when the credential is revoked (revocation list) or suspended (suspension list).

The bit IS the credential's status: each list is built from the statuses in the database, so
revoking, suspending or reinstating changes the bit in the same transaction as the status,
and there is no second copy that could drift. The signed list credential is kept in the cache
under a generation that every status change bumps, and served with a short `ttl`.

Lists hold LIST_SIZE bits (131,072: 16 KB, the specification's minimum for herd privacy) and
take at most LIST_CAPACITY credentials each, so a random index is found in a few tries.
"""

import base64
import datetime
import gzip
import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from credentials import issuer
from credentials.models import Credential
from credentials.openbadges import sign_credential
from credentials.openbadges.loader import VC_V2_URL
from credentials.statuses import CredentialStatus
from portal import generations
from portal.links import absolute_url

LIST_SIZE = 131_072
LIST_CAPACITY = LIST_SIZE // 2
REVOCATION, SUSPENSION = "revocation", "suspension"
PURPOSES = {
    REVOCATION: (CredentialStatus.REVOKED,),
    SUSPENSION: (CredentialStatus.SUSPENDED,),
}
# How long a verifier may keep a list before fetching it again (milliseconds, in the list).
TTL_SECONDS = 300
GENERATION_KEY = "credentials:status-lists:generation"


class StatusListFull(RuntimeError):
    pass


# -- places ------------------------------------------------------------------------------


def _current_list() -> int:
    """The list new credentials go in: the last one, or the next once it is full."""
    last = Credential.objects.aggregate(n=Max("status_list"))["n"] or 1
    used = Credential.objects.filter(status_list=last).count()
    return last + 1 if used >= LIST_CAPACITY else last


def _free_index(number: int) -> int:
    chooser = secrets.SystemRandom()
    for _ in range(64):
        index = chooser.randrange(LIST_SIZE)
        if not Credential.objects.filter(status_list=number, status_index=index).exists():
            return index
    raise StatusListFull(f"No free index found in status list {number}.")


def save_with_a_place(credential: Credential) -> None:
    """Save a new CREDENTIAL with a random place in the current list (inside the caller's
    transaction). Two issues racing for one bit: the unique constraint refuses the second,
    which tries another index."""
    for attempt in range(5):
        number = _current_list()
        credential.status_list, credential.status_index = number, _free_index(number)
        try:
            with transaction.atomic():
                credential.save()
            return
        except IntegrityError as exc:
            if "status_index" not in str(exc) or attempt == 4:
                raise


# -- the lists ---------------------------------------------------------------------------


def bitstring(number: int, purpose: str) -> bytes:
    """List NUMBER's bits for PURPOSE: bit i is the (i // 8)th byte's bit 7 - i % 8 (the
    left-most bit is index 0, as the specification orders them)."""
    bits = bytearray(LIST_SIZE // 8)
    for index in Credential.objects.filter(
        status_list=number, status__in=PURPOSES[purpose]
    ).values_list("status_index", flat=True):
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode(bits: bytes) -> str:
    """Multibase base64url (no padding, prefix "u") of the GZIP-compressed bitstring."""
    packed = gzip.compress(bits, compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def list_url(number: int, purpose: str) -> str:
    return absolute_url(reverse("credentials:status_list", args=[number, purpose]))


def status_entries(credential: Credential) -> list[dict]:
    """The two BitstringStatusListEntry objects a credential's badge carries (none before it
    has a place, which a migration gave every credential)."""
    if credential.status_list is None:
        return []
    return [
        {
            "id": f"{list_url(credential.status_list, purpose)}#{credential.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(credential.status_index),
            "statusListCredential": list_url(credential.status_list, purpose),
        }
        for purpose in (REVOCATION, SUSPENSION)
    ]


def list_numbers() -> list[int]:
    return list(
        Credential.objects.exclude(status_list=None)
        .values("status_list")
        .annotate(n=Count("pk"))
        .order_by("status_list")
        .values_list("status_list", flat=True)
    )


def _xsd(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def status_list_document(number: int, purpose: str, *, now=None) -> dict:
    now = now or timezone.now()
    url = list_url(number, purpose)
    return {
        "@context": [VC_V2_URL],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.issuer_id(),
        "validFrom": _xsd(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode(bitstring(number, purpose)),
            "ttl": TTL_SECONDS * 1000,
        },
    }


def signed_status_list(number: int, purpose: str) -> dict:
    """The signed list credential, made once per generation of the statuses."""
    key = f"credentials:status-list:{generations.current(GENERATION_KEY)}:{number}:{purpose}"
    document = cache.get(key)
    if document is None:
        now = timezone.now()
        document = sign_credential(
            status_list_document(number, purpose, now=now),
            private_key=issuer.private_key(),
            verification_method=issuer.verification_method(),
            created=now,
        )
        cache.set(key, document, TTL_SECONDS)
    return document


def statuses_changed() -> None:
    """A credential's status (or place) changed: the cached lists are stale, now and after
    the change commits."""
    generations.bump_now_and_after_commit(GENERATION_KEY)


def exists(number: int) -> bool:
    return Credential.objects.filter(status_list=number).exists()
