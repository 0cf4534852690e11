"""Standard setting, item exclusion, ratification and release of a sitting's results.

The results workflow: results imported → standard set → ratified (by a second administrator)
→ released (now or at a scheduled time). Each move is one function here. Results are computed
from the marks when the standard is set, and again whenever an item is excluded or restored.
"""

import datetime

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from credentials.api import Source, issue_credential
from exams import psychometrics, sitting_states
from exams.emails import email_candidate
from exams.models import (
    AngoffJudgement,
    Booking,
    CandidateResult,
    ComponentKind,
    Item,
    Sitting,
    SittingStatus,
)
from exams.report_cache import results_changed
from exams.selectors.matrices import sitting_matrix
from exams.services.errors import ExamError, refuse_if
from exams.sitting_states import SittingAction, results_visible
from portal.audit import record
from portal.links import absolute_url

ANGOFF = "angoff"
ANGOFF_TRIMMED = "angoff_trimmed"
BORDERLINE_REGRESSION = "borderline_regression"
FIXED = "fixed"
HOFSTEE = "hofstee"
METHOD_NAMES = {
    HOFSTEE: "Hofstee compromise",
    ANGOFF: "Modified Angoff",
    ANGOFF_TRIMMED: "Modified Angoff, highest and lowest judge dropped",
    BORDERLINE_REGRESSION: "Borderline regression per station",
    FIXED: "Cut score set by the board",
}
# How a Hofstee cut was reached (psychometrics.HofsteeResult.method), in words for the pages.
HOFSTEE_REACHED = {
    "intersection": "where the panel's line meets the curve of candidates scoring below each mark",
    "min_cut": "the panel's lowest acceptable cut, since even there more candidates fail than the "
    "panel's highest acceptable fail rate",
    "max_cut": "the panel's highest acceptable cut, since even there fewer candidates fail than "
    "the panel's lowest acceptable fail rate",
}


def hofstee_summary(sitting: Sitting) -> dict | None:
    """The Hofstee cut in percent, how it was reached and the fail rate it gives (the share of
    candidates scoring below it: a score equal to the cut passes); None for other methods."""
    detail = sitting.standard_detail or {}
    if sitting.standard_method != HOFSTEE or "fail_percent" not in detail:
        return None
    return {
        "cut_percent": detail["cut_percent"],
        "fail_percent": detail["fail_percent"],
        "reached": HOFSTEE_REACHED[detail["hofstee_method"]],
    }


def is_osce(sitting: Sitting) -> bool:
    return sitting.exam.components.filter(kind=ComponentKind.OSCE).exists()


def _locked(sitting_id) -> Sitting:
    return Sitting.objects.select_for_update().select_related("exam").get(pk=sitting_id)


def angoff_standard(sitting: Sitting, *, trim: bool):
    """The Angoff cut over the sitting's included questions, from the judgements entered."""
    items = list(
        Item.objects.filter(sitting=sitting, component__kind=ComponentKind.SBA, excluded=False)
    )
    judgements = list(
        AngoffJudgement.objects.filter(item__in=items).values_list(
            "judge", "item_id", "probability"
        )
    )
    judges = sorted({judge for judge, *_ in judgements})
    if not judges:
        raise ExamError("Enter or import the judges' Angoff judgements first.")
    column = {item.pk: j for j, item in enumerate(items)}
    matrix = np.full((len(judges), len(items)), np.nan)
    row = {judge: i for i, judge in enumerate(judges)}
    for judge, item_id, probability in judgements:
        matrix[row[judge], column[item_id]] = probability
    missing = [items[j].code for j in range(len(items)) if np.isnan(matrix[:, j]).any()]
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise ExamError(f"Every judge needs a judgement for every question; missing: {shown}.")
    try:
        return psychometrics.modified_angoff(matrix, trim=trim)
    except psychometrics.PsychometricsInputError as exc:
        raise ExamError(f"The standard cannot be set: {exc}.") from exc


def _compute(sitting: Sitting, method: str, cut: float | None, hofstee_bounds=None):
    """(cut, detail, results) for METHOD; results are unsaved CandidateResults."""
    exam = sitting.exam
    if method == BORDERLINE_REGRESSION:
        m = sitting_matrix(sitting, kind=ComponentKind.OSCE)
        if not m.booking_ids:
            raise ExamError("There are no station scores to set a standard on.")
        try:
            outcome = psychometrics.borderline_exam(
                m.scores,
                m.grades,
                candidate_ids=[str(pk) for pk in m.booking_ids],
                station_ids=m.item_codes,
                borderline_grade=exam.borderline_grade,
                sem_margin=exam.sem_margin,
                min_stations=min(exam.min_stations, len(m.items)),
            )
        except psychometrics.PsychometricsInputError as exc:
            raise ExamError(f"The standard cannot be set: {exc}.") from exc
        pass_marks = {s.id: s.pass_mark for s in outcome.stations}
        detail = {
            "stations": [
                {
                    "id": s.id,
                    "pass_mark": s.pass_mark,
                    "r2": s.r2,
                    "borderline_group_mark": s.borderline_group_mark,
                }
                for s in outcome.stations
            ],
            "alpha": outcome.alpha,
            "sem": outcome.sem,
            "sem_margin": exam.sem_margin,
            "min_stations": exam.min_stations,
        }
        results = []
        for i, candidate in enumerate(outcome.candidates):
            feedback = [
                {
                    "label": f"Station {item.code}",
                    "score": float(m.scores[i, j]),
                    "max": item.max_score,
                    "passed": bool(m.scores[i, j] >= pass_marks[item.code] - 1e-9),
                }
                for j, item in enumerate(m.items)
            ]
            results.append(
                CandidateResult(
                    booking_id=m.booking_ids[i],
                    total=candidate.total,
                    max_total=float(sum(item.max_score for item in m.items)),
                    passed=candidate.passed,
                    stations_passed=candidate.stations_passed,
                    feedback=feedback,
                )
            )
        return outcome.cut, detail, results
    m = sitting_matrix(sitting, kind=ComponentKind.SBA)
    if not m.booking_ids:
        raise ExamError("There are no responses to set a standard on.")
    if method in (ANGOFF, ANGOFF_TRIMMED):
        angoff = angoff_standard(sitting, trim=method == ANGOFF_TRIMMED)
        cut = angoff.cut_raw
        detail = {"cut_percent": angoff.cut_percent, "items": len(m.items)}
    elif method == HOFSTEE:
        bounds = hofstee_bounds or {}
        percents = 100 * m.scores.sum(axis=1) / len(m.items)
        try:
            outcome = psychometrics.hofstee(percents, **bounds)
        except (TypeError, psychometrics.PsychometricsInputError) as exc:
            raise ExamError(f"The Hofstee standard cannot be set: {exc}.") from exc
        cut = outcome.cut * len(m.items) / 100
        detail = {
            "items": len(m.items),
            "cut_percent": outcome.cut,
            "hofstee": bounds,
            "hofstee_method": outcome.method,
            "fail_percent": outcome.fail_percent,
        }
    elif method == FIXED:
        if cut is None or not 0 <= cut <= len(m.items):
            raise ExamError(f"The cut score must be from 0 to {len(m.items)} marks.")
        detail = {"items": len(m.items)}
    else:
        raise ExamError("Choose how the standard is set.")
    totals = m.scores.sum(axis=1)
    domains = sorted({item.domain or item.component.name for item in m.items})
    domain_columns = {
        d: [j for j, item in enumerate(m.items) if (item.domain or item.component.name) == d]
        for d in domains
    }
    results = [
        CandidateResult(
            booking_id=m.booking_ids[i],
            total=float(totals[i]),
            max_total=float(len(m.items)),
            passed=bool(totals[i] >= cut - psychometrics.standards.PASS_TOLERANCE),
            feedback=[
                {"label": d, "score": float(m.scores[i, cols].sum()), "max": len(cols)}
                for d, cols in domain_columns.items()
            ],
        )
        for i in range(len(m.booking_ids))
    ]
    return cut, detail, results


def _store(sitting: Sitting, results: list[CandidateResult]) -> None:
    CandidateResult.objects.filter(booking__sitting=sitting).delete()
    if results and sitting.exam.medal_name:
        best = max(r.total for r in results)
        for result in results:
            result.medal = result.total == best
    CandidateResult.objects.bulk_create(results, batch_size=2000)
    results_changed(sitting.pk)
    # Questions from the bank keep how they did in this sitting (exclusions included).
    from exams.services.bank import record_statistics

    record_statistics(sitting)


def set_standard(
    sitting: Sitting, *, method: str, by, cut: float | None = None, hofstee_bounds=None
) -> Sitting:
    """Set (or set again, until ratified) the cut score and compute every candidate's result."""
    with transaction.atomic():
        sitting = _locked(sitting.pk)
        refuse_if(sitting_states.refusal(sitting, SittingAction.SET_STANDARD))
        osce = is_osce(sitting)
        if osce != (method == BORDERLINE_REGRESSION):
            raise ExamError(
                "An OSCE is standard-set by borderline regression; an SBA exam by Angoff or a "
                "board-set cut score."
            )
        new_cut, detail, results = _compute(sitting, method, cut, hofstee_bounds)
        _store(sitting, results)
        old = {"status": sitting.status, "cut_score": sitting.cut_score}
        sitting.status = sitting_states.MOVES[SittingAction.SET_STANDARD].to
        sitting.cut_score = new_cut
        sitting.standard_method = method
        sitting.standard_detail = detail
        sitting.standard_set_by = by
        sitting.save()
        record(
            "exams.standard_set",
            obj=sitting,
            actor=by,
            old=old,
            new={"status": sitting.status, "cut_score": round(new_cut, 4), "method": method},
        )
        return sitting


def set_item_excluded(item: Item, *, excluded: bool, reason: str, by) -> Item:
    """Exclude an item from scoring (or restore it); results already computed are re-scored."""
    with transaction.atomic():
        sitting = _locked(item.sitting_id)
        item = Item.objects.select_for_update().get(pk=item.pk)
        refuse_if(sitting_states.refusal(sitting, SittingAction.EXCLUDE_QUESTIONS))
        if item.excluded == excluded:
            raise ExamError("That item is already " + ("excluded." if excluded else "included."))
        if excluded and not reason.strip():
            raise ExamError("Say why the item is excluded.")
        if (
            excluded
            and not Item.objects.filter(
                sitting=sitting, excluded=False, component__kind=item.component.kind
            )
            .exclude(pk=item.pk)
            .exists()
        ):
            raise ExamError("Every other item is excluded already: one must count.")
        item.excluded = excluded
        item.excluded_reason = reason.strip()[:200] if excluded else ""
        item.save(update_fields=["excluded", "excluded_reason"])
        results_changed(sitting.pk)
        record(
            "exams.item_excluded" if excluded else "exams.item_restored",
            obj=sitting,
            actor=by,
            old={"item": item.code, "excluded": not excluded},
            new={"item": item.code, "excluded": excluded},
            detail=item.excluded_reason,
        )
        if sitting.status == SittingStatus.STANDARD_SET:
            # Re-score with the same method; a board-set cut keeps its proportion of the marks.
            cut = sitting.cut_score
            if sitting.standard_method == FIXED:
                before = sitting.standard_detail.get("items") or 1
                after = Item.objects.filter(
                    sitting=sitting, excluded=False, component__kind=ComponentKind.SBA
                ).count()
                cut = cut * after / before
            new_cut, detail, results = _compute(
                sitting, sitting.standard_method, cut, sitting.standard_detail.get("hofstee")
            )
            _store(sitting, results)
            sitting.cut_score, sitting.standard_detail = new_cut, detail
            sitting.save(update_fields=["cut_score", "standard_detail"])
        return item


def ratify(sitting: Sitting, *, by) -> Sitting:
    """A second administrator (not the one who set the standard) ratifies the results."""
    with transaction.atomic():
        sitting = _locked(sitting.pk)
        refuse_if(sitting_states.refusal(sitting, SittingAction.RATIFY, by=by))
        old = sitting.status
        sitting.status = sitting_states.MOVES[SittingAction.RATIFY].to
        sitting.ratified_by = by
        sitting.save(update_fields=["status", "ratified_by"])
        record(
            "exams.results_ratified",
            obj=sitting,
            actor=by,
            old={"status": old},
            new={"status": sitting.status},
        )
        return sitting


def release(sitting: Sitting, *, by, at: datetime.datetime | None = None) -> Sitting:
    """Release ratified results now or at AT; passes are awarded their credential once the
    transaction commits (idempotent: a retry never awards twice)."""
    now = timezone.now()
    at = at or now
    with transaction.atomic():
        sitting = _locked(sitting.pk)
        refuse_if(sitting_states.refusal(sitting, SittingAction.RELEASE))
        if not now - datetime.timedelta(minutes=5) <= at <= now + datetime.timedelta(days=90):
            raise ExamError("Schedule the release within the next 90 days.")
        old = sitting.status
        sitting.status = sitting_states.MOVES[SittingAction.RELEASE].to
        sitting.released_at = at
        sitting.save(update_fields=["status", "released_at"])
        record(
            "exams.results_released",
            obj=sitting,
            actor=by,
            old={"status": old},
            new={"status": sitting.status, "released_at": at.isoformat()},
        )
        sitting_id = sitting.pk
        transaction.on_commit(lambda: award_passes(sitting_id))
        results = CandidateResult.objects.filter(booking__sitting=sitting).select_related(
            "booking__candidate", "booking__sitting__exam"
        )
        for result in results:
            email_candidate(
                result.booking,
                "results",
                "your exam result",
                release_at=at if at > now else None,
                result_link=absolute_url(reverse("exams:result", args=[result.booking_id])),
            )
        return sitting


def award_passes(sitting_id: int) -> int:
    """Issue the exam's credential for every pass at a released sitting (safe to repeat)."""
    sitting = Sitting.objects.select_related("exam").get(pk=sitting_id)
    if not results_visible(sitting) or not sitting.exam.awards_id:
        return 0  # a scheduled release is awarded by `manage.py exam_awards` when it is due
    passes = CandidateResult.objects.filter(booking__sitting=sitting, passed=True).select_related(
        "booking__candidate"
    )
    for result in passes:
        issue_credential(
            holder=result.booking.candidate,
            credential_type=sitting.exam.awards_id,
            source=Source("exams.candidate_result", result.pk),
            valid_from=sitting.released_at.date(),
            scope=f"{sitting.exam.name}, {sitting.label}",
        )
    return len(passes)


def booking_result(booking: Booking):
    return CandidateResult.objects.filter(booking=booking).first()
