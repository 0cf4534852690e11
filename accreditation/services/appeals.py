"""Appeals against a decline: lodged by the applicant once, within the pathway's appeal
window; decided by a lead assessor who took no part (dismissed, upheld with a new review by
fresh assessors, or upheld with the decision changed to an approval)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    Appeal,
    AppealOutcome,
    Application,
    ReviewRound,
    RoundOrigin,
)
from accreditation.services import notify
from accreditation.services.award import award
from accreditation.services.guards import clean_text, is_lead, locked, require_move, took_part
from accreditation.services.moves import move
from accreditation.services.telling import admin_emails, tell_applicant, tell_leads
from accreditation.states import APPEAL_SUBJECTS, Action, State, appeal_deadline, subject


@transaction.atomic
def lodge_appeal(*, application, by, grounds: str) -> Application:
    """DECLINED → APPEAL_LODGED, by the applicant, within the pathway's appeal_days of the
    decision."""
    application = locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can appeal.")
    require_move(application, Action.APPEAL)
    if Appeal.objects.filter(application=application).exists():
        raise AccreditationError(
            "You have appealed once already: the decision after the new review is final."
        )
    grounds = clean_text(grounds, "the grounds for your appeal")
    deadline = appeal_deadline(application)
    if deadline and timezone.localdate() > deadline:
        raise AccreditationError(
            f"An appeal had to be lodged by {deadline:%-d %B %Y}, "
            f"{application.pathway.appeal_days} days after the decision."
        )
    Appeal.objects.create(application=application, grounds=grounds)
    move(application, State.APPEAL_LODGED, by_action=Action.APPEAL, audit="appeal_lodged")
    tell_applicant(
        application,
        subject(State.APPEAL_LODGED),
        f"We have your appeal against the decision on {application.reference}. "
        "A lead assessor who took no part in the decision will consider it.",
    )
    tell_leads(
        application,
        "An appeal to decide",
        f"The applicant has appealed against the decision on {application.reference}. "
        "A lead assessor who took no part decides it.",
    )
    return application


@transaction.atomic
def decide_appeal(
    *,
    application,
    by,
    outcome: AppealOutcome,
    reasons: str,
    scope: str = "",
    conditions: str = "",
) -> Application:
    """APPEAL_LODGED → APPEAL_DISMISSED, COMPLETE (upheld with a new review) or APPROVED
    (upheld with the decision changed), by a lead assessor who took no part (neither assessed
    the application nor made its decision). The lead records why in every case.

    A new review freezes the evidence appealed against into a new round, kept beside the
    earlier ones, for fresh assessors (those of the earlier rounds cannot be allocated). A
    changed decision awards the credential with the scope and conditions the lead sets."""
    if not is_lead(by):
        raise AccreditationError("Only a lead assessor can decide an appeal.")
    application = locked(application)
    require_move(application, Action.DECIDE_APPEAL)
    if took_part(application, by):
        raise AccreditationError(
            "You took part in this application: a lead assessor who did not decides the appeal."
        )
    if outcome not in AppealOutcome.values:
        raise AccreditationError("Choose what the outcome of the appeal is.")
    outcome = AppealOutcome(outcome)
    reasons = clean_text(reasons, "the reasons")
    if outcome == AppealOutcome.DECISION_CHANGED:
        scope = clean_text(scope, "the scope of practice")
        conditions = clean_text(conditions, "the conditions", required=False)
    appeal = Appeal.objects.select_for_update().get(application=application)
    appeal.outcome, appeal.decided_by, appeal.reasons = outcome, by, reasons
    appeal.decided_at = timezone.now()
    fields = ["outcome", "decided_by", "reasons", "decided_at"]
    if outcome == AppealOutcome.NEW_REVIEW:
        appealed = application.rounds.order_by("-number").first()
        appeal.review_round = ReviewRound.objects.create(
            application=application,
            number=appealed.number + 1,
            origin=RoundOrigin.APPEAL,
            framework_code=appealed.framework_code,
            framework_version=appealed.framework_version,
            snapshot=appealed.snapshot,
        )
        fields.append("review_round")
    appeal.save(update_fields=fields)
    if outcome == AppealOutcome.DISMISSED:
        _dismissed(application, reasons)
    elif outcome == AppealOutcome.NEW_REVIEW:
        _new_review(application, appeal, reasons)
    else:
        _decision_changed(application, by, reasons, scope=scope, conditions=conditions)
    return application


def _dismissed(application, reasons) -> None:
    move(
        application,
        State.APPEAL_DISMISSED,
        by_action=Action.DECIDE_APPEAL,
        audit="appeal_dismissed",
        note=reasons,
    )
    tell_applicant(
        application,
        APPEAL_SUBJECTS[AppealOutcome.DISMISSED],
        f"Your appeal against the decision on {application.reference} has been dismissed: "
        "the decision stands.",
        reasons,
        "You may apply again in a later application window.",
    )


def _new_review(application, appeal, reasons) -> None:
    application.decided_at = None
    move(
        application,
        State.COMPLETE,
        by_action=Action.DECIDE_APPEAL,
        audit="appeal_upheld_new_review",
        note=f"Appeal upheld: round {appeal.review_round.number} goes to fresh assessors. "
        f"{reasons}",
        fields=("decided_at",),
    )
    tell_applicant(
        application,
        APPEAL_SUBJECTS[AppealOutcome.NEW_REVIEW],
        f"Your appeal on {application.reference} is upheld. Your evidence goes to two "
        "assessors who have not seen it before, and a lead assessor decides again.",
        reasons,
    )
    notify.email(
        admin_emails(),
        "An upheld appeal to allocate",
        [
            f"The appeal on {application.reference} is upheld with a new review: allocate "
            "fresh assessors (those of the earlier rounds cannot be chosen)."
        ],
        reverse("accreditation:manage_application", args=[application.pk]),
    )


def _decision_changed(application, by, reasons, *, scope, conditions) -> None:
    application.decided_at = timezone.now()
    move(
        application,
        State.APPROVED,
        by_action=Action.DECIDE_APPEAL,
        audit="appeal_upheld_decision_changed",
        note=f"Appeal upheld: the decision is changed to approved. {reasons}",
        fields=("decided_at",),
    )
    credential = award(application, by, scope=scope, conditions=conditions)
    tell_applicant(
        application,
        APPEAL_SUBJECTS[AppealOutcome.DECISION_CHANGED],
        f"Your appeal is upheld, the decision is changed and you have been awarded "
        f"{credential.title} ({credential.serial}).",
        reasons,
        "Your signed certificate is on your credentials page.",
    )
