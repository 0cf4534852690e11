"""At a phone's width no table header breaks inside a word ("Titl e" was seen on the portfolio
list): headers, and the headings a stacked table puts beside each value, wrap only at spaces."""

import pytest

from portal.roles import Role
from tests.browser.a11y import assert_accessible
from tests.credentials.factories import make_credential
from tests.factories import make_persona

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}

# Each word of each visible header ("th") and stacked heading, as the browser laid it out:
# a word on more than one line was broken inside. Visually hidden text (a stacked table's
# own header row, "for CiP1" in a link) is laid out one word per line by design: left out.
BROKEN_WORDS = """
() => {
  const hidden = (element) => {
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      const box = e.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1 || getComputedStyle(e).display === "none") {
        return true;
      }
    }
    return false;
  };
  const broken = [];
  for (const header of document.querySelectorAll("th, .nhsuk-table-responsive__heading")) {
    if (hidden(header)) continue;
    const texts = document.createTreeWalker(header, NodeFilter.SHOW_TEXT);
    for (let text; (text = texts.nextNode()); ) {
      if (hidden(text.parentElement)) continue;
      for (const word of text.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(text, word.index);
        range.setEnd(text, word.index + word[0].length);
        const lines = new Set(
          [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
        );
        if (lines.size > 1) broken.push(`${word[0]} in "${header.textContent.trim()}"`);
      }
    }
  }
  return broken;
}
"""


@pytest.fixture
def people(site, settings, tmp_path):
    """The demo applicant's portfolio and frameworks, a credential on the register, an exam
    administrator who manages credentials."""
    from portfolio.demo import seed_demo_portfolio, seed_frameworks

    settings.MEDIA_ROOT = tmp_path
    seed_frameworks()
    applicant = make_persona(Role.APPLICANT, email="applicant@example.org")
    seed_demo_portfolio(applicant)  # Dr Asha Patel, GMC 7012345, on the GPwER route
    make_credential(applicant)
    administrator = make_persona(Role.FACULTY_STAFF, mfa=True, email="exams@example.org")
    return {"applicant": applicant, "administrator": administrator}


PAGES = [
    ("applicant", "/portfolio/"),
    ("applicant", "/portfolio/coverage/"),
    ("applicant", "/credentials/"),
    ("applicant", "/register/?q=Patel"),
    ("administrator", "/manage/credentials/"),
    ("administrator", "/portfolio/frameworks/"),
]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_no_table_header_breaks_inside_a_word_at_375_pixels(new_page, people, who, path):
    page, _ = new_page(people[who])
    page.set_viewport_size(PHONE)
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    assert page.locator("main table").count(), f"no table on {path}"
    assert page.evaluate(BROKEN_WORDS) == [], path
    # The cause was CSS: words may break only where a whole word is wider than the line.
    for selector in (".nhsuk-table__header", ".nhsuk-table-responsive__heading"):
        for style in page.locator(f"main {selector}").evaluate_all(
            "all => all.map(e => [getComputedStyle(e).wordBreak, getComputedStyle(e).overflowWrap])"
        ):
            assert style == ["normal", "normal"], (path, selector, style)
    assert_accessible(page)
