"""Declaring a prior qualification, and the administrator verifying it.

The other route to an eligibility rule "holds an active credential" that accepts one (the
Diploma in MSK Medicine passed before the portal, or a qualification the pathway lists as
equivalent). The applicant declares it with its certificate, which goes into their portfolio
as a locked "qualification" item; an administrator verifies it, or does not accept it with a
reason, during the eligibility and completeness check. A declaration waiting for verification
lets the applicant submit inside a window, but the application cannot be marked complete
until it is verified (completeness.completeness_blockers).
"""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    EligibilityKind,
    PriorQualification,
    QualificationStatus,
)
from accreditation.services import notify
from accreditation.services.guards import clean_text, is_admin, require_move
from accreditation.services.telling import admin_emails
from accreditation.states import Action
from credentials import api as credentials_api
from portal.audit import record
from portfolio import api as portfolio_api

EARLIEST_AWARD = datetime.date(1950, 1, 1)


def declaration_rules(pathway) -> list:
    """PATHWAY's 'holds an active credential' rules that accept a declared qualification."""
    return [
        rule
        for rule in pathway.eligibility.all()
        if rule.kind == EligibilityKind.HOLDS_CREDENTIAL and rule.accepts_declaration
    ]


def declaration_for(applicant, credential_type_code: str) -> PriorQualification | None:
    """APPLICANT's live declaration standing in for CREDENTIAL_TYPE_CODE, else their latest
    (not accepted or withdrawn), else None."""
    declarations = list(
        PriorQualification.objects.filter(
            applicant=applicant, credential_type_code=credential_type_code
        ).order_by("-declared_at", "-pk")[:5]
    )
    live = next((d for d in declarations if d.is_live), None)
    return live or (declarations[0] if declarations else None)


def unverified_declarations(application) -> list[PriorQualification]:
    """The declarations APPLICATION relies on that are not verified yet (where the applicant
    does not hold the credential itself)."""
    waiting = []
    for rule in declaration_rules(application.pathway):
        code = rule.credential_type_code
        if credentials_api.holds_valid_credential(application.applicant, code):
            continue
        declaration = declaration_for(application.applicant, code)
        if declaration is not None and declaration.status == QualificationStatus.DECLARED:
            waiting.append(declaration)
    return waiting


def declare_qualification(
    *, application, by, rule, qualification: str, awarding_body: str, awarded_on, uploads
) -> PriorQualification:
    """The applicant declares QUALIFICATION (one RULE accepts) with its certificate UPLOADS
    (already checked by the portfolio's file checks). A waiting declaration for the same
    credential is replaced; a verified one stays and a new one is refused."""
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can declare their qualifications.")
    require_move(application, Action.DECLARE_QUALIFICATION)
    if rule.pathway_id != application.pathway_id or not rule.accepts_declaration:
        raise AccreditationError("This pathway does not accept a declared qualification here.")
    if qualification not in rule.qualification_names:
        raise AccreditationError("Choose one of the qualifications the pathway accepts.")
    awarding_body = clean_text(awarding_body, "the awarding body")[:200]
    today = timezone.localdate()
    if not isinstance(awarded_on, datetime.date) or not (EARLIEST_AWARD <= awarded_on <= today):
        raise AccreditationError(
            f"Enter the date it was awarded, between {EARLIEST_AWARD.year} and today."
        )
    if not uploads:
        raise AccreditationError("Upload your certificate.")
    code = rule.credential_type_code
    existing = declaration_for(by, code)
    if existing is not None and existing.status == QualificationStatus.VERIFIED:
        raise AccreditationError("The faculty has verified your qualification already.")
    try:
        certificate, files = portfolio_api.add_certificate(
            owner=by,
            title=f"Certificate: {qualification}",
            date=awarded_on,
            uploads=uploads,
        )
    except portfolio_api.PortfolioError as exc:
        raise AccreditationError(exc.message) from None
    try:
        with transaction.atomic():
            if existing is not None and existing.status == QualificationStatus.DECLARED:
                _close(existing, QualificationStatus.WITHDRAWN, by=by, note="Declared again")
            declaration = PriorQualification.objects.create(
                applicant=by,
                credential_type_code=code,
                qualification=qualification,
                awarding_body=awarding_body,
                awarded_on=awarded_on,
                certificate=certificate,
                files=files,
            )
            record(
                "accreditation.qualification_declared",
                obj=application,
                new={"qualification": qualification, "awarded_on": awarded_on.isoformat()},
            )
    except IntegrityError:
        raise AccreditationError("You have declared this qualification already.") from None
    notify.email(
        list(admin_emails()),
        "A prior qualification to verify",
        [
            f"{by.get_full_name() or by.email} declared {qualification} ({awarding_body}, "
            f"{awarded_on:%-d %B %Y}) for {application.reference} "
            f"({application.pathway.name})."
        ],
        reverse("accreditation:manage_application", args=[application.pk]),
    )
    return declaration


def _close(declaration, status, *, by, note="") -> None:
    declaration.status = status
    declaration.decided_by = by
    declaration.decided_at = timezone.now()
    declaration.decision_note = note
    declaration.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def withdraw_declaration(*, declaration, by, application) -> PriorQualification:
    """The applicant withdraws a declaration that is still waiting for verification."""
    declaration = PriorQualification.objects.select_for_update().get(pk=declaration.pk)
    if declaration.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can withdraw their declaration.")
    if declaration.status != QualificationStatus.DECLARED:
        raise AccreditationError(
            f"You cannot withdraw it: it is {declaration.get_status_display().lower()}."
        )
    _close(declaration, QualificationStatus.WITHDRAWN, by=by)
    record(
        "accreditation.qualification_withdrawn",
        obj=application,
        old={"qualification": declaration.qualification},
    )
    return declaration


@transaction.atomic
def verify_declaration(*, declaration, by, application, note: str = "") -> PriorQualification:
    """An administrator has checked the certificate (with the awarding body if needed)."""
    if not is_admin(by):
        raise AccreditationError("Only an administrator can verify a qualification.")
    declaration = PriorQualification.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status != QualificationStatus.DECLARED:
        raise AccreditationError(
            f"You cannot verify it: it is {declaration.get_status_display().lower()}."
        )
    _close(
        declaration,
        QualificationStatus.VERIFIED,
        by=by,
        note=clean_text(note, "a note", required=False),
    )
    record(
        "accreditation.qualification_verified",
        obj=application,
        new={"qualification": declaration.qualification},
    )
    notify.email(
        [declaration.applicant.email],
        "Qualification verified",
        [f"The faculty has verified your {declaration.qualification}."],
        reverse("accreditation:application", args=[application.pk]),
    )
    return declaration


@transaction.atomic
def reject_declaration(*, declaration, by, application, reason: str) -> PriorQualification:
    """An administrator does not accept the declaration, with the reason the applicant sees."""
    if not is_admin(by):
        raise AccreditationError("Only an administrator can decide on a qualification.")
    reason = clean_text(reason, "the reason it is not accepted")
    declaration = PriorQualification.objects.select_for_update().get(pk=declaration.pk)
    if declaration.status != QualificationStatus.DECLARED:
        raise AccreditationError(
            f"You cannot decide on it: it is {declaration.get_status_display().lower()}."
        )
    _close(declaration, QualificationStatus.NOT_ACCEPTED, by=by, note=reason)
    record(
        "accreditation.qualification_not_accepted",
        obj=application,
        new={"qualification": declaration.qualification},
        detail=reason,
    )
    notify.email(
        [declaration.applicant.email],
        "Qualification not accepted",
        [
            f"The faculty could not accept your {declaration.qualification}: {reason}",
            "You can declare it again with a clearer certificate, or another accepted "
            "qualification.",
        ],
        reverse("accreditation:application", args=[application.pk]),
    )
    return declaration
