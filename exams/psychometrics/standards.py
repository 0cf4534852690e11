"""Standard setting: modified Angoff, Hofstee, and borderline regression for an OSCE.

Formulas, conventions and fallbacks are described in docs/psychometrics.md.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from exams.psychometrics.errors import PsychometricsInputError
from exams.psychometrics.items import cronbach_alpha, score_matrix, sem, total_sd

# A score within this of a pass mark or cut counts as reaching it, so that a mark equal to the
# standard on paper is not failed by floating-point rounding (e.g. 12 against 12.000000000000002).
PASS_TOLERANCE = 1e-9


@dataclass(frozen=True)
class AngoffResult:
    item_standards: tuple[float, ...]
    cut_raw: float
    cut_percent: float


def modified_angoff(judgements: ArrayLike, *, trim: bool = False) -> AngoffResult:
    """Modified Angoff from a judges × items matrix of probabilities (0–1) that a borderline
    candidate answers each item correctly.

    Item standard = mean of the judges' probabilities for that item. With ``trim``, each item's
    single highest and single lowest judgement are dropped first (per item, so different judges
    may be dropped for different items; needs ≥ 3 judges). cut_raw = Σ item standards;
    cut_percent = 100 × cut_raw / number of items.
    """
    x = score_matrix(judgements)
    if ((x < 0) | (x > 1)).any():
        raise PsychometricsInputError("Angoff judgements must be probabilities from 0 to 1")
    judges, items = x.shape
    if trim:
        if judges < 3:
            raise PsychometricsInputError(f"trimming needs at least 3 judges, got {judges}")
        x = np.sort(x, axis=0)[1:-1]
    standards = x.mean(axis=0)
    cut_raw = float(standards.sum())
    return AngoffResult(tuple(float(s) for s in standards), cut_raw, 100 * cut_raw / items)


@dataclass(frozen=True)
class HofsteeResult:
    cut: float
    # "intersection", or the fallback used when the curve and the line do not meet.
    method: Literal["intersection", "min_cut", "max_cut"]
    # The percentage of candidates scoring below the cut: those who fail (pass is score >= cut).
    fail_percent: float


def percent_below(scores: ArrayLike) -> np.ndarray:
    """F(m) for m = 0..100: the percentage of candidates scoring below whole mark m.

    Below, not at or below: a candidate passes with a score equal to the cut, so F(m) is the
    fail rate that a cut of exactly m gives.
    """
    s = np.sort(np.asarray(scores, dtype=float))
    return 100 * np.searchsorted(s, np.arange(101), side="left") / s.size


def hofstee(
    scores: ArrayLike, *, min_cut: float, max_cut: float, min_fail: float, max_fail: float
) -> HofsteeResult:
    """Hofstee cut (percent) from the candidates' percent scores and the panel's bounds.

    The line runs from (min_cut, max_fail) to (max_cut, min_fail); the curve is F(m) (see
    ``percent_below``) joined by straight lines between whole marks. The cut is the first
    point in [min_cut, max_cut] where the curve reaches the line. Fallbacks: if the curve is
    already above the line at min_cut (even the lowest acceptable cut fails more than the panel
    accepts) the cut is min_cut; if it is still below the line at max_cut (even the highest
    acceptable cut fails fewer) the cut is max_cut. ``fail_percent`` is the share of candidates
    scoring below the cut, who fail it: a score equal to the cut passes.
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim != 1 or s.size == 0:
        raise PsychometricsInputError("Hofstee needs at least one candidate's score")
    if not np.isfinite(s).all() or ((s < 0) | (s > 100)).any():
        raise PsychometricsInputError("Hofstee scores must be percentages from 0 to 100")
    bounds = (min_cut, max_cut, min_fail, max_fail)
    if not all(np.isfinite(b) and 0 <= b <= 100 for b in bounds):
        raise PsychometricsInputError("Hofstee bounds must be percentages from 0 to 100")
    if not min_cut < max_cut:
        raise PsychometricsInputError("the minimum cut must be below the maximum cut")
    if not min_fail <= max_fail:
        raise PsychometricsInputError("the minimum fail rate must not exceed the maximum")

    def result(cut, method) -> HofsteeResult:
        failing = np.count_nonzero(s < cut - PASS_TOLERANCE)
        return HofsteeResult(float(cut), method, float(100 * failing / s.size))

    inner = np.arange(np.floor(min_cut) + 1, np.ceil(max_cut))
    points = np.concatenate(([min_cut], inner, [max_cut]))
    curve = np.interp(points, np.arange(101), percent_below(s))
    line = max_fail + (points - min_cut) * (min_fail - max_fail) / (max_cut - min_cut)
    gap = curve - line  # never decreases: the curve rises, the line falls
    if gap[0] > 0:
        return result(min_cut, "min_cut")
    if gap[-1] < 0:
        return result(max_cut, "max_cut")
    i = int(np.argmax(gap >= 0))
    if i == 0:
        return result(min_cut, "intersection")
    x0, x1, g0, g1 = points[i - 1], points[i], gap[i - 1], gap[i]
    return result(x0 + (x1 - x0) * -g0 / (g1 - g0), "intersection")


@dataclass(frozen=True)
class StationStandard:
    id: str
    intercept: float | None
    slope: float | None
    r2: float | None
    pass_mark: float | None
    borderline_group_mark: float | None


def borderline_regression(
    scores: ArrayLike, grades: ArrayLike, borderline_grade: int, station_id: str = ""
) -> StationStandard:
    """Least-squares line score = intercept + slope × grade for one station.

    slope = Sxy / Sxx, intercept = mean(score) − slope × mean(grade), r2 = Sxy² / (Sxx Syy);
    pass_mark = intercept + slope × borderline_grade. When every grade is the same, the line
    (and so the pass mark) is None; when every score is the same, r2 is None.
    borderline_group_mark = mean score of the candidates graded borderline, None if none were.
    """
    y = np.asarray(scores, dtype=float)
    x = np.asarray(grades, dtype=float)
    if y.ndim != 1 or y.shape != x.shape or y.size < 2:
        raise PsychometricsInputError("need a score and a grade for at least 2 candidates")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise PsychometricsInputError("scores and grades must be finite")
    at_borderline = x == borderline_grade
    group_mark = float(y[at_borderline].mean()) if at_borderline.any() else None
    if np.ptp(x) == 0:
        return StationStandard(station_id, None, None, None, None, group_mark)
    xc, yc = x - x.mean(), y - y.mean()
    sxx, sxy, syy = float(xc @ xc), float(xc @ yc), float(yc @ yc)
    slope = sxy / sxx
    intercept = float(y.mean() - slope * x.mean())
    r2 = None if np.ptp(y) == 0 else min(1.0, sxy * sxy / (sxx * syy))
    pass_mark = intercept + slope * borderline_grade
    return StationStandard(station_id, intercept, slope, r2, pass_mark, group_mark)


@dataclass(frozen=True)
class CandidateOutcome:
    id: str
    total: float
    stations_passed: int
    passed: bool


@dataclass(frozen=True)
class BorderlineExamResult:
    stations: tuple[StationStandard, ...]
    alpha: float | None
    sem: float | None
    cut: float
    candidates: tuple[CandidateOutcome, ...]


def borderline_exam(
    scores: ArrayLike,
    grades: ArrayLike,
    *,
    candidate_ids: Sequence[str],
    station_ids: Sequence[str],
    borderline_grade: int,
    sem_margin: float = 1.0,
    min_stations: int = 0,
) -> BorderlineExamResult:
    """Borderline regression for a whole OSCE (candidates × stations scores and grades).

    Each station's pass mark comes from ``borderline_regression``. alpha is Cronbach's alpha with
    stations as items, sem = sample SD of totals × √(1 − alpha), and
    cut = Σ station pass marks + sem_margin × sem (sem is not needed when sem_margin is 0).
    A station is passed with score ≥ its pass mark; a candidate passes with total ≥ cut and at
    least ``min_stations`` stations passed (both comparisons allow PASS_TOLERANCE).
    """
    y = score_matrix(scores)
    g = score_matrix(grades)
    candidates, n_stations = y.shape
    if g.shape != y.shape or len(candidate_ids) != candidates or len(station_ids) != n_stations:
        raise PsychometricsInputError("scores, grades and ids do not match in shape")
    if not np.isfinite(sem_margin):
        raise PsychometricsInputError("the SEM margin must be a finite number")
    if not 0 <= min_stations <= n_stations:
        raise PsychometricsInputError(
            f"the minimum stations to pass must be from 0 to {n_stations}, got {min_stations}"
        )
    stations = tuple(
        borderline_regression(y[:, j], g[:, j], borderline_grade, str(station_ids[j]))
        for j in range(n_stations)
    )
    for station in stations:
        if station.pass_mark is None:
            raise PsychometricsInputError(
                f'station "{station.id}": every candidate has the same grade, '
                "so no regression line can be drawn"
            )
    alpha = cronbach_alpha(y) if n_stations >= 2 else None
    exam_sem = sem(total_sd(y), alpha)
    if sem_margin != 0 and exam_sem is None:
        raise PsychometricsInputError(
            "the SEM is undefined (alpha needs at least 2 stations and totals that vary); "
            "use an SEM margin of 0"
        )
    pass_marks = np.array([s.pass_mark for s in stations])
    cut = float(pass_marks.sum() + (sem_margin * exam_sem if sem_margin != 0 else 0.0))
    passed_stations = (y >= pass_marks - PASS_TOLERANCE).sum(axis=1)
    totals = y.sum(axis=1)
    outcomes = tuple(
        CandidateOutcome(
            id=str(candidate_ids[i]),
            total=float(totals[i]),
            stations_passed=int(passed_stations[i]),
            passed=bool(totals[i] >= cut - PASS_TOLERANCE and passed_stations[i] >= min_stations),
        )
        for i in range(candidates)
    )
    return BorderlineExamResult(stations, alpha, exam_sem, cut, outcomes)
