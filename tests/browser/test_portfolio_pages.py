"""The portfolio's pages pass axe with real data in them: what an applicant and an exam
administrator reach from their navigation and dashboards."""

import re

import pytest
from django.core import mail

from portal.roles import Role
from tests.browser.a11y import assert_accessible
from tests.factories import make_persona

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio(site, settings, tmp_path):
    """The demo applicant's portfolio (profile, four items with files) and the frameworks."""
    from portfolio.demo import seed_demo_portfolio, seed_frameworks
    from portfolio.models import Framework
    from portfolio.services.confirmations import request_confirmation

    settings.MEDIA_ROOT = tmp_path
    seed_frameworks()
    applicant = make_persona(Role.APPLICANT, email="applicant@example.org")
    seed_demo_portfolio(applicant)
    item = applicant.evidence_items.order_by("date").first()
    request_confirmation(
        item=item,
        confirmer_name="Mr Tom Reid",
        confirmer_email="tom.reid@example.org",
        confirmer_role="Consultant orthopaedic surgeon",
        requested_by=applicant,
    )
    link = re.search(r"(/portfolio/confirm/[^/\s]+/)", mail.outbox[-1].body).group(1)
    framework = Framework.objects.get(code="gpwer-msk", status="published")
    return {"applicant": applicant, "item": item, "link": link, "framework": framework}


def _check(page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    assert_accessible(page)


APPLICANT_PAGES = [
    "/portfolio/",
    "/portfolio/evidence/add/",
    "/portfolio/evidence/{item}/",
    "/portfolio/evidence/{item}/edit/",
    "/portfolio/evidence/{item}/files/add/",
    "/portfolio/evidence/{item}/delete/",
    "/portfolio/evidence/{other}/confirm/",
    "/portfolio/coverage/",
    "/portfolio/coverage/{framework}/",
    "/portfolio/profile/",
    "/portfolio/profile/edit/",
    "/portfolio/export/",
]


@pytest.mark.parametrize("path", APPLICANT_PAGES)
def test_applicant_portfolio_page(new_page, portfolio, path):
    other = portfolio["applicant"].evidence_items.exclude(pk=portfolio["item"].pk).first()
    page, _ = new_page(portfolio["applicant"])
    _check(
        page,
        path.format(item=portfolio["item"].pk, other=other.pk, framework=portfolio["framework"].pk),
    )


def test_evidence_form_with_errors(new_page, portfolio):
    page, _ = new_page(portfolio["applicant"])
    page.goto("/portfolio/evidence/add/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.locator(".nhsuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_confirmer_page_without_an_account(new_page, portfolio):
    page, _ = new_page()
    _check(page, portfolio["link"])


def test_a_confirmer_without_an_account_sends_their_answer(new_page, portfolio):
    """A real browser posts this form (no-referrer made it post with Origin: null: a 403)."""
    from portfolio.models import Confirmation, ConfirmationStatus

    page, _ = new_page()
    _check(page, portfolio["link"])
    # Declining without a comment: an error, nothing recorded.
    page.get_by_label("No, I cannot confirm it").check()
    with page.expect_navigation() as answer:
        page.get_by_role("button", name="Send your answer").click()
    assert answer.value.status == 200
    page.locator(".nhsuk-error-summary").wait_for()
    assert "Enter a comment" in page.locator(".nhsuk-error-summary").inner_text()
    assert page.title().startswith("Error: ")
    # Confirming: the thank-you page, and the confirmation recorded.
    page.get_by_label("Yes, I confirm this is a true account").check()
    with page.expect_navigation() as answer:
        page.get_by_role("button", name="Send your answer").click()
    assert answer.value.status == 200, answer.value.status
    assert page.get_by_role("heading", level=1).inner_text() == "Your answer has been sent"
    confirmation = Confirmation.objects.get(item=portfolio["item"])
    assert confirmation.status == ConfirmationStatus.CONFIRMED
    # The link is used up: opening it again says so.
    assert page.goto(portfolio["link"]).status == 410


FRAMEWORK_PAGES = ["/portfolio/frameworks/", "/portfolio/frameworks/{framework}/"]


@pytest.mark.parametrize("path", FRAMEWORK_PAGES)
def test_faculty_staff_framework_page(new_page, portfolio, path):
    admin_user = make_persona(Role.FACULTY_STAFF, mfa=True, email="exams@example.org")
    page, _ = new_page(admin_user)
    _check(page, path.format(framework=portfolio["framework"].pk))


def test_the_profile_names_one_problem_per_field(new_page, portfolio):
    page, _ = new_page(portfolio["applicant"])
    page.goto("/portfolio/profile/edit/")
    form = page.locator("main form")
    form.get_by_label("Registration number").fill("12345")
    form.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state()
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert summary.locator("li").all_inner_texts() == [
        "A GMC number is 7 digits, for example 1234567."
    ]
    beside = page.locator("#id_registration_number-error").text_content()
    assert " ".join(beside.split()) == "Error: A GMC number is 7 digits, for example 1234567."
    # Every radio is a real answer, and the ICB is kept, in words.
    labels = form.locator(".nhsuk-radios__label").all_inner_texts()
    assert not [label for label in labels if "Select" in label or label.startswith("-")]
    region = form.get_by_label("Integrated care board (ICB) or nation")
    assert region.evaluate("select => select.selectedOptions[0].text") == (
        "NHS Greater Manchester ICB"
    )
    assert_accessible(page)
    page.goto("/portfolio/profile/")
    assert "NHS Greater Manchester ICB" in page.inner_text("main")
    assert_accessible(page)


def test_a_gap_on_the_coverage_page_leads_to_adding_evidence_for_it(new_page, portfolio):
    from portfolio.models import EvidenceItem
    from tests.portfolio.factories import ClinicianProfileFactory

    # A GP with no evidence yet: every capability the rules ask for is a gap.
    gp = make_persona(Role.APPLICANT, email="new.gp@example.org")
    ClinicianProfileFactory(user=gp, profession="gp", regulator="gmc")
    page, _ = new_page(gp)
    page.goto("/portfolio/coverage/")  # opens on the GPwER framework: the route's
    framework = portfolio["framework"]
    page.wait_for_url(f"**/portfolio/coverage/{framework.pk}/")
    assert_accessible(page)
    link = page.locator("main table a", has_text="Add evidence").first
    capability = link.locator(".nhsuk-u-visually-hidden").inner_text().removeprefix(" for ")
    code = capability.split()[0]
    link.click()
    page.wait_for_url("**/portfolio/evidence/add/**")
    box = page.locator("main").get_by_label(capability, exact=False)
    assert box.is_checked(), capability
    assert_accessible(page)

    form = page.locator("main form")
    form.get_by_label("Type of evidence").select_option("case_review")
    date = page.locator("#id_date")
    date.get_by_label("Day").fill("2")
    date.get_by_label("Month").fill("3")
    date.get_by_label("Year").fill("2026")
    form.get_by_label("Title", exact=True).fill(f"New evidence for {code}")
    form.get_by_label("Files").set_input_files(
        files=[{"name": "note.txt", "mimeType": "text/plain", "buffer": b"A case note.\n"}]
    )
    form.get_by_role("button", name="Add evidence").click()
    page.wait_for_url(f"**/portfolio/coverage/{framework.pk}/")
    assert "Your evidence has been added." in page.inner_text("main")
    item = EvidenceItem.objects.get(title=f"New evidence for {code}")
    assert [c.code for c in item.competencies.all()] == [code]
    assert_accessible(page)
