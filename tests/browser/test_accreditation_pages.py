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
    admin = make_persona(Role.EXAM_ADMINISTRATOR, mfa=True)
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
