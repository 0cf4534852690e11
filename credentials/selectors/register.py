"""Reads behind the public register, verification, the JSON API and bulk verification.

Only credentials whose holder agreed to appear on the public register are found by name or
registration number. A verification token finds its credential whatever the consent: the
holder shared the link. What any of these may say about a credential comes from
`public_record()`, so a revoked, suspended, superseded or expired credential is never "valid".
"""

import hashlib
import re

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from credentials.models import Credential, CredentialType
from credentials.statuses import PublicRecord, public_record

__all__ = ["PublicRecord", "public_record"]  # re-exported for the register's callers
from portal import generations
from portfolio.api import consents_to_register, read_registration_number

PAGE_SIZE = 20
# A name search needs this many characters: fewer would list most of the register.
MIN_QUERY_LENGTH = 3
MAX_QUERY_LENGTH = 100
# A search lists at most this many (50 pages): enough to find anyone, too few to copy the register.
MAX_RESULTS = 1000
KINDS_CACHE_KEY = "credentials:register:kinds"
KINDS_CACHE_SECONDS = 300
# A search's count is kept a few minutes under a generation that any change to a credential or
# to a clinician's consent bumps (credentials.receivers), so paging through results, or many
# people looking up the same name, counts once. The rows themselves are always read afresh.
COUNT_GENERATION_KEY = "credentials:register:count-generation"
COUNT_CACHE_SECONDS = 300
# Tokens are secrets.token_urlsafe(32): 43 URL-safe characters. Anything else is not one.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")
# The columns the register, the JSON and the badge show (never email, address or employer).
# What public_record() (and so the status tag) reads: listing pages load these at least.
STATUS_FIELDS = ("valid_from", "valid_until", "status", "status_reason", "status_changed_at")
PUBLIC_FIELDS = (
    "holder_name",
    "regulator",
    "registration_number",
    "profession",
    "region",
    "kind",
    "title",
    "scope",
    "conditions",
    "serial",
    "token",
    "issued_at",
    *STATUS_FIELDS,
)


def on_register() -> QuerySet[Credential]:
    """Credentials whose holder consented to the public register (checked now, not at issue).

    The consent check is a correlated subquery, which PostgreSQL runs as one index probe per
    credential the search matched; as a join (EXISTS) it would read every profile instead.
    """
    return (
        Credential.objects.alias(holder_consents=consents_to_register())
        .filter(holder_consents=True)
        .select_related("kind")
        .only(*PUBLIC_FIELDS, "kind__name")
    )


def clean_query(text: str) -> str:
    """Runs of whitespace become one space; the ends are trimmed."""
    return " ".join((text or "").split())


def register_search(*, text: str, kind: str = "", region: str = "") -> QuerySet[Credential]:
    """Name contains TEXT (any case) or registration number is TEXT (spaces and case ignored),
    narrowed to a credential type (KIND) and a REGION; with no TEXT, every entry of that type
    and/or region ("all GPwER in Greater Manchester").

    On PostgreSQL the name match uses the trigram index on UPPER(holder_name) and the number
    match the btree index on registration_number; a broad search reads the ordering index
    (holder_name, -issued_at, id) until it has a page (migration 0003, bench/register.py).
    """
    text = clean_query(text)
    queryset = on_register()
    if text:
        matches = Q(holder_name__icontains=text)
        number = read_registration_number(text)
        if number:
            matches |= Q(registration_number=number)
        queryset = queryset.filter(matches)
    if kind:
        queryset = queryset.filter(kind=kind)
    if region:
        queryset = queryset.filter(region=region)
    return queryset.order_by("holder_name", "-issued_at", "pk")


def register_kinds() -> list[tuple[str, str]]:
    """(code, name) of every credential type, for the search filter (cached a few minutes)."""
    kinds = cache.get(KINDS_CACHE_KEY)
    if kinds is None:
        kinds = list(CredentialType.objects.order_by("name").values_list("code", "name"))
        cache.set(KINDS_CACHE_KEY, kinds, KINDS_CACHE_SECONDS)
    return kinds


def forget_register_counts() -> None:
    """Make every cached search count stale (after a credential or a consent changed)."""
    generations.bump_now_and_after_commit(COUNT_GENERATION_KEY)


def count_cache_key(*, text: str, kind: str = "", region: str = "") -> str:
    generation = generations.current(COUNT_GENERATION_KEY)
    search = hashlib.sha256(f"{clean_query(text).upper()}\0{kind}\0{region}".encode()).hexdigest()
    return f"credentials:register:count:{generation}:{search}"


class RegisterPaginator(Paginator):
    """Pages of at most MAX_RESULTS results: a broad search is counted only that far, and the
    count is kept under COUNT_KEY (from count_cache_key) when one is given."""

    truncated = False

    def __init__(self, object_list, per_page, *, count_key: str | None = None):
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        found = cache.get(self.count_key) if self.count_key else None
        if found is None:
            # Unordered, so that the database can stop as soon as it has found enough.
            found = self.object_list.order_by()[: MAX_RESULTS + 1].count()
            if self.count_key:
                cache.set(self.count_key, found, COUNT_CACHE_SECONDS)
        self.truncated = found > MAX_RESULTS
        return min(found, MAX_RESULTS)


def credential_for_token(token: str) -> Credential | None:
    """The credential a verification token names, or None for anything else.

    Malformed, truncated and unknown tokens all give None, so they all get the same answer.
    """
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        return None
    try:
        return (
            Credential.objects.select_related("kind", "superseded_by", "supersedes")
            .annotate(holder_on_register=consents_to_register())
            .get(token=token)
        )
    except Credential.DoesNotExist:
        return None


def registration_is_public(credential) -> bool:
    """Whether CREDENTIAL's registration number may be shown beside it: only if its holder
    agreed to the public register, where the number is shown anyway. Free for a credential
    from credential_for_token (which reads the consent with it); one query otherwise."""
    if not credential.registration_number:
        return False
    if hasattr(credential, "holder_on_register"):
        return bool(credential.holder_on_register)
    return on_register().filter(pk=credential.pk).exists()


def register_entries_for_numbers(numbers: list[str]) -> dict[str, list[Credential]]:
    """Registration number → its credentials on the register (one query per 500 numbers)."""
    found: dict[str, list[Credential]] = {number: [] for number in numbers}
    wanted = [number for number in found if number]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        queryset = on_register().filter(registration_number__in=chunk)
        for credential in queryset.order_by("registration_number", "-issued_at", "pk"):
            found[credential.registration_number].append(credential)
    return found
