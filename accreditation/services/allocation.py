"""Allocating assessors: suggestions ranked by workload, conflicts excluded, history kept."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    ACTIVE_REVIEW_STATES,
    Allocation,
    Application,
    AssessorTraining,
    State,
)
from accreditation.services import notify
from accreditation.services.completeness import begin_review
from accreditation.services.guards import is_admin, locked, require_move
from accreditation.services.telling import admin_emails
from accreditation.states import Action
from portal.audit import record
from portal.text import has_hidden_characters
from portfolio import api as portfolio_api


@dataclass(frozen=True)
class Suggestion:
    assessor: object
    workload: int
    conflict: str  # "" when there is none


def _norm(text: str) -> str:
    return " ".join((text or "").lower().split())


def conflict_of(application, assessor, *, applicant_profile, assessor_profile) -> str:
    """Why ASSESSOR may not assess APPLICATION, or "" if nothing is known against them."""
    if assessor.pk == application.applicant_id:
        return "The applicant"
    if application.supervisor_email and _norm(application.supervisor_email) == _norm(
        assessor.email
    ):
        return "The applicant's named supervisor"
    if applicant_profile and assessor_profile:
        if applicant_profile.employer and _norm(applicant_profile.employer) == _norm(
            assessor_profile.employer
        ):
            return "Same employer as the applicant"
        if applicant_profile.region and applicant_profile.region == assessor_profile.region:
            return "Same integrated care board as the applicant"
    return ""


def earlier_exclusions(application) -> dict[int, str]:
    """{assessor id: why not} for assessors this application's history rules out: one who
    declared a conflict on it, and, once an appeal is upheld with a new review, everyone who
    assessed an earlier round (the new review is by fresh assessors)."""
    from accreditation.models import Appeal, AppealOutcome

    excluded = {}
    new_review = Appeal.objects.filter(
        application=application, outcome=AppealOutcome.NEW_REVIEW
    ).exists()
    for assessor_id, conflict, ended in Allocation.objects.filter(
        application=application
    ).values_list("assessor_id", "conflict_reason", "ended_at"):
        if conflict:
            excluded[assessor_id] = f"Declared a conflict of interest: {conflict}"
        elif new_review and ended is not None:
            excluded.setdefault(assessor_id, "Assessed the round that was appealed")
    return excluded


def suggestions(application) -> list[Suggestion]:
    """Assessors trained for the pathway, not yet allocated, least busy first; those with a
    conflict are listed last with the reason and cannot be allocated. Four queries."""
    active = Allocation.objects.filter(
        ended_at__isnull=True, application__state__in=ACTIVE_REVIEW_STATES + (State.COMPLETE,)
    )
    trained = (
        AssessorTraining.objects.filter(pathway_id=application.pathway_id, assessor__is_active=True)
        .exclude(
            assessor__allocations__in=Allocation.objects.filter(
                application=application, ended_at__isnull=True
            )
        )
        .select_related("assessor")
        .annotate(
            workload=Count(
                "assessor__allocations",
                filter=Q(assessor__allocations__in=active),
                distinct=True,
            )
        )
    )
    rows = list(trained)
    profiles = portfolio_api.profiles_of([application.applicant_id] + [r.assessor_id for r in rows])
    applicant_profile = profiles.get(application.applicant_id)
    excluded = earlier_exclusions(application)
    result = [
        Suggestion(
            assessor=row.assessor,
            workload=row.workload,
            conflict=excluded.get(row.assessor_id)
            or conflict_of(
                application,
                row.assessor,
                applicant_profile=applicant_profile,
                assessor_profile=profiles.get(row.assessor_id),
            ),
        )
        for row in rows
    ]
    return sorted(result, key=lambda s: (bool(s.conflict), s.workload, s.assessor.email))


@transaction.atomic
def allocate(*, application, assessor, by) -> Allocation:
    """Allocate ASSESSOR (trained, without conflict); once enough are allocated to a complete
    application, its review begins."""
    if not is_admin(by):
        raise AccreditationError("Only an administrator can allocate assessors.")
    application = locked(application)
    require_move(application, Action.ALLOCATE)
    if not AssessorTraining.objects.filter(pathway=application.pathway, assessor=assessor).exists():
        raise AccreditationError(f"{assessor.email} is not trained for this pathway.")
    profiles = portfolio_api.profiles_of([application.applicant_id, assessor.pk])
    conflict = earlier_exclusions(application).get(assessor.pk) or conflict_of(
        application,
        assessor,
        applicant_profile=profiles.get(application.applicant_id),
        assessor_profile=profiles.get(assessor.pk),
    )
    if conflict:
        raise AccreditationError(f"{assessor.email} has a conflict: {conflict.lower()}.")
    active = Allocation.objects.filter(application=application, ended_at__isnull=True).count()
    if active >= application.pathway.assessors_required:
        raise AccreditationError(
            f"This application already has {active} assessors: reallocate one instead."
        )
    try:
        with transaction.atomic():
            allocation = Allocation.objects.create(
                application=application, assessor=assessor, allocated_by=by
            )
    except IntegrityError:
        raise AccreditationError(f"{assessor.email} is already allocated.") from None
    record(
        "accreditation.allocated",
        obj=application,
        new={"assessor": assessor.email},
    )
    if application.state == State.COMPLETE and active + 1 >= application.pathway.assessors_required:
        begin_review(application=application)
    elif application.state == State.IN_REVIEW:
        notify.email(
            [assessor.email],
            "An application to assess",
            [f"Application {application.reference} ({application.pathway.name}) is ready for you."],
            reverse("accreditation:assess", args=[application.pk]),
        )
    return allocation


@transaction.atomic
def end_allocation(*, allocation, by, reason: str) -> Allocation:
    """Take an assessor off an application (reallocation): the allocation is kept as history,
    with the reason; their submitted reviews stay."""
    if not is_admin(by):
        raise AccreditationError("Only an administrator can reallocate.")
    locked(allocation.application)
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.ended_at is not None:
        raise AccreditationError("That allocation has ended already.")
    reason = (reason or "").strip()[:300]
    if not reason:
        raise AccreditationError("Enter the reason for the reallocation.")
    allocation.ended_at = timezone.now()
    allocation.end_reason = reason
    allocation.save(update_fields=["ended_at", "end_reason"])
    record(
        "accreditation.allocation_ended",
        obj=allocation.application,
        old={"assessor": allocation.assessor.email},
        detail=reason,
    )
    return allocation


@transaction.atomic
def declare_no_conflict(*, application, assessor) -> Allocation:
    """The assessor declares no conflict of interest: only then does the portfolio open."""
    allocation = (
        Allocation.objects.select_for_update()
        .filter(application=application, assessor=assessor, ended_at__isnull=True)
        .first()
    )
    if allocation is None:
        raise AccreditationError("You are not allocated to this application.")
    if allocation.no_conflict_declared_at is None:
        allocation.no_conflict_declared_at = timezone.now()
        allocation.save(update_fields=["no_conflict_declared_at"])
        record("accreditation.no_conflict_declared", obj=allocation.application)
    return allocation


@transaction.atomic
def declare_conflict(*, application, assessor, reason: str) -> Allocation:
    """The assessor declares a conflict of interest: the allocation ends with the reason, the
    assessor can no longer be allocated to this application, and the administrators are asked
    to allocate another. Refused once the assessor has declared no conflict."""
    application = locked(application)
    allocation = (
        Allocation.objects.select_for_update()
        .filter(application=application, assessor=assessor, ended_at__isnull=True)
        .first()
    )
    if allocation is None:
        raise AccreditationError("You are not allocated to this application.")
    if allocation.no_conflict_declared_at is not None:
        raise AccreditationError(
            "You declared no conflict already: ask the faculty office to reallocate it."
        )
    reason = " ".join((reason or "").split())
    if not reason:
        raise AccreditationError("Say what the conflict of interest is.")
    if len(reason) > 500:
        raise AccreditationError("Describe the conflict in 500 characters or fewer.")
    if has_hidden_characters(reason):
        raise AccreditationError("Remove the hidden or text-direction characters.")
    allocation.conflict_reason = reason
    allocation.ended_at = timezone.now()
    allocation.end_reason = "Conflict of interest declared"
    allocation.save(update_fields=["conflict_reason", "ended_at", "end_reason"])
    record(
        "accreditation.conflict_declared",
        obj=application,
        old={"assessor": assessor.email},
        detail=reason,
    )
    notify.email(
        list(admin_emails()),
        "An assessor declared a conflict",
        [
            f"{assessor.get_full_name() or assessor.email} declared a conflict of interest on "
            f"{application.reference} ({application.pathway.name}): {reason}",
            "Allocate another assessor.",
        ],
        reverse("accreditation:manage_application", args=[application.pk]),
    )
    return allocation


def active_allocation(application: Application, assessor) -> Allocation | None:
    return Allocation.objects.filter(
        application=application, assessor=assessor, ended_at__isnull=True
    ).first()
