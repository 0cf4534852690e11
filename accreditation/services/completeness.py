"""The faculty office's steps: the completeness check (mark complete, or return with
reasons) and sending an application to its assessors."""

from django.db import transaction
from django.urls import reverse

from accreditation.errors import AccreditationError
from accreditation.models import Allocation, Application, FeeStatus
from accreditation.services import notify
from accreditation.services.guards import clean_text, is_admin, locked, require_move
from accreditation.services.moves import move
from accreditation.services.qualifications import unverified_declarations
from accreditation.services.telling import tell_applicant
from accreditation.states import Action, State, subject


def completeness_blockers(application) -> list[str]:
    """Why APPLICATION cannot be marked complete yet, in words ([] when it can): the fee is
    due, or a declared prior qualification is not verified."""
    blockers = []
    if application.fee_status == FeeStatus.DUE and application.pathway.fee_pence:
        blockers.append(
            f"The fee of {application.pathway.fee_text} is due: record it as paid, waived or "
            "invoiced first."
        )
    for declaration in unverified_declarations(application):
        blockers.append(
            f"The declared {declaration.qualification} is not verified yet: verify it or "
            "return the application."
        )
    return blockers


@transaction.atomic
def mark_complete(*, application, by) -> Application:
    """SUBMITTED → COMPLETE: the administrator's completeness check passed. Refused while the
    fee is due (paid, waived or invoiced only) or a declared qualification is unverified."""
    if not is_admin(by):
        raise AccreditationError("Only an administrator can check completeness.")
    application = locked(application)
    require_move(application, Action.MARK_COMPLETE)
    blockers = completeness_blockers(application)
    if blockers:
        raise AccreditationError("You cannot mark it complete yet. " + " ".join(blockers))
    move(application, State.COMPLETE, by_action=Action.MARK_COMPLETE, audit="complete")
    tell_applicant(
        application,
        subject(State.COMPLETE),
        f"Your application {application.reference} is complete and goes to two trained assessors.",
    )
    return application


@transaction.atomic
def return_application(*, application, by, reasons: str) -> Application:
    """SUBMITTED → RETURNED with reasons: the applicant fixes it and submits again."""
    if not is_admin(by):
        raise AccreditationError("Only an administrator can return an application.")
    application = locked(application)
    require_move(application, Action.RETURN)
    application.returned_reasons = clean_text(reasons, "the reasons")
    move(
        application,
        State.RETURNED,
        by_action=Action.RETURN,
        audit="returned",
        note=application.returned_reasons,
        fields=("returned_reasons",),
    )
    tell_applicant(
        application,
        subject(State.RETURNED),
        f"Your application {application.reference} is not complete yet:",
        application.returned_reasons,
        "Fix these and submit it again while the window is open.",
    )
    return application


@transaction.atomic
def begin_review(*, application, by=None) -> Application:
    """COMPLETE or RESUBMITTED → IN_REVIEW, once as many assessors as the pathway needs are
    allocated. Called by allocation (COMPLETE) or by an administrator (RESUBMITTED)."""
    if by is not None and not is_admin(by):
        raise AccreditationError("Only an administrator can send an application for review.")
    application = locked(application)
    require_move(application, Action.BEGIN_REVIEW)
    active = list(
        Allocation.objects.filter(application=application, ended_at__isnull=True).select_related(
            "assessor"
        )
    )
    if len(active) < application.pathway.assessors_required:
        raise AccreditationError(
            f"Allocate {application.pathway.assessors_required} assessors first "
            f"({len(active)} allocated)."
        )
    move(application, State.IN_REVIEW, by_action=Action.BEGIN_REVIEW, audit="in_review")
    tell_applicant(
        application,
        subject(State.IN_REVIEW),
        f"Your application {application.reference} is with its assessors. "
        f"They aim to finish within {application.pathway.review_days} working days.",
    )
    notify.email(
        [a.assessor.email for a in active],
        "An application to assess",
        [f"Application {application.reference} ({application.pathway.name}) is ready for you."],
        reverse("accreditation:assess", args=[application.pk]),
    )
    return application
