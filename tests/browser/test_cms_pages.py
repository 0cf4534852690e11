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
