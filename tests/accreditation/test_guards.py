"""Every step tried from every state it does not start from: refused with the reason, and
nothing changed (state, timeline, rounds, reviews, decisions, appeals, audit trail)."""

import datetime

import pytest
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    OPEN_STATES,
    Appeal,
    AppealOutcome,
    ApplicationEvent,
    Decision,
    Outcome,
    Review,
    ReviewRound,
    State,
)
from accreditation.services import allocation, transitions
from portal.models import AuditEvent
from portal.roles import Role
from tests.accreditation import builders
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


def _reach(state, pathway, applicant, admin, assessors, lead):
    b = builders
    if state == State.DRAFT:
        return b.draft(pathway, applicant)
    if state == State.SUBMITTED:
        return b.submitted(pathway, applicant)
    if state == State.RETURNED:
        app = b.submitted(pathway, applicant)
        return transitions.return_application(application=app, by=admin, reasons="Sign it")
    if state == State.COMPLETE:
        app = b.submitted(pathway, applicant)
        return b.paid_and_complete(app, admin)
    if state == State.WITHDRAWN:
        return transitions.withdraw_application(
            application=b.draft(pathway, applicant), by=applicant
        )
    if state == State.IN_REVIEW:
        return b.in_review(pathway, applicant, admin, assessors)
    if state == State.MODERATION:
        app = b.in_review(pathway, applicant, admin, assessors)
        b.review(app, assessors[0], "approve")
        b.review(app, assessors[1], "decline", "not_yet_met")
        app.refresh_from_db()
        return app
    if state == State.RECOMMENDED:
        return b.recommended(pathway, applicant, admin, assessors)
    if state == State.APPROVED:
        return b.approve(b.recommended(pathway, applicant, admin, assessors), lead)
    more = dict(
        outcome=Outcome.MORE_EVIDENCE,
        reasons="More",
        capabilities=["CAP1"],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    if state in (State.MORE_EVIDENCE, State.RESUBMITTED):
        app = b.recommended(pathway, applicant, admin, assessors, "more_evidence")
        app = transitions.decide(application=app, by=lead, **more)
        if state == State.RESUBMITTED:
            b.new_evidence(pathway, applicant, "CAP1")
            app = transitions.resubmit_application(application=app, by=applicant)
        return app
    app = b.recommended(pathway, applicant, admin, assessors, "decline")
    app = transitions.decide(
        application=app,
        by=lead,
        outcome=Outcome.DECLINED,
        reasons="No",
        capability_reasons={"CAP1": "Too few"},
    )
    if state == State.DECLINED:
        return app
    app = transitions.lodge_appeal(application=app, by=applicant, grounds="Look again")
    if state == State.APPEAL_LODGED:
        return app
    other = make_persona(Role.LEAD_ASSESSOR, mfa=True)
    return transitions.decide_appeal(
        application=app, by=other, outcome=AppealOutcome.DISMISSED, reasons="Done"
    )


def _steps(applicant, admin, assessors, lead):
    """(name, states it may start from, call)."""
    more = dict(
        outcome=Outcome.MORE_EVIDENCE,
        reasons="More",
        capabilities=["CAP1"],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    other_lead = make_persona(Role.LEAD_ASSESSOR, mfa=True)
    return [
        (
            "submit",
            {State.DRAFT, State.RETURNED},
            lambda a: transitions.submit_application(application=a, by=applicant),
        ),
        (
            "resubmit",
            {State.MORE_EVIDENCE},
            lambda a: transitions.resubmit_application(application=a, by=applicant),
        ),
        (
            "withdraw",
            set(OPEN_STATES),
            lambda a: transitions.withdraw_application(application=a, by=applicant),
        ),
        (
            "appeal",
            {State.DECLINED},
            lambda a: transitions.lodge_appeal(application=a, by=applicant, grounds="Again"),
        ),
        (
            "complete",
            {State.SUBMITTED},
            lambda a: transitions.mark_complete(application=a, by=admin),
        ),
        (
            "return",
            {State.SUBMITTED},
            lambda a: transitions.return_application(application=a, by=admin, reasons="x"),
        ),
        (
            "begin review",
            {State.COMPLETE, State.RESUBMITTED},
            lambda a: transitions.begin_review(application=a, by=admin),
        ),
        (
            "approve",
            {State.RECOMMENDED, State.MODERATION},
            lambda a: transitions.decide(application=a, by=lead, outcome=Outcome.APPROVED),
        ),
        (
            "ask for more",
            {State.RECOMMENDED, State.MODERATION},
            lambda a: transitions.decide(application=a, by=lead, **more),
        ),
        (
            "decide appeal",
            {State.APPEAL_LODGED},
            lambda a: transitions.decide_appeal(
                application=a, by=other_lead, outcome=AppealOutcome.DISMISSED, reasons="No"
            ),
        ),
        ("review", {State.IN_REVIEW}, lambda a: builders.review(a, assessors[0])),
        (
            "allocate",
            {State.COMPLETE, State.IN_REVIEW, State.RESUBMITTED},
            lambda a: allocation.allocate(application=a, assessor=assessors[2], by=admin),
        ),
    ]


def _frozen(application):
    application.refresh_from_db()
    return (
        application.state,
        application.state_changed_at,
        ApplicationEvent.objects.count(),
        ReviewRound.objects.count(),
        Review.objects.count(),
        Decision.objects.count(),
        Appeal.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("state", list(State))
def test_every_step_from_a_state_it_does_not_start_from_is_refused(
    state, pathway, ready, faculty_staff, lead_assessor
):
    assessors = [builders.trained_assessor(pathway) for _ in range(3)]
    application = _reach(state, pathway, ready, faculty_staff, assessors[:2], lead_assessor)
    application.refresh_from_db()
    assert application.state == state
    refused = 0
    for name, allowed, step in _steps(ready, faculty_staff, assessors, lead_assessor):
        if state in allowed:
            continue
        before = _frozen(application)
        with pytest.raises(AccreditationError) as refusal:
            step(application)
        assert refusal.value.message, name
        assert _frozen(application) == before, name
        refused += 1
    assert refused >= 5
