"""The process's rules as a faculty runs it (issue 17): appeals with three outcomes, the scope
set at sign-off, resubmissions that must answer the request, recommendations that agree with
their own judgements, disagreement on any capability goes to moderation, conflicts declared
by the assessor, review drafts, and the pages that say where an application stands."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accreditation.errors import AccreditationError
from accreditation.models import (
    Allocation,
    AppealOutcome,
    Outcome,
    ReviewDraft,
    RoundOrigin,
    State,
)
from accreditation.services import allocation, reviews, transitions
from accreditation.services.allocation import suggestions
from credentials import api as credentials_api
from portal.roles import Role
from tests.accreditation import builders
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


def _credential(application):
    return credentials_api.credential_for_source(
        credentials_api.Source("accreditation.application", application.pk)
    )


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


@pytest.fixture
def appealed(declined, ready):
    transitions.lodge_appeal(application=declined, by=ready, grounds="The MDT log was missed.")
    declined.refresh_from_db()
    return declined


@pytest.fixture
def other_lead(db):
    return make_persona(Role.LEAD_ASSESSOR, mfa=True)


# --- appeals ---------------------------------------------------------------------------------


def test_an_upheld_appeal_with_a_new_review_goes_to_fresh_assessors_in_a_new_round(
    client, pathway, ready, appealed, assessors, other_lead, lead_assessor, faculty_staff
):
    transitions.decide_appeal(
        application=appealed,
        by=other_lead,
        outcome=AppealOutcome.NEW_REVIEW,
        reasons="The log was not opened.",
    )
    appealed.refresh_from_db()
    assert appealed.state == State.COMPLETE
    assert _credential(appealed) is None  # no award without a reassessment
    first, second = appealed.rounds.order_by("number")
    assert second.origin == RoundOrigin.APPEAL and second.snapshot == first.snapshot
    assert first.decision.outcome == Outcome.DECLINED  # the earlier round is kept
    # The assessors of the round appealed against are ruled out.
    ruled_out = {s.assessor.pk: s.conflict for s in suggestions(appealed)}
    assert ruled_out[assessors[0].pk] == "Assessed the round that was appealed"
    with pytest.raises(AccreditationError, match="appealed"):
        allocation.allocate(application=appealed, assessor=assessors[0], by=faculty_staff)
    fresh = [builders.trained_assessor(pathway) for _ in range(2)]
    for assessor in fresh:
        allocation.allocate(application=appealed, assessor=assessor, by=faculty_staff)
        allocation.declare_no_conflict(application=appealed, assessor=assessor)
    for assessor in fresh:
        builders.review(appealed, assessor, "approve")
    appealed.refresh_from_db()
    assert appealed.state == State.RECOMMENDED
    # The lead whose decision was appealed does not decide the new round.
    with pytest.raises(AccreditationError, match="appealed"):
        transitions.decide(application=appealed, by=lead_assessor, outcome=Outcome.APPROVED)
    transitions.decide(application=appealed, by=other_lead, outcome=Outcome.APPROVED)
    appealed.refresh_from_db()
    assert appealed.state == State.APPROVED and _credential(appealed)
    client.force_login(ready)
    page = client.get(reverse("accreditation:application", args=[appealed.pk])).content.decode()
    assert "Outcome: Approved after a new review" in page
    assert "Decision: Declined" not in page


def test_an_upheld_appeal_that_changes_the_decision_awards_and_every_page_says_approved(
    client, ready, appealed, other_lead, faculty_staff
):
    with pytest.raises(AccreditationError, match="scope"):
        transitions.decide_appeal(
            application=appealed,
            by=other_lead,
            outcome=AppealOutcome.DECISION_CHANGED,
            reasons="The log shows it.",
            scope="",
        )
    transitions.decide_appeal(
        application=appealed,
        by=other_lead,
        outcome=AppealOutcome.DECISION_CHANGED,
        reasons="The log shows independent MDT work.",
        scope="Community MSK clinics",
    )
    appealed.refresh_from_db()
    assert appealed.state == State.APPROVED
    credential = _credential(appealed)
    assert credential.scope == "Community MSK clinics"
    client.force_login(ready)
    page = client.get(reverse("accreditation:application", args=[appealed.pk])).content.decode()
    assert "Outcome: Approved on appeal" in page
    assert credential.serial in page
    assert reverse("credentials:certificate_pdf", args=[credential.serial]) in page
    assert "Nothing more: your credential is on the public register." in page
    assert "Upheld: the decision is changed to approved" in page
    listing = client.get(reverse("accreditation:my_applications")).content.decode()
    assert f"Your credential {credential.serial}" in listing
    client.force_login(faculty_staff)
    manage = reverse("accreditation:manage_application", args=[appealed.pk])
    assert "Outcome: Approved on appeal" in client.get(manage).content.decode()


def test_a_dismissed_appeal_says_the_decision_stands(client, ready, appealed, other_lead):
    transitions.decide_appeal(
        application=appealed, by=other_lead, outcome=AppealOutcome.DISMISSED, reasons="Seen."
    )
    appealed.refresh_from_db()
    assert appealed.state == State.APPEAL_DISMISSED and _credential(appealed) is None
    client.force_login(ready)
    page = client.get(reverse("accreditation:application", args=[appealed.pk])).content.decode()
    assert "Outcome: Declined: appeal dismissed" in page
    assert "the decision stands" in page


def test_one_appeal_only_and_the_window_shows_on_the_page(
    client, pathway, ready, declined, other_lead, assessors, faculty_staff
):
    client.force_login(ready)
    url = reverse("accreditation:application", args=[declined.pk])
    deadline = transitions.appeal_deadline(declined)
    assert deadline == timezone.localdate() + datetime.timedelta(days=28)
    assert f"You can appeal against this decision until <strong>{deadline:%-d %B %Y}" in (
        client.get(url).content.decode()
    )
    transitions.lodge_appeal(application=declined, by=ready, grounds="Missed evidence.")
    transitions.decide_appeal(
        application=declined, by=other_lead, outcome=AppealOutcome.NEW_REVIEW, reasons="Again."
    )
    fresh = [builders.trained_assessor(pathway) for _ in range(2)]
    for assessor in fresh:
        allocation.allocate(application=declined, assessor=assessor, by=faculty_staff)
        allocation.declare_no_conflict(application=declined, assessor=assessor)
    for assessor in fresh:
        builders.review(declined, assessor, "decline")
    transitions.decide(
        application=declined,
        by=other_lead,
        outcome=Outcome.DECLINED,
        reasons="Still not.",
        capability_reasons={"CAP1": "No MDT case."},
    )
    with pytest.raises(AccreditationError, match="once already"):
        transitions.lodge_appeal(application=declined, by=ready, grounds="Again")
    page = client.get(url).content.decode()
    assert "Declined after a new review" in page and "Appeal the decision" not in page
    assert (
        client.get(reverse("accreditation:application_appeal", args=[declined.pk])).status_code
        == 404
    )


def test_an_appeal_after_the_window_is_refused(declined, ready):
    type(declined).objects.filter(pk=declined.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=29)
    )
    declined.refresh_from_db()
    with pytest.raises(AccreditationError, match="had to be lodged by"):
        transitions.lodge_appeal(application=declined, by=declined.applicant, grounds="Late")


def test_the_lead_deciding_an_appeal_sees_the_decision_and_three_outcomes(
    client, appealed, other_lead
):
    client.force_login(other_lead)
    page = client.get(reverse("accreditation:lead_application", args=[appealed.pk]))
    text = page.content.decode()
    assert "The decision appealed against" in text and "No MDT case." in text
    for outcome in AppealOutcome:
        assert outcome.label in text


# --- sign-off: scope and conditions ------------------------------------------------------------


def test_sign_off_takes_the_pathways_scope_so_no_credential_says_not_stated(
    pathway, ready, faculty_staff, assessors, lead_assessor
):
    application = builders.recommended(pathway, ready, faculty_staff, assessors)
    builders.approve(application, lead_assessor)
    credential = _credential(application)
    assert credential.scope == pathway.default_scope
    assert application.rounds.get().decision.scope == pathway.default_scope


def test_a_pathway_without_lead_sign_off_needs_a_scope(pathway):
    from django.core.exceptions import ValidationError

    pathway.lead_sign_off = False
    pathway.default_scope = ""
    with pytest.raises(ValidationError, match="scope of practice"):
        pathway.clean()


# --- resubmission ------------------------------------------------------------------------------


@pytest.fixture
def asked(pathway, ready, faculty_staff, assessors, lead_assessor):
    application = builders.recommended(pathway, ready, faculty_staff, assessors, "more_evidence")
    transitions.decide(
        application=application,
        by=lead_assessor,
        outcome=Outcome.MORE_EVIDENCE,
        reasons="One more MDT case.",
        capabilities=["CAP1"],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    application.refresh_from_db()
    return application


def test_resubmitting_with_nothing_new_is_refused_with_the_reason(client, asked, ready):
    client.force_login(ready)
    url = reverse("accreditation:application_resubmit", args=[asked.pk])
    page = client.get(url).content.decode()
    assert "Nothing new yet" in page and "Confirm and resubmit" not in page
    response = client.post(url, follow=True)
    assert "You have not added or changed evidence for CAP1" in response.content.decode()
    asked.refresh_from_db()
    assert asked.state == State.MORE_EVIDENCE and asked.rounds.count() == 1


def test_the_applicant_confirms_what_is_new_then_resubmits(
    client, pathway, asked, ready, assessors, faculty_staff
):
    builders.new_evidence(pathway, ready, "CAP1", title="MDT meeting I chaired")
    client.force_login(ready)
    detail = client.get(reverse("accreditation:application", args=[asked.pk])).content.decode()
    assert "New or changed evidence for CAP1 since the request: MDT meeting I chaired." in detail
    url = reverse("accreditation:application_resubmit", args=[asked.pk])
    page = client.get(url).content.decode()
    assert "MDT meeting I chaired" in page and "Confirm and resubmit" in page
    client.post(url)
    asked.refresh_from_db()
    assert asked.state == State.RESUBMITTED
    second = asked.rounds.get(number=2)
    assert second.origin == RoundOrigin.RESUBMITTED
    # Round 2 marks which evidence is new, on the round page and the assessor's page.
    round_page = client.get(reverse("accreditation:round", args=[asked.pk, 2])).content.decode()
    assert "New in round 2</strong> MDT meeting I chaired" in round_page
    transitions.begin_review(application=asked, by=faculty_staff)
    client.force_login(assessors[0])
    assess = client.get(reverse("accreditation:assess", args=[asked.pk])).content.decode()
    assert "New in round 2</strong> MDT meeting I chaired" in assess
    assert assess.count("New in round 2") == 1


def test_a_resubmission_page_is_not_for_others(client, asked):
    client.force_login(make_persona(None))
    url = reverse("accreditation:application_resubmit", args=[asked.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


# --- reviews: recommendations that agree, disagreement, drafts ---------------------------------


@pytest.fixture
def in_review(pathway, ready, faculty_staff, assessors):
    return builders.in_review(pathway, ready, faculty_staff, assessors)


def test_approval_with_a_capability_not_met_is_refused(in_review, assessors):
    judgements = builders.judgements("met")
    judgements["CAP2"]["judgement"] = "not_yet_met"
    with pytest.raises(AccreditationError, match="judged CAP2 not met"):
        reviews.submit_review(
            application=in_review,
            assessor=assessors[0],
            judgements=judgements,
            recommendation="approve",
        )
    assert not in_review.rounds.get().reviews.exists()


def test_declining_with_every_capability_met_needs_a_reason(in_review, assessors):
    with pytest.raises(AccreditationError, match="say in your overall comment why"):
        reviews.submit_review(
            application=in_review,
            assessor=assessors[0],
            judgements=builders.judgements("met"),
            recommendation="decline",
        )
    reviews.submit_review(
        application=in_review,
        assessor=assessors[0],
        judgements=builders.judgements("met"),
        recommendation="decline",
        comment="The cases are simple presentations throughout.",
    )


def test_disagreement_on_one_capability_goes_to_moderation_and_is_highlighted(
    client, in_review, assessors, lead_assessor
):
    builders.review(in_review, assessors[0], "more_evidence", "insufficient")
    judgements = builders.judgements("insufficient")
    judgements["CAP2"]["judgement"] = "not_yet_met"
    reviews.submit_review(
        application=in_review,
        assessor=assessors[1],
        judgements=judgements,
        recommendation="more_evidence",
    )
    in_review.refresh_from_db()
    assert in_review.state == State.MODERATION  # the recommendations agreed
    assert "disagree on CAP2" in in_review.events.last().note
    client.force_login(lead_assessor)
    page = client.get(reverse("accreditation:lead_application", args=[in_review.pk]))
    text = page.content.decode()
    assert "The assessors disagree" in text and "On CAP2 Capability 2" in text
    assert text.count("Assessors disagree</strong>") == 1


def test_agreement_on_everything_is_recommended(in_review, assessors):
    for assessor in assessors:
        builders.review(in_review, assessor, "approve")
    in_review.refresh_from_db()
    assert in_review.state == State.RECOMMENDED


def test_an_assessor_saves_a_draft_and_comes_back_to_it(client, in_review, assessors):
    client.force_login(assessors[0])
    url = reverse("accreditation:assess", args=[in_review.pk])
    client.post(
        url,
        {
            "action": "draft",
            "cap0_judgement": "met",
            "cap0_comment": "Strong MDT case so far",
            "recommendation": "approve",
        },
    )
    draft = ReviewDraft.objects.get()
    assert draft.data["cap0_comment"] == "Strong MDT case so far"
    page = client.get(url).content.decode()
    assert "Your draft saved" in page and "Strong MDT case so far" in page
    assert not in_review.rounds.get().reviews.exists()
    # The other assessor sees none of it.
    client.force_login(assessors[1])
    assert "Strong MDT case so far" not in client.get(url).content.decode()
    # Submitting the review deletes the draft.
    builders.review(in_review, assessors[0], "approve")
    assert not ReviewDraft.objects.exists()


def test_a_draft_is_refused_to_someone_not_allocated(in_review):
    stranger = make_persona(Role.ASSESSOR, mfa=True)
    with pytest.raises(AccreditationError, match="not allocated"):
        reviews.save_draft(application=in_review, assessor=stranger, data={"x": "y"})
    assert not ReviewDraft.objects.exists()


# --- conflicts of interest ---------------------------------------------------------------------


@pytest.fixture
def allocated(pathway, ready, faculty_staff):
    application = builders.submitted(pathway, ready)
    builders.paid_and_complete(application, faculty_staff)
    assessor = builders.trained_assessor(pathway)
    allocation.allocate(application=application, assessor=assessor, by=faculty_staff)
    return application, assessor


def test_the_assessor_sees_who_the_applicant_is_before_declaring(client, allocated, ready):
    application, assessor = allocated
    client.force_login(assessor)
    page = client.get(reverse("accreditation:assess", args=[application.pk])).content.decode()
    assert ready.get_full_name() in page
    assert "Riverside PCN" in page  # employer
    assert "NHS North East and North Cumbria ICB" in page  # the ICB in words
    assert "Dr Sup" in page and "sup@example.org" in page  # supervisor


def test_declaring_a_conflict_returns_the_allocation_to_the_administrator(
    client, allocated, faculty_staff, django_capture_on_commit_callbacks
):
    application, assessor = allocated
    client.force_login(assessor)
    url = reverse("accreditation:assess", args=[application.pk])
    response = client.post(url, {"declare": "conflict", "conflict": ""})
    assert "Say what the conflict of interest is." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"declare": "conflict", "conflict": "I supervised them last year."}
        )
    assert response.status_code == 302
    ended = Allocation.objects.get(assessor=assessor)
    assert ended.ended_at is not None and ended.conflict_reason == "I supervised them last year."
    assert any(
        m.to == [faculty_staff.email] and "declared a conflict" in m.subject for m in mail.outbox
    )
    assert client.get(url).status_code == 404  # the portfolio never opens
    conflicts = {s.assessor.pk: s.conflict for s in suggestions(application)}
    assert conflicts[assessor.pk].startswith("Declared a conflict of interest")
    with pytest.raises(AccreditationError, match="conflict"):
        allocation.allocate(application=application, assessor=assessor, by=faculty_staff)
    client.force_login(faculty_staff)
    manage = client.get(reverse("accreditation:manage_application", args=[application.pk]))
    assert "declared a conflict of interest" in manage.content.decode()


def test_a_conflict_cannot_be_declared_after_declaring_none(allocated):
    application, assessor = allocated
    allocation.declare_no_conflict(application=application, assessor=assessor)
    with pytest.raises(AccreditationError, match="declared no conflict already"):
        allocation.declare_conflict(application=application, assessor=assessor, reason="Late")
    assert Allocation.objects.get(assessor=assessor).ended_at is None


# --- pages people read ------------------------------------------------------------------------


def test_the_applicants_list_shows_state_next_step_due_date_and_fee(client, pathway, ready):
    application = builders.submitted(pathway, ready)
    client.force_login(ready)
    page = client.get(reverse("accreditation:my_applications")).content.decode()
    assert application.reference in page
    assert "The faculty checks your application is complete" in page
    assert "£850: Due" in page
    assert " By " in page


def test_the_assessors_dashboard_links_to_each_allocated_application(client, allocated):
    application, assessor = allocated
    client.force_login(assessor)
    page = client.get(reverse("role_dashboard", args=["assessor"])).content.decode()
    assert "Applications allocated to you" in page
    assert reverse("accreditation:assess", args=[application.pk]) in page
    assert "declare any conflict first" in page
