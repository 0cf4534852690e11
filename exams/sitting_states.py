"""A sitting's statuses: what each means in words, and what may be done to a sitting in each.

The one place for this vocabulary (as credentials.statuses is for a credential). The model's
field takes its choices from here; every service in exams/services asks `refusal()` before it
changes a sitting, and the pages ask `allowed_actions()` which buttons and links to offer, so a
page never offers what the service would refuse. The results run left to right: imported,
standard set, ratified, released.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format

from exams.staff import is_staff


class SittingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    RESULTS_IMPORTED = "results_imported", "Results imported"
    STANDARD_SET = "standard_set", "Standard set"
    RATIFIED = "ratified", "Ratified"
    RELEASED = "released", "Results released"
    CANCELLED = "cancelled", "Cancelled"


# --- groups -----------------------------------------------------------------------------------

# Before any result: places and dates may change, and the sitting may be cancelled.
BEFORE_RESULTS = frozenset({SittingStatus.DRAFT, SittingStatus.SCHEDULED})
# Marks may be imported (again) until the standard is set.
IMPORTABLE = frozenset({SittingStatus.SCHEDULED, SittingStatus.RESULTS_IMPORTED})
# The standard may be set (again), and questions excluded, until the results are ratified.
STANDARD_SETTABLE = frozenset({SittingStatus.RESULTS_IMPORTED, SittingStatus.STANDARD_SET})


# --- words ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SittingWords:
    tag: str  # an NHS.UK tag colour ("": the default tag); the tag always says the label too
    next_step: str  # what happens next, on the sitting's page ("" nothing to say)


WORDS = {
    SittingStatus.DRAFT: SittingWords("", ""),
    SittingStatus.SCHEDULED: SittingWords(
        "",
        "Once the sitting has been held, close its online papers and OSCE circuits, or import "
        "results from a file.",
    ),
    SittingStatus.RESULTS_IMPORTED: SittingWords("", "Set the standard next."),
    SittingStatus.STANDARD_SET: SittingWords(
        "",
        "Another member of faculty staff (not the one who set the standard) ratifies the results.",
    ),
    SittingStatus.RATIFIED: SittingWords(
        "",
        "Releasing shows each candidate their result and letter, and awards the credential "
        "for each pass.",
    ),
    SittingStatus.RELEASED: SittingWords("", "Results are released."),
    SittingStatus.CANCELLED: SittingWords("", ""),
}


def words(sitting) -> SittingWords:
    return WORDS[SittingStatus(sitting.status)]


def next_step(sitting) -> str:
    """What happens next to SITTING, in a sentence ("" when there is nothing to say)."""
    if sitting.status == SittingStatus.RELEASED and sitting.released_at:
        visible = date_format(timezone.localtime(sitting.released_at), "j M Y H:i")
        return f"Results are released (visible to candidates from {visible})."
    return words(sitting).next_step


def results_visible(sitting, now: datetime.datetime | None = None) -> bool:
    """Whether candidates may see the sitting's results (released, and the time has come)."""
    now = now or timezone.now()
    return (
        sitting.status == SittingStatus.RELEASED
        and sitting.released_at is not None
        and sitting.released_at <= now
    )


# --- allowed moves ----------------------------------------------------------------------------


class SittingAction(models.TextChoices):
    """What the exams team can do to a sitting; the label is the button's."""

    SCHEDULE = "schedule", "Schedule this sitting"
    CANCEL = "cancel", "Cancel this sitting"
    CHANGE_PLACES = "change_places", "Change the number of places"
    CHANGE_DATES = "change_dates", "Change the dates"
    IMPORT_RESULTS = "import_results", "Import results"
    SAVE_JUDGEMENTS = "save_judgements", "Save Angoff judgements"
    SET_STANDARD = "set_standard", "Set the standard"
    EXCLUDE_QUESTIONS = "exclude_questions", "Exclude or restore questions"
    RATIFY = "ratify", "Ratify results"
    RELEASE = "release", "Release results"
    SET_UP_DELIVERY = "set_up_delivery", "Set up papers and OSCE circuits"
    COLLECT_RESULTS = "collect_results", "Collect the results of the papers and circuits sat here"


@dataclass(frozen=True)
class Move:
    allowed_from: frozenset
    to: SittingStatus | None  # None: the sitting stays where it is
    refused: str  # why not from any other status; {status} is the sitting's, in words


MOVES = {
    SittingAction.SCHEDULE: Move(
        frozenset({SittingStatus.DRAFT}),
        SittingStatus.SCHEDULED,
        "Only a draft sitting can be scheduled.",
    ),
    SittingAction.CANCEL: Move(
        BEFORE_RESULTS, SittingStatus.CANCELLED, "A sitting with results cannot be cancelled."
    ),
    # More places go to the waiting list at once (exams.services.sittings).
    SittingAction.CHANGE_PLACES: Move(
        BEFORE_RESULTS, None, "Places can change only before results are imported."
    ),
    SittingAction.CHANGE_DATES: Move(
        BEFORE_RESULTS, None, "Dates can change only before results are imported."
    ),
    # An answer key leaves the sitting where it is; the first marks move it on.
    SittingAction.IMPORT_RESULTS: Move(
        IMPORTABLE,
        SittingStatus.RESULTS_IMPORTED,
        "Results can be imported only until the standard is set (this sitting is: {status}).",
    ),
    SittingAction.SAVE_JUDGEMENTS: Move(
        IMPORTABLE | STANDARD_SETTABLE,
        None,
        "Judgements can change only before the results are ratified.",
    ),
    SittingAction.SET_STANDARD: Move(
        STANDARD_SETTABLE,
        SittingStatus.STANDARD_SET,
        "The standard can be set only after results are imported and before they are "
        "ratified (this sitting is: {status}).",
    ),
    # Results already computed are scored again.
    SittingAction.EXCLUDE_QUESTIONS: Move(
        STANDARD_SETTABLE, None, "Items can be excluded only before the results are ratified."
    ),
    # By a second administrator: not the one who set the standard.
    SittingAction.RATIFY: Move(
        frozenset({SittingStatus.STANDARD_SET}),
        SittingStatus.RATIFIED,
        "Only results whose standard is set can be ratified.",
    ),
    SittingAction.RELEASE: Move(
        frozenset({SittingStatus.RATIFIED}),
        SittingStatus.RELEASED,
        "Only ratified results can be released.",
    ),
}
# Exams delivered here: papers and circuits are set up on a scheduled sitting, and when every
# one of them is closed their marks move the sitting on, as an import would.
MOVES[SittingAction.SET_UP_DELIVERY] = Move(
    frozenset({SittingStatus.SCHEDULED}),
    None,
    "Papers and circuits are set up on a scheduled sitting (this sitting is: {status}).",
)
MOVES[SittingAction.COLLECT_RESULTS] = Move(
    frozenset({SittingStatus.SCHEDULED}),
    SittingStatus.RESULTS_IMPORTED,
    "Results are collected from a scheduled sitting (this sitting is: {status}).",
)
SECOND_ADMINISTRATOR = "A second administrator must ratify: you set the standard."
NOT_STARTED = "Results can be imported once the sitting has started."


def refusal(sitting, action: SittingAction, *, by=None, today=None) -> str | None:
    """Why ACTION cannot be done to SITTING (by BY, when it matters who), or None when it can.

    The status first; then what the status cannot tell: results are imported once the sitting
    has started, and ratified by someone other than whoever set the standard."""
    move = MOVES[action]
    if sitting.status not in move.allowed_from:
        return move.refused.format(status=SittingStatus(sitting.status).label)
    if action == SittingAction.IMPORT_RESULTS and sitting.starts_on > (
        today or timezone.localdate()
    ):
        return NOT_STARTED
    if action == SittingAction.RATIFY and by is not None and sitting.standard_set_by_id == by.pk:
        return SECOND_ADMINISTRATOR
    return None


def leads_to(action: SittingAction, status: str, to: str) -> bool:
    """Whether ACTION may move a sitting from STATUS to TO."""
    move = MOVES[action]
    return status in move.allowed_from and move.to == to


# Moves the portal makes itself (closing the last paper or circuit collects the results):
# never offered as a button.
AUTOMATIC = frozenset({SittingAction.COLLECT_RESULTS})


def allowed_actions(sitting, user) -> list[SittingAction]:
    """What USER may do to SITTING now, in SittingAction's order: what the pages offer."""
    if not is_staff(user):
        return []
    return [
        action
        for action in MOVES
        if action not in AUTOMATIC and refusal(sitting, action, by=user) is None
    ]


def offered(sitting, user) -> dict[str, bool]:
    """allowed_actions as {action value: True}, for templates: {% if can.ratify %}."""
    return {action.value: True for action in allowed_actions(sitting, user)}
