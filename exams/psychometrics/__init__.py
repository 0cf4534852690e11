"""Psychometrics for exams: item analysis, reliability, SBA scoring and standard setting.

Pure functions over numpy arrays and lists, shared by the portal pages and the ``exam_stats`` and
``standard_set`` commands. Undefined statistics are None, never NaN. Formulas, conventions and
the command-line formats: docs/psychometrics.md.
"""

from exams.psychometrics.errors import PsychometricsInputError
from exams.psychometrics.items import (
    ItemAnalysis,
    ItemStats,
    analyse_items,
    corrected_item_total,
    cronbach_alpha,
    facility,
    item_flags,
    kr20,
    point_biserial,
    rescore,
    se_estimate,
    se_prediction,
    sem,
    total_sd,
    upper_lower_d,
)
from exams.psychometrics.scoring import score_responses
from exams.psychometrics.standards import (
    AngoffResult,
    BorderlineExamResult,
    CandidateOutcome,
    HofsteeResult,
    StationStandard,
    borderline_exam,
    borderline_regression,
    hofstee,
    modified_angoff,
    percent_below,
)

__all__ = [
    "AngoffResult",
    "BorderlineExamResult",
    "CandidateOutcome",
    "HofsteeResult",
    "ItemAnalysis",
    "ItemStats",
    "PsychometricsInputError",
    "StationStandard",
    "analyse_items",
    "borderline_exam",
    "borderline_regression",
    "corrected_item_total",
    "cronbach_alpha",
    "facility",
    "hofstee",
    "item_flags",
    "kr20",
    "modified_angoff",
    "percent_below",
    "point_biserial",
    "rescore",
    "score_responses",
    "se_estimate",
    "se_prediction",
    "sem",
    "total_sd",
    "upper_lower_d",
]
