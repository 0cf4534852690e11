"""The pages: who sees what (404 for everyone else), what the forms do, extra POSTed fields
ignored, reviews blind until both are in, and query counts that do not grow with data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import Application, Recommendation, State
from credentials import api as credentials_api
from portal.roles import Role
from tests.accreditation import builders
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # warm per-process caches (the site menu, the session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _private_urls(application):
    pk = application.pk
    return [
        reverse("accreditation:application", args=[pk]),
        reverse("accreditation:application_edit", args=[pk]),
        reverse("accreditation:application_withdraw", args=[pk]),
        reverse("accreditation:application_appeal", args=[pk]),
        reverse("accreditation:round", args=[pk, 1]),
        reverse("accreditation:round_file", args=[pk, 1, 1]),
        reverse("accreditation:assess", args=[pk]),
        reverse("accreditation:lead_application", args=[pk]),
        reverse("accreditation:manage_application", args=[pk]),
    ]


def test_outsiders_another_applicant_and_an_unallocated_assessor_get_404(
    client, pathway, ready, faculty_staff, assessors, outsider
):
    application = builders.in_review(pathway, ready, faculty_staff, assessors)
    other_applicant = make_persona(Role.APPLICANT)
    unallocated = builders.trained_assessor(pathway)
    for person in (outsider, other_applicant, unallocated):
        client.force_login(person)
        for url in _private_urls(application):
            assert client.get(url).status_code == 404, (person.email, url)
    for url in (
        reverse("accreditation:assessor_queue"),
        reverse("accreditation:lead_queue"),
        reverse("accreditation:manage_dashboard"),
        reverse("accreditation:manage_export"),
    ):
        client.force_login(other_applicant)
        assert client.get(url).status_code == 404, url


def test_signed_out_visitors_are_asked_to_sign_in(client, pathway, ready):
    application = builders.draft(pathway, ready)
    response = client.get(reverse("accreditation:application", args=[application.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_checklist_names_what_is_missing_with_links(client, pathway, applicant):
    builders.ready_applicant(pathway, applicant)
    application = builders.draft(pathway, applicant, reference=False)
    client.force_login(applicant)
    page = client.get(reverse("accreditation:application", args=[application.pk])).content.decode()
    assert "1 thing still needed" in page
    assert (
        "Your supervisor gives a structured reference (we ask them by email). Not yet asked."
        in (page)
    )
    reference_page = reverse("accreditation:reference", args=[application.pk])
    assert f'href="{reference_page}">Ask your supervisor for their reference</a>' in page
    assert "Submit the application" not in page


def test_applicant_starts_and_submits_ignoring_extra_fields(client, pathway, ready, outsider):
    client.force_login(ready)
    response = client.post(
        reverse("accreditation:start", args=[pathway.code]),
        {
            "extended_role": "MSK clinic",
            "supervisor_name": "Dr Sup",
            "supervisor_email": "sup@example.org",
            "state": "approved",
            "applicant": outsider.pk,
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.state == State.DRAFT and application.applicant == ready
    builders.give_reference(application)
    client.post(
        reverse("accreditation:application_submit", args=[application.pk]),
        {"state": "approved", "decision": "approved"},
    )
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    page = client.get(reverse("accreditation:application", args=[application.pk])).content.decode()
    assert "Round 1" in page and "checks your application is complete" in page


def test_start_form_errors_say_what_to_fix(client, pathway, ready):
    client.force_login(ready)
    response = client.post(
        reverse("accreditation:start", args=[pathway.code]),
        {"extended_role": "", "supervisor_name": "", "supervisor_email": "not-an-email"},
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Describe your extended role." in page
    assert "Enter an email address like" in page
    assert not Application.objects.exists()


def test_assessor_declares_then_reviews_blind_until_both_are_in(
    client, pathway, ready, faculty_staff, assessors
):
    application = builders.submitted(pathway, ready)
    from accreditation.services import allocation

    builders.paid_and_complete(application, faculty_staff)
    for assessor in assessors:
        allocation.allocate(application=application, assessor=assessor, by=faculty_staff)
    first, second = assessors
    client.force_login(first)
    url = reverse("accreditation:assess", args=[application.pk])
    page = client.get(url).content.decode()
    assert "I have no conflict of interest" in page and "Case for CAP1" not in page
    # Snapshot and files stay closed before the declaration.
    assert client.get(reverse("accreditation:round", args=[application.pk, 1])).status_code == 404
    client.post(url, {"declare": "no-conflict"})
    page = client.get(url).content.decode()
    assert "Case for CAP1" in page
    data = {"recommendation": Recommendation.APPROVE, "assessor": second.pk, "state": "approved"}
    for n in range(2):
        data[f"cap{n}_judgement"] = "met"
        data[f"cap{n}_comment"] = f"First assessor on {n}"
    client.post(url, data)
    # The second assessor sees nothing of the first review.
    allocation.declare_no_conflict(application=application, assessor=second)
    client.force_login(second)
    page = client.get(url).content.decode()
    assert "First assessor on" not in page and "Submit your review" in page
    data = {"recommendation": Recommendation.DECLINE}
    for n in range(2):
        data[f"cap{n}_judgement"] = "not_yet_met"
    client.post(url, data)
    page = client.get(url).content.decode()
    assert "First assessor on 0" in page
    application.refresh_from_db()
    assert application.state == State.MODERATION


def test_review_form_needs_every_judgement(client, pathway, ready, faculty_staff, assessors):
    application = builders.in_review(pathway, ready, faculty_staff, assessors)
    client.force_login(assessors[0])
    url = reverse("accreditation:assess", args=[application.pk])
    response = client.post(url, {"recommendation": "approve", "cap0_judgement": "met"})
    assert "Choose a judgement for CAP2." in response.content.decode()
    assert not application.rounds.get().reviews.exists()


def test_lead_decides_through_the_page(
    client, pathway, ready, faculty_staff, assessors, lead_assessor
):
    application = builders.recommended(pathway, ready, faculty_staff, assessors)
    client.force_login(lead_assessor)
    url = reverse("accreditation:lead_application", args=[application.pk])
    response = client.post(url, {"outcome": "declined", "reasons": "No"})
    assert "Give the reasons for a decline by capability." in response.content.decode()
    page = client.get(url).content.decode()
    assert pathway.default_scope in page  # the scope starts from the pathway's
    response = client.post(url, {"outcome": "approved", "scope": ""})
    assert "Enter the scope of practice for the credential." in response.content.decode()
    client.post(
        url,
        {
            "outcome": "approved",
            "scope": "Knee and shoulder clinics only",
            "conditions": "Reviewed in a year",
            "applicant": lead_assessor.pk,
        },
    )
    application.refresh_from_db()
    assert application.state == State.APPROVED and application.applicant == ready
    credential = credentials_api.credential_for_source(
        credentials_api.Source("accreditation.application", application.pk)
    )
    assert credential.scope == "Knee and shoulder clinics only"
    assert credential.conditions == "Reviewed in a year"
    page = client.get(reverse("accreditation:my_applications"))
    assert page.status_code == 200


def test_admin_checks_allocates_and_records_the_fee(client, pathway, ready, faculty_staff):
    application = builders.submitted(pathway, ready)
    conflicted = builders.trained_assessor(pathway)
    from portfolio.models import ClinicianProfile

    ClinicianProfile.objects.filter(user=conflicted).update(employer="Riverside PCN")
    free = [builders.trained_assessor(pathway) for _ in range(2)]
    client.force_login(faculty_staff)
    url = reverse("accreditation:manage_application", args=[application.pk])
    page = client.get(url).content.decode()
    # The completeness page shows the applicant's checklist and why it cannot be complete.
    assert "The applicant's checklist now" in page
    assert "You work in an extended role" in page
    assert "The fee of £850 is due" in page
    response = client.post(url, {"action": "complete"}, follow=True)
    assert "You cannot mark it complete yet. The fee of £850 is due" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    client.post(url, {"action": "fee", "fee_status": "invoiced", "fee_reference": "INV-9"})
    client.post(url, {"action": "complete"})
    application.refresh_from_db()
    assert application.state == State.COMPLETE
    page = client.get(url).content.decode()
    assert "Same employer as the applicant" in page
    response = client.post(url, {"action": "allocate", "assessor": conflicted.pk})
    assert application.allocations.count() == 0
    assert response.status_code == 302
    for assessor in free:
        client.post(url, {"action": "allocate", "assessor": assessor.pk})
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW
    client.post(url, {"action": "fee", "fee_status": "waived", "fee_reference": "Hardship"})
    application.refresh_from_db()
    assert application.fee_status == "waived"
    allocation = application.allocations.first()
    client.post(url, {"action": "end", "allocation": allocation.pk, "reason": "Off sick"})
    assert application.allocations.count() == 2
    assert application.allocations.filter(ended_at__isnull=False).count() == 1


def test_csv_export_escapes_formulas(client, pathway, applicant, faculty_staff):
    applicant.first_name = "=HYPERLINK(1)"
    applicant.save()
    builders.ready_applicant(pathway, applicant)
    builders.draft(pathway, applicant)
    client.force_login(faculty_staff)
    body = client.get(reverse("accreditation:manage_export")).content.decode()
    assert "'=HYPERLINK(1)" in body
    header, row = body.splitlines()[:2]
    assert header.startswith("Reference,Applicant,Email,Pathway,State,Since,Due,Overdue,Fee")
    assert row.endswith(",Draft," + row.split(",")[5] + ",,no,Due")


def _many(pathway, admin, assessors, n):
    for _ in range(n):
        user = builders.ready_applicant(pathway, make_persona(Role.APPLICANT))
        builders.recommended(pathway, user, admin, assessors)


def test_queues_and_dashboards_use_a_fixed_number_of_queries(
    client, pathway, faculty_staff, assessors, lead_assessor
):
    _many(pathway, faculty_staff, assessors, 1)
    pages = [
        (assessors[0], reverse("accreditation:assessor_queue")),
        (lead_assessor, reverse("accreditation:lead_queue")),
        (faculty_staff, reverse("accreditation:manage_dashboard")),
    ]
    small = {}
    for person, url in pages:
        client.force_login(person)
        small[url] = _queries(client, url)
    _many(pathway, faculty_staff, assessors, 3)
    for person, url in pages:
        client.force_login(person)
        assert _queries(client, url) == small[url], url
        assert 2 <= small[url] <= 15, (url, small[url])


def test_applicant_pages_use_a_fixed_number_of_queries(
    client, pathway, ready, django_assert_max_num_queries
):
    application = builders.submitted(pathway, ready)
    client.force_login(ready)
    url = reverse("accreditation:application", args=[application.pk])
    first = _queries(client, url)
    listing = _queries(client, reverse("accreditation:my_applications"))
    other = builders.make_pathway(code="another")
    builders.ready_applicant(other, make_persona(Role.APPLICANT))
    builders.draft(other, ready)
    assert _queries(client, url) == first
    assert _queries(client, reverse("accreditation:my_applications")) == listing
    with django_assert_max_num_queries(25):
        client.get(url)


def test_detail_pages_use_a_bounded_number_of_queries(
    client,
    pathway,
    ready,
    faculty_staff,
    assessors,
    lead_assessor,
    django_assert_max_num_queries,
):
    application = builders.recommended(pathway, ready, faculty_staff, assessors)
    pk = application.pk
    pages = [
        (assessors[0], reverse("accreditation:assess", args=[pk])),
        (assessors[0], reverse("accreditation:round", args=[pk, 1])),
        (lead_assessor, reverse("accreditation:lead_application", args=[pk])),
        (faculty_staff, reverse("accreditation:manage_application", args=[pk])),
    ]
    for person, url in pages:
        client.force_login(person)
        client.get(url)
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200


def test_renewing_someone_elses_credential_is_404(client, ready, outsider):
    from tests.credentials.factories import make_credential

    credential = make_credential(ready, kind="gpwer_msk")
    client.force_login(outsider)
    assert client.get(reverse("accreditation:renew", args=[credential.serial])).status_code == 404
    assert client.get(reverse("accreditation:renew", args=["NOPE-1"])).status_code == 404


def test_a_lead_who_comes_second_is_told_and_nothing_changes(
    client, pathway, ready, faculty_staff, assessors, lead_assessor
):
    application = builders.recommended(pathway, ready, faculty_staff, assessors)
    builders.approve(application, make_persona(Role.LEAD_ASSESSOR, mfa=True))
    client.force_login(lead_assessor)
    url = reverse("accreditation:lead_application", args=[application.pk])
    response = client.post(url, {"outcome": "declined", "reasons": "No"}, follow=True)
    assert "another lead assessor decided it first" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.APPROVED


def test_dashboard_cards_say_what_is_waiting(
    client, pathway, ready, faculty_staff, assessors, lead_assessor
):
    builders.in_review(pathway, ready, faculty_staff, assessors)
    client.force_login(assessors[0])
    page = client.get("/dashboard/assessor/").content.decode()
    assert "Your assessments" in page and "1 to review" in page
    client.force_login(ready)
    assert "Your applications" in client.get("/dashboard/applicant/").content.decode()


def test_emailing_steps_are_limited_per_person(client, pathway, ready, monkeypatch):
    from accreditation.services import notify

    monkeypatch.setattr(notify, "USER_EMAIL_STEPS_PER_HOUR", 0)
    application = builders.draft(pathway, ready)
    client.force_login(ready)
    response = client.post(
        reverse("accreditation:application_submit", args=[application.pk]), follow=True
    )
    assert "too many times" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_the_lead_who_declined_does_not_see_the_appeal(
    client, pathway, ready, faculty_staff, assessors, lead_assessor
):
    from accreditation.models import Outcome
    from accreditation.services import transitions

    application = builders.recommended(pathway, ready, faculty_staff, assessors, "decline")
    transitions.decide(
        application=application,
        by=lead_assessor,
        outcome=Outcome.DECLINED,
        reasons="No",
        capability_reasons={"CAP1": "Too few"},
    )
    transitions.lodge_appeal(application=application, by=ready, grounds="Look again")
    client.force_login(lead_assessor)
    assert (
        application.reference
        not in client.get(reverse("accreditation:lead_queue")).content.decode()
    )
    url = reverse("accreditation:lead_application", args=[application.pk])
    assert client.get(url).status_code == 404
    other = make_persona(Role.LEAD_ASSESSOR, mfa=True)
    client.force_login(other)
    assert application.reference in client.get(reverse("accreditation:lead_queue")).content.decode()
    assert client.get(url).status_code == 200
