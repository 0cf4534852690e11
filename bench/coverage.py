"""Render time of the coverage page for a large portfolio, on a throwaway SQLite database.

A clinician with 300 evidence items linked across a 60-competency framework (4 domains of 15,
one to three links per item, every third item confirmed). Target: median under 200 ms, and a
query count that does not depend on the number of items.

    .venv/bin/python bench/coverage.py [--repeat 30] [--items 300]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_MS = 200


def build(n_items: int):
    from django.utils import timezone

    from portal.models import User
    from portfolio.models import (
        Competency,
        Confirmation,
        ConfirmationStatus,
        Domain,
        EvidenceItem,
        EvidenceKind,
        EvidenceLink,
        Framework,
        FrameworkStatus,
    )

    user = User.objects.create_user("bench@example.org", "bench-password-123")
    framework = Framework.objects.create(
        code="bench-ap", name="Bench advanced practice", max_total_evidence=35
    )
    competencies = []
    for d in range(4):
        domain = Domain.objects.create(
            framework=framework,
            code=f"P{d + 1}",
            title=f"Pillar {d + 1}",
            order=d,
            min_evidence=4,
            max_evidence=6,
        )
        for c in range(15):
            competencies.append(
                Competency(
                    framework=framework,
                    domain=domain,
                    code=f"{d + 1}.{c + 1}",
                    title=f"Capability {d + 1}.{c + 1}",
                    min_evidence=1,
                    max_evidence=2,
                    order=c,
                )
            )
    Competency.objects.bulk_create(competencies)
    Framework.objects.filter(pk=framework.pk).update(status=FrameworkStatus.PUBLISHED)
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            owner=user,
            kind=EvidenceKind.CASE_REVIEW,
            date=date(2026, 1, 1) + timedelta(days=n),
            title=f"Case review {n}",
            reflection="What I learned.",
        )
        for n in range(n_items)
    )
    links = []
    for n, item in enumerate(items):
        chosen = {(n * 7 + k * 13) % len(competencies) for k in range(1 + n % 3)}
        links += [EvidenceLink(item=item, competency=competencies[i]) for i in sorted(chosen)]
    EvidenceLink.objects.bulk_create(links)
    now = timezone.now()
    Confirmation.objects.bulk_create(
        Confirmation(
            item=item,
            confirmer_name="Peer",
            confirmer_email="peer@nhs.example",
            token_hash=f"{n:064x}",
            status=ConfirmationStatus.CONFIRMED,
            expires_at=now + timedelta(days=14),
            responded_at=now,
        )
        for n, item in enumerate(items)
        if n % 3 == 0
    )
    return user, framework, len(links)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.test_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    user, framework, n_links = build(args.items)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/portfolio/coverage/{framework.pk}/"
    assert client.get(url).status_code == 200  # warm up templates and the session
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    n_queries = len(queries)  # read now: the next request resets the query log

    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    timings.sort()
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    median = statistics.median(timings)
    print(f"{args.items} items, {n_links} links, 60 competencies, {args.repeat} runs")
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    print(f"{url:32} {median:10.1f} {p95:8.1f} {n_queries:8}")
    print(f"target: median < {TARGET_MS} ms: {'met' if median < TARGET_MS else 'NOT MET'}")


if __name__ == "__main__":
    main()
