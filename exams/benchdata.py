"""Benchmark sittings (manage.py bench_data): released sittings, each with its items, every
candidate's marks and results. Bookings, marks and results are loaded with COPY."""

import datetime
import random

from django.utils import timezone

from exams.models import (
    Booking,
    BookingStatus,
    CandidateResult,
    ComponentKind,
    Exam,
    Item,
    Mark,
    Sitting,
    SittingMode,
    SittingStatus,
)
from exams.report_cache import results_changed
from exams.standard_exams import ensure_standard_exams
from portal.bulk import Timings, analyse, copy_rows, next_id, reset_sequence

LETTERS = "ABCDEFGH"


def generate(
    *, candidates: list[int], sittings: int, per_sitting: int, seed: int, timings: Timings
) -> list[int]:
    """SITTINGS released sittings of PER_SITTING candidates drawn from CANDIDATES (ids);
    returns the sittings' ids."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    ensure_standard_exams()
    exams = list(Exam.objects.prefetch_related("components").order_by("order", "pk"))
    now = timezone.now()
    with timings.table("exams_sitting + exams_item") as t:
        made = []
        for s in range(sittings):
            exam = exams[s % len(exams)]
            starts = datetime.date(2022, 1, 10) + datetime.timedelta(days=30 * s)
            made.append(
                Sitting(
                    exam=exam,
                    label=f"Bench sitting {s + 1}",
                    starts_on=starts,
                    ends_on=starts,
                    mode=SittingMode.REMOTE,
                    capacity=max(per_sitting, 1),
                    applications_open=starts - datetime.timedelta(days=90),
                    applications_close=starts - datetime.timedelta(days=30),
                    fee_pence=45000,
                    status=SittingStatus.RELEASED,
                    last_candidate_number=per_sitting,
                    standard_method="fixed",
                    released_at=now,
                )
            )
        made = Sitting.objects.bulk_create(made)
        items = []
        for sitting in made:
            for component in sitting.exam.components.all():
                for i in range(component.item_count):
                    items.append(
                        Item(
                            sitting=sitting,
                            component=component,
                            code=f"{component.code}-{i + 1}",
                            order=i + 1,
                            answer=LETTERS[rng.randrange(component.options)]
                            if component.kind == ComponentKind.SBA
                            else "",
                            domain=f"Domain {i % 5 + 1}",
                            max_score=component.max_score,
                        )
                    )
        items = Item.objects.bulk_create(items, batch_size=5000)
        t["rows"] = len(made) + len(items)
    by_sitting: dict[int, list[Item]] = {}
    for item in items:
        by_sitting.setdefault(item.sitting_id, []).append(item)
    components = {c.pk: c for e in exams for c in e.components.all()}

    bookings = []  # (id, sitting, candidate, number, ability)
    first_booking = next_id(Booking._meta.db_table)
    for sitting in made:
        for k, candidate in enumerate(rng.sample(candidates, min(per_sitting, len(candidates)))):
            bookings.append(
                (first_booking + len(bookings), sitting, candidate, f"{k + 1:04d}", rng.random())
            )
    with timings.table("exams_booking") as t:
        t["rows"] = copy_rows(
            Booking._meta.db_table,
            ["id", "sitting_id", "candidate_id", "status", "candidate_number", "attempt_number"]
            + ["profession", "applied_at", "confirmed_at"],
            (
                (pk, sitting.pk, candidate, BookingStatus.CONFIRMED.value, number, 1, "")
                + (now, now)
                for pk, sitting, candidate, number, _ in bookings
            ),
        )
    totals: dict[int, tuple[float, float]] = {}
    with timings.table("exams_mark") as t:
        first_mark = next_id(Mark._meta.db_table)

        def marks():
            n = first_mark
            for pk, sitting, _, _, ability in bookings:
                total = maximum = 0.0
                for item in by_sitting.get(sitting.pk, []):
                    component = components[item.component_id]
                    if component.kind == ComponentKind.SBA:
                        right = rng.random() < 0.35 + 0.6 * ability
                        option = item.answer if right else LETTERS[rng.randrange(component.options)]
                        score, grade = float(option == item.answer), None
                    else:
                        grade = min(component.max_grade, 1 + int(ability * component.max_grade))
                        score = round(component.max_score * grade / component.max_grade, 1)
                        option = ""
                    total += score
                    maximum += item.max_score
                    yield (n, pk, item.pk, option, score, grade)
                    n += 1
                totals[pk] = (total, maximum)

        t["rows"] = copy_rows(
            Mark._meta.db_table,
            ["id", "booking_id", "item_id", "option", "score", "grade"],
            marks(),
        )
    with timings.table("exams_candidateresult") as t:
        first_result = next_id(CandidateResult._meta.db_table)
        cut = {}
        for sitting in made:
            maxima = [totals[pk][1] for pk, s, *_ in bookings if s is sitting]
            cut[sitting.pk] = 0.6 * (maxima[0] if maxima else 0)
        best = {}
        for pk, sitting, *_ in bookings:
            if totals[pk][0] > best.get(sitting.pk, (-1, None))[0]:
                best[sitting.pk] = (totals[pk][0], pk)
        t["rows"] = copy_rows(
            CandidateResult._meta.db_table,
            ["id", "booking_id", "total", "max_total", "passed", "feedback", "medal"],
            (
                (first_result + k, pk, totals[pk][0], totals[pk][1])
                + (totals[pk][0] >= cut[sitting.pk], "[]", best[sitting.pk][1] == pk)
                for k, (pk, sitting, *_) in enumerate(bookings)
            ),
        )
    for sitting in made:
        sitting.cut_score = cut[sitting.pk]
    Sitting.objects.bulk_update(made, ["cut_score"])
    tables = [
        Booking._meta.db_table,
        Mark._meta.db_table,
        CandidateResult._meta.db_table,
    ]
    for table in tables:
        reset_sequence(table)
    analyse(*tables, Item._meta.db_table)
    for sitting in made:  # COPY sends no signals and calls no service: drop kept reports
        results_changed(sitting.pk)
    return [s.pk for s in made]
