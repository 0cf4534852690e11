"""A reasonable adjustment's statuses, what each means in words, and who may do what: the
candidate asks on a live application (exams.booking_states), the exams team decides.

The one place for this vocabulary: the services ask `refusal()` before a change, the pages ask
`allowed_actions()` which links to offer.
"""

from dataclasses import dataclass

from django.db import models

from exams.staff import is_staff


class AdjustmentStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for review"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


@dataclass(frozen=True)
class AdjustmentWords:
    tag: str  # an NHS.UK tag colour ("": the default tag); the tag always says the label too


WORDS = {
    AdjustmentStatus.REQUESTED: AdjustmentWords(""),
    AdjustmentStatus.APPROVED: AdjustmentWords(""),
    AdjustmentStatus.DECLINED: AdjustmentWords(""),
}


def words(adjustment) -> AdjustmentWords:
    return WORDS[AdjustmentStatus(adjustment.status)]


class Decision(models.TextChoices):
    """The exams team's answer, as the decision form offers it."""

    APPROVE = "approve", "Approve"
    DECLINE = "decline", "Decline"


DECIDES = {Decision.APPROVE: AdjustmentStatus.APPROVED, Decision.DECLINE: AdjustmentStatus.DECLINED}


class AdjustmentAction(models.TextChoices):
    DECIDE = "decide", "Decide"


@dataclass(frozen=True)
class Move:
    allowed_from: frozenset
    to: frozenset
    refused: str


MOVES = {
    AdjustmentAction.DECIDE: Move(
        frozenset({AdjustmentStatus.REQUESTED}),
        frozenset(DECIDES.values()),
        "This request has already been decided.",
    ),
}


def refusal(adjustment, action: AdjustmentAction) -> str | None:
    """Why ACTION cannot be taken on ADJUSTMENT, or None when it can."""
    move = MOVES[action]
    return None if adjustment.status in move.allowed_from else move.refused


def allowed_actions(adjustment, user) -> list[AdjustmentAction]:
    """What USER may do to ADJUSTMENT now: the exams team decides a request waiting."""
    if not is_staff(user):
        return []
    return [action for action in MOVES if refusal(adjustment, action) is None]


def offered(adjustment, user) -> dict[str, bool]:
    """allowed_actions as {action value: True}, for templates: {% if can.decide %}."""
    return {action.value: True for action in allowed_actions(adjustment, user)}
