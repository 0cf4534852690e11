"""The exams team's reports on a sitting: item analysis, pass rates by profession, reliability,
and the results table a page at a time. Reads only."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q

from exams import psychometrics
from exams.models import Booking, CandidateResult, ComponentKind
from exams.report_cache import REPORT_CACHE_SECONDS, report_key
from exams.selectors.matrices import sitting_matrix
from exams.services.standards import is_osce
from portfolio.api import profession_name

FLAG_WORDS = {
    "hard": "Hard (facility below 0.2)",
    "easy": "Easy (facility above 0.95)",
    "low_discrimination": "Low discrimination (corrected r below 0.1)",
    "no_discrimination": "Does not discriminate",
}


def item_analysis_rows(sitting):
    """(analysis, rows) for the sitting's SBA questions, excluded ones listed after."""
    m = sitting_matrix(sitting, kind=ComponentKind.SBA, include_excluded=True)
    if not m.booking_ids or not m.items:
        return None, []
    included = [j for j, item in enumerate(m.items) if not item.excluded]
    analysis = (
        psychometrics.analyse_items(m.scores[:, included], [m.items[j].code for j in included])
        if included
        else None
    )
    stats = {s.id: s for s in analysis.items} if analysis else {}
    rows = []
    for item in m.items:
        s = stats.get(item.code)
        rows.append(
            {"item": item, "stats": s, "flags": [FLAG_WORDS[f] for f in s.flags] if s else []}
        )
    return analysis, rows


def results_summary(sitting):
    """Pass rates overall and by profession, in one query. It reads the sitting's bookings
    and looks up each one's result by index: joining the other way round, PostgreSQL reads
    every result of every sitting."""
    result = CandidateResult.objects.filter(booking=OuterRef("pk"))
    by_profession = list(
        Booking.objects.filter(sitting=sitting)
        .values("profession")
        .annotate(
            candidates=Count("pk", filter=Q(Exists(result))),
            passed=Count("pk", filter=Q(Exists(result.filter(passed=True)))),
        )
        .filter(candidates__gt=0)
        .order_by("profession")
    )
    total = sum(row["candidates"] for row in by_profession)
    passed = sum(row["passed"] for row in by_profession)
    return {
        "candidates": total,
        "passed": passed,
        "rate": 100 * passed / total if total else None,
        "by_profession": [
            {
                "profession": profession_name(row["profession"]) or "Not given",
                "candidates": row["candidates"],
                "passed": row["passed"],
                "rate": 100 * row["passed"] / row["candidates"],
            }
            for row in by_profession
        ],
    }


def sba_reliability(sitting) -> dict:
    """Alpha, SEM and the flagged and excluded questions for an SBA sitting's report. The
    item analysis reads every mark (100,000 for 500 candidates × 200 questions)."""
    analysis, item_rows = item_analysis_rows(sitting)
    return {
        "alpha": analysis.alpha if analysis else None,
        "sem": analysis.sem if analysis else None,
        "flagged": sum(1 for r in item_rows if r["flags"] and not r["item"].excluded),
        "excluded": sum(1 for r in item_rows if r["item"].excluded),
    }


def sitting_report(sitting) -> dict:
    """Pass rates, and for an SBA paper its reliability: computed once per version of the
    sitting's results (exams.report_cache) and kept in the cache."""
    key = report_key(sitting.pk)
    report = cache.get(key)
    if report is None:
        osce = is_osce(sitting)
        summary = results_summary(sitting)
        report = {
            "osce": osce,
            "summary": summary,
            "sba_reliability": sba_reliability(sitting)
            if summary["candidates"] and not osce
            else None,
        }
        cache.set(key, report, REPORT_CACHE_SECONDS)
    return report


def reliability(sitting, report: dict) -> dict:
    """The report's reliability line: an OSCE's from its standard setting, an SBA paper's from
    the item analysis."""
    if report["osce"]:
        detail = sitting.standard_detail or {}
        return {"alpha": detail.get("alpha"), "sem": detail.get("sem"), "flagged": None}
    return report["sba_reliability"] or {"alpha": None, "sem": None, "flagged": None}


def results_in_order(sitting):
    return CandidateResult.objects.filter(booking__sitting=sitting).order_by(
        "booking__candidate_number"
    )


def one_decimal(value) -> str:
    """143.5 → "143.5", 143.0 → "143": floatformat:"-1", without a template filter per cell."""
    exact = Decimal(repr(float(value)))
    if exact == exact.to_integral_value():
        return str(int(exact))
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))  # 99.95 → "100.0"


RESULT_COLUMNS = (
    "booking__candidate_number",
    "booking__candidate__first_name",
    "booking__candidate__last_name",
    "total",
    "max_total",
    "stations_passed",
    "passed",
    "medal",
)


def result_rows(page_of_values) -> list[dict]:
    """A page of results (values of RESULT_COLUMNS) as the table shows them, written out once
    in Python: a hundred rows through model instances and per-cell filters were most of the
    page's time."""
    rows = []
    for number, first, last, total, max_total, stations, passed, medal in page_of_values:
        score = f"{one_decimal(total)} / {one_decimal(max_total)}"
        if stations is not None:
            score += f", {stations} stations passed"
        rows.append(
            {
                "number": number,
                "name": f"{first} {last}".strip(),
                "score": score,
                "passed": passed,
                "medal": medal,
            }
        )
    return rows


def results_export_rows(sitting) -> list[tuple]:
    """Every result of SITTING as the download's rows (see RESULTS_EXPORT_HEADERS)."""
    rows = results_in_order(sitting).select_related("booking__candidate")
    return [
        (
            r.booking.candidate_number,
            r.booking.candidate.get_full_name(),
            round(r.total, 2),
            r.max_total,
            round(r.percent, 1),
            "Pass" if r.passed else "Fail",
            "Yes" if r.medal else "",
        )
        for r in rows
    ]


RESULTS_EXPORT_HEADERS = ["candidate_number", "name", "total", "max", "percent", "result", "medal"]
