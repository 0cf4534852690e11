"""The register API for other systems: POST /api/v1/register/status with 1,000 numbers, on
PostgreSQL at national size. Target: answered in under 500 ms (median and p95).

Uses msk_portal_scale (`manage.py bench_data`) when that database exists; otherwise creates
msk_portal_bulk_api_bench and loads, on first run, the tables the API reads at national size
with bench_data's own generators and seed (100,000 clinicians with profiles, two thirds on the
public register; 50,000 credentials, one in twenty suspended or revoked), without the evidence,
applications and sittings it does not read.

Each request carries 1,000 numbers: 600 holders of credentials (some not on the register),
300 clinicians without one, 50 well-formed numbers nobody holds and 50 that are no number,
in the forms people type ("GMC 7012345", "hcpc ph104233", "NMC PIN 12A3456E"). It goes
through the whole Django stack (middleware, key, limits, lookup, JSON) with the test client;
the script also times the lookup query alone, counts the queries, and prints EXPLAIN ANALYZE.

    .venv/bin/python bench/bulk_api.py [--repeat 30] [--database postgres://...]
"""

import argparse
import hashlib
import json
import os
import random
import secrets
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SERVER = "postgres://postgres@127.0.0.1:5432"
NATIONAL = f"{SERVER}/msk_portal_scale"
OWN = f"{SERVER}/msk_portal_bulk_api_bench"
TARGET_MS = 500
CLINICIANS = 100_000
CREDENTIALS = 50_000
SEED = 2026  # bench_data's
BENCH_ORGANISATION = "Bench HR system"


def database_exists(url: str) -> bool:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    if database_exists(url):
        return
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def fill() -> None:
    """Clinicians and credentials as bench_data makes them, unless some are there already."""
    from django.db import transaction

    from credentials.api import ensure_credential_types, load_bench_credentials
    from portal.bulk import Timings
    from portal.regions import Region
    from portal.roles import ensure_roles
    from portfolio.api import ClinicianProfile, bench_clinician_facts, load_bench_clinicians

    have = ClinicianProfile.objects.count()
    if have:
        print(f"{have:,} clinicians already present")
        return
    timings = Timings()
    started = time.perf_counter()
    with transaction.atomic():
        ensure_roles()
        ensure_credential_types()
        ids = load_bench_clinicians(clinicians=CLINICIANS, evidence=0, seed=SEED, timings=timings)
        regions = Region.values
        holders = []
        for k in range(CREDENTIALS):
            name, profession, regulator, number = bench_clinician_facts(k)
            holders.append(
                {
                    "id": ids[k],
                    "name": name,
                    "profession": profession,
                    "regulator": regulator,
                    "number": number,
                    "region": regions[k % len(regions)],
                }
            )
        load_bench_credentials(holders=holders, seed=SEED + 1, timings=timings)
    print(f"loaded in {time.perf_counter() - started:.1f} s")


def typed(number: str, rng: random.Random) -> str:
    """NUMBER as someone might type it."""
    from portfolio.api import number_with_register

    shown = number_with_register(number)
    return rng.choice([number, shown, shown.lower(), f" {shown} ", number.lower()])


def payloads(count: int, rng: random.Random) -> list[list[str]]:
    from credentials.models import Credential
    from portfolio.api import ClinicianProfile

    held = list(Credential.objects.values_list("registration_number", flat=True).distinct())
    unheld = list(
        ClinicianProfile.objects.exclude(registration_number__in=held).values_list(
            "registration_number", flat=True
        )[:20_000]
    )
    made = []
    for _ in range(count):
        numbers = [typed(n, rng) for n in rng.sample(held, 600)]
        numbers += [typed(n, rng) for n in rng.sample(unheld, 300)]
        numbers += [f"GMC {rng.randrange(1_000_000, 2_000_000)}" for _ in range(50)]
        numbers += [rng.choice(["n/a", "TBC", "GMC", "1234", "AB 12"]) for _ in range(50)]
        rng.shuffle(numbers)
        made.append(numbers)
    return made


def summary(label: str, timings: list[float]) -> float:
    timings = sorted(timings)
    median = statistics.median(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"{label:48} {median:9.1f} {p95:8.1f} {timings[0]:8.1f} {timings[-1]:8.1f} {len(timings):5}"
    )
    return max(median, p95)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args = parser.parse_args()

    url = args.database or (NATIONAL if database_exists(NATIONAL) else OWN)
    ensure_database(url)
    print(f"database: {url}")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.test_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from credentials.models import ApiKey, Credential
    from credentials.views import bulk_api
    from portfolio.api import ClinicianProfile

    call_command("migrate", verbosity=0)
    fill()
    print(
        f"{ClinicianProfile.objects.count():,} clinicians, "
        f"{Credential.objects.count():,} credentials"
    )
    # The bench's own key, made as the service makes one but without an audit event (like
    # bench_data's rows): the database may be shared, and its audit trail is append-only.
    ApiKey.objects.filter(organisation=BENCH_ORGANISATION).delete()  # and their uses
    prefix = secrets.token_hex(6)
    secret = f"msk_{prefix}_{secrets.token_urlsafe(32)}"
    ApiKey.objects.create(
        organisation=BENCH_ORGANISATION,
        contact_email="bench@bench.example",
        prefix=prefix,
        key_hash=hashlib.sha256(secret.encode()).hexdigest(),
        requests_per_minute=10**6,
        numbers_per_day=10**9,
    )
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {secret}")
    rng = random.Random(SEED)
    bodies = payloads(max(5, min(args.repeat, 30)), rng)

    def post(numbers):
        response = client.post(
            "/api/v1/register/status", json.dumps({"numbers": numbers}), "application/json"
        )
        assert response.status_code == 200, response.content[:300]
        return response

    for numbers in bodies[:3]:
        post(numbers)  # warm the connection, the caches and the buffers
    first = json.loads(post(bodies[0]).content)["results"]
    kinds = Counter(result["result"] for result in first)
    found_credentials = sum(len(r["credentials"]) for r in first)
    size = len(post(bodies[0]).content)
    print(
        f"one request: {kinds['found']} found ({found_credentials} credentials), "
        f"{kinds['not_found']} not found, {kinds['invalid']} invalid; answer {size / 1024:.0f} KB"
    )
    with CaptureQueriesContext(connection) as captured:
        post(bodies[1])
    with CaptureQueriesContext(connection) as few:
        post(bodies[1][:10])
    print(f"queries per request: {len(captured)} for 1,000 numbers, {len(few)} for 10")

    whole, lookup, small = [], [], []
    for n in range(args.repeat):
        numbers = bodies[n % len(bodies)]
        start = time.perf_counter()
        post(numbers)
        whole.append((time.perf_counter() - start) * 1000)
        wanted = {reading.number for reading in map(bulk_api._read, numbers) if reading.number}
        start = time.perf_counter()
        bulk_api._entries(wanted)
        lookup.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        post(numbers[:10])
        small.append((time.perf_counter() - start) * 1000)

    print(f"\n{'':48} {'median':>9} {'p95':>8} {'min':>8} {'max':>8} {'runs':>5}  (ms)")
    worst = summary("POST 1,000 numbers (whole request)", whole)
    summary("  of which the lookup query (1,000 numbers)", lookup)
    summary("POST 10 numbers (whole request)", small)

    with CaptureQueriesContext(connection) as captured:
        bulk_api._entries(
            {reading.number for reading in map(bulk_api._read, bodies[2]) if reading.number}
        )
    [query] = captured.captured_queries
    print(f"\n=== EXPLAIN ANALYZE: the lookup ({query['sql'][:100]}…) ===")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
        # The plan's lines, each cut short: one of them lists all 1,000 numbers.
        lines = [line if len(line) < 150 else line[:150] + "…" for (line,) in cursor.fetchall()]
    print("\n".join(lines[:12] + (["  …"] if len(lines) > 14 else []) + lines[-2:]))

    ApiKey.objects.filter(organisation=BENCH_ORGANISATION).delete()
    verdict = "met" if worst < TARGET_MS else "MISSED"
    print(f"\nTarget: 1,000 numbers in under {TARGET_MS} ms (median and p95): {verdict}")


if __name__ == "__main__":
    main()
