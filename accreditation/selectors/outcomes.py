"""An application's outcome as every page shows it: the current one (approved, declined, on
appeal) with the credential it earned, and the decision of each round that had one.

One place, so the applicant's, the administrator's and the lead assessor's pages never
disagree (an upheld appeal must not leave one page saying "Declined").
"""

from dataclasses import dataclass, field

from django.urls import reverse

from accreditation.models import AppealOutcome, Decision, State
from accreditation.states import tag
from credentials import api as credentials_api


@dataclass(frozen=True)
class DecisionRow:
    round_number: int
    round_origin: str
    outcome: str
    outcome_label: str
    reasons: str
    by_capability: list  # [(code, title, reason)]
    scope: str
    conditions: str
    moderated: bool
    decided_at: object


@dataclass(frozen=True)
class CurrentOutcome:
    heading: str
    text: str
    tag: str
    credential: dict | None = None
    appeal_text: str = ""
    lines: list = field(default_factory=list)


def decision_history(application) -> list[DecisionRow]:
    """Each round's decision, newest first (two queries)."""
    decisions = Decision.objects.filter(round__application=application).select_related("round")
    rows = []
    for decision in decisions.order_by("-round__number"):
        titles = {c["code"]: c["title"] for c in decision.round.capabilities}
        rows.append(
            DecisionRow(
                round_number=decision.round.number,
                round_origin=decision.round.get_origin_display(),
                outcome=decision.outcome,
                outcome_label=decision.get_outcome_display(),
                reasons=decision.reasons,
                by_capability=[
                    (code, titles.get(code, ""), text)
                    for code, text in decision.capability_reasons.items()
                ],
                scope=decision.scope,
                conditions=decision.conditions,
                moderated=decision.moderated,
                decided_at=decision.decided_at,
            )
        )
    return rows


def awarded_credential(application) -> dict | None:
    """The credential APPLICATION earned, with its links, or None."""
    credential = credentials_api.credential_for_source(
        credentials_api.Source("accreditation.application", application.pk)
    )
    if credential is None:
        return None
    record = credentials_api.public_record(credential)
    return {
        "serial": credential.serial,
        "title": credential.title,
        "scope": credential.scope,
        "conditions": credential.conditions,
        "valid_from": credential.valid_from,
        "valid_until": credential.valid_until,
        "status": record.status_words,
        "status_tag": record.tag_colour,
        "verify_url": credentials_api.verification_path(credential),
        "certificate_url": reverse("credentials:certificate_pdf", args=[credential.serial]),
    }


def outcome_of(application, *, appeal=None) -> CurrentOutcome | None:
    """Where APPLICATION's outcome stands now, or None while no decision has been made."""
    state = application.state
    upheld_new_review = appeal is not None and appeal.outcome == AppealOutcome.NEW_REVIEW
    if state == State.APPROVED:
        credential = awarded_credential(application)
        on_appeal = appeal is not None and appeal.outcome == AppealOutcome.DECISION_CHANGED
        heading = "Approved on appeal" if on_appeal else "Approved"
        if upheld_new_review:
            heading = "Approved after a new review"
        text = (
            f"You have been awarded {credential['title']} ({credential['serial']})."
            if credential
            else "Approved."
        )
        return CurrentOutcome(heading, text, tag(State.APPROVED), credential=credential)
    if state == State.DECLINED:
        if upheld_new_review:
            return CurrentOutcome(
                "Declined after a new review",
                "Your appeal was upheld and fresh assessors reviewed your evidence; the lead "
                "assessor declined it again. This decision is final.",
                tag(State.DECLINED),
            )
        return CurrentOutcome("Declined", "The reasons are below.", tag(State.DECLINED))
    if state == State.APPEAL_LODGED:
        return CurrentOutcome(
            "Declined, under appeal",
            "A lead assessor who took no part in the decision is considering your appeal.",
            tag(State.APPEAL_LODGED),
        )
    if state == State.APPEAL_DISMISSED:
        return CurrentOutcome(
            "Declined: appeal dismissed",
            "The appeal was dismissed: the decision stands.",
            tag(State.APPEAL_DISMISSED),
        )
    if upheld_new_review:
        number = appeal.review_round.number if appeal.review_round_id else ""
        return CurrentOutcome(
            "Appeal upheld: a new review",
            f"The earlier decision is set aside. Round {number} goes to assessors who have not "
            "seen the evidence, and a lead assessor decides again.",
            tag(State.COMPLETE),
        )
    return None
