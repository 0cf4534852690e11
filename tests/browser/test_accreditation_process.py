"""The accreditation process in a browser: the applicant submits, an assessor declares no
conflict and reviews, the lead assessor decides; axe finds nothing on any page on the way."""

import pytest

from accreditation.models import Application, State
from accreditation.services import allocation
from portal.roles import Role
from tests.accreditation import builders
from tests.browser.a11y import assert_accessible
from tests.factories import make_persona

pytestmark = pytest.mark.browser


@pytest.fixture
def process(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pathway = builders.make_pathway()
    applicant = builders.ready_applicant(pathway, make_persona(Role.APPLICANT))
    application = builders.draft(pathway, applicant)
    return {
        "pathway": pathway,
        "applicant": applicant,
        "application": application,
        "admin": make_persona(Role.FACULTY_STAFF, mfa=True),
        "assessors": [builders.trained_assessor(pathway) for _ in range(2)],
        "lead": make_persona(Role.LEAD_ASSESSOR, mfa=True),
    }


def _go(page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    assert_accessible(page)


def test_submit_review_and_decide(new_page, process):
    application = process["application"]
    pk = application.pk

    # The applicant: their applications, the checklist, submit.
    page, console = new_page(process["applicant"])
    _go(page, "/accreditation/")
    _go(page, f"/accreditation/applications/{pk}/")
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_load_state()
    assert "Your application has been submitted." in page.content()
    assert_accessible(page)
    _go(page, f"/accreditation/applications/{pk}/rounds/1/")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED

    # The administrator: the dashboard and the application, then complete and allocate.
    admin_page, _ = new_page(process["admin"])
    _go(admin_page, "/accreditation/manage/")
    _go(admin_page, f"/accreditation/manage/{pk}/")
    builders.paid_and_complete(application, process["admin"])
    _go(admin_page, f"/accreditation/manage/{pk}/")
    first, second = process["assessors"]
    for assessor in (first, second):
        allocation.allocate(application=application, assessor=assessor, by=process["admin"])

    # The first assessor: queue, declaration, a review with an error, then a full review.
    page, _ = new_page(first)
    _go(page, "/accreditation/assess/")
    _go(page, f"/accreditation/assess/{pk}/")
    page.get_by_role("button", name="I have no conflict of interest").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("#id_cap0_judgement_0").check()
    page.get_by_role("button", name="Submit your review").click()
    page.wait_for_load_state()
    page.locator(".nhsuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.locator("#id_cap0_judgement_0").check()
    page.locator("#id_cap1_judgement_0").check()
    page.locator("#id_cap1_comment").fill("A clear case of team working.")
    page.locator("#id_cap1_evidence_0").check()
    page.locator("#id_recommendation_0").check()
    page.get_by_role("button", name="Submit your review").click()
    page.wait_for_load_state()
    assert "Your review has been submitted." in page.content()
    assert_accessible(page)

    allocation.declare_no_conflict(application=application, assessor=second)
    builders.review(application, second, "approve")
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED

    # The lead assessor: the queue, the reviews side by side, the decision.
    page, _ = new_page(process["lead"])
    _go(page, "/accreditation/lead/")
    _go(page, f"/accreditation/lead/{pk}/")
    page.get_by_label("Approved").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert "Your decision has been recorded." in page.content()
    assert_accessible(page)
    assert Application.objects.get(pk=pk).state == State.APPROVED

    # The applicant sees the decision and the timeline.
    page, _ = new_page(process["applicant"])
    _go(page, f"/accreditation/applications/{pk}/")
    assert "Outcome: Approved" in page.content()
    assert not console.csp_errors
