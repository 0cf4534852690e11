"""Every public page type passes axe (WCAG 2.2 AA) in a real browser, and keeps to our CSP."""

import pytest

from portal.roles import Role
from tests.browser.a11y import assert_accessible
from tests.factories import make_persona

pytestmark = pytest.mark.browser

PAGES = [
    ("/", "HomePage"),
    ("/gpwer-in-msk/", "GuidancePage: contents, table, details, warning, action link, documents"),
    ("/msk-advanced-practice/", "GuidancePage with an image"),
    ("/examinations/", "StandardPage with cards"),
    ("/commissioners/", "StandardPage with an action link"),
    ("/pathways/", "StandardPage listing its pathway pages"),
    ("/pathways/gpwer-msk/", "PathwayPage"),
    ("/examinations/diploma-msk-medicine/", "ExamPage"),
    ("/examinations/mfsem-part-1/", "ExamPage without sittings"),
    ("/news/", "NewsIndexPage"),
    ("/news/august-window-open/", "NewsPage"),
    ("/contact/", "ContactPage"),
    ("/search/?q=peer", "search results"),
    ("/search/?q=nothing-matches-this", "search without results"),
]


@pytest.mark.parametrize("path", [path for path, _ in PAGES], ids=[what for _, what in PAGES])
def test_public_page_type(new_page, path):
    page, _ = new_page()
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    assert_accessible(page)


def test_exam_page_with_sittings(new_page):
    import datetime

    from django.utils import timezone

    from exams.models import Exam, Sitting, SittingMode, SittingStatus

    today = timezone.localdate()
    exam = Exam.objects.get(code="diploma-msk-medicine")
    for n, (mode, venue) in enumerate(
        [(SittingMode.REMOTE, ""), (SittingMode.VENUE, "Royal College of Physicians, London")]
    ):
        Sitting.objects.create(
            exam=exam,
            label=f"Sitting {n + 1}",
            starts_on=today + datetime.timedelta(days=60 + n),
            ends_on=today + datetime.timedelta(days=60 + n),
            mode=mode,
            venue=venue,
            capacity=30,
            applications_open=today - datetime.timedelta(days=n * 10),
            applications_close=today + datetime.timedelta(days=30),
            fee_pence=45000,
            status=SittingStatus.SCHEDULED,
        )
    page, _ = new_page()
    response = page.goto("/examinations/diploma-msk-medicine/")
    assert response is not None and response.status == 200
    assert page.get_by_text("Royal College of Physicians, London").is_visible()
    assert_accessible(page)


def test_pathway_page_for_a_signed_in_clinician(new_page):
    page, _ = new_page(make_persona(Role.APPLICANT, email="gp@example.org"))
    response = page.goto("/pathways/gpwer-msk/")
    assert response is not None and response.status == 200
    assert page.get_by_text("Start your application").is_visible()
    assert_accessible(page)


def test_members_only_guidance_for_a_member(new_page):
    member = make_persona(Role.APPLICANT, email="member@example.org")
    page, _ = new_page(member)
    response = page.goto("/gpwer-in-msk/structured-reference/")
    assert response is not None and response.status == 200
    assert page.get_by_text("Members only").is_visible()
    assert_accessible(page)


def test_the_details_block_opens_and_nothing_breaks_the_csp(new_page):
    page, console = new_page(bypass_csp=False)
    page.goto("/gpwer-in-msk/")
    summary = page.get_by_text("What counts as an extended role")
    summary.click()
    assert page.get_by_text("running MSK clinics").is_visible()
    page.goto("/")
    page.goto("/search/?q=peer")
    assert not console.csp_errors, console.csp_errors


def test_editors_get_wagtails_checker_on_live_pages_within_our_csp(new_page):
    editor = make_persona(Role.CONTENT_EDITOR, mfa=True, email="checker@example.org")
    page, console = new_page(editor, bypass_csp=False)
    response = page.goto("/gpwer-in-msk/")
    assert response is not None and response.status == 200
    page.locator("wagtail-userbar").wait_for(state="attached")
    page.wait_for_timeout(1500)  # the checker runs axe once the page has loaded
    assert not console.csp_errors, console.csp_errors
