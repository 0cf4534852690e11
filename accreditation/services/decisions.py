"""The assessors' reviews in, and the lead assessor's decision: approve (the award),
decline (with reasons by capability) or ask for more evidence (by a deadline within the
pathway's limits)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    Allocation,
    Application,
    Decision,
    Judgement,
    Outcome,
    Recommendation,
    RoundOrigin,
)
from accreditation.services.award import award
from accreditation.services.guards import assessed, clean_text, is_lead, locked, require_move
from accreditation.services.moves import move
from accreditation.services.telling import tell_applicant, tell_assessors, tell_leads
from accreditation.states import Action, State, appeal_deadline, subject


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
    require_move(application, Action.REVIEWS_IN)
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
    move(application, to, by_action=Action.REVIEWS_IN, audit="reviews_in", note=note)
    recommendation = reviews[0].recommendation
    if (
        agreed
        and not application.pathway.lead_sign_off
        and recommendation in (Recommendation.APPROVE, Recommendation.DECLINE)
    ):
        _stands(application, snapshot_round, reviews, recommendation)
        return application
    tell_leads(
        application,
        "An application to sign off" if agreed else "An application to moderate",
        f"Both reviews of {application.reference} are in. {note}",
    )
    return application


def _stands(application, snapshot_round, reviews, recommendation) -> None:
    """No lead sign-off on this pathway: the assessors' agreed approval or decline stands."""
    outcome = Outcome.APPROVED if recommendation == Recommendation.APPROVE else Outcome.DECLINED
    capability_reasons = {}
    for review in reviews:
        for row in review.judgements:
            if row["judgement"] != Judgement.MET and row["comment"]:
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
    conclude(application, outcome, by=None, reasons=reasons, scope=scope, conditions=conditions)


def deadline_refusal(pathway, deadline: datetime.date | None) -> str:
    """Why DEADLINE cannot be set for more evidence on PATHWAY ("" when it can)."""
    today = timezone.localdate()
    shortest = today + datetime.timedelta(days=pathway.min_deadline_days)
    longest = today + datetime.timedelta(days=pathway.max_deadline_days)
    if deadline is None or not shortest <= deadline <= longest:
        return (
            f"Set a deadline between {pathway.min_deadline_days} and "
            f"{pathway.max_deadline_days} days from today."
        )
    return ""


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
    if not is_lead(by):
        raise AccreditationError("Only a lead assessor can decide.")
    application = locked(application)
    require_move(application, Action.DECIDE)
    if assessed(application, by):
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
        code: clean_text(text, f"the reason for {code}", required=False)
        for code, text in (capability_reasons or {}).items()
        if code in codes and (text or "").strip()
    }
    reasons = clean_text(reasons, "the reasons", required=outcome != Outcome.APPROVED)
    capabilities = [code for code in capabilities if code in codes]
    if outcome == Outcome.DECLINED and not capability_reasons:
        raise AccreditationError("Give the reasons for a decline by capability.")
    if outcome == Outcome.MORE_EVIDENCE:
        if not capabilities:
            raise AccreditationError("Choose the capabilities that need more evidence.")
        why = deadline_refusal(application.pathway, deadline)
        if why:
            raise AccreditationError(why)
    if outcome == Outcome.APPROVED:
        pathway = application.pathway
        scope = clean_text(
            pathway.default_scope if scope is None else scope, "the scope of practice"
        )
        conditions = clean_text(
            pathway.default_conditions if conditions is None else conditions,
            "the conditions",
            required=False,
        )
    else:
        scope = conditions = ""
    Decision.objects.create(
        round=current,
        outcome=outcome,
        decided_by=by,
        moderated=application.state == State.MODERATION,
        reasons=reasons,
        capability_reasons=capability_reasons,
        scope=scope,
        conditions=conditions,
    )
    if outcome == Outcome.MORE_EVIDENCE:
        _ask_for_more(application, reasons=reasons, capabilities=capabilities, deadline=deadline)
    else:
        conclude(application, outcome, by=by, reasons=reasons, scope=scope, conditions=conditions)
    return application


def _ask_for_more(application, *, reasons, capabilities, deadline) -> None:
    """RECOMMENDED or MODERATION → MORE_EVIDENCE (the decision row is written)."""
    application.more_evidence_capabilities = capabilities
    application.more_evidence_deadline = deadline
    application.more_evidence_note = reasons
    move(
        application,
        State.MORE_EVIDENCE,
        by_action=Action.DECIDE,
        audit="more_evidence_requested",
        note=reasons,
        fields=("more_evidence_capabilities", "more_evidence_deadline", "more_evidence_note"),
    )
    tell_assessors(
        application,
        subject(State.MORE_EVIDENCE),
        f"The lead assessor asked for more evidence by {deadline:%-d %B %Y}.",
    )
    tell_applicant(
        application,
        subject(State.MORE_EVIDENCE),
        f"The assessors need more evidence for {', '.join(capabilities)} by {deadline:%-d %B %Y}.",
        reasons,
    )


def conclude(application, outcome, *, by, reasons, scope="", conditions="") -> None:
    """RECOMMENDED or MODERATION → APPROVED or DECLINED (the decision row is written)."""
    application.decided_at = timezone.now()
    to = State.APPROVED if outcome == Outcome.APPROVED else State.DECLINED
    move(
        application,
        to,
        by_action=Action.DECIDE,
        audit=str(to),
        note=reasons,
        fields=("decided_at",),
    )
    tell_assessors(application, subject(to), f"It has been {to.label.lower()}.")
    Allocation.objects.filter(application=application, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason="Decided"
    )
    if to == State.APPROVED:
        credential = award(application, by, scope=scope, conditions=conditions)
        tell_applicant(
            application,
            subject(State.APPROVED),
            f"Congratulations: you have been awarded {credential.title} ({credential.serial}).",
            "Your signed certificate is on your credentials page.",
        )
    else:
        tell_applicant(
            application,
            subject(State.DECLINED),
            f"Your application {application.reference} has been declined. "
            "The reasons by capability are on the application's page.",
            f"You can appeal until {appeal_deadline(application):%-d %B %Y} "
            f"({application.pathway.appeal_days} days from the decision).",
        )
