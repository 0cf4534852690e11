"""Bulk loading for benchmark data (manage.py bench_data): PostgreSQL COPY, explicit ids.

Benchmark rows skip the models' save(), signals and audit on purpose; whoever calls these
resets the id sequences afterwards (reset_sequence) so the portal's own inserts still work.
"""

import time
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.db import connection

BATCH = 50_000  # rows per progress line; COPY itself streams


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError(
            "bench_data needs PostgreSQL (it loads with COPY); set DATABASE_URL to a "
            "postgres:// database, for example postgres://postgres@127.0.0.1:5432/msk_portal_scale"
        )


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')  # noqa: S608 - model tables
        return cursor.fetchone()[0]


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY ROWS into TABLE; returns how many."""
    names = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with connection.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reset_sequence(table: str) -> None:
    """Point TABLE's id sequence past its largest id (COPY with explicit ids leaves it behind)."""
    with connection.cursor() as cursor:
        # TABLE is a model's table, never input.
        sql = f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
        sql += f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'  # noqa: S608
        cursor.execute(sql)


def analyse(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')


class Timings:
    """Per-table timings, printed as they come."""

    def __init__(self, write=print):
        self.rows: list[tuple[str, int, float]] = []
        self.write = write

    @contextmanager
    def table(self, name: str):
        started = time.perf_counter()
        counter = {"rows": 0}
        yield counter
        elapsed = time.perf_counter() - started
        self.rows.append((name, counter["rows"], elapsed))
        rate = counter["rows"] / elapsed if elapsed else 0
        self.write(f"  {name:<34} {counter['rows']:>10,} rows {elapsed:7.1f} s ({rate:,.0f}/s)")
