"""Benchmark credentials (manage.py bench_data), loaded with COPY; the serial counters are set
to the last number used so that the next real issue continues the sequence."""

import base64
import datetime
import random
from collections import defaultdict

from django.utils import timezone

from credentials.models import Credential, CredentialType, SerialCounter
from credentials.selectors.register import forget_register_counts
from credentials.status_lists import LIST_CAPACITY, LIST_SIZE
from credentials.statuses import CredentialStatus
from portal.bulk import Timings, analyse, copy_rows, next_id, reset_sequence

SOURCE_TYPE = "bench.data"


def _months_later(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1, day=min(day.day, 28))


def generate(*, holders: list[dict], seed: int, timings: Timings) -> None:
    """One credential for each of HOLDERS ({"id", "name", "profession", "regulator",
    "number", "region"})."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    kinds = list(CredentialType.objects.order_by("code"))
    counters: dict[tuple[str, int], int] = defaultdict(int)
    for counter in SerialCounter.objects.all():
        counters[(counter.kind_id, counter.year)] = counter.last_number
    now = timezone.now()
    statuses = [CredentialStatus.ACTIVE] * 18 + [
        CredentialStatus.SUSPENDED,
        CredentialStatus.REVOKED,
    ]
    first = next_id(Credential._meta.db_table)
    # Places in the status lists, at random as issue_credential gives them (LIST_CAPACITY a
    # list); bench_data loads into a freshly migrated database, so every place is free.
    places = []
    for number, start in enumerate(range(0, len(holders), LIST_CAPACITY), 1):
        count = min(LIST_CAPACITY, len(holders) - start)
        places += [(number, index) for index in rng.sample(range(LIST_SIZE), count)]

    def rows():
        for k, holder in enumerate(holders):
            kind = kinds[k % len(kinds)]
            issued = now - datetime.timedelta(days=rng.randrange(1, 1500))
            year = issued.year
            counters[(kind.code, year)] += 1
            number = counters[(kind.code, year)]
            valid_from = issued.date()
            valid_until = (
                _months_later(valid_from, kind.validity_months) if kind.validity_months else None
            )
            status = rng.choice(statuses)
            changed = status != CredentialStatus.ACTIVE
            yield (
                first + k,
                holder["id"],
                holder["name"],
                holder["regulator"],
                holder["number"],
                holder["profession"],
                holder["region"],
                kind.code,
                kind.name,
                "",
                "",
                f"{kind.serial_prefix}-{year}-{number:05d}",
                year,
                number,
                base64.urlsafe_b64encode(rng.randbytes(32)).rstrip(b"=").decode(),
                issued,
                valid_from,
                valid_until,
                status,
                "Benchmark data" if changed else "",
                issued if changed else None,
                SOURCE_TYPE,
                str(holder["id"]),
                "",
                *places[k],
            )

    with timings.table("credentials_credential") as t:
        t["rows"] = copy_rows(
            Credential._meta.db_table,
            ["id", "holder_id", "holder_name", "regulator", "registration_number", "profession"]
            + ["region", "kind_id", "title", "scope", "conditions", "serial", "serial_year"]
            + ["serial_number", "token", "issued_at", "valid_from", "valid_until", "status"]
            + ["status_reason", "status_changed_at", "source_type", "source_id", "certificate"]
            + ["status_list", "status_index"],
            rows(),
        )
    with timings.table("credentials_serialcounter") as t:
        for (kind, year), last in counters.items():
            SerialCounter.objects.update_or_create(
                kind_id=kind, year=year, defaults={"last_number": last}
            )
            t["rows"] += 1
    reset_sequence(Credential._meta.db_table)
    reset_sequence(SerialCounter._meta.db_table)
    analyse(Credential._meta.db_table)
    forget_register_counts()  # COPY sends no signals: the register's cached counts are stale
    from credentials.selectors.workforce_counts import GENERATION_KEY
    from portal import generations

    generations.bump(GENERATION_KEY)  # and so are the workforce page's
