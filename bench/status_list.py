"""A Bitstring Status List at its full size: 131,072 bits, built, compressed and signed.

    .venv/bin/python bench/status_list.py [--database postgres://.../msk_portal_scale]

Against the national set (`manage.py bench_data`: 50,000 credentials, one in ten suspended or
revoked) when DATABASE_URL / --database names it, else a throwaway SQLite database filled with
LIST_CAPACITY credential places (65,536, the most a list takes) of which one in ten is
revoked or suspended. Prints the median and worst of 20 builds of the bits, of the encoded
list, and of the signed list credential, and its compressed size. Targets (issue 20): built
in under 200 ms, under 20 KB compressed."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    else:
        scratch = Path(tempfile.gettempdir()) / "msk-status-list-bench.sqlite3"
        scratch.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from credentials import status_lists
    from credentials.models import Credential

    if not args.database:
        call_command("migrate", verbosity=0)
        _fill(Credential, status_lists)
    number = Credential.objects.order_by().values_list("status_list", flat=True).first() or 1
    in_list = Credential.objects.filter(status_list=number).count()
    print(f"list {number}: {in_list:,} credentials placed in {status_lists.LIST_SIZE:,} bits")
    for purpose in status_lists.PURPOSES:
        bits_ms, encode_ms, signed_ms = [], [], []
        for _ in range(args.runs):
            began = time.perf_counter()
            bits = status_lists.bitstring(number, purpose)
            bits_ms.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            encoded = status_lists.encode(bits)
            encode_ms.append((time.perf_counter() - began) * 1000)
            cache.clear()
            began = time.perf_counter()
            status_lists.signed_status_list(number, purpose)
            signed_ms.append((time.perf_counter() - began) * 1000)
        set_bits = sum(bin(b).count("1") for b in bits)
        print(
            f"{purpose:10} {set_bits:6,} bits set | bits median {statistics.median(bits_ms):6.1f} "
            f"ms (worst {max(bits_ms):6.1f}) | encode median {statistics.median(encode_ms):5.1f}"
            f" ms | signed list median {statistics.median(signed_ms):6.1f} ms (worst "
            f"{max(signed_ms):6.1f}) | encodedList {len(encoded):,} characters"
        )
    return 0


def _fill(Credential, status_lists):
    """LIST_CAPACITY placed credentials, one in ten revoked or suspended, with COPY-free SQL."""
    import random

    from django.db import connection

    from credentials.services.credentials import issue_credential
    from portal.models import User

    holder = User.objects.create(email="bench@example.org")
    first = issue_credential(
        holder=holder,
        kind="gpwer_msk",
        source_type="bench",
        source_id="first",
        valid_from=__import__("datetime").date(2026, 1, 1),
    )
    rng = random.Random(7)  # noqa: S311 - benchmark data
    free = [i for i in range(status_lists.LIST_SIZE) if i != first.status_index]
    indexes = [first.status_index, *rng.sample(free, status_lists.LIST_CAPACITY - 1)]
    columns = [f.column for f in Credential._meta.concrete_fields if f.column != "id"]
    base = {
        f.column: f.get_db_prep_save(getattr(first, f.attname), connection)
        for f in Credential._meta.concrete_fields
    }
    rows = []
    for n, index in enumerate(indexes[1:], 1):
        row = dict(base)
        row.update(
            serial=f"BENCH-{n}",
            serial_number=n + 10,
            token=f"bench-token-{n}",
            source_id=str(n),
            status_index=index,
            status=("revoked", "suspended")[(n // 10) % 2] if n % 10 == 0 else "active",
        )
        rows.append([row[c] for c in columns])
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {Credential._meta.db_table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            rows,
        )


if __name__ == "__main__":
    raise SystemExit(main())
