"""The workforce page at national size on PostgreSQL: the `bench_data` set (100,000
clinicians, 50,000 credentials in every ICB and nation and of every type).

Times, through the test client signed in as the bench exam administrator:
- the count query alone (count_rows: one GROUP BY over the credentials), with EXPLAIN ANALYZE;
- the page and the CSV file when the counts were just made stale (a credential changed since
  the last view: "cold"), and when they are kept ("warm");
- the page narrowed to one ICB and one credential type.
Prints median and p95 and the query count of each. Target: the page under 100 ms.

The database is the one `manage.py bench_data` fills; if it is missing or empty this creates it,
migrates it and runs bench_data (about two minutes).

    .venv/bin/python bench/workforce.py [--repeat 30]
        [--database postgres://postgres@127.0.0.1:5432/msk_portal_scale]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/msk_portal_scale"
TARGET_MS = 100
STAFF = "bench.exams@bench.msk-portal.example"
PAGES = [
    ("page, every ICB and credential", "/workforce/"),
    ("page, one ICB and one credential", "/workforce/?area=greater_manchester&kind=gpwer_msk"),
    ("CSV, every ICB and credential", "/workforce/?download=csv"),
]


def ensure_database(url: str) -> bool:
    """Create the database on first use (like createdb); True if it was made now."""
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is not None:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)]


def timed(run, repeat: int, *, before=None) -> tuple[float, float]:
    timings = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return percentiles(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    args = parser.parse_args()
    ensure_database(args.database)
    os.environ["DATABASE_URL"] = args.database
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.test_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from credentials.models import Credential
    from credentials.selectors.register import forget_register_counts
    from credentials.selectors.workforce_counts import count_rows, recent_quarters
    from portal.models import User

    call_command("migrate", verbosity=0)
    if not User.objects.filter(email=STAFF).exists():
        print("no bench data here: loading it with manage.py bench_data (about two minutes)")
        call_command("bench_data")
    print(f"{Credential.objects.count():,} credentials, {User.objects.count():,} users\n")

    today = timezone.localdate()
    quarters = recent_quarters(today)
    median, p95 = timed(lambda: count_rows(today, quarters), args.repeat)
    print(f"{'what':44} {'median ms':>9} {'p95 ms':>8} {'queries':>8}")
    print(f"{'count_rows (the one aggregate query)':44} {median:9.1f} {p95:8.1f} {1:8}")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=STAFF))
    worst = 0.0
    for label, url in PAGES:
        response = client.get(url)  # the menu, the session, the list of credential types
        assert response.status_code == 200, (url, response.status_code)
        for state, before in (("cold", forget_register_counts), ("warm", None)):
            if before:
                before()
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            median, p95 = timed(lambda url=url: client.get(url), args.repeat, before=before)
            if url.startswith("/workforce/?area") or "csv" not in url:
                worst = max(worst, median)
            print(f"{label + ', ' + state:44} {median:9.1f} {p95:8.1f} {len(captured):8}")

    with CaptureQueriesContext(connection) as captured:
        count_rows(today, quarters)
    print("\n=== EXPLAIN ANALYZE: count_rows ===")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured.captured_queries[0]["sql"])
        for (line,) in cursor.fetchall():
            print(line)
    verdict = "met" if worst < TARGET_MS else "MISSED"
    print(f"\nTarget: every page's median under {TARGET_MS} ms, cold or warm: {verdict}")


if __name__ == "__main__":
    main()
