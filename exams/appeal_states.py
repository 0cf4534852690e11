"""An appeal's statuses (an appeal against a result, or a request to re-mark), what each means
in words, and who may do what: the candidate lodges one on a released result within the exam's
window (exams.booking_states asks `lodging_refusal`), the exams team decides it.

The one place for this vocabulary: the services ask `refusal()` before a change, the pages ask
`allowed_actions()` which links to offer.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from exams.sitting_states import results_visible
from exams.staff import is_staff


class AppealStatus(models.TextChoices):
    LODGED = "lodged", "Lodged"
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


# Waiting for a decision: one at a time per result (a constraint on Appeal).
OPEN = frozenset({AppealStatus.LODGED})
DECIDED = frozenset({AppealStatus.UPHELD, AppealStatus.DISMISSED})


@dataclass(frozen=True)
class AppealWords:
    tag: str  # an NHS.UK tag colour ("": the default tag); the tag always says the label too


WORDS = {
    AppealStatus.LODGED: AppealWords(""),
    AppealStatus.UPHELD: AppealWords(""),
    AppealStatus.DISMISSED: AppealWords(""),
}


def words(appeal) -> AppealWords:
    return WORDS[AppealStatus(appeal.status)]


# --- lodging: on a booking's released result ------------------------------------------------


def appeal_closes(booking) -> datetime.datetime | None:
    """When BOOKING's result may no longer be appealed (None: its result is not out yet)."""
    sitting = booking.sitting
    if not results_visible(sitting):
        return None
    return sitting.released_at + datetime.timedelta(days=sitting.exam.appeal_days)


def lodging_refusal(booking, *, by, now=None) -> str | None:
    """Why BY cannot appeal BOOKING's result now, or None when they can (the service still
    checks the grounds and how many appeals there have been)."""
    if booking.candidate_id != by.pk:
        return "Only the candidate can appeal their result."
    closes = appeal_closes(booking)
    if closes is None or not hasattr(booking, "result"):
        return "You can appeal once your result is released."
    if (now or timezone.now()) > closes:
        return f"Appeals closed on {closes:%-d %B %Y}."
    return None


# --- deciding -----------------------------------------------------------------------------------


class AppealAction(models.TextChoices):
    DECIDE = "decide", "Decide"


@dataclass(frozen=True)
class Move:
    allowed_from: frozenset
    to: frozenset
    refused: str


MOVES = {
    AppealAction.DECIDE: Move(OPEN, DECIDED, "This appeal has been decided already."),
}


def refusal(appeal, action: AppealAction) -> str | None:
    """Why ACTION cannot be taken on APPEAL, or None when it can."""
    move = MOVES[action]
    return None if appeal.status in move.allowed_from else move.refused


def allowed_actions(appeal, user) -> list[AppealAction]:
    """What USER may do to APPEAL now: the exams team decides an open appeal."""
    if not is_staff(user):
        return []
    return [action for action in MOVES if refusal(appeal, action) is None]


def offered(appeal, user) -> dict[str, bool]:
    """allowed_actions as {action value: True}, for templates: {% if can.decide %}."""
    return {action.value: True for action in allowed_actions(appeal, user)}
