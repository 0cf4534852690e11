"""An application's statuses (a booking on a sitting), what each means in words, and what the
candidate may do with it: withdraw, ask for a reasonable adjustment, appeal a released result.

The one place for this vocabulary: the services ask `refusal()` before a change, the pages ask
`allowed_actions()` which links to offer. What a status alone cannot tell (the sitting has
started, the appeal window has closed) is asked here too, so page and service agree.
"""

from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from exams import appeal_states
from exams.sitting_states import SittingStatus


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Place confirmed"
    WAITING = "waiting", "On the waiting list"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A place or a place on the waiting list: one per candidate per sitting (a constraint).
LIVE = (BookingStatus.CONFIRMED, BookingStatus.WAITING)


@dataclass(frozen=True)
class BookingWords:
    tag: str  # an NHS.UK tag colour ("": the default tag); the tag always says the label too
    subject: str  # the candidate's email when the application arrives here ("" none)


WORDS = {
    BookingStatus.CONFIRMED: BookingWords("", "your place is confirmed"),
    BookingStatus.WAITING: BookingWords("", "you are on the waiting list"),
    BookingStatus.WITHDRAWN: BookingWords("", ""),
}
# When a place comes free and the first on the waiting list is given it.
PROMOTED_SUBJECT = "a place came free: your place is confirmed"


def words(booking) -> BookingWords:
    return WORDS[BookingStatus(booking.status)]


class BookingAction(models.TextChoices):
    """What can happen to an application. The label completes "You can ..."."""

    WITHDRAW = "withdraw", "withdraw from this sitting"
    REQUEST_ADJUSTMENT = "request_adjustment", "ask for a reasonable adjustment"
    APPEAL = "appeal", "appeal against your result"
    # By the portal: a place comes free (a withdrawal, or more places).
    CONFIRM = "confirm", "be given a place"


@dataclass(frozen=True)
class Move:
    allowed_from: frozenset
    to: BookingStatus | None  # None: the application stays where it is
    refused: str
    by_candidate: bool = True


MOVES = {
    BookingAction.WITHDRAW: Move(
        frozenset(LIVE), BookingStatus.WITHDRAWN, "This application has already been withdrawn."
    ),
    BookingAction.REQUEST_ADJUSTMENT: Move(
        frozenset(LIVE), None, "Adjustments can be asked for only on a live application."
    ),
    BookingAction.APPEAL: Move(
        frozenset({BookingStatus.CONFIRMED}),
        None,
        "You can appeal once your result is released.",
    ),
    BookingAction.CONFIRM: Move(
        frozenset({BookingStatus.WAITING}),
        BookingStatus.CONFIRMED,
        "Only an application on the waiting list can be given a place.",
        by_candidate=False,
    ),
}
WITHDRAW_BEFORE_START = "Applications can be withdrawn only before the sitting starts."


def refusal(booking, action: BookingAction, *, by=None, today=None, now=None) -> str | None:
    """Why ACTION cannot be taken on BOOKING (by BY), or None when it can. Asks the sitting
    too: withdrawals and adjustments only while it is scheduled, withdrawals before it
    starts, appeals on a released result within the window (exams.appeal_states)."""
    move = MOVES[action]
    if booking.status not in move.allowed_from:
        return move.refused
    sitting = booking.sitting
    if action == BookingAction.WITHDRAW and (
        sitting.status != SittingStatus.SCHEDULED
        or sitting.starts_on <= (today or timezone.localdate())
    ):
        return WITHDRAW_BEFORE_START
    if action == BookingAction.REQUEST_ADJUSTMENT and sitting.status != SittingStatus.SCHEDULED:
        return move.refused
    if action == BookingAction.APPEAL and by is not None:
        return appeal_states.lodging_refusal(booking, by=by, now=now)
    return None


def allowed_actions(booking, user) -> list[BookingAction]:
    """What USER may do with BOOKING now: its candidate, never anyone else (the exams team
    works on the sitting instead)."""
    if not getattr(user, "is_authenticated", False) or booking.candidate_id != user.pk:
        return []
    return [
        action
        for action, move in MOVES.items()
        if move.by_candidate and refusal(booking, action, by=user) is None
    ]


def offered(booking, user) -> dict[str, bool]:
    """allowed_actions as {action value: True}, for templates: {% if can.withdraw %}."""
    return {action.value: True for action in allowed_actions(booking, user)}
