"""An application's states: what each means in words, which moves are allowed from each, and
what a user may do now (what happens next, and by when: accreditation.selectors.progress).

The one place for this vocabulary (as credentials.statuses is for a credential). The model's
field takes its choices from here; every step in accreditation/services asks `refusal()`
(through services.guards) before it writes, and the one writer of `state`
(services.moves.move) checks the move again; the pages ask `allowed_actions()` which
buttons to offer, so a page never offers what the step would refuse on the state alone.
The step still refuses, with the reason, what the state cannot tell: a checklist not met, a
fee due, a deadline passed.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned to you"
    COMPLETE = "complete", "Complete, waiting for assessors"
    IN_REVIEW = "in_review", "In review"
    MORE_EVIDENCE = "more_evidence", "More evidence requested"
    RESUBMITTED = "resubmitted", "Resubmitted"
    RECOMMENDED = "recommended", "Recommended, waiting for sign-off"
    MODERATION = "moderation", "Waiting for moderation"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    APPEAL_LODGED = "appeal_lodged", "Appeal lodged"
    APPEAL_DISMISSED = "appeal_dismissed", "Appeal dismissed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AppealOutcome(models.TextChoices):
    DISMISSED = "dismissed", "Dismissed: the decision stands"
    NEW_REVIEW = "new_review", "Upheld: a new review by fresh assessors"
    DECISION_CHANGED = "decision_changed", "Upheld: the decision is changed to approved"


# --- groups -----------------------------------------------------------------------------------
# Tuples, in this order: the one-open-application constraint's migration lists OPEN_STATES.

# Still going: one per applicant and pathway; the applicant may withdraw.
OPEN_STATES = (
    State.DRAFT,
    State.SUBMITTED,
    State.RETURNED,
    State.COMPLETE,
    State.IN_REVIEW,
    State.MORE_EVIDENCE,
    State.RESUBMITTED,
    State.RECOMMENDED,
    State.MODERATION,
)
# A decision has been made (an appeal may still change it).
DECIDED_STATES = (State.APPROVED, State.DECLINED, State.APPEAL_LODGED, State.APPEAL_DISMISSED)
# An assessor or the lead is working in these (their queues, workload).
ACTIVE_REVIEW_STATES = (State.IN_REVIEW, State.RECOMMENDED, State.MODERATION)
# Waiting for a lead assessor: sign-off, moderation or an appeal.
LEAD_STATES = (State.RECOMMENDED, State.MODERATION, State.APPEAL_LODGED)
# Waiting for the faculty office: the completeness check or allocation.
OFFICE_STATES = (State.SUBMITTED, State.COMPLETE, State.RESUBMITTED)
# Waiting for the applicant to act on what they were asked.
APPLICANT_TO_ACT = (State.RETURNED, State.MORE_EVIDENCE)


# --- words ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateWords:
    tag: str  # an NHS.UK tag colour; the tag always says the state's label too
    next_step: str  # what happens next, as the applicant reads it
    subject: str  # the applicant's email when the application arrives here ("" none)
    # The pathway's service level (a field, in working days) the next step is due within.
    due_within: str = ""


WORDS = {
    State.DRAFT: StateWords(
        "grey", "Complete the checklist and submit while a window is open.", ""
    ),
    State.SUBMITTED: StateWords(
        "blue",
        "The faculty checks your application is complete, the fee and any qualification you "
        "declared.",
        "Application submitted",
        "completeness_days",
    ),
    State.RETURNED: StateWords(
        "orange",
        "Complete the checklist and submit while a window is open.",
        "Application returned to you",
    ),
    State.COMPLETE: StateWords(
        "blue",
        "The faculty allocates trained assessors.",
        "Application complete",
        "completeness_days",
    ),
    State.IN_REVIEW: StateWords(
        "blue", "Your assessors review your evidence.", "Application in review", "review_days"
    ),
    State.MORE_EVIDENCE: StateWords(
        # Due by the request's own deadline.
        "orange",
        "Add the evidence asked for, then resubmit.",
        "More evidence requested",
    ),
    State.RESUBMITTED: StateWords(
        "blue",
        "The faculty sends your further evidence back to your assessors.",
        "More evidence received",
        "completeness_days",
    ),
    State.RECOMMENDED: StateWords(
        "purple", "A lead assessor makes the decision.", "", "decision_days"
    ),
    State.MODERATION: StateWords(
        "purple", "A lead assessor makes the decision.", "", "decision_days"
    ),
    State.APPROVED: StateWords(
        "green", "Nothing more: your credential is on the public register.", "Application approved"
    ),
    State.DECLINED: StateWords(
        "red",
        "You can appeal against the decision, or apply again later.",
        "Application declined",
    ),
    State.APPEAL_LODGED: StateWords(
        "yellow",
        "A lead assessor who took no part considers your appeal.",
        "Appeal received",
        "decision_days",
    ),
    State.APPEAL_DISMISSED: StateWords(
        "red",
        "Nothing more: the decision stands. You may apply again in a later window.",
        "Appeal dismissed",
    ),
    State.WITHDRAWN: StateWords(
        "grey",
        "Nothing more: you withdrew this application. You can start a new one.",
        "Application withdrawn",
    ),
}

# The applicant's email when an appeal is decided (an upheld appeal moves the application
# to COMPLETE or APPROVED, whose own subjects would not say why).
APPEAL_SUBJECTS = {
    AppealOutcome.DISMISSED: "Appeal dismissed",
    AppealOutcome.NEW_REVIEW: "Appeal upheld: a new review",
    AppealOutcome.DECISION_CHANGED: "Appeal upheld: approved",
}


def tag(state: str) -> str:
    return WORDS[State(state)].tag


def subject(state: str) -> str:
    return WORDS[State(state)].subject


# --- allowed moves ----------------------------------------------------------------------------


class Who(models.TextChoices):
    APPLICANT = "applicant", "the applicant"
    ADMINISTRATOR = "administrator", "an administrator"
    ASSESSOR = "assessor", "an allocated assessor"
    LEAD_ASSESSOR = "lead_assessor", "a lead assessor"
    SYSTEM = "system", "the portal"


class Action(models.TextChoices):
    """What can be done to an application. The label completes "You cannot ..."."""

    EDIT = "edit", "change the application now"
    ASK_REFERENCE = "ask_reference", "ask for a reference now"
    DECLARE_QUALIFICATION = "declare_qualification", "declare a qualification now"
    SUBMIT = "submit", "submit it"
    RESUBMIT = "resubmit", "resubmit it"
    WITHDRAW = "withdraw", "withdraw it"
    APPEAL = "appeal", "appeal"
    MARK_COMPLETE = "mark_complete", "mark it complete"
    RETURN = "return", "return it"
    ALLOCATE = "allocate", "allocate assessors"
    BEGIN_REVIEW = "begin_review", "send it for review"
    REVIEW = "review", "review it now"
    REVIEWS_IN = "reviews_in", "record the reviews"
    DECIDE = "decide", "decide"
    DECIDE_APPEAL = "decide_appeal", "decide the appeal"


REFUSED = "You cannot {doing}: the application is {state}."


@dataclass(frozen=True)
class Move:
    allowed_from: frozenset
    to: frozenset  # the states it may lead to (empty: the application stays where it is)
    by: Who
    # Where a page offers it, when narrower than allowed_from.
    offered_from: frozenset | None = None
    refused: str = REFUSED

    @property
    def offered(self) -> frozenset:
        return self.allowed_from if self.offered_from is None else self.offered_from


def _states(*states) -> frozenset:
    return frozenset(states)


MOVES = {
    Action.EDIT: Move(_states(State.DRAFT, State.RETURNED), _states(), Who.APPLICANT),
    Action.ASK_REFERENCE: Move(_states(State.DRAFT, State.RETURNED), _states(), Who.APPLICANT),
    # Until the completeness check, where the faculty verifies it.
    Action.DECLARE_QUALIFICATION: Move(
        _states(State.DRAFT, State.RETURNED, State.SUBMITTED), _states(), Who.APPLICANT
    ),
    Action.SUBMIT: Move(
        _states(State.DRAFT, State.RETURNED), _states(State.SUBMITTED), Who.APPLICANT
    ),
    Action.RESUBMIT: Move(_states(State.MORE_EVIDENCE), _states(State.RESUBMITTED), Who.APPLICANT),
    # At any point before a decision.
    Action.WITHDRAW: Move(frozenset(OPEN_STATES), _states(State.WITHDRAWN), Who.APPLICANT),
    # Once, within the pathway's appeal window (allowed_actions checks both).
    Action.APPEAL: Move(_states(State.DECLINED), _states(State.APPEAL_LODGED), Who.APPLICANT),
    Action.MARK_COMPLETE: Move(
        _states(State.SUBMITTED), _states(State.COMPLETE), Who.ADMINISTRATOR
    ),
    Action.RETURN: Move(_states(State.SUBMITTED), _states(State.RETURNED), Who.ADMINISTRATOR),
    # Allocating the last assessor a complete application needs begins its review.
    Action.ALLOCATE: Move(
        _states(State.COMPLETE, State.IN_REVIEW, State.RESUBMITTED),
        _states(),
        Who.ADMINISTRATOR,
        refused="Assessors cannot be allocated while the application is {state}.",
    ),
    # A complete application begins review by itself once allocated; a resubmitted one is
    # sent back to its assessors by an administrator.
    Action.BEGIN_REVIEW: Move(
        _states(State.COMPLETE, State.RESUBMITTED),
        _states(State.IN_REVIEW),
        Who.ADMINISTRATOR,
        offered_from=_states(State.RESUBMITTED),
    ),
    Action.REVIEW: Move(_states(State.IN_REVIEW), _states(), Who.ASSESSOR),
    # The round's last review: the assessors agree (sign-off) or differ (moderation).
    Action.REVIEWS_IN: Move(
        _states(State.IN_REVIEW), _states(State.RECOMMENDED, State.MODERATION), Who.SYSTEM
    ),
    # By a lead assessor; on a pathway without lead sign-off, the assessors' agreed
    # approval or decline stands at once (by the portal).
    Action.DECIDE: Move(
        _states(State.RECOMMENDED, State.MODERATION),
        _states(State.APPROVED, State.DECLINED, State.MORE_EVIDENCE),
        Who.LEAD_ASSESSOR,
    ),
    # Dismissed; upheld with a new review (back to COMPLETE, for fresh assessors); upheld
    # with the decision changed to an approval.
    Action.DECIDE_APPEAL: Move(
        _states(State.APPEAL_LODGED),
        _states(State.APPEAL_DISMISSED, State.COMPLETE, State.APPROVED),
        Who.LEAD_ASSESSOR,
    ),
}


def refusal(state: str, action: Action) -> str | None:
    """Why ACTION cannot be taken from STATE, or None when it can."""
    move = MOVES[action]
    if state in move.allowed_from:
        return None
    return move.refused.format(doing=action.label, state=State(state).label.lower())


def leads_to(action: Action, state: str, to: str) -> bool:
    """Whether ACTION may move an application from STATE to TO."""
    move = MOVES[action]
    return state in move.allowed_from and to in move.to


# --- dates ------------------------------------------------------------------------------------


def appeal_of(application):
    """APPLICATION's appeal or None (no query when the row was selected with it)."""
    try:
        return application.appeal
    except ObjectDoesNotExist:
        return None


def appeal_deadline(application) -> datetime.date | None:
    """The last day on which APPLICATION's decline may be appealed (None: not declined)."""
    if application.state != State.DECLINED or application.decided_at is None:
        return None
    decided = timezone.localtime(application.decided_at).date()
    return decided + datetime.timedelta(days=application.pathway.appeal_days)


# --- what a user may do now -------------------------------------------------------------------


# The role checks are the steps' own (services.guards), imported when asked: the models take
# their states from this module, and the guards need the models.


def _who(application, user) -> set[Who]:
    from accreditation.services import guards

    who = set()
    if application.applicant_id == user.pk:
        who.add(Who.APPLICANT)
    if guards.is_admin(user):
        who.add(Who.ADMINISTRATOR)
    if guards.is_lead(user):
        who.add(Who.LEAD_ASSESSOR)
    return who


def _may(action: Action, application, user) -> bool:
    """What the state alone cannot tell: who this user is to this application (the same
    checks the steps make)."""
    from accreditation.services import guards

    if action == Action.APPEAL:
        deadline = appeal_deadline(application)
        return appeal_of(application) is None and (
            deadline is None or deadline >= timezone.localdate()
        )
    if action == Action.DECIDE:
        # Never one of its own assessors.
        return not guards.assessed(application, user)
    if action == Action.DECIDE_APPEAL:
        # A lead who took no part: neither assessed it nor made its decision.
        return not guards.took_part(application, user)
    if action == Action.REVIEW:
        return guards.cleared_to_review(application, user)
    return True


def allowed_actions(application, user) -> list[Action]:
    """What USER may do to APPLICATION now, in Action's order: what the pages offer."""
    if not getattr(user, "is_authenticated", False):
        return []
    who = _who(application, user)
    actions = []
    for action, move in MOVES.items():
        if application.state not in move.offered:
            continue
        if move.by == Who.ASSESSOR:
            allowed = _may(action, application, user)
        else:
            allowed = move.by in who and _may(action, application, user)
        if allowed:
            actions.append(action)
    return actions


def offered(application, user) -> dict[str, bool]:
    """allowed_actions as {action value: True}, for templates: {% if can.submit %}."""
    return {action.value: True for action in allowed_actions(application, user)}
