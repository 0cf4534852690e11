"""Accreditation under real concurrency on PostgreSQL: one submission, one decision per round,
no lost review."""

import pytest
from django.db import IntegrityError, transaction

from accreditation.errors import AccreditationError
from accreditation.models import Decision, Outcome, ReviewRound, State
from accreditation.services import transitions
from portal.models import AuditEvent
from portal.roles import Role
from tests.accreditation import builders
from tests.factories import make_persona
from tests.postgres.test_credential_races import _run_in_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting():
    from portal.roles import ensure_roles

    ensure_roles()
    pathway = builders.make_pathway()
    applicant = builders.ready_applicant(pathway, make_persona(Role.APPLICANT))
    admin = make_persona(Role.FACULTY_STAFF, mfa=True)
    assessors = [builders.trained_assessor(pathway) for _ in range(2)]
    return pathway, applicant, admin, assessors


def test_eight_submissions_at_once_make_one_submission(setting):
    pathway, applicant, _, _ = setting
    application = builders.draft(pathway, applicant)
    errors = _run_in_threads(
        lambda n: transitions.submit_application(application=application, by=applicant), 8
    )
    assert len(errors) == 7 and all(isinstance(e, AccreditationError) for e in errors), errors
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert ReviewRound.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(action="accreditation.submitted").count() == 1


def test_two_assessors_submitting_at_once_lose_no_review(setting):
    pathway, applicant, admin, assessors = setting
    application = builders.in_review(pathway, applicant, admin, assessors)
    recommendations = ["approve", "decline"]
    errors = _run_in_threads(
        lambda n: builders.review(application, assessors[n], recommendations[n]), 2
    )
    assert errors == []
    application.refresh_from_db()
    assert application.state == State.MODERATION
    assert application.rounds.get().reviews.count() == 2
    assert AuditEvent.objects.filter(action="accreditation.reviews_in").count() == 1


def test_two_lead_assessors_deciding_at_once_make_one_decision(setting):
    pathway, applicant, admin, assessors = setting
    application = builders.recommended(pathway, applicant, admin, assessors)
    leads = [make_persona(Role.LEAD_ASSESSOR, mfa=True) for _ in range(2)]

    def decide(n):
        if n == 0:
            transitions.decide(application=application, by=leads[0], outcome=Outcome.APPROVED)
        else:
            transitions.decide(
                application=application,
                by=leads[1],
                outcome=Outcome.DECLINED,
                reasons="Not yet",
                capability_reasons={"CAP1": "Too few cases"},
            )

    errors = _run_in_threads(decide, 2)
    assert len(errors) == 1 and isinstance(errors[0], AccreditationError), errors
    assert "cannot decide" in errors[0].message
    application.refresh_from_db()
    assert application.state in (State.APPROVED, State.DECLINED)
    assert Decision.objects.count() == 1
    decided = AuditEvent.objects.filter(
        action__in=["accreditation.approved", "accreditation.declined"]
    )
    assert decided.count() == 1


def test_the_database_allows_one_decision_per_round(setting):
    pathway, applicant, admin, assessors = setting
    application = builders.recommended(pathway, applicant, admin, assessors)
    current = application.rounds.get()
    Decision.objects.create(round=current, outcome=Outcome.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(round=current, outcome=Outcome.DECLINED)
    assert Decision.objects.count() == 1
