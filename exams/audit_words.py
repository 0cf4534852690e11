"""The exams app's audit actions in words (added to portal.audit_words.ACTION_WORDS)."""

ACTION_WORDS = {
    "exams.booking_applied": "Applied for an exam sitting",
    "exams.booking_withdrawn": "Withdrew from an exam sitting",
    "exams.booking_promoted": "Given a place from the waiting list",
    "exams.adjustment_requested": "Asked for a reasonable adjustment",
    "exams.adjustment_decided": "Reasonable adjustment decided",
    "exams.sitting_created": "Exam sitting created (draft)",
    "exams.sitting_scheduled": "Exam sitting scheduled",
    "exams.capacity_changed": "Places at an exam sitting changed",
    "exams.sitting_changed": "Exam sitting's details changed",
    "exams.sitting_cancelled": "Exam sitting cancelled",
    "exams.results_imported": "Exam results file imported",
    "exams.sitting_results_imported": "Exam sitting's results imported",
    "exams.angoff_judgements_saved": "Angoff judgements saved",
    "exams.standard_set": "Exam standard set",
    "exams.item_excluded": "Exam question excluded",
    "exams.item_restored": "Exam question counted again",
    "exams.results_ratified": "Exam results ratified",
    "exams.results_released": "Exam results released",
    "exams.appeal_lodged": "Exam appeal lodged",
    "exams.appeal_decided": "Exam appeal decided",
}


def waiting_adjustments_note(user) -> str:
    from exams.models import Adjustment, AdjustmentStatus

    waiting = Adjustment.objects.filter(status=AdjustmentStatus.REQUESTED).count()
    return f"{waiting} adjustment{'s' if waiting != 1 else ''} to decide" if waiting else ""


def open_appeals_note(user) -> str:
    from exams.models import Appeal, AppealStatus

    waiting = Appeal.objects.filter(status=AppealStatus.LODGED).count()
    return f"{waiting} waiting" if waiting else ""
