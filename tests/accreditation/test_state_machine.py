"""The application's state machine: each step moves only from its own states, refuses every
other move with a reason, and leaves the data unchanged when it refuses."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    Appeal,
    AppealOutcome,
    Application,
    ApplicationEvent,
    Decision,
    FeeStatus,
    Outcome,
    ReviewRound,
    State,
)
from accreditation.services import allocation, fees, transitions
from credentials import api as credentials_api
from portal.models import AuditEvent
from portfolio.models import EvidenceItem
from tests.accreditation import builders

pytestmark = pytest.mark.django_db


def _frozen(application):
    """Everything a refused step must leave alone."""
    application.refresh_from_db()
    return (
        application.state,
        application.state_changed_at,
        ApplicationEvent.objects.count(),
        ReviewRound.objects.count(),
        Decision.objects.count(),
        AuditEvent.objects.filter(action__startswith="accreditation.").count(),
    )


def _refused(application, step, match=None, **kwargs):
    before = _frozen(application)
    with pytest.raises(AccreditationError, match=match):
        step(application=application, **kwargs)
    assert _frozen(application) == before


def test_the_whole_way_to_approval_awards_the_credential_once(
    pathway, ready, faculty_staff, assessors, lead_assessor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = builders.recommended(pathway, ready, faculty_staff, assessors)
        assert application.state == State.RECOMMENDED
        builders.approve(application, lead_assessor)
    application.refresh_from_db()
    assert application.state == State.APPROVED
    source = credentials_api.Source("accreditation.application", application.pk)
    credential = credentials_api.credential_for_source(source)
    assert credential.holder == ready and credential.kind_id == "gpwer_msk"
    states = list(application.events.values_list("to_state", flat=True))
    assert states == ["draft", "submitted", "complete", "in_review", "recommended", "approved"]
    subjects = [m.subject for m in mail.outbox if ready.email in m.to]
    assert any("Application approved" in s for s in subjects)
    assert any("Application submitted" in s for s in subjects)


def test_submission_freezes_the_evidence_and_locks_the_items(pathway, ready):
    application = builders.submitted(pathway, ready)
    snapshot_round = application.rounds.get()
    titles = sorted(item["title"] for item in snapshot_round.items)
    assert titles == ["Case for CAP1", "Case for CAP2"]
    assert snapshot_round.snapshot["reference"]["supervisor_name"] == "Dr Sup"
    assert not EvidenceItem.objects.filter(owner=ready, locked_at__isnull=True).exists()
    # Changing the live item (as staff could) leaves the snapshot as it was.
    EvidenceItem.objects.filter(owner=ready).update(title="Changed")
    snapshot_round.refresh_from_db()
    assert sorted(item["title"] for item in snapshot_round.items) == titles


def test_approving_a_draft_is_refused(pathway, ready, lead_assessor):
    application = builders.draft(pathway, ready)
    _refused(application, transitions.decide, "draft", by=lead_assessor, outcome=Outcome.APPROVED)


def test_submitting_outside_a_window_is_refused(applicant):
    pathway = builders.make_pathway(window=False, code="closed")
    user = builders.ready_applicant(pathway, applicant)
    application = builders.draft(pathway, user)
    _refused(application, transitions.submit_application, "window", by=user)


def test_submitting_without_the_supervisors_reference_is_refused(pathway, applicant):
    builders.ready_applicant(pathway, applicant)
    application = builders.draft(pathway, applicant, reference=False)
    _refused(application, transitions.submit_application, "structured reference", by=applicant)


def test_submitting_without_the_diploma_is_refused(pathway, applicant):
    builders.ready_applicant(pathway, applicant)
    from credentials.models import Credential

    Credential.objects.filter(holder=applicant).delete()
    application = builders.draft(pathway, applicant)
    _refused(application, transitions.submit_application, "Diploma", by=applicant)


def test_someone_else_cannot_submit(pathway, ready, outsider):
    application = builders.draft(pathway, ready)
    _refused(application, transitions.submit_application, "Only the applicant", by=outsider)


def test_submitting_twice_is_refused(pathway, ready):
    application = builders.submitted(pathway, ready)
    _refused(application, transitions.submit_application, "submitted", by=ready)


def test_a_second_open_application_for_the_pathway_is_refused(pathway, ready):
    builders.draft(pathway, ready)
    with pytest.raises(AccreditationError, match="already have"):
        builders.draft(pathway, ready)
    assert Application.objects.count() == 1


def test_only_administrators_check_completeness(pathway, ready, assessors):
    application = builders.submitted(pathway, ready)
    _refused(application, transitions.mark_complete, "administrator", by=assessors[0])
    _refused(
        application, transitions.return_application, "administrator", by=assessors[0], reasons="x"
    )


def test_returned_with_reasons_then_submitted_again(pathway, ready, faculty_staff):
    application = builders.submitted(pathway, ready)
    _refused(application, transitions.return_application, "reasons", by=faculty_staff, reasons=" ")
    transitions.return_application(
        application=application, by=faculty_staff, reasons="Sign the reference"
    )
    application.refresh_from_db()
    assert (
        application.state == State.RETURNED and application.returned_reasons == "Sign the reference"
    )
    transitions.submit_application(application=application, by=ready)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.rounds.count() == 2


def test_review_without_declaring_no_conflict_is_refused(pathway, ready, faculty_staff, assessors):
    application = builders.submitted(pathway, ready)
    builders.paid_and_complete(application, faculty_staff)
    for assessor in assessors:
        allocation.allocate(application=application, assessor=assessor, by=faculty_staff)
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW
    with pytest.raises(AccreditationError, match="conflict"):
        builders.review(application, assessors[0])
    assert not application.rounds.get().reviews.exists()


def test_a_third_review_is_refused(pathway, ready, faculty_staff, assessors):
    application = builders.in_review(pathway, ready, faculty_staff, assessors)
    builders.review(application, assessors[0])
    with pytest.raises(AccreditationError, match="already reviewed"):
        builders.review(application, assessors[0])
    builders.review(application, assessors[1])
    third = builders.trained_assessor(pathway)
    with pytest.raises(AccreditationError):
        allocation.allocate(application=application, assessor=third, by=faculty_staff)
    with pytest.raises(AccreditationError, match="not allocated"):
        builders.review(application, third)
    assert application.rounds.get().reviews.count() == 2


def test_disagreement_goes_to_moderation(pathway, ready, faculty_staff, assessors, lead_assessor):
    application = builders.in_review(pathway, ready, faculty_staff, assessors)
    builders.review(application, assessors[0], "approve")
    builders.review(application, assessors[1], "decline", "not_yet_met")
    application.refresh_from_db()
    assert application.state == State.MODERATION
    _refused(
        application,
        transitions.decide,
        "by capability",
        by=lead_assessor,
        outcome=Outcome.DECLINED,
        reasons="Not yet",
        capability_reasons={},
    )
    transitions.decide(
        application=application,
        by=lead_assessor,
        outcome=Outcome.DECLINED,
        reasons="Not yet",
        capability_reasons={"CAP1": "Too few cases", "NOPE": "x"},
    )
    decision = Decision.objects.get()
    assert decision.moderated and decision.capability_reasons == {"CAP1": "Too few cases"}
    application.refresh_from_db()
    assert application.state == State.DECLINED


def test_an_assessor_cannot_decide_even_as_lead(
    pathway, ready, faculty_staff, lead_assessor, assessors
):
    from accreditation.models import AssessorTraining

    AssessorTraining.objects.create(assessor=lead_assessor, pathway=pathway)
    application = builders.recommended(pathway, ready, faculty_staff, [assessors[0], lead_assessor])
    _refused(
        application, transitions.decide, "another lead", by=lead_assessor, outcome=Outcome.APPROVED
    )
    _refused(
        application, transitions.decide, "lead assessor", by=assessors[1], outcome=Outcome.APPROVED
    )


def test_more_evidence_then_resubmitted_makes_a_new_round(
    pathway, ready, faculty_staff, assessors, lead_assessor
):
    application = builders.recommended(pathway, ready, faculty_staff, assessors, "more_evidence")
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    _refused(
        application,
        transitions.decide,
        "capabilities",
        by=lead_assessor,
        outcome=Outcome.MORE_EVIDENCE,
        reasons="More",
        deadline=deadline,
    )
    _refused(
        application,
        transitions.decide,
        "deadline",
        by=lead_assessor,
        outcome=Outcome.MORE_EVIDENCE,
        reasons="More",
        capabilities=["CAP1"],
        deadline=timezone.localdate(),
    )
    transitions.decide(
        application=application,
        by=lead_assessor,
        outcome=Outcome.MORE_EVIDENCE,
        reasons="One more case for CAP1",
        capabilities=["CAP1"],
        deadline=deadline,
    )
    application.refresh_from_db()
    assert application.state == State.MORE_EVIDENCE
    assert application.more_evidence_capabilities == ["CAP1"]
    # Nothing new for CAP1 yet: refused with the reason, nothing changes.
    _refused(application, transitions.resubmit_application, "CAP1", by=ready)
    assert application.rounds.count() == 1
    builders.new_evidence(pathway, ready, "CAP1")
    transitions.resubmit_application(application=application, by=ready)
    transitions.begin_review(application=application, by=faculty_staff)
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW
    assert list(application.rounds.values_list("number", flat=True)) == [1, 2]
    # The first round keeps its reviews and decision; the second starts empty.
    assert application.rounds.get(number=1).reviews.count() == 2
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(assessors[0])
    page = client.get(reverse("accreditation:assess", args=[application.pk])).content.decode()
    assert "Round 1 ended with a request for more evidence for CAP1" in page
    assert "round 1" in page and "Submit your review" in page
    builders.review(application, assessors[0])
    builders.review(application, assessors[1])
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED


def test_withdrawn_before_a_decision_but_not_after(
    pathway, ready, faculty_staff, assessors, lead_assessor
):
    application = builders.in_review(pathway, ready, faculty_staff, assessors)
    transitions.withdraw_application(application=application, by=ready)
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert not application.allocations.filter(ended_at__isnull=True).exists()
    _refused(application, transitions.withdraw_application, "withdrawn", by=ready)
    approved = builders.recommended(pathway, ready, faculty_staff, assessors)
    builders.approve(approved, lead_assessor)
    _refused(approved, transitions.withdraw_application, "approved", by=ready)


def test_appeal_is_decided_by_a_lead_who_took_no_part(
    pathway, ready, faculty_staff, assessors, lead_assessor
):
    application = builders.recommended(pathway, ready, faculty_staff, assessors, "decline")
    transitions.decide(
        application=application,
        by=lead_assessor,
        outcome=Outcome.DECLINED,
        reasons="No",
        capability_reasons={"CAP2": "No evidence of MDT work"},
    )
    _refused(application, transitions.lodge_appeal, "grounds", by=ready, grounds="")
    transitions.lodge_appeal(application=application, by=ready, grounds="The MDT log was missed")
    _refused(
        application,
        transitions.decide_appeal,
        "took part",
        by=lead_assessor,
        outcome=AppealOutcome.DECISION_CHANGED,
        reasons="Yes",
        scope="Community MSK",
    )
    from portal.roles import Role
    from tests.factories import make_persona

    other_lead = make_persona(Role.LEAD_ASSESSOR, mfa=True)
    transitions.decide_appeal(
        application=application,
        by=other_lead,
        outcome=AppealOutcome.DECISION_CHANGED,
        reasons="The log shows MDT work",
        scope="Community MSK clinics",
    )
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert Appeal.objects.get().decided_by == other_lead
    assert credentials_api.credential_for_source(
        credentials_api.Source("accreditation.application", application.pk)
    )


def test_fee_recorded_by_an_administrator_only(pathway, ready, faculty_staff):
    application = builders.submitted(pathway, ready)
    with pytest.raises(AccreditationError):
        fees.record_fee(application=application, by=ready, status=FeeStatus.PAID)
    with pytest.raises(AccreditationError):
        fees.record_fee(application=application, by=faculty_staff, status="free")
    fees.record_fee(
        application=application, by=faculty_staff, status=FeeStatus.INVOICED, reference="INV-1"
    )
    application.refresh_from_db()
    assert application.fee_status == FeeStatus.INVOICED and application.fee_reference == "INV-1"


def test_without_lead_sign_off_the_assessors_agreed_decision_stands(
    ready, faculty_staff, assessors
):
    pathway = builders.make_pathway(code="no-lead", lead_sign_off=False)
    from accreditation.models import AssessorTraining

    for assessor in assessors:
        AssessorTraining.objects.create(assessor=assessor, pathway=pathway)
    user = builders.ready_applicant(pathway)
    application = builders.recommended(pathway, user, faculty_staff, assessors)
    assert application.state == State.APPROVED
    decision = Decision.objects.get(round__application=application)
    assert decision.decided_by is None and decision.outcome == Outcome.APPROVED
    assert credentials_api.credential_for_source(
        credentials_api.Source("accreditation.application", application.pk)
    )


def test_assessors_hear_of_the_decision(
    pathway, ready, faculty_staff, assessors, lead_assessor, django_capture_on_commit_callbacks
):
    from django.core import mail

    application = builders.recommended(pathway, ready, faculty_staff, assessors)
    with django_capture_on_commit_callbacks(execute=True):
        builders.approve(application, lead_assessor)
    told = {m.to[0] for m in mail.outbox if "Application approved" in m.subject}
    assert told == {ready.email, assessors[0].email, assessors[1].email}
    assert all("/accreditation/" in m.body for m in mail.outbox)
