"""The psychometrics functions against published worked examples and hand-worked cases."""

import dataclasses
import hashlib
import json
import math
import time
from pathlib import Path

import numpy as np
import pytest

from exams.psychometrics import (
    PsychometricsInputError,
    analyse_items,
    borderline_exam,
    borderline_regression,
    corrected_item_total,
    cronbach_alpha,
    facility,
    hofstee,
    item_flags,
    kr20,
    modified_angoff,
    percent_below,
    point_biserial,
    rescore,
    score_responses,
    se_estimate,
    se_prediction,
    sem,
    total_sd,
    upper_lower_d,
)

VECTORS = Path(__file__).resolve().parent / "vectors" / "psychometrics_published.json"
SHARED = Path(__file__).resolve().parents[3] / "shared/reference/psychometrics_published.json"
VECTORS_SHA256 = "6edb7f75c35392883a05b9f2234481793565bec6290b43015db20a4d4de9d548"
PUBLISHED = json.loads(VECTORS.read_text(encoding="utf-8"))
A = PUBLISHED["A_discrim_psychometric_manpage"]
B = PUBLISHED["B_wuensch_kr20"]
B2 = PUBLISHED["B2_dudek_SEM"]
A_SCORES = np.array([A["items_by_column"][f"item{j}"] for j in range(1, 8)]).T
B_SCORES = np.array(B["rows"])


def assert_published(ours, published):
    """Equal to the published value once ours is rounded to as many decimals as it shows."""
    if isinstance(published, list):
        assert len(ours) == len(published)
        for value, expected in zip(ours, published, strict=True):
            assert_published(value, expected)
        return
    assert ours is not None
    text = repr(float(published))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 10
    assert round(ours, decimals) == pytest.approx(published, abs=1e-9)


def test_vector_copy_is_pinned_and_matches_the_shared_reference():
    data = VECTORS.read_bytes()
    assert hashlib.sha256(data).hexdigest() == VECTORS_SHA256
    if SHARED.exists():
        assert SHARED.read_bytes() == data


def test_every_published_section_is_checked():
    # A new section in the reference file must get a test here.
    assert set(PUBLISHED) - {"_note"} == {
        "A_discrim_psychometric_manpage",
        "B_wuensch_kr20",
        "B2_dudek_SEM",
    }


def test_psychometric_discrim_example():
    assert_published(facility(A_SCORES), A["facility_p"])
    assert_published(upper_lower_d(A_SCORES), A["upper_lower_D_thirds"])
    assert_published(cronbach_alpha(A_SCORES), A["alpha_all7"])


def test_wuensch_kr20_example():
    assert B_SCORES.sum(axis=1).tolist() == B["totals"]
    p = facility(B_SCORES)
    assert_published(p, B["p"])
    assert_published(sum(v * (1 - v) for v in p), B["sum_pq"])
    sd = total_sd(B_SCORES)
    n = len(B["rows"])
    assert_published(sd, B["sd_total_sample"])
    assert_published(sd**2, B["var_total_sample"])
    assert_published(sd**2 * (n - 1) / n, B["var_total_population"])
    assert_published(kr20(B_SCORES), B["kr20"])
    assert_published(cronbach_alpha(B_SCORES), B["cronbach_alpha"])
    assert_published(point_biserial(B_SCORES), B["r_pb_item_total"])
    assert_published(corrected_item_total(B_SCORES), B["r_corrected_item_rest"])
    alpha = cronbach_alpha(B_SCORES)
    assert_published(sem(sd, alpha), B["SEM_sampleSD"])
    assert_published(sem(sd * math.sqrt((n - 1) / n), alpha), B["SEM_popSD"])


def test_wuensch_example_through_analyse_items():
    analysis = analyse_items(B_SCORES, [f"q{j}" for j in range(1, 11)])
    assert analysis.candidates == 10
    assert [item.id for item in analysis.items] == [f"q{j}" for j in range(1, 11)]
    assert_published([i.point_biserial for i in analysis.items], B["r_pb_item_total"])
    assert_published([i.corrected_item_total for i in analysis.items], B["r_corrected_item_rest"])
    assert analysis.mean == pytest.approx(6.6)
    assert_published(analysis.sd, B["sd_total_sample"])
    assert_published(analysis.alpha, B["cronbach_alpha"])
    assert_published(analysis.kr20, B["kr20"])
    assert_published(analysis.sem, B["SEM_sampleSD"])


def test_dudek_standard_errors():
    assert_published(sem(B2["sd"], B2["rxx"]), B2["SE_Meas"])
    assert_published(se_estimate(B2["sd"], B2["rxx"]), B2["SE_Est"])
    assert_published(se_prediction(B2["sd"], B2["rxx"]), B2["SE_Pred"])


def test_correlations_agree_with_numpy_on_random_data():
    rng = np.random.default_rng(7)
    x = (rng.random((60, 12)) < rng.random(12)).astype(float)
    totals = x.sum(axis=1)
    for j, (r_pb, r_rest) in enumerate(
        zip(point_biserial(x), corrected_item_total(x), strict=True)
    ):
        assert r_pb == pytest.approx(np.corrcoef(x[:, j], totals)[0, 1], abs=1e-12)
        assert r_rest == pytest.approx(np.corrcoef(x[:, j], totals - x[:, j])[0, 1], abs=1e-12)
    assert kr20(x) == pytest.approx(cronbach_alpha(x), abs=1e-12)


def test_upper_lower_groups_use_floor_of_a_third_and_stable_ties():
    # 7 candidates: n = 2. Totals 1,1,1,1,2,2,2 (rows 0-3 score 1 on one item each).
    x = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 1, 0], [1, 0, 1], [0, 1, 1]])
    # Lower group: rows 0 and 1 (first two of the tied 1s); upper: rows 5 and 6.
    assert upper_lower_d(x) == [(1 - 1) / 2, (1 - 1) / 2, (2 - 0) / 2]


def test_undefined_statistics_are_none_never_nan():
    x = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1]])  # item 1: everyone right
    analysis = analyse_items(x)
    first = analysis.items[0]
    assert first.facility == 1.0
    assert first.point_biserial is None
    assert first.corrected_item_total is None
    assert first.flags == ("easy", "no_discrimination")
    json.dumps(dataclasses.asdict(analysis), allow_nan=False)

    flat = analyse_items(np.array([[1, 0], [0, 1], [1, 0]]))  # every total is 1
    assert flat.alpha is None and flat.kr20 is None and flat.sem is None
    assert flat.sd == 0.0
    assert [i.point_biserial for i in flat.items] == [None, None]

    one = analyse_items(np.array([[1, 0, 1]]))
    assert one.sd is None and one.alpha is None and one.sem is None
    assert [i.upper_lower_d for i in one.items] == [None, None, None]  # N < 3

    single_item = analyse_items(np.array([[1], [0], [1]]))
    assert single_item.alpha is None
    assert single_item.items[0].corrected_item_total is None
    assert single_item.items[0].point_biserial == pytest.approx(1.0)


def test_flags():
    assert item_flags(0.19, 0.3) == ("hard",)
    assert item_flags(0.2, 0.1) == ()
    assert item_flags(0.95, 0.3) == ()
    assert item_flags(0.96, 0.09) == ("easy", "low_discrimination")
    assert item_flags(0.5, None) == ("no_discrimination",)


def test_rescore_drops_items_and_recomputes():
    ids = [f"q{j}" for j in range(1, 11)]
    again = rescore(B_SCORES, ids, {"q3", "q9"})
    keep = [j for j in range(10) if j not in (2, 8)]
    expected = analyse_items(B_SCORES[:, keep], [ids[j] for j in keep])
    assert again == expected
    assert [i.id for i in again.items] == ["q1", "q2", "q4", "q5", "q6", "q7", "q8", "q10"]
    assert again.alpha != analyse_items(B_SCORES, ids).alpha
    with pytest.raises(PsychometricsInputError, match="unknown items: q99"):
        rescore(B_SCORES, ids, {"q99"})
    with pytest.raises(PsychometricsInputError, match="every item"):
        rescore(B_SCORES, ids, set(ids))


def test_analysis_refuses_bad_matrices():
    for bad in ([[0, 2], [1, 0]], [[0, np.nan], [1, 0]], [1, 0, 1], [[]]):
        with pytest.raises(PsychometricsInputError):
            analyse_items(bad)
    with pytest.raises(PsychometricsInputError, match="unique"):
        analyse_items([[0, 1], [1, 0]], ["a", "a"])


def test_score_responses():
    scored = score_responses([["a", "B", ""], ["c", " d ", "A"]], ["A", "b", "D"])
    assert scored.tolist() == [[1, 1, 0], [0, 0, 0]]
    with pytest.raises(PsychometricsInputError, match="A-D or blank"):
        score_responses([["E"]], ["A"])
    with pytest.raises(PsychometricsInputError, match="option A-D"):
        score_responses([["A"]], [""])
    with pytest.raises(PsychometricsInputError):
        score_responses([["Ａ"]], ["A"])  # a full-width letter is not an option


def test_500_candidates_by_200_items_is_fast():
    rng = np.random.default_rng(1)
    x = (rng.random((500, 200)) < rng.uniform(0.1, 0.95, 200)).astype(float)
    started = time.perf_counter()
    analysis = analyse_items(x)
    assert time.perf_counter() - started < 1.0
    assert len(analysis.items) == 200


# Standard setting: hand-worked examples.


def test_angoff_mean_of_judges():
    judgements = [[0.5, 0.6, 0.9, 0.2], [0.7, 0.6, 0.8, 0.4], [0.6, 0.9, 0.7, 0.3]]
    result = modified_angoff(judgements)
    assert result.item_standards == pytest.approx((0.6, 0.7, 0.8, 0.3))
    assert result.cut_raw == pytest.approx(2.4)
    assert result.cut_percent == pytest.approx(60.0)


def test_angoff_trim_drops_each_items_highest_and_lowest():
    judgements = [
        [0.1, 0.5],
        [0.5, 0.6],
        [0.6, 0.7],
        [0.9, 0.2],
    ]
    result = modified_angoff(judgements, trim=True)
    # Item 1 keeps 0.5 and 0.6 (judges 2, 3); item 2 keeps 0.5 and 0.6 (judges 1, 2).
    assert result.item_standards == pytest.approx((0.55, 0.55))
    assert result.cut_raw == pytest.approx(1.1)
    assert result.cut_percent == pytest.approx(55.0)
    ties = modified_angoff([[0.5], [0.5], [0.5], [0.9]], trim=True)
    assert ties.item_standards == pytest.approx((0.5,))  # one of the tied lows is dropped


def test_angoff_refuses_bad_input():
    with pytest.raises(PsychometricsInputError, match="at least 3 judges, got 2"):
        modified_angoff([[0.5], [0.6]], trim=True)
    with pytest.raises(PsychometricsInputError, match="0 to 1"):
        modified_angoff([[0.5, 1.2]])


def test_the_curve_is_the_percentage_scoring_below_each_mark():
    curve = percent_below([10, 20, 20, 55.5])
    assert curve[0] == 0 and curve[10] == 0 and curve[11] == 25 and curve[20] == 25
    assert curve[21] == 75 and curve[55] == 75 and curve[56] == 100 and curve[100] == 100
    assert len(curve) == 101


def test_the_curve_at_each_mark_is_the_fail_rate_of_that_cut():
    # One convention for both: a score equal to the cut passes (pass is score >= cut), so the
    # curve at mark m counts the candidates below m, exactly those a cut of m fails.
    scores = np.random.default_rng(7).integers(0, 101, size=300)
    curve = percent_below(scores)
    for m in range(101):
        assert curve[m] == pytest.approx(100 * np.mean(~(scores >= m)))


TEN_CANDIDATES = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]


def test_hofstee_intersection_on_a_candidates_score_passes_that_candidate():
    # F (percentage below each mark) is 40 on [41, 50]; the line is L(c) = 60 - 2 (c - 40),
    # which is 40 at c = 50: the cut is 50, the score of the fifth candidate, who passes. The
    # four below fail: 40%, the curve's value at the cut.
    result = hofstee(TEN_CANDIDATES, min_cut=40, max_cut=70, min_fail=0, max_fail=60)
    assert (result.cut, result.method) == (50.0, "intersection")
    assert result.fail_percent == 40.0
    assert result.fail_percent == percent_below(TEN_CANDIDATES)[50]


def test_hofstee_between_whole_marks():
    # F rises from 30 at 40 to 40 at 41; the line L(c) = 40 - (4 / 3) (c - 40) meets it where
    # 30 + 10 t = 40 - (4 / 3) t, t = 30 / 34: the cut is 40 + 15 / 17. The candidate on 40
    # is below it and fails with the three lower: 40%.
    result = hofstee(TEN_CANDIDATES, min_cut=40, max_cut=70, min_fail=0, max_fail=40)
    assert result.method == "intersection"
    assert result.cut == pytest.approx(40 + 15 / 17, abs=1e-12)
    assert result.fail_percent == 40.0


def test_hofstee_meeting_exactly_at_min_cut_is_an_intersection():
    # F(40) = 30 (three candidates below 40) is the line's value there: the candidate on 40
    # passes.
    result = hofstee(TEN_CANDIDATES, min_cut=40, max_cut=70, min_fail=0, max_fail=30)
    assert (result.cut, result.method, result.fail_percent) == (40.0, "intersection", 30.0)


def test_hofstee_curve_above_the_line_falls_back_to_min_cut():
    # Everyone scored 10: F = 100 from mark 11, above any fail rate the panel accepts.
    result = hofstee([10] * 5, min_cut=40, max_cut=70, min_fail=5, max_fail=30)
    assert (result.cut, result.method, result.fail_percent) == (40.0, "min_cut", 100.0)


def test_hofstee_curve_below_the_line_falls_back_to_max_cut():
    # Everyone scored 100: F = 0 up to 100, under the smallest accepted fail rate.
    result = hofstee([100] * 5, min_cut=40, max_cut=70, min_fail=5, max_fail=30)
    assert (result.cut, result.method, result.fail_percent) == (70.0, "max_cut", 0.0)


def test_hofstee_refuses_bad_bounds():
    with pytest.raises(PsychometricsInputError, match="minimum cut"):
        hofstee([50, 60], min_cut=60, max_cut=40, min_fail=0, max_fail=10)
    with pytest.raises(PsychometricsInputError, match="fail rate"):
        hofstee([50, 60], min_cut=40, max_cut=60, min_fail=20, max_fail=10)
    with pytest.raises(PsychometricsInputError, match="0 to 100"):
        hofstee([50, 160], min_cut=40, max_cut=60, min_fail=0, max_fail=10)


def test_borderline_regression_hand_worked():
    # x = [0, 1, 1, 2], y = [1, 3, 5, 7]: Sxx = 2, Sxy = 6, Syy = 20.
    station = borderline_regression([1, 3, 5, 7], [0, 1, 1, 2], borderline_grade=1, station_id="s1")
    assert station.id == "s1"
    assert station.slope == pytest.approx(3.0)
    assert station.intercept == pytest.approx(1.0)
    assert station.r2 == pytest.approx(36 / 40)
    assert station.pass_mark == pytest.approx(4.0)
    assert station.borderline_group_mark == pytest.approx(4.0)
    above = borderline_regression([1, 3, 5, 7], [0, 1, 1, 2], borderline_grade=2)
    assert above.pass_mark == pytest.approx(7.0)
    assert above.borderline_group_mark == pytest.approx(7.0)


def test_borderline_regression_undefined_parts_are_none():
    same_grade = borderline_regression([1, 2, 3], [2, 2, 2], borderline_grade=2)
    assert (same_grade.slope, same_grade.intercept, same_grade.r2, same_grade.pass_mark) == (
        None,
        None,
        None,
        None,
    )
    assert same_grade.borderline_group_mark == pytest.approx(2.0)
    same_score = borderline_regression([5, 5, 5], [0, 2, 3], borderline_grade=1)
    assert same_score.slope == 0.0 and same_score.r2 is None
    assert same_score.pass_mark == pytest.approx(5.0)
    assert same_score.borderline_group_mark is None  # no one graded 1


def test_borderline_exam_hand_worked():
    # s1: grades 0,1,1,2 scores 1,3,5,7 -> pass mark 4; s2: scores 2,2,4,6 -> slope 2,
    # intercept 1.5, pass mark 3.5, r2 = 16 / 22. Totals 3, 5, 9, 13: var 59/3; station
    # variances 20/3 and 11/3, so alpha = 2 (1 - 31/59) = 56/59 and SEM = sqrt(59/3 * 3/59) = 1.
    scores = [[1, 2], [3, 2], [5, 4], [7, 6]]
    grades = [[0, 0], [1, 1], [1, 1], [2, 2]]
    exam = borderline_exam(
        scores,
        grades,
        candidate_ids=["c1", "c2", "c3", "c4"],
        station_ids=["s1", "s2"],
        borderline_grade=1,
    )
    assert [s.pass_mark for s in exam.stations] == pytest.approx([4.0, 3.5])
    assert exam.stations[1].r2 == pytest.approx(16 / 22)
    assert exam.alpha == pytest.approx(56 / 59)
    assert exam.sem == pytest.approx(1.0)
    assert exam.cut == pytest.approx(8.5)
    assert [(c.id, c.total, c.stations_passed, c.passed) for c in exam.candidates] == [
        ("c1", 3.0, 0, False),
        ("c2", 5.0, 0, False),
        ("c3", 9.0, 2, True),
        ("c4", 13.0, 2, True),
    ]
    two_sem = borderline_exam(
        scores,
        grades,
        candidate_ids=["c1", "c2", "c3", "c4"],
        station_ids=["s1", "s2"],
        borderline_grade=1,
        sem_margin=2,
    )
    assert two_sem.cut == pytest.approx(9.5)
    assert [c.passed for c in two_sem.candidates] == [False, False, False, True]


def test_borderline_exam_minimum_stations():
    # Both stations: pass mark 10 (score = 10 x grade). Totals 30, 20, 20, 50; K = 0: cut 20.
    scores = [[30, 0], [10, 10], [0, 20], [20, 30]]
    grades = [[3, 0], [1, 1], [0, 2], [2, 3]]
    ids = {"candidate_ids": ["A", "B", "C", "D"], "station_ids": ["s1", "s2"]}
    lenient = borderline_exam(scores, grades, **ids, borderline_grade=1, sem_margin=0)
    assert lenient.cut == pytest.approx(20.0)
    assert [c.stations_passed for c in lenient.candidates] == [1, 2, 1, 2]
    assert [c.passed for c in lenient.candidates] == [True, True, True, True]
    strict = borderline_exam(
        scores, grades, **ids, borderline_grade=1, sem_margin=0, min_stations=2
    )
    assert [c.passed for c in strict.candidates] == [False, True, False, True]


def test_a_score_equal_to_the_pass_mark_passes_despite_rounding():
    station = borderline_regression([0.1, 0.2, 0.3], [1, 2, 3], borderline_grade=1)
    assert station.pass_mark != 0.1  # 0.10000000000000005 in binary floating point
    exam = borderline_exam(
        [[0.1], [0.2], [0.3]],
        [[1], [2], [3]],
        candidate_ids=["a", "b", "c"],
        station_ids=["s1"],
        borderline_grade=1,
        sem_margin=0,
    )
    assert exam.alpha is None and exam.sem is None
    assert [c.stations_passed for c in exam.candidates] == [1, 1, 1]


def test_borderline_exam_refusals():
    ids = {"candidate_ids": ["a", "b"], "station_ids": ["s1"]}
    with pytest.raises(PsychometricsInputError, match='station "s1": every candidate'):
        borderline_exam([[1], [2]], [[1], [1]], **ids, borderline_grade=1, sem_margin=0)
    with pytest.raises(PsychometricsInputError, match="SEM is undefined"):
        borderline_exam([[1], [2]], [[0], [1]], **ids, borderline_grade=1)
    with pytest.raises(PsychometricsInputError, match="from 0 to 1, got 2"):
        borderline_exam(
            [[1], [2]], [[0], [1]], **ids, borderline_grade=1, sem_margin=0, min_stations=2
        )
