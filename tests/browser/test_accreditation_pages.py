"""Every other accreditation page passes axe, with data in it and with its form errors."""

import datetime

import pytest
from django.utils import timezone

from accreditation.models import Outcome
from accreditation.services import transitions
from portal.roles import Role
from tests.accreditation import builders
from tests.browser.a11y import assert_accessible
from tests.credentials.factories import make_credential
from tests.factories import make_persona

pytestmark = pytest.mark.browser


@pytest.fixture
def data(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pathway = builders.make_pathway()
    admin = make_persona(Role.FACULTY_STAFF, mfa=True)
    assessors = [builders.trained_assessor(pathway) for _ in range(3)]
    lead = make_persona(Role.LEAD_ASSESSOR, mfa=True)
    other_lead = make_persona(Role.LEAD_ASSESSOR, mfa=True)
    applicant = builders.ready_applicant(pathway, make_persona(Role.APPLICANT))
    draft = builders.draft(pathway, applicant)
    declined_by = builders.ready_applicant(pathway, make_persona(Role.APPLICANT))
    declined = builders.recommended(pathway, declined_by, admin, assessors[:2], "decline")
    transitions.decide(
        application=declined,
        by=lead,
        outcome=Outcome.DECLINED,
        reasons="Not yet",
        capability_reasons={"CAP1": "Too few cases"},
    )
    appealed_by = builders.ready_applicant(pathway, make_persona(Role.APPLICANT))
    appealed = builders.recommended(pathway, appealed_by, admin, assessors[:2], "decline")
    transitions.decide(
        application=appealed,
        by=lead,
        outcome=Outcome.DECLINED,
        reasons="Not yet",
        capability_reasons={"CAP2": "Too few cases"},
    )
    transitions.lodge_appeal(application=appealed, by=appealed_by, grounds="Please look again.")
    submitted = builders.submitted(pathway, builders.ready_applicant(pathway))
    today = timezone.localdate()
    credential = make_credential(
        applicant,
        kind="gpwer_msk",
        valid_from=today - datetime.timedelta(days=900),
        valid_until=today + datetime.timedelta(days=30),
    )
    return locals()


def _go(page, path, status=200):
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response and response.status)
    assert_accessible(page)


def _submit_empty(page, button):
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    page.locator(".nhsuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_applicant_pages(new_page, data):
    page, _ = new_page(data["applicant"])
    _go(page, "/accreditation/")
    _go(page, f"/accreditation/start/{data['pathway'].code}/")  # has one: redirects
    _go(page, f"/accreditation/applications/{data['draft'].pk}/edit/")
    page.locator("#id_extended_role").fill("")
    _submit_empty(page, "Save")
    _go(page, f"/accreditation/applications/{data['draft'].pk}/withdraw/")
    _go(page, f"/accreditation/renew/{data['credential'].serial}/")
    page, _ = new_page(data["declined_by"])
    _go(page, f"/accreditation/applications/{data['declined'].pk}/")
    _go(page, f"/accreditation/applications/{data['declined'].pk}/appeal/")
    _submit_empty(page, "Lodge the appeal")


def test_start_form_with_errors(new_page, data):
    page, _ = new_page(make_persona(Role.APPLICANT))
    _go(page, f"/accreditation/start/{data['pathway'].code}/")
    _submit_empty(page, "Start the application")


def test_staff_pages(new_page, data):
    page, _ = new_page(data["admin"])
    _go(page, f"/accreditation/manage/{data['submitted'].pk}/")
    _submit_empty(page, "Return to the applicant")
    builders.paid_and_complete(data["submitted"], data["admin"])
    _go(page, f"/accreditation/manage/{data['submitted'].pk}/")
    _go(page, f"/accreditation/manage/{data['declined'].pk}/")
    _go(page, "/accreditation/manage/?state=declined")
    page, _ = new_page(data["assessors"][2])
    from accreditation.services import allocation

    allocation.allocate(
        application=data["submitted"], assessor=data["assessors"][2], by=data["admin"]
    )
    _go(page, f"/accreditation/assess/{data['submitted'].pk}/")  # the declaration
    page, _ = new_page(data["other_lead"])
    _go(page, "/accreditation/lead/")
    _go(page, f"/accreditation/lead/{data['appealed'].pk}/")
    _submit_empty(page, "Decide the appeal")


def test_the_process_pages_added_for_issue_17(new_page, data, tmp_path):
    """Declaring a prior qualification, verifying it, resubmitting, declaring a conflict,
    saving a draft, moderating a disagreement: each page with data and with its errors."""
    from accreditation.models import EligibilityRule
    from accreditation.services import allocation, reviews
    from credentials.models import Credential

    pathway, admin = data["pathway"], data["admin"]
    rule = EligibilityRule.objects.get(pathway=pathway, kind="holds_credential")
    rule.accepts_declaration = True
    rule.accepted_qualifications = "FSEM Diploma in MSK Medicine (passed before this portal)"
    rule.save()
    gp = builders.ready_applicant(pathway, make_persona(Role.APPLICANT))
    Credential.objects.filter(holder=gp, kind_id="diploma_msk_medicine").delete()
    application = builders.draft(pathway, gp)
    page, _ = new_page(gp)
    _go(page, f"/accreditation/applications/{application.pk}/")
    page.get_by_role("link", name="Declare a qualification you hold").click()
    page.wait_for_load_state()
    assert_accessible(page)
    _submit_empty(page, "Declare the qualification")
    page.get_by_label("FSEM Diploma in MSK Medicine (passed before this portal)").check()
    page.get_by_label("Awarding body").fill("Faculty of Sport and Exercise Medicine UK")
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2019")
    certificate = tmp_path / "diploma.txt"
    certificate.write_text("Diploma in MSK Medicine, 2019\n")
    page.get_by_label("Your certificate").set_input_files(str(certificate))
    page.get_by_role("button", name="Declare the qualification").click()
    page.wait_for_load_state()
    assert "Your qualification has been declared" in page.inner_text("main")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "applicant-declared.png"), full_page=True)
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_load_state()

    admin_page, _ = new_page(admin)
    _go(admin_page, f"/accreditation/manage/{application.pk}/")
    assert "Not ready to mark complete" in admin_page.inner_text("main")
    admin_page.get_by_role("button", name="Verify the qualification").click()
    admin_page.wait_for_load_state()
    assert "verified" in admin_page.inner_text("main")
    admin_page.get_by_label("Paid").check()
    admin_page.get_by_role("button", name="Record the fee").click()
    admin_page.wait_for_load_state()
    admin_page.get_by_role("button", name="Mark complete").click()
    admin_page.wait_for_load_state()
    assert "Marked complete" in admin_page.inner_text("main")
    assert_accessible(admin_page)

    # An assessor sees who the applicant is and declares a conflict, with an error first.
    conflicted = data["assessors"][2]
    allocation.allocate(application=application, assessor=conflicted, by=admin)
    page, _ = new_page(conflicted)
    _go(page, f"/accreditation/assess/{application.pk}/")
    assert gp.get_full_name() in page.inner_text("main")
    _submit_empty(page, "Declare a conflict and return it")
    page.get_by_label("What is the conflict of interest?").fill("We work in the same PCN.")
    page.get_by_role("button", name="Declare a conflict and return it").click()
    page.wait_for_load_state()
    assert "goes back to the faculty office" in page.inner_text("main")
    assert_accessible(page)

    # Two fresh assessors: one saves a draft, both review, disagreeing on CAP2.
    first, second = (builders.trained_assessor(pathway) for _ in range(2))
    for assessor in (first, second):
        allocation.allocate(application=application, assessor=assessor, by=admin)
    page, _ = new_page(first)
    _go(page, f"/accreditation/assess/{application.pk}/")
    page.get_by_role("button", name="I have no conflict of interest").click()
    page.wait_for_load_state()
    page.locator("#id_cap0_judgement_2").check()
    page.locator("#id_cap0_comment").fill("Only one case so far.")
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_load_state()
    assert "Your draft has been saved" in page.inner_text("main")
    assert page.locator("#id_cap0_comment").input_value() == "Only one case so far."
    assert_accessible(page)
    page.locator("#id_cap1_judgement_2").check()
    page.locator("#id_recommendation_1").check()
    page.get_by_role("button", name="Submit your review").click()
    page.wait_for_load_state()
    assert "Your review has been submitted." in page.inner_text("main")
    allocation.declare_no_conflict(application=application, assessor=second)
    judgements = builders.judgements("insufficient")
    judgements["CAP2"]["judgement"] = "not_yet_met"
    reviews.submit_review(
        application=application,
        assessor=second,
        judgements=judgements,
        recommendation="more_evidence",
    )
    page, _ = new_page(data["lead"])
    _go(page, f"/accreditation/lead/{application.pk}/")
    assert "The assessors disagree" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "lead-moderation.png"), full_page=True)
    page.get_by_label("More evidence requested").check()
    page.get_by_label("Reasons", exact=True).fill("One more MDT case, please.")
    page.get_by_label("CAP1 Capability 1").check()
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    dates = page.locator("#id_deadline")
    dates.get_by_label("Day").fill(str(deadline.day))
    dates.get_by_label("Month").fill(str(deadline.month))
    dates.get_by_label("Year").fill(str(deadline.year))
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert "Your decision has been recorded." in page.inner_text("main")

    # The applicant: nothing new yet, then new evidence, confirm and resubmit.
    page, _ = new_page(gp)
    _go(page, f"/accreditation/applications/{application.pk}/resubmit/")
    assert "Nothing new yet" in page.inner_text("main")
    builders.new_evidence(pathway, gp, "CAP1", title="MDT meeting I chaired")
    _go(page, f"/accreditation/applications/{application.pk}/resubmit/")
    page.get_by_role("button", name="Confirm and resubmit").click()
    page.wait_for_load_state()
    assert "Your further evidence has been submitted." in page.inner_text("main")
    assert_accessible(page)
    _go(page, f"/accreditation/applications/{application.pk}/rounds/2/")
    assert "New in round 2" in page.inner_text("main")
