"""accreditation.states: every state has its words and its place in the groups, every move
is refused from other states with the reason, the one writer of `state` refuses a move the
table does not hold, and allowed_actions offers each person only what they may do now."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation import states
from accreditation.errors import AccreditationError
from accreditation.models import ApplicationEvent, Outcome
from accreditation.services import allocation, transitions
from accreditation.services.moves import move
from accreditation.states import (
    DECIDED_STATES,
    MOVES,
    OPEN_STATES,
    WORDS,
    Action,
    State,
    allowed_actions,
    refusal,
)
from portal.models import AuditEvent
from portal.roles import Role
from tests.accreditation import builders
from tests.factories import make_persona

TAG_COLOURS = {"grey", "blue", "orange", "purple", "green", "red", "yellow"}


# --- the table --------------------------------------------------------------------------------


def test_every_state_is_open_withdrawn_or_decided_and_has_its_words():
    assert set(OPEN_STATES) | set(DECIDED_STATES) | {State.WITHDRAWN} == set(State)
    assert not set(OPEN_STATES) & set(DECIDED_STATES)
    assert set(WORDS) == set(State)
    for state, words in WORDS.items():
        assert words.tag in TAG_COLOURS, state
        assert words.next_step.endswith("."), state


def test_every_state_but_draft_can_be_reached_and_every_move_names_real_states():
    reached = {to for move in MOVES.values() for to in move.to}
    assert reached == set(State) - {State.DRAFT}
    for move_ in MOVES.values():
        assert move_.allowed_from and move_.allowed_from <= set(State)
        assert move_.offered <= move_.allowed_from


@pytest.mark.parametrize(
    ("state", "action", "reason"),
    [
        (State.DRAFT, Action.DECIDE, "You cannot decide: the application is draft."),
        (
            State.APPROVED,
            Action.WITHDRAW,
            "You cannot withdraw it: the application is approved.",
        ),
        (
            State.SUBMITTED,
            Action.SUBMIT,
            "You cannot submit it: the application is submitted.",
        ),
        (
            State.DRAFT,
            Action.ALLOCATE,
            "Assessors cannot be allocated while the application is draft.",
        ),
        (
            State.IN_REVIEW,
            Action.DECIDE_APPEAL,
            "You cannot decide the appeal: the application is in review.",
        ),
    ],
)
def test_a_move_from_another_state_is_refused_with_the_reason(state, action, reason):
    assert refusal(state, action) == reason


def test_an_allowed_move_has_no_refusal():
    assert refusal(State.DRAFT, Action.SUBMIT) is None
    assert refusal(State.APPEAL_LODGED, Action.DECIDE_APPEAL) is None
    assert all(refusal(state, Action.WITHDRAW) is None for state in OPEN_STATES)


def test_the_one_writer_refuses_a_move_the_table_does_not_hold(db, pathway, ready):
    application = builders.draft(pathway, ready)
    events = ApplicationEvent.objects.count()
    audits = AuditEvent.objects.count()
    # From the wrong state: refused with the reason.
    with pytest.raises(AccreditationError, match="cannot decide: the application is draft"):
        move(application, State.APPROVED, by_action=Action.DECIDE, audit="approved")
    # To a state the step never leads to: a programming error, loudly.
    with pytest.raises(ValueError, match="never moves"):
        move(application, State.APPROVED, by_action=Action.SUBMIT, audit="submitted")
    application.refresh_from_db()
    assert application.state == State.DRAFT
    assert ApplicationEvent.objects.count() == events
    assert AuditEvent.objects.count() == audits


# --- what each person may do now --------------------------------------------------------------


@pytest.fixture
def other_lead(db):
    return make_persona(Role.LEAD_ASSESSOR, mfa=True)


def test_a_draft_is_the_applicants_alone_to_act_on(
    pathway, ready, faculty_staff, lead_assessor, outsider
):
    application = builders.draft(pathway, ready)
    assert allowed_actions(application, ready) == [
        Action.EDIT,
        Action.ASK_REFERENCE,
        Action.DECLARE_QUALIFICATION,
        Action.SUBMIT,
        Action.WITHDRAW,
    ]
    for user in (faculty_staff, lead_assessor, outsider):
        assert allowed_actions(application, user) == []
    from django.contrib.auth.models import AnonymousUser

    assert allowed_actions(application, AnonymousUser()) == []


def test_a_submitted_application_is_checked_by_an_administrator(
    pathway, ready, faculty_staff, lead_assessor
):
    application = builders.submitted(pathway, ready)
    assert allowed_actions(application, faculty_staff) == [
        Action.MARK_COMPLETE,
        Action.RETURN,
    ]
    assert allowed_actions(application, ready) == [Action.DECLARE_QUALIFICATION, Action.WITHDRAW]
    assert allowed_actions(application, lead_assessor) == []


def test_a_complete_application_is_allocated_and_begins_review_by_itself(
    pathway, ready, faculty_staff
):
    application = builders.submitted(pathway, ready)
    builders.paid_and_complete(application, faculty_staff)
    application.refresh_from_db()
    # Sending it for review is allowed (allocation does it) but not offered as a button.
    assert refusal(State.COMPLETE, Action.BEGIN_REVIEW) is None
    assert allowed_actions(application, faculty_staff) == [Action.ALLOCATE]


def test_only_an_allocated_assessor_who_declared_no_conflict_may_review(
    pathway, ready, faculty_staff, assessors, lead_assessor
):
    application = builders.submitted(pathway, ready)
    builders.paid_and_complete(application, faculty_staff)
    for assessor in assessors:
        allocation.allocate(application=application, assessor=assessor, by=faculty_staff)
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW
    assert allowed_actions(application, assessors[0]) == []  # no declaration yet
    allocation.declare_no_conflict(application=application, assessor=assessors[0])
    assert allowed_actions(application, assessors[0]) == [Action.REVIEW]
    assert allowed_actions(application, lead_assessor) == []
    assert allowed_actions(application, faculty_staff) == [Action.ALLOCATE]
    assert allowed_actions(application, ready) == [Action.WITHDRAW]


def test_a_lead_decides_unless_they_assessed_it(pathway, ready, faculty_staff, lead_assessor):
    assessing_lead = builders.trained_assessor(pathway, role=Role.LEAD_ASSESSOR)
    assessors = [assessing_lead, builders.trained_assessor(pathway)]
    application = builders.recommended(pathway, ready, faculty_staff, assessors)
    assert allowed_actions(application, lead_assessor) == [Action.DECIDE]
    assert allowed_actions(application, assessing_lead) == []
    assert allowed_actions(application, assessors[1]) == []


@pytest.fixture
def declined(pathway, ready, faculty_staff, assessors, lead_assessor):
    application = builders.recommended(pathway, ready, faculty_staff, assessors, "decline")
    transitions.decide(
        application=application,
        by=lead_assessor,
        outcome=Outcome.DECLINED,
        reasons="Not yet independent.",
        capability_reasons={"CAP1": "No MDT case."},
    )
    application.refresh_from_db()
    return application


def test_the_applicant_may_appeal_once_within_the_window(client, declined, ready):
    assert allowed_actions(declined, ready) == [Action.APPEAL]
    client.force_login(ready)
    page = client.get(reverse("accreditation:application", args=[declined.pk])).content.decode()
    assert "Appeal the decision" in page
    # The day after the window closes the page no longer offers it, and says so.
    type(declined).objects.filter(pk=declined.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=declined.pathway.appeal_days + 1)
    )
    declined.refresh_from_db()
    assert allowed_actions(declined, ready) == []
    page = client.get(reverse("accreditation:application", args=[declined.pk])).content.decode()
    assert "Appeal the decision" not in page
    assert "the time to appeal has passed" in page
    appeal_page = reverse("accreditation:application_appeal", args=[declined.pk])
    assert client.get(appeal_page).status_code == 404


def test_an_appeal_is_offered_to_a_lead_who_took_no_part(
    declined, ready, lead_assessor, other_lead, assessors
):
    transitions.lodge_appeal(application=declined, by=ready, grounds="The log was missed.")
    declined.refresh_from_db()
    assert allowed_actions(declined, ready) == []
    assert allowed_actions(declined, other_lead) == [Action.DECIDE_APPEAL]
    assert allowed_actions(declined, lead_assessor) == []  # made the decision


def test_the_manage_page_offers_the_completeness_check_only_when_submitted(
    client, pathway, ready, faculty_staff
):
    application = builders.submitted(pathway, ready)
    client.force_login(faculty_staff)
    url = reverse("accreditation:manage_application", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Mark complete" in page and "Return to the applicant" in page
    assert "Send back to the assessors" not in page
    builders.paid_and_complete(application, faculty_staff)
    page = client.get(url).content.decode()
    assert "Mark complete" not in page and "Completeness check" not in page


def test_the_words_are_the_states_own(pathway, ready):
    application = builders.draft(pathway, ready)
    assert states.tag(application.state) == "grey"
    assert states.subject(State.SUBMITTED) == "Application submitted"
