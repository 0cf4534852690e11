"""Exam results at scale, on a throwaway SQLite database: 500 candidates × 200 questions
(MFSEM Part 1, two papers of 100: 100,000 responses) imported as CSV (dry run, then the
confirmed import that checks again), scored and standard-set, analysed, and the sitting's
results and item-analysis pages rendered. Target: import + scoring + analysis ≤ 10 s and peak
memory ≤ 500 MB on the 2-core machines.

    .venv/bin/python bench/exam_results.py [--candidates 500] [--repeat 5]
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 10
TARGET_MB = 500


def build(candidates: int):
    import datetime

    from django.utils import timezone

    from exams.models import Booking, BookingStatus, Exam, Sitting, SittingMode, SittingStatus
    from portal.models import User

    admin = User.objects.create_user("bench-admin@example.org", "bench-password-123")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    from portal.totp import add_authenticator_app

    add_authenticator_app(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # staff pages need MFA
    User.objects.bulk_create(
        User(email=f"candidate{n}@example.org", first_name="Candidate", last_name=str(n))
        for n in range(candidates)
    )
    people = list(User.objects.filter(email__startswith="candidate").order_by("pk"))
    held = timezone.localdate() - datetime.timedelta(days=20)
    sitting = Sitting.objects.create(
        exam=Exam.objects.get(code="mfsem-part-1"),
        label="Bench",
        starts_on=held,
        ends_on=held,
        mode=SittingMode.VENUE,
        venue="Bench Hall",
        capacity=candidates,
        applications_open=held - datetime.timedelta(days=60),
        applications_close=held - datetime.timedelta(days=10),
        fee_pence=45000,
        status=SittingStatus.SCHEDULED,
        last_candidate_number=candidates,
    )
    Booking.objects.bulk_create(
        Booking(
            sitting=sitting,
            candidate=person,
            status=BookingStatus.CONFIRMED,
            candidate_number=f"{n + 1:04d}",
            attempt_number=1,
            profession="gp" if n % 5 else "other",
        )
        for n, person in enumerate(people)
    )
    return admin, sitting


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
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

    from exams import psychometrics
    from exams.models import Component, ComponentKind, ImportKind, Mark
    from exams.sample_results import KEY_HEADER, SBA_HEADER, csv_bytes, key_rows, sba_rows
    from exams.selectors.matrices import sitting_matrix
    from exams.services.imports import check_file, import_data
    from exams.services.standards import FIXED, set_standard

    call_command("migrate", verbosity=0)
    admin, sitting = build(args.candidates)
    numbers = [f"{n + 1:04d}" for n in range(args.candidates)]
    files = []
    for paper, prefix, seed in (("paper-1", "P1-", 11), ("paper-2", "P2-", 13)):
        component = Component.objects.get(exam=sitting.exam, code=paper)
        key = key_rows(100, prefix=prefix, seed=seed)
        import_data(
            sitting, component, ImportKind.KEY, csv_bytes(KEY_HEADER, key), "key.csv", by=admin
        )
        files.append((component, csv_bytes(SBA_HEADER, sba_rows(numbers, key, seed=seed + 1))))

    figures = {}
    start = time.perf_counter()
    for component, data in files:
        report = check_file(sitting, component, ImportKind.SBA, data, "responses.csv")
        assert report.ok, report.errors[:3]
    figures["dry run (both papers)"] = time.perf_counter() - start
    start = time.perf_counter()
    for component, data in files:
        import_data(sitting, component, ImportKind.SBA, data, "responses.csv", by=admin)
    figures["import: check again + write"] = time.perf_counter() - start
    assert Mark.objects.filter(item__sitting=sitting).count() == args.candidates * 200
    start = time.perf_counter()
    set_standard(sitting, method=FIXED, cut=120, by=admin)
    figures["score + set standard (results)"] = time.perf_counter() - start
    start = time.perf_counter()
    matrix = sitting_matrix(sitting, kind=ComponentKind.SBA)
    analysis = psychometrics.analyse_items(matrix.scores, matrix.item_codes)
    figures["item analysis (alpha, KR-20, flags)"] = time.perf_counter() - start
    total = sum(figures.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    pages = {}
    for name in ("results", "items"):
        url = f"/manage/exams/sittings/{sitting.pk}/{name}/"
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries)
        timings = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            assert client.get(url).status_code == 200
            timings.append((time.perf_counter() - began) * 1000)
        pages[url] = (statistics.median(timings), count)

    print(f"{args.candidates} candidates × 200 questions = {args.candidates * 200:,} responses")
    for name, seconds in figures.items():
        print(f"  {name:40} {seconds:7.2f} s")
    print(
        f"  {'total':40} {total:7.2f} s   (target ≤ {TARGET_SECONDS} s: "
        f"{'met' if total <= TARGET_SECONDS else 'NOT MET'})"
    )
    print(
        f"  peak memory (max RSS)                    {peak_mb:7.0f} MB  (target ≤ {TARGET_MB} MB: "
        f"{'met' if peak_mb <= TARGET_MB else 'NOT MET'})"
    )
    print(
        f"  alpha {analysis.alpha:.3f}, KR-20 {analysis.kr20:.3f}, SEM {analysis.sem:.2f}, "
        f"{sum(1 for i in analysis.items if i.flags)} questions flagged"
    )
    for url, (median, count) in pages.items():
        print(f"  page {url:40} median {median:7.1f} ms, {count} queries")


if __name__ == "__main__":
    main()
