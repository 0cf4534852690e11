"""The application's state machine: one function per step, and no other code writes `state`.

Each step locks the application's row (select_for_update), checks the state it is in and who
is acting, refuses anything else with a clear AccreditationError before writing a thing,
then writes the change, a timeline event and an audit event in one transaction, and queues
its emails for after the commit.
"""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    OPEN_STATES,
    Allocation,
    Appeal,
    AppealOutcome,
    Application,
    ApplicationEvent,
    Decision,
    FeeStatus,
    Outcome,
    Pathway,
    Recommendation,
    ReviewRound,
    RoundOrigin,
    State,
)
from accreditation.services import notify, references, rounds
from accreditation.services.rules import checklist, renewable
from credentials import api as credentials_api
from portal.audit import record
from portal.roles import Role, has_role
from portal.text import has_hidden_characters

# An appeal may be lodged up to this many days after a decline.
APPEAL_DAYS = 28
# A request for more evidence gives at least this long, and at most this long.
MIN_DEADLINE_DAYS, MAX_DEADLINE_DAYS = 7, 180
MAX_TEXT = 5000


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("pathway", "applicant")
        .get(pk=application.pk)
    )


def _require(application: Application, *states: State, doing: str) -> None:
    if application.state not in states:
        raise AccreditationError(
            f"You cannot {doing}: the application is {application.get_state_display().lower()}."
        )


def _text(value: str, what: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise AccreditationError(f"Enter {what}.")
    if len(value) > MAX_TEXT:
        raise AccreditationError(
            f"{what[0].upper()}{what[1:]} must be {MAX_TEXT} characters or fewer."
        )
    if has_hidden_characters(value, multiline=True):
        raise AccreditationError(f"Remove the hidden or text-direction characters from {what}.")
    return value


def _move(application, to: State, *, action: str, note: str = "", fields=()) -> Application:
    old = application.state
    application.state = to
    application.state_changed_at = timezone.now()
    application.save(update_fields=["state", "state_changed_at", *fields])
    ApplicationEvent.objects.create(application=application, from_state=old, to_state=to, note=note)
    record(
        f"accreditation.{action}",
        obj=application,
        old={"state": old},
        new={"state": str(to)},
        detail=note[:500],
    )
    return application


def _page(application) -> str:
    return reverse("accreditation:application", args=[application.pk])


def _tell_applicant(application, subject, *lines):
    notify.email([application.applicant.email], subject, list(lines), _page(application))


def _tell_assessors(application, subject, line):
    """Tell the application's current assessors (before their allocations end)."""
    emails = Allocation.objects.filter(application=application, ended_at__isnull=True).values_list(
        "assessor__email", flat=True
    )
    notify.email(
        list(emails),
        subject,
        [f"Application {application.reference} ({application.pathway.name}): {line}"],
        reverse("accreditation:assessor_queue"),
    )


def _is_admin(user) -> bool:
    return user.is_superuser or has_role(user, Role.EXAM_ADMINISTRATOR)


def _is_lead(user) -> bool:
    return user.is_superuser or has_role(user, Role.LEAD_ASSESSOR)


# --- the applicant ---------------------------------------------------------------------------


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
                extended_role=_text(extended_role, "your extended role", required=False),
                supervisor_name=_text(supervisor_name, "your supervisor's name", required=False)[
                    :200
                ],
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
    """A draft renewal of CREDENTIAL, from RENEWAL_DAYS before it ends, on the published
    pathway that awards its type. The declaration is copied from the last application."""
    if credential.holder_id != applicant.pk:
        raise AccreditationError("You can renew only your own credentials.")
    why = renewable(credential)
    if why:
        raise AccreditationError(why)
    pathway = Pathway.objects.filter(
        credential_type_code=credential.kind_id, published=True
    ).first()
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
    application = _locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can change their application.")
    _require(application, State.DRAFT, State.RETURNED, doing="change the application now")
    old = {
        "extended_role": application.extended_role,
        "supervisor_name": application.supervisor_name,
        "supervisor_email": application.supervisor_email,
    }
    application.extended_role = _text(extended_role, "your extended role")
    application.supervisor_name = _text(supervisor_name, "your supervisor's name")[:200]
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


def _freeze_round(application, check, origin=RoundOrigin.SUBMITTED) -> ReviewRound:
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
    application = _locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can submit their application.")
    _require(application, State.DRAFT, State.RETURNED, doing="submit it")
    check = checklist(application, day=day)
    if check.window is None and not application.is_renewal:
        raise AccreditationError("You can submit only while an application window is open.")
    if not check.ready:
        raise AccreditationError(
            "Your application is not ready: " + " ".join(line.text for line in check.missing)
        )
    snapshot_round = _freeze_round(application, check)
    application.window = check.window
    application.submitted_at = timezone.now()
    application.returned_reasons = ""
    _move(
        application,
        State.SUBMITTED,
        action="submitted",
        note=f"Round {snapshot_round.number}: {len(check.items)} evidence items.",
        fields=("window", "submitted_at", "returned_reasons"),
    )
    _tell_applicant(
        application,
        "Application submitted",
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
    application = _locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can resubmit their application.")
    _require(application, State.MORE_EVIDENCE, doing="resubmit it")
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
    snapshot_round = _freeze_round(application, check, origin=RoundOrigin.RESUBMITTED)
    application.submitted_at = timezone.now()
    _move(
        application,
        State.RESUBMITTED,
        action="resubmitted",
        note=f"Round {snapshot_round.number}: {len(check.items)} evidence items.",
        fields=("submitted_at",),
    )
    _tell_applicant(
        application,
        "More evidence received",
        f"We have your further evidence for {application.reference}. "
        "It goes back to your assessors.",
    )
    return application


@transaction.atomic
def withdraw_application(*, application, by, reason: str = "") -> Application:
    """Any open state → WITHDRAWN, by the applicant, at any point before a decision."""
    application = _locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can withdraw their application.")
    _require(application, *OPEN_STATES, doing="withdraw it")
    reason = _text(reason, "a reason", required=False)
    _tell_assessors(application, "Application withdrawn", "The applicant has withdrawn it.")
    Allocation.objects.filter(application=application, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason="Application withdrawn"
    )
    _move(application, State.WITHDRAWN, action="withdrawn", note=reason)
    _tell_applicant(
        application,
        "Application withdrawn",
        f"You withdrew your application {application.reference}. You can start a new one later.",
    )
    return application


@transaction.atomic
def lodge_appeal(*, application, by, grounds: str) -> Application:
    """DECLINED → APPEAL_LODGED, by the applicant, within APPEAL_DAYS of the decision."""
    application = _locked(application)
    if application.applicant_id != by.pk:
        raise AccreditationError("Only the applicant can appeal.")
    _require(application, State.DECLINED, doing="appeal")
    if Appeal.objects.filter(application=application).exists():
        raise AccreditationError(
            "You have appealed once already: the decision after the new review is final."
        )
    grounds = _text(grounds, "the grounds for your appeal")
    deadline = appeal_deadline(application)
    if deadline and timezone.localdate() > deadline:
        raise AccreditationError(
            f"An appeal had to be lodged by {deadline:%-d %B %Y}, "
            f"{APPEAL_DAYS} days after the decision."
        )
    Appeal.objects.create(application=application, grounds=grounds)
    _move(application, State.APPEAL_LODGED, action="appeal_lodged")
    _tell_applicant(
        application,
        "Appeal received",
        f"We have your appeal against the decision on {application.reference}. "
        "A lead assessor who took no part in the decision will consider it.",
    )
    notify.email(
        _lead_emails(),
        "An appeal to decide",
        [
            f"The applicant has appealed against the decision on {application.reference}. "
            "A lead assessor who took no part decides it."
        ],
        reverse("accreditation:lead_application", args=[application.pk]),
    )
    return application


# --- the faculty's administrators ----------------------------------------------------------


def completeness_blockers(application) -> list[str]:
    """Why APPLICATION cannot be marked complete yet, in words ([] when it can): the fee is
    due, or a declared prior qualification is not verified."""
    from accreditation.services.qualifications import unverified_declarations

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
    if not _is_admin(by):
        raise AccreditationError("Only an administrator can check completeness.")
    application = _locked(application)
    _require(application, State.SUBMITTED, doing="mark it complete")
    blockers = completeness_blockers(application)
    if blockers:
        raise AccreditationError("You cannot mark it complete yet. " + " ".join(blockers))
    _move(application, State.COMPLETE, action="complete")
    _tell_applicant(
        application,
        "Application complete",
        f"Your application {application.reference} is complete and goes to two trained assessors.",
    )
    return application


@transaction.atomic
def return_application(*, application, by, reasons: str) -> Application:
    """SUBMITTED → RETURNED with reasons: the applicant fixes it and submits again."""
    if not _is_admin(by):
        raise AccreditationError("Only an administrator can return an application.")
    application = _locked(application)
    _require(application, State.SUBMITTED, doing="return it")
    application.returned_reasons = _text(reasons, "the reasons")
    _move(
        application,
        State.RETURNED,
        action="returned",
        note=application.returned_reasons,
        fields=("returned_reasons",),
    )
    _tell_applicant(
        application,
        "Application returned to you",
        f"Your application {application.reference} is not complete yet:",
        application.returned_reasons,
        "Fix these and submit it again while the window is open.",
    )
    return application


@transaction.atomic
def begin_review(*, application, by=None) -> Application:
    """COMPLETE or RESUBMITTED → IN_REVIEW, once as many assessors as the pathway needs are
    allocated. Called by allocation (COMPLETE) or by an administrator (RESUBMITTED)."""
    if by is not None and not _is_admin(by):
        raise AccreditationError("Only an administrator can send an application for review.")
    application = _locked(application)
    _require(application, State.COMPLETE, State.RESUBMITTED, doing="send it for review")
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
    _move(application, State.IN_REVIEW, action="in_review")
    _tell_applicant(
        application,
        "Application in review",
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


# --- assessors' reviews in, and the lead assessor's decision -------------------------------


def disagreements(reviews) -> list[str]:
    """The capability codes the assessors judged differently (in the round's order), and
    "recommendation" last if their recommendations differ."""
    codes: list[str] = []
    judged: dict[str, set] = {}
    for review in reviews:
        for row in review.judgements:
            if row["code"] not in judged:
                codes.append(row["code"])
            judged.setdefault(row["code"], set()).add(row["judgement"])
    differ = [code for code in codes if len(judged[code]) > 1]
    if len({r.recommendation for r in reviews}) > 1:
        differ.append("recommendation")
    return differ


def reviews_in(*, application, snapshot_round, reviews) -> Application:
    """IN_REVIEW → RECOMMENDED (the assessors agree on every capability and on the
    recommendation) or MODERATION (they differ on any of them).

    Called by services.reviews.submit_review, inside its transaction, with the row locked,
    once the round has every review it needs.
    """
    _require(application, State.IN_REVIEW, doing="record the reviews")
    differ = disagreements(reviews)
    agreed = not differ
    to = State.RECOMMENDED if agreed else State.MODERATION
    if agreed:
        note = f"The assessors agree: {reviews[0].get_recommendation_display().lower()}."
    else:
        named = [code for code in differ if code != "recommendation"]
        parts = []
        if named:
            parts.append(f"on {', '.join(named)}")
        if "recommendation" in differ:
            parts.append("on the recommendation")
        note = f"The assessors disagree {' and '.join(parts)}: the lead assessor moderates."
    _move(application, to, action="reviews_in", note=note)
    recommendation = reviews[0].recommendation
    if (
        agreed
        and not application.pathway.lead_sign_off
        and recommendation in (Recommendation.APPROVE, Recommendation.DECLINE)
    ):
        # No lead sign-off on this pathway: the assessors' agreed approval or decline stands.
        outcome = Outcome.APPROVED if recommendation == Recommendation.APPROVE else Outcome.DECLINED
        capability_reasons = {}
        for review in reviews:
            for row in review.judgements:
                if row["judgement"] != "met" and row["comment"]:
                    capability_reasons.setdefault(row["code"], row["comment"])
        reasons = "The assessors agreed; this pathway has no lead assessor sign-off."
        approved = outcome == Outcome.APPROVED
        pathway = application.pathway
        scope = pathway.default_scope if approved else ""
        conditions = pathway.default_conditions if approved else ""
        Decision.objects.create(
            round=snapshot_round,
            outcome=outcome,
            reasons=reasons,
            capability_reasons=capability_reasons,
            scope=scope,
            conditions=conditions,
        )
        _conclude(
            application, outcome, by=None, reasons=reasons, scope=scope, conditions=conditions
        )
        return application
    notify.email(
        _lead_emails(),
        "An application to sign off" if agreed else "An application to moderate",
        [f"Both reviews of {application.reference} are in. {note}"],
        reverse("accreditation:lead_application", args=[application.pk]),
    )
    return application


def _lead_emails():
    from portal.models import User

    return User.objects.filter(groups__name=Role.LEAD_ASSESSOR.label, is_active=True).values_list(
        "email", flat=True
    )


def _took_part(application, user) -> bool:
    if Allocation.objects.filter(application=application, assessor=user).exists():
        return True
    return Decision.objects.filter(round__application=application, decided_by=user).exists()


def _admin_emails():
    from portal.models import User

    return User.objects.filter(
        groups__name=Role.EXAM_ADMINISTRATOR.label, is_active=True
    ).values_list("email", flat=True)


def _award(application, by, *, scope: str, conditions: str = ""):
    pathway = application.pathway
    if application.is_renewal:
        # The renewal supersedes the old credential (credentials decides the dates: from the
        # day after the old one ends, or today if later).
        return credentials_api.renew_credential(
            credential=application.renewal_of,
            source=credentials_api.Source("accreditation.application", application.pk),
            issued_by=by,
            scope=scope,
            conditions=conditions,
        )
    valid_from = timezone.localdate()
    kwargs = {}
    if pathway.validity_months:
        kwargs["valid_until"] = credentials_api.last_day_after(valid_from, pathway.validity_months)
    return credentials_api.issue_credential(
        holder=application.applicant,
        credential_type=pathway.credential_type_code,
        source=credentials_api.Source("accreditation.application", application.pk),
        valid_from=valid_from,
        issued_by=by,
        scope=scope,
        conditions=conditions,
        **kwargs,
    )


@transaction.atomic
def decide(
    *,
    application,
    by,
    outcome: Outcome,
    reasons: str = "",
    capability_reasons: dict | None = None,
    capabilities=(),
    deadline: datetime.date | None = None,
    scope: str | None = None,
    conditions: str | None = None,
) -> Application:
    """RECOMMENDED or MODERATION → APPROVED, DECLINED or MORE_EVIDENCE, by a lead assessor
    who is not one of its assessors. One decision per round (a database rule).

    An approval states the credential's scope of practice and any conditions (the form starts
    from the pathway's; None here takes the pathway's as they are). After an upheld appeal,
    the lead who made the decision appealed against does not decide the new round."""
    if not _is_lead(by):
        raise AccreditationError("Only a lead assessor can decide.")
    application = _locked(application)
    _require(application, State.RECOMMENDED, State.MODERATION, doing="decide")
    if Allocation.objects.filter(application=application, assessor=by).exists():
        raise AccreditationError("You assessed this application: another lead assessor decides.")
    current = application.rounds.order_by("-number").first()
    if Decision.objects.filter(round=current).exists():
        raise AccreditationError("This round has been decided already.")
    if (
        current.origin == RoundOrigin.APPEAL
        and Decision.objects.filter(round__application=application, decided_by=by).exists()
    ):
        raise AccreditationError(
            "You made the decision that was appealed: another lead assessor decides."
        )
    codes = {c["code"] for c in current.capabilities}
    capability_reasons = {
        code: _text(text, f"the reason for {code}", required=False)
        for code, text in (capability_reasons or {}).items()
        if code in codes and (text or "").strip()
    }
    reasons = _text(reasons, "the reasons", required=outcome != Outcome.APPROVED)
    capabilities = [code for code in capabilities if code in codes]
    if outcome == Outcome.DECLINED and not capability_reasons:
        raise AccreditationError("Give the reasons for a decline by capability.")
    if outcome == Outcome.MORE_EVIDENCE:
        if not capabilities:
            raise AccreditationError("Choose the capabilities that need more evidence.")
        today = timezone.localdate()
        if deadline is None or not (
            today + datetime.timedelta(days=MIN_DEADLINE_DAYS)
            <= deadline
            <= today + datetime.timedelta(days=MAX_DEADLINE_DAYS)
        ):
            raise AccreditationError(
                f"Set a deadline between {MIN_DEADLINE_DAYS} and {MAX_DEADLINE_DAYS} days "
                "from today."
            )
    if outcome == Outcome.APPROVED:
        pathway = application.pathway
        scope = _text(pathway.default_scope if scope is None else scope, "the scope of practice")
        conditions = _text(
            pathway.default_conditions if conditions is None else conditions,
            "the conditions",
            required=False,
        )
    else:
        scope = conditions = ""
    moderated = application.state == State.MODERATION
    Decision.objects.create(
        round=current,
        outcome=outcome,
        decided_by=by,
        moderated=moderated,
        reasons=reasons,
        capability_reasons=capability_reasons,
        scope=scope,
        conditions=conditions,
    )
    if outcome == Outcome.MORE_EVIDENCE:
        application.more_evidence_capabilities = capabilities
        application.more_evidence_deadline = deadline
        application.more_evidence_note = reasons
        _move(
            application,
            State.MORE_EVIDENCE,
            action="more_evidence_requested",
            note=reasons,
            fields=("more_evidence_capabilities", "more_evidence_deadline", "more_evidence_note"),
        )
        _tell_assessors(
            application,
            "More evidence requested",
            f"The lead assessor asked for more evidence by {deadline:%-d %B %Y}.",
        )
        _tell_applicant(
            application,
            "More evidence requested",
            f"The assessors need more evidence for {', '.join(capabilities)} "
            f"by {deadline:%-d %B %Y}.",
            reasons,
        )
        return application
    _conclude(application, outcome, by=by, reasons=reasons, scope=scope, conditions=conditions)
    return application


def appeal_deadline(application) -> datetime.date | None:
    """The last day on which APPLICATION's decline may be appealed (None: not declined)."""
    if application.state != State.DECLINED or application.decided_at is None:
        return None
    decided = timezone.localtime(application.decided_at).date()
    return decided + datetime.timedelta(days=APPEAL_DAYS)


def _conclude(application, outcome, *, by, reasons, scope="", conditions="") -> None:
    """RECOMMENDED or MODERATION → APPROVED or DECLINED (the decision row is written)."""
    application.decided_at = timezone.now()
    to = State.APPROVED if outcome == Outcome.APPROVED else State.DECLINED
    _move(application, to, action=str(to), note=reasons, fields=("decided_at",))
    _tell_assessors(
        application, f"Application {to.label.lower()}", f"It has been {to.label.lower()}."
    )
    Allocation.objects.filter(application=application, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason="Decided"
    )
    if to == State.APPROVED:
        credential = _award(application, by, scope=scope, conditions=conditions)
        _tell_applicant(
            application,
            "Application approved",
            f"Congratulations: you have been awarded {credential.title} ({credential.serial}).",
            "Your signed certificate is on your credentials page.",
        )
    else:
        _tell_applicant(
            application,
            "Application declined",
            f"Your application {application.reference} has been declined. "
            "The reasons by capability are on the application's page.",
            f"You can appeal until {appeal_deadline(application):%-d %B %Y} "
            f"({APPEAL_DAYS} days from the decision).",
        )


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
    if not _is_lead(by):
        raise AccreditationError("Only a lead assessor can decide an appeal.")
    application = _locked(application)
    _require(application, State.APPEAL_LODGED, doing="decide the appeal")
    if _took_part(application, by):
        raise AccreditationError(
            "You took part in this application: a lead assessor who did not decides the appeal."
        )
    if outcome not in AppealOutcome.values:
        raise AccreditationError("Choose what the outcome of the appeal is.")
    reasons = _text(reasons, "the reasons")
    if outcome == AppealOutcome.DECISION_CHANGED:
        scope = _text(scope, "the scope of practice")
        conditions = _text(conditions, "the conditions", required=False)
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
        _move(application, State.APPEAL_DISMISSED, action="appeal_dismissed", note=reasons)
        _tell_applicant(
            application,
            "Appeal dismissed",
            f"Your appeal against the decision on {application.reference} has been dismissed: "
            "the decision stands.",
            reasons,
            "You may apply again in a later application window.",
        )
    elif outcome == AppealOutcome.NEW_REVIEW:
        application.decided_at = None
        _move(
            application,
            State.COMPLETE,
            action="appeal_upheld_new_review",
            note=f"Appeal upheld: round {appeal.review_round.number} goes to fresh assessors. "
            f"{reasons}",
            fields=("decided_at",),
        )
        _tell_applicant(
            application,
            "Appeal upheld: a new review",
            f"Your appeal on {application.reference} is upheld. Your evidence goes to two "
            "assessors who have not seen it before, and a lead assessor decides again.",
            reasons,
        )
        notify.email(
            _admin_emails(),
            "An upheld appeal to allocate",
            [
                f"The appeal on {application.reference} is upheld with a new review: allocate "
                "fresh assessors (those of the earlier rounds cannot be chosen)."
            ],
            reverse("accreditation:manage_application", args=[application.pk]),
        )
    else:
        application.decided_at = timezone.now()
        _move(
            application,
            State.APPROVED,
            action="appeal_upheld_decision_changed",
            note=f"Appeal upheld: the decision is changed to approved. {reasons}",
            fields=("decided_at",),
        )
        credential = _award(application, by, scope=scope, conditions=conditions)
        _tell_applicant(
            application,
            "Appeal upheld: approved",
            f"Your appeal is upheld, the decision is changed and you have been awarded "
            f"{credential.title} ({credential.serial}).",
            reasons,
            "Your signed certificate is on your credentials page.",
        )
    return application
