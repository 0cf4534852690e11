"""Exams and their components; sittings, bookings and adjustments; marks, results, appeals."""

from exams.models.exams import Component, ComponentKind, Exam
from exams.models.results import (
    AngoffJudgement,
    Appeal,
    AppealKind,
    AppealStatus,
    CandidateResult,
    ImportKind,
    Item,
    Mark,
    PendingImport,
    ResultsImport,
)
from exams.models.sittings import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Booking,
    BookingStatus,
    Sitting,
    SittingMode,
    SittingStatus,
)

__all__ = [
    "Adjustment",
    "AdjustmentKind",
    "AdjustmentStatus",
    "AngoffJudgement",
    "Appeal",
    "AppealKind",
    "AppealStatus",
    "Booking",
    "BookingStatus",
    "CandidateResult",
    "Component",
    "ComponentKind",
    "Exam",
    "ImportKind",
    "Item",
    "Mark",
    "PendingImport",
    "ResultsImport",
    "Sitting",
    "SittingMode",
    "SittingStatus",
]
