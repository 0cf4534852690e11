"""Classical item analysis and reliability for a score matrix (candidates × items).

Rows are candidates, columns are items. A statistic that is undefined for the data (a zero
variance, too few candidates or items) is ``None``, never NaN. "Zero variance" means every value
is identical (max == min), tested exactly, so floating-point noise never invents a statistic.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from exams.psychometrics.errors import PsychometricsInputError

# Flag thresholds (strict inequalities): facility outside [0.2, 0.95], or corrected r below 0.1.
HARD_BELOW = 0.2
EASY_ABOVE = 0.95
LOW_DISCRIMINATION_BELOW = 0.1
FLAG_HARD = "hard"
FLAG_EASY = "easy"
FLAG_LOW_DISCRIMINATION = "low_discrimination"
FLAG_NO_DISCRIMINATION = "no_discrimination"


@dataclass(frozen=True)
class ItemStats:
    id: str
    facility: float
    point_biserial: float | None
    corrected_item_total: float | None
    upper_lower_d: float | None
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ItemAnalysis:
    candidates: int
    items: tuple[ItemStats, ...]
    mean: float
    sd: float | None
    alpha: float | None
    kr20: float | None
    sem: float | None


def score_matrix(scores: ArrayLike, *, binary: bool = False) -> np.ndarray:
    """Return ``scores`` as a 2-D float array with at least one row and column, all finite
    (and all 0 or 1 when ``binary``); raise PsychometricsInputError otherwise."""
    matrix = np.asarray(scores, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] < 1 or matrix.shape[1] < 1:
        raise PsychometricsInputError("scores must be a non-empty candidates × items matrix")
    if not np.isfinite(matrix).all():
        raise PsychometricsInputError("scores must be finite numbers")
    if binary and not np.isin(matrix, (0.0, 1.0)).all():
        raise PsychometricsInputError("item scores must be 0 or 1")
    return matrix


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _optionals(values: np.ndarray) -> list[float | None]:
    return [_optional(v) for v in values]


def _constant(values: np.ndarray, axis: int = 0) -> np.ndarray:
    return np.ptp(values, axis=axis) == 0


def _column_correlations(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson r of each column of ``x`` with the same column of ``y`` (NaN where either is
    constant), clipped to [-1, 1] against rounding."""
    xc = x - x.mean(axis=0)
    yc = y - y.mean(axis=0)
    undefined = _constant(x) | _constant(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (xc * yc).sum(axis=0) / np.sqrt((xc * xc).sum(axis=0) * (yc * yc).sum(axis=0))
    return np.where(undefined, np.nan, np.clip(r, -1.0, 1.0))


def facility(scores: ArrayLike) -> list[float]:
    """Facility p_j = mean of item j (the proportion answering correctly)."""
    return [float(p) for p in score_matrix(scores, binary=True).mean(axis=0)]


def point_biserial(scores: ArrayLike) -> list[float | None]:
    """Point-biserial r_j = Pearson r of item j with the total score (the item included).
    None when the item or the totals do not vary."""
    x = score_matrix(scores, binary=True)
    totals = x.sum(axis=1, keepdims=True)
    return _optionals(_column_correlations(x, np.broadcast_to(totals, x.shape)))


def corrected_item_total(scores: ArrayLike) -> list[float | None]:
    """Corrected item-total r_j = Pearson r of item j with (total − item j), the rest score.
    None when the item or its rest score does not vary (always so with one item)."""
    x = score_matrix(scores, binary=True)
    return _optionals(_column_correlations(x, x.sum(axis=1, keepdims=True) - x))


def upper_lower_d(scores: ArrayLike) -> list[float | None]:
    """Upper-lower discrimination D_j = (U_j − L_j) / n, as R psychometric's ``discrim()``.

    n = floor(N / 3). Candidates are sorted by total score, ascending, with a stable sort (ties
    keep their row order, as R's ``order()``); the lower group is the first n, the upper group the
    last n, so among tied totals at a boundary the later rows go up. U_j and L_j count the
    correct answers to item j in each group. None for every item when N < 3 (n = 0).
    """
    x = score_matrix(scores, binary=True)
    n = x.shape[0] // 3
    if n == 0:
        return [None] * x.shape[1]
    order = np.argsort(x.sum(axis=1), kind="stable")
    d = (x[order[-n:]].sum(axis=0) - x[order[:n]].sum(axis=0)) / n
    return [float(v) for v in d]


def cronbach_alpha(scores: ArrayLike) -> float | None:
    """Cronbach's alpha = k / (k − 1) × (1 − Σ var(item_j) / var(total)), sample variances.

    Any finite scores (0/1 items or OSCE station marks). None with fewer than 2 items, fewer
    than 2 candidates, or totals that do not vary. Alpha may be negative.
    """
    x = score_matrix(scores)
    candidates, k = x.shape
    totals = x.sum(axis=1)
    if k < 2 or candidates < 2 or _constant(totals):
        return None
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / totals.var(ddof=1)))


def kr20(scores: ArrayLike) -> float | None:
    """KR-20 = k / (k − 1) × (1 − Σ p_j q_j / σ²(total)), q = 1 − p, σ² the population variance.

    Equal to Cronbach's alpha on 0/1 items. None when alpha would be.
    """
    x = score_matrix(scores, binary=True)
    candidates, k = x.shape
    totals = x.sum(axis=1)
    if k < 2 or candidates < 2 or _constant(totals):
        return None
    p = x.mean(axis=0)
    return float(k / (k - 1) * (1 - (p * (1 - p)).sum() / totals.var(ddof=0)))


def total_sd(scores: ArrayLike) -> float | None:
    """Sample standard deviation (n − 1) of the candidates' totals; None with one candidate."""
    totals = score_matrix(scores).sum(axis=1)
    return float(totals.std(ddof=1)) if totals.size >= 2 else None


def _reliability_args(sd: float | None, reliability: float | None) -> bool:
    if sd is None or reliability is None:
        return False
    if not (np.isfinite(sd) and np.isfinite(reliability)) or sd < 0 or reliability > 1:
        raise PsychometricsInputError("need a finite SD ≥ 0 and a reliability ≤ 1")
    return True


def sem(sd: float | None, reliability: float | None) -> float | None:
    """Standard error of measurement = SD × √(1 − r_xx); None when either input is None."""
    if not _reliability_args(sd, reliability):
        return None
    return float(sd * np.sqrt(1 - reliability))


def se_estimate(sd: float | None, reliability: float | None) -> float | None:
    """Standard error of the estimated true score = SD × √(r_xx (1 − r_xx)) (Dudek 1979);
    None when either input is None or r_xx < 0."""
    if not _reliability_args(sd, reliability) or reliability < 0:
        return None
    return float(sd * np.sqrt(reliability * (1 - reliability)))


def se_prediction(sd: float | None, reliability: float | None) -> float | None:
    """Standard error of prediction = SD × √(1 − r_xx²) (Dudek 1979); None as for se_estimate."""
    if not _reliability_args(sd, reliability) or reliability < 0:
        return None
    return float(sd * np.sqrt(1 - reliability**2))


def item_flags(facility: float, corrected: float | None) -> tuple[str, ...]:
    """Flags for review: "hard" (p < 0.2), "easy" (p > 0.95), "low_discrimination"
    (corrected r < 0.1) and "no_discrimination" (corrected r undefined: the item or its rest
    score does not vary, so it cannot discriminate)."""
    flags = []
    if facility < HARD_BELOW:
        flags.append(FLAG_HARD)
    if facility > EASY_ABOVE:
        flags.append(FLAG_EASY)
    if corrected is None:
        flags.append(FLAG_NO_DISCRIMINATION)
    elif corrected < LOW_DISCRIMINATION_BELOW:
        flags.append(FLAG_LOW_DISCRIMINATION)
    return tuple(flags)


def _item_ids(item_ids: Sequence[str] | None, k: int) -> list[str]:
    if item_ids is None:
        return [str(j + 1) for j in range(k)]
    ids = [str(i) for i in item_ids]
    if len(ids) != k:
        raise PsychometricsInputError(f"{len(ids)} item ids for {k} items")
    if len(set(ids)) != k:
        raise PsychometricsInputError("item ids must be unique")
    return ids


def analyse_items(scores: ArrayLike, item_ids: Sequence[str] | None = None) -> ItemAnalysis:
    """Item statistics, flags and test reliability for a 0/1 matrix; ids default to "1".."k".

    mean and sd are of the raw totals; sem = sd × √(1 − alpha).
    """
    x = score_matrix(scores, binary=True)
    ids = _item_ids(item_ids, x.shape[1])
    p = facility(x)
    r_pb = point_biserial(x)
    r_rest = corrected_item_total(x)
    d = upper_lower_d(x)
    items = tuple(
        ItemStats(ids[j], p[j], r_pb[j], r_rest[j], d[j], item_flags(p[j], r_rest[j]))
        for j in range(len(ids))
    )
    alpha = cronbach_alpha(x)
    sd = total_sd(x)
    return ItemAnalysis(
        candidates=x.shape[0],
        items=items,
        mean=float(x.sum(axis=1).mean()),
        sd=sd,
        alpha=alpha,
        kr20=kr20(x),
        sem=sem(sd, alpha),
    )


def rescore(scores: ArrayLike, item_ids: Sequence[str], excluded: Collection[str]) -> ItemAnalysis:
    """The analysis again with the ``excluded`` items removed from the test (totals, D groups
    and reliability are all recomputed). Unknown ids, or excluding every item, are errors."""
    x = score_matrix(scores, binary=True)
    ids = _item_ids(item_ids, x.shape[1])
    unknown = sorted(set(excluded) - set(ids))
    if unknown:
        raise PsychometricsInputError(f"cannot exclude unknown items: {', '.join(unknown)}")
    keep = [j for j, item in enumerate(ids) if item not in excluded]
    if not keep:
        raise PsychometricsInputError("cannot exclude every item")
    return analyse_items(x[:, keep], [ids[j] for j in keep])
