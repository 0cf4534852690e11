"""The applicant's steps: start (or renew), change the declaration, submit, resubmit with
more evidence, withdraw. Each locks the row, checks its move (accreditation.states) and who
is acting before it writes a thing."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    Allocation,
    Application,
    ApplicationEvent,
    Pathway,
    ReviewRound,
    RoundOrigin,
)
from accreditation.services import references, rounds
from accreditation.services.guards import clean_text, locked, require_move
from accreditation.services.moves import move
from accreditation.services.renewals import renewable, renewing_pathway
from accreditation.services.rules import checklist
from accreditation.services.telling import tell_applicant, tell_assessors
from accreditation.states import Action, State, subject
from portal.audit import record


def start_application(
    *, applicant, pathway: Pathway, extended_role="", supervisor_name="", supervisor_email=""
) -> Application:
    """A new draft application to PATHWAY (one open application per pathway)."""
    if not pathway.published:
        raise AccreditationError("This pathway is not taking applications.")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                applicant=applicant,
                pathway=pathway,
                extended_role=clean_text(extended_role, "your extended role", required=False),
                supervisor_name=clean_text(
                    supervisor_name, "your supervisor's name", required=False
                )[:200],
                supervisor_email=(supervisor_email or "").strip()[:254],
            )
            ApplicationEvent.objects.create(
                application=application, to_state=State.DRAFT, note="Application started."
            )
            record("accreditation.started", obj=application, new={"state": State.DRAFT})
    except IntegrityError:
        raise AccreditationError(
            "You already have an application for this pathway: continue that one."
        ) from None
    return application


def start_renewal(*, applicant, credential) -> Application:
    """A draft renewal of CREDENTIAL, from the pathway's renewal window before it ends, on the
    published pathway that awards its type. The declaration is copied from the last
    application."""
    if credential.holder_id != applicant.pk:
        raise AccreditationError("You can renew only your own credentials.")
    pathway = renewing_pathway(credential)
    why = renewable(credential, pathway=pathway)
    if why:
        raise AccreditationError(why)
    if pathway is None:
        raise AccreditationError("No pathway renews this credential: contact the faculty office.")
    last = (
        Application.objects.filter(applicant=applicant, pathway=pathway)
        .order_by("-created_at")
        .first()
    )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                applicant=applicant,
                pathway=pathway,
                renewal_of=credential,
                extended_role=last.extended_role if last else "",
                supervisor_name=last.supervisor_name if last else "",
                supervisor_email=last.supervisor_email if last else "",
            )
            ApplicationEvent.objects.create(
                application=application,
                to_state=State.DRAFT,
                note=f"Renewal of {credential.serial}.",
            )
            record(
                "accreditation.renewal_started",
                obj=application,
                new={"state": State.DRAFT, "renews": credential.serial},
            )
    except IntegrityError:
        raise AccreditationError(
            "You already have an application for this pathway: continue that one."
        ) from None
    return application


@transaction.atomic
def update_declaration(*, application, by, extended_role, supervisor_name, supervisor_email):
    """The applicant's declaration, while the application is theirs to change."""
    application = locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can change their application.")
    require_move(application, Action.EDIT)
    old = {
        "extended_role": application.extended_role,
        "supervisor_name": application.supervisor_name,
        "supervisor_email": application.supervisor_email,
    }
    application.extended_role = clean_text(extended_role, "your extended role")
    application.supervisor_name = clean_text(supervisor_name, "your supervisor's name")[:200]
    application.supervisor_email = (supervisor_email or "").strip()[:254]
    application.save(update_fields=["extended_role", "supervisor_name", "supervisor_email"])
    record("accreditation.declaration_changed", obj=application, old=old)
    if (
        " ".join(old["supervisor_name"].split()).lower()
        != " ".join(application.supervisor_name.split()).lower()
        or old["supervisor_email"].lower() != application.supervisor_email.lower()
    ):
        references.supervisor_changed(application)
    return application


def freeze_round(application, check, origin=RoundOrigin.SUBMITTED) -> ReviewRound:
    """The evidence CHECK found, frozen into the application's next round; the portfolio
    items in it are locked."""
    number = (
        application.rounds.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    framework = check.framework
    snapshot_round = ReviewRound.objects.create(
        application=application,
        number=number,
        framework_code=framework.code,
        framework_version=framework.version,
        origin=origin,
        snapshot={
            "outline": check.outline,
            "items": check.items,
            "reference": references.snapshot_of(application),
        },
    )
    from portfolio.api import lock_evidence

    lock_evidence(item["id"] for item in check.items)
    return snapshot_round


@transaction.atomic
def submit_application(*, application, by, day: datetime.date | None = None) -> Application:
    """DRAFT or RETURNED → SUBMITTED: only inside an open window with every rule met.

    Freezes the evidence into a new review round and locks the portfolio items in it.
    """
    application = locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can submit their application.")
    require_move(application, Action.SUBMIT)
    check = checklist(application, day=day)
    if check.window is None and not application.is_renewal:
        raise AccreditationError("You can submit only while an application window is open.")
    if not check.ready:
        raise AccreditationError(
            "Your application is not ready: " + " ".join(line.text for line in check.missing)
        )
    snapshot_round = freeze_round(application, check)
    application.window = check.window
    application.submitted_at = timezone.now()
    application.returned_reasons = ""
    move(
        application,
        State.SUBMITTED,
        by_action=Action.SUBMIT,
        audit="submitted",
        note=f"Round {snapshot_round.number}: {len(check.items)} evidence items.",
        fields=("window", "submitted_at", "returned_reasons"),
    )
    tell_applicant(
        application,
        subject(State.SUBMITTED),
        f"We have your application for {application.pathway.name} ({application.reference}).",
        f"The faculty checks it is complete within {application.pathway.completeness_days} "
        "working days. Your evidence is locked while it is assessed.",
    )
    return application


def unanswered_capabilities(application, items) -> list[str]:
    """The capabilities the request for more evidence named that have no new or changed
    evidence among ITEMS since the round the request was made on."""
    last = application.rounds.order_by("-number").first()
    if last is None:
        return []
    fresh = rounds.fresh_evidence(application.more_evidence_capabilities, last.items, items)
    return [code for code, found in fresh.items() if not found]


@transaction.atomic
def resubmit_application(*, application, by) -> Application:
    """MORE_EVIDENCE → RESUBMITTED: the evidence frozen again as a new round, before the
    deadline. The window does not apply: the request set its own deadline."""
    application = locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can resubmit their application.")
    require_move(application, Action.RESUBMIT)
    deadline = application.more_evidence_deadline
    if deadline and timezone.localdate() > deadline:
        raise AccreditationError(
            f"The deadline for more evidence was {deadline:%-d %B %Y}. Contact the faculty office."
        )
    check = checklist(application)
    unanswered = unanswered_capabilities(application, check.items)
    if unanswered:
        raise AccreditationError(
            f"You have not added or changed evidence for {', '.join(unanswered)} since the "
            "request for more evidence. Add evidence for "
            f"{'it' if len(unanswered) == 1 else 'each of them'}, then resubmit."
        )
    missing = check.missing
    if missing or check.framework is None:
        raise AccreditationError(
            "Your application is not ready: " + " ".join(line.text for line in missing)
        )
    snapshot_round = freeze_round(application, check, origin=RoundOrigin.RESUBMITTED)
    application.submitted_at = timezone.now()
    move(
        application,
        State.RESUBMITTED,
        by_action=Action.RESUBMIT,
        audit="resubmitted",
        note=f"Round {snapshot_round.number}: {len(check.items)} evidence items.",
        fields=("submitted_at",),
    )
    tell_applicant(
        application,
        subject(State.RESUBMITTED),
        f"We have your further evidence for {application.reference}. "
        "It goes back to your assessors.",
    )
    return application


@transaction.atomic
def withdraw_application(*, application, by, reason: str = "") -> Application:
    """Any open state → WITHDRAWN, by the applicant, at any point before a decision."""
    application = locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can withdraw their application.")
    require_move(application, Action.WITHDRAW)
    reason = clean_text(reason, "a reason", required=False)
    tell_assessors(application, subject(State.WITHDRAWN), "The applicant has withdrawn it.")
    Allocation.objects.filter(application=application, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason="Application withdrawn"
    )
    move(application, State.WITHDRAWN, by_action=Action.WITHDRAW, audit="withdrawn", note=reason)
    tell_applicant(
        application,
        subject(State.WITHDRAWN),
        f"You withdrew your application {application.reference}. You can start a new one later.",
    )
    return application
