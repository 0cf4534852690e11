"""Public register search over 50,000 credentials on PostgreSQL: timings and query plans.

Creates (if missing) and fills a PostgreSQL database with CREDENTIALS clinicians, each with a
profile (90% consenting to the register) and one credential, by bulk_create (the issuing service
is bypassed for speed; serials are still unique). Then it times name searches and registration
number searches through the selector (the page's two queries: count and first page) and through
the page itself, and prints EXPLAIN ANALYZE for both queries of each kind of search.
Target: median under 50 ms through the selector, using the indexes.

    .venv/bin/python bench/register.py [--repeat 30] [--credentials 50000]
        [--database postgres://postgres@127.0.0.1:5432/msk_portal_bench]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/msk_portal_bench"
TARGET_MS = 50
FIRST = (  # noqa: SIM905 - easier to read as words
    "Asha Amir Ben Cara Chloe Daniel Deepa Eilidh Emeka Fatima George Hannah Harpreet "
    "Isla James Jia Kofi Laura Liam Maya Mohammed Niamh Oliver Olu Priya Rhys Rosa Sam "
    "Sian Tom Uma Wei Yusuf Zara Aled Bethan Callum Dafydd Efua Finn"
).split()
LAST = (  # noqa: SIM905 - easier to read as words
    "Patel Smith Jones Williams Brown Taylor Davies Evans Wilson Thomas Johnson Roberts "
    "Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke "
    "Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker "
    "Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young "
    "Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy "
    "Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum "
    "Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell "
    "Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher "
    "Stevens Jenkins Okafor Mensah Nowak Kowalski Zhang Wang Chen Nguyen Mahmood Ahmed "
    "Rahman Chaudhry Sharma Gill"
).split()
NAME_QUERIES = ["Okafor", "Kowalski", "Chaudhry", "nowak", "Mensah", "Priya Sh", "zhang", "Efua"]
BROAD_QUERIES = ["son", "Patel", "Jones"]


def ensure_database(url: str) -> None:
    """Create the bench database on first use (like createdb)."""
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def fill(total: int) -> None:
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from credentials.models import Credential, CredentialStatus, CredentialType
    from credentials.models.credentials import new_token
    from portal.models import User
    from portfolio.api import ClinicianProfile, Profession, Region, Regulator

    have = Credential.objects.filter(source_type="bench").count()
    if have >= total:
        print(f"{have:,} bench credentials already present")
        return
    rng = random.Random(42)
    kinds = list(CredentialType.objects.all())
    started = time.perf_counter()
    with transaction.atomic():
        Credential.objects.filter(source_type="bench").delete()
        ClinicianProfile.objects.filter(user__email__endswith="@bench.example").delete()
        User.objects.filter(email__endswith="@bench.example").delete()
        unusable = make_password(None)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench{n}@bench.example", password=unusable, first_name="", last_name=""
                )
                for n in range(total)
            ],
            batch_size=5000,
        )
        profiles = []
        for n, user in enumerate(users):
            profiles.append(
                ClinicianProfile(
                    user=user,
                    full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    profession=Profession.GP,
                    regulator=Regulator.GMC,
                    registration_number=f"{5000000 + n:07d}",
                    region=rng.choice(Region.values),
                    consent_to_public_register=rng.random() < 0.9,
                )
            )
        ClinicianProfile.objects.bulk_create(profiles, batch_size=5000)
        counters: dict[tuple[str, int], int] = {}
        credentials = []
        now = timezone.now()
        for profile in profiles:
            kind = rng.choice(kinds)
            year = rng.choice((2024, 2025, 2026))
            counters[kind, year] = number = counters.get((kind, year), 0) + 1
            valid_from = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            roll = rng.random()
            status = (
                CredentialStatus.REVOKED
                if roll < 0.02
                else CredentialStatus.SUSPENDED
                if roll < 0.04
                else CredentialStatus.ACTIVE
            )
            credentials.append(
                Credential(
                    holder_id=profile.user_id,
                    holder_name=profile.full_name,
                    registration_number=profile.registration_number,
                    region=profile.region,
                    kind=kind,
                    title=kind.name,
                    scope="Community-based MSK assessment and management.",
                    serial=f"{kind.serial_prefix}-{year}-{number:05d}",
                    serial_year=year,
                    serial_number=number,
                    token=new_token(),
                    issued_at=now,
                    valid_from=valid_from,
                    valid_until=valid_from + datetime.timedelta(days=365 * 3),
                    status=status,
                    status_reason="Bench" if status != CredentialStatus.ACTIVE else "",
                    source_type="bench",
                    source_id=str(profile.pk),
                )
            )
        Credential.objects.bulk_create(credentials, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"created {total:,} clinicians and credentials in {time.perf_counter() - started:.1f} s")


def selector_search(text: str) -> int:
    """What the page asks the database: the count (capped) and the first page of 20."""
    from credentials.selectors.register import PAGE_SIZE, RegisterPaginator, register_search

    page = RegisterPaginator(register_search(text=text), PAGE_SIZE).get_page(1)
    list(page.object_list)
    return page.paginator.count


def timed(label: str, queries: list[str], repeat: int, run) -> float:
    timings = []
    for _ in range(repeat):
        for text in queries:
            start = time.perf_counter()
            run(text)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"{label:44} {median:9.1f} {p95:8.1f} {len(timings):6}")
    return median


def explain(text: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        count = selector_search(text)
    print(f"\n=== EXPLAIN ANALYZE: search {text!r} ({count:,} matches, counted up to 1,000) ===")
    for query in captured.captured_queries:
        print(f"\n-- {query['sql'][:160]}…")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            for (line,) in cursor.fetchall():
                print(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--credentials", type=int, default=50_000)
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    args = parser.parse_args()

    ensure_database(args.database)
    os.environ["DATABASE_URL"] = args.database
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.test_settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    fill(args.credentials)
    settings.REGISTER_SEARCHES_PER_MINUTE = 10**9  # the bench is not an abuser
    numbers = [f"{5000000 + n:07d}" for n in range(0, args.credentials, args.credentials // 8)]
    client = Client(HTTP_HOST="127.0.0.1")

    def page(text):
        response = client.get("/register/", {"q": text})
        assert response.status_code == 200, response.status_code

    for text in NAME_QUERIES + BROAD_QUERIES + numbers[:2]:
        selector_search(text)  # warm the caches and the connection
    print(f"\n{'search':44} {'median ms':>9} {'p95 ms':>8} {'runs':>6}")
    medians = [
        timed("selector: name (selective)", NAME_QUERIES, args.repeat, selector_search),
        timed(
            "selector: name (broad: son, Patel, Jones)", BROAD_QUERIES, args.repeat, selector_search
        ),
        timed("selector: registration number", numbers, args.repeat, selector_search),
    ]
    timed("page /register/?q=<name>", NAME_QUERIES, args.repeat, page)
    timed("page /register/?q=<registration number>", numbers, args.repeat, page)
    explain("Okafor")
    explain("son")
    explain(numbers[3])
    verdict = "met" if max(medians) < TARGET_MS else "MISSED"
    print(f"\nTarget: selector median under {TARGET_MS} ms: {verdict}")


if __name__ == "__main__":
    main()
