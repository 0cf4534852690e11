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
    "exams.results_letter_issued": "Results letter issued (its reference made)",
    "exams.appeal_lodged": "Exam appeal lodged",
    "exams.appeal_decided": "Exam appeal decided",
    "exams.question_written": "Exam question written (draft)",
    "exams.question_changed": "Exam question draft changed",
    "exams.question_revised": "Exam question revised (new version)",
    "exams.question_reviewed": "Exam question reviewed",
    "exams.question_approved": "Exam question approved",
    "exams.question_sent_back": "Exam question sent back to draft",
    "exams.question_retired": "Exam question retired",
    "exams.paper_created": "Online paper set up",
    "exams.paper_assembled": "Online paper assembled from the bank",
    "exams.paper_question_replaced": "Question in an online paper replaced",
    "exams.paper_frozen": "Online paper frozen",
    "exams.paper_closed": "Online paper closed and marked",
    "exams.results_collected": "Sitting's results collected from its papers and circuits",
    "exams.attempt_started": "Candidate started an online paper",
    "exams.attempt_resumed": "Candidate came back to an online paper",
    "exams.attempt_submitted": "Online paper submitted",
    "exams.attempt_break_started": "Candidate started a rest break",
    "exams.attempt_break_ended": "Candidate's rest break ended",
    "exams.attempt_extra_time": "Extra time given to a candidate",
    "exams.attempt_reopened": "Online paper re-opened for a candidate",
    "exams.circuit_created": "OSCE circuit set up",
    "exams.station_added": "OSCE station added",
    "exams.circuit_candidates_placed": "Candidates placed in an OSCE circuit",
    "exams.examiner_allocated": "Examiner allocated to an OSCE station",
    "exams.circuit_started": "OSCE circuit started",
    "exams.marksheet_submitted": "OSCE marksheet submitted",
    "exams.marksheet_reopened": "OSCE marksheet re-opened",
    "exams.circuit_closed": "OSCE circuit closed and scores recorded",
}


def waiting_adjustments_note(user) -> str:
    from exams.models import Adjustment, AdjustmentStatus

    waiting = Adjustment.objects.filter(status=AdjustmentStatus.REQUESTED).count()
    return f"{waiting} adjustment{'s' if waiting != 1 else ''} to decide" if waiting else ""


def open_appeals_note(user) -> str:
    from exams.models import Appeal, AppealStatus

    waiting = Appeal.objects.filter(status=AppealStatus.LODGED).count()
    return f"{waiting} waiting" if waiting else ""
