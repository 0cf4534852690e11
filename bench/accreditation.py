"""Accreditation pages at two data sizes on PostgreSQL: the assessor's queue, the applicant's
application page and the administrator's dashboard. Median render time and query count at each
size (the query count must not grow). Target: median under 100 ms each at 20,000 applications.

Creates (if missing) and fills a PostgreSQL database by bulk_create (the services are bypassed
for speed: the rows are what the services would have written). The bench assessor holds 1 in
100 of the allocations.

    .venv/bin/python bench/accreditation.py [--sizes 2000 20000] [--repeat 20]
        [--database postgres://postgres@127.0.0.1:5432/msk_portal_accreditation_bench]
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

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/msk_portal_accreditation_bench"
TARGET_MS = 100
ASSESSOR = "bench.assessor@example.org"
ADMIN = "bench.admin@example.org"
APPLICANT = "bench.applicant@example.org"

OUTLINE = [
    {
        "code": "CiP",
        "title": "Capabilities in practice",
        "min": 2,
        "max": None,
        "competencies": [
            {"code": "CiP1", "title": "Working in a team", "level": "", "min": 1, "max": None},
            {"code": "CiP2", "title": "Community MSK care", "level": "", "min": 1, "max": None},
        ],
    }
]


def _items(n):
    return [
        {
            "id": 1000 + i,
            "kind": "case_review",
            "kind_label": "Case review",
            "date": "2026-05-01",
            "title": f"Case {i}",
            "reflection": "Bench",
            "confirmed": True,
            "confirmer": "Dr Sup",
            "competencies": ["CiP1" if i % 2 else "CiP2"],
            "domains": ["CiP"],
            "files": [],
        }
        for i in range(n)
    ]


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _people():
    from accreditation.models import AssessorTraining, Pathway
    from portal.models import User
    from portal.roles import Role, assign_role

    def person(email, role):
        from portal.totp import add_authenticator_app

        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None)
            assign_role(user, role)
            if role != Role.APPLICANT:  # staff must have enrolled MFA to get in
                add_authenticator_app(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        return user

    assessor = person(ASSESSOR, Role.ASSESSOR)
    admin = person(ADMIN, Role.FACULTY_STAFF)
    applicant = person(APPLICANT, Role.APPLICANT)
    pathway = Pathway.objects.get(code="gpwer-msk")
    AssessorTraining.objects.get_or_create(assessor=assessor, pathway=pathway)
    return assessor, admin, applicant, pathway


def fill(total: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accreditation.models import (
        Allocation,
        Application,
        ApplicationEvent,
        ReviewRound,
        State,
    )
    from portal.models import User

    assessor, _, applicant, pathway = _people()
    if not Application.objects.filter(applicant=applicant).exists():
        app = Application.objects.create(
            applicant=applicant, pathway=pathway, state=State.IN_REVIEW
        )
        ReviewRound.objects.create(
            application=app,
            number=1,
            framework_code="gpwer-msk",
            framework_version=1,
            snapshot={"outline": OUTLINE, "items": _items(6)},
        )
        for to in ("draft", "submitted", "complete", "in_review"):
            ApplicationEvent.objects.create(application=app, to_state=to)
        Allocation.objects.create(
            application=app, assessor=assessor, no_conflict_declared_at=timezone.now()
        )
    have = Application.objects.count()
    if have >= total:
        print(f"{have:,} applications present")
        return
    rng = random.Random(have)
    password = make_password(None)
    others = list(
        User.objects.filter(email__startswith="bench.assessor.").values_list("pk", flat=True)
    )
    started = time.perf_counter()
    with transaction.atomic():
        if not others:
            others = [
                u.pk
                for u in User.objects.bulk_create(
                    User(email=f"bench.assessor.{n}@example.org", password=password)
                    for n in range(50)
                )
            ]
        states = [s for s in State if s != State.DRAFT]
        step = 2000
        for start in range(have, total, step):
            count = min(step, total - start)
            users = User.objects.bulk_create(
                User(email=f"bench.app.{start + n}@example.org", password=password)
                for n in range(count)
            )
            apps = Application.objects.bulk_create(
                Application(
                    applicant=user,
                    pathway=pathway,
                    state=rng.choice(states),
                    submitted_at=timezone.now(),
                )
                for user in users
            )
            ReviewRound.objects.bulk_create(
                ReviewRound(
                    application=app,
                    number=1,
                    framework_code="gpwer-msk",
                    framework_version=1,
                    snapshot={"outline": OUTLINE, "items": _items(4)},
                )
                for app in apps
            )
            ApplicationEvent.objects.bulk_create(
                ApplicationEvent(application=app, to_state=to)
                for app in apps
                for to in ("draft", "submitted", app.state)
            )
            Allocation.objects.bulk_create(
                Allocation(
                    application=app,
                    assessor_id=assessor.pk if rng.random() < 0.01 else rng.choice(others),
                    no_conflict_declared_at=timezone.now(),
                )
                for app in apps
            )
    print(f"filled to {total:,} applications in {time.perf_counter() - started:.1f} s")


def measure(repeat: int) -> list[tuple[str, float, int]]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accreditation.models import Application
    from portal.models import User

    applicant = User.objects.get(email=APPLICANT)
    application = Application.objects.get(applicant=applicant)
    pages = [
        (ASSESSOR, "/accreditation/assess/"),
        (APPLICANT, f"/accreditation/applications/{application.pk}/"),
        (APPLICANT, "/accreditation/"),
        (ADMIN, "/accreditation/manage/"),
    ]
    results = []
    for email, url in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(email=email))
        client.get(url)  # warm caches
        reset_queries()  # the log is a bounded deque: a full one would count nothing
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        results.append((url, statistics.median(timings), len(ctx.captured_queries)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=20)
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

    call_command("migrate", verbosity=0)
    from accreditation.models import Application

    if Application.objects.count() > min(args.sizes):
        print("the bench database holds more than the smallest size: drop it to start again")
    print(f"{'applications':>12} {'page':42} {'median ms':>10} {'queries':>8}")
    for size in sorted(args.sizes):
        fill(size)
        for url, median, queries in measure(args.repeat):
            flag = "" if median < TARGET_MS else "  over target"
            print(f"{size:12,} {url:42} {median:10.1f} {queries:8}{flag}")


if __name__ == "__main__":
    main()
