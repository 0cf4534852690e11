"""Every page the axe tests visit is valid HTML: the Nu HTML Checker (vnu.jar) finds no error.

The pages are the axe tests' own lists (public pages, every page type of the public website, the
register and verification pages with a credential in every state, the signed-in pages of each
role, the results letters' verification pages), fetched from the live server as the browser
gets them, saved, and checked by one run of vnu over all the files (a Java start per page would
cost more than the checking).

Without Java or vnu.jar this file is left out of the run (tests/browser/conftest.py), unless CI
is set: there it must run, and fails loudly naming what is missing.
"""

import re

import pytest

from portal.roles import Role
from tests.browser import nu_checker
from tests.browser.test_accessibility import NOT_FOUND, PUBLIC_PAGES, ROLES, SIGNED_IN_PAGES
from tests.browser.test_cms_pages import PAGES as CMS_PAGES
from tests.browser.test_credential_pages import (
    REGISTER_PAGES,
    UNKNOWN_TOKEN,
    VERIFIED,
    WATCH_LIST_PAGES,
    data,  # noqa: F401 (the fixture: a credential in every state)
)
from tests.browser.test_letter_pages import UNKNOWN_LETTER, released_letters
from tests.factories import make_persona

pytestmark = pytest.mark.browser


@pytest.fixture
def nu():
    problem = nu_checker.missing()
    if problem:
        pytest.fail(problem)  # only reached with CI set: elsewhere the file is left out
    return nu_checker


class Crawl:
    """Pages fetched as a browser context gets them (its cookies, the live server), saved."""

    def __init__(self, folder):
        self.folder = folder
        self.names: dict[str, str] = {}  # file name -> "who: path"

    def save(self, page, path: str, *, who: str = "visitor", status: int = 200) -> None:
        response = page.request.get(path, max_redirects=0)
        assert response.status == status, f"{who}: {path} answered {response.status}"
        assert response.headers["content-type"].startswith("text/html"), path
        name = f"{len(self.names):03d}-{re.sub(r'[^A-Za-z0-9]+', '-', path).strip('-')[:60]}.html"
        (self.folder / name).write_bytes(response.body())
        self.names[name] = f"{who}: {path}"

    @property
    def files(self):
        return [self.folder / name for name in self.names]


def test_every_crawled_page_is_valid_html(new_page, data, nu, tmp_path):  # noqa: F811
    crawl = Crawl(tmp_path)

    # Public pages: the website, the register and each kind of verification page.
    visitor, _ = new_page()
    public = [*PUBLIC_PAGES, *(path for path, _ in CMS_PAGES), *REGISTER_PAGES.values()]
    for path in dict.fromkeys(public):
        crawl.save(visitor, path)
    for which in VERIFIED:
        crawl.save(visitor, f"/verify/{getattr(data, which).token}/", who=which)
    crawl.save(visitor, f"/verify/{UNKNOWN_TOKEN}/", status=404)
    for letter in released_letters():
        crawl.save(visitor, f"/exams/letters/{letter.token}/", who=f"letter {letter.reference}")
    crawl.save(visitor, UNKNOWN_LETTER, status=404)
    crawl.save(visitor, NOT_FOUND, status=404)

    # Signed in: each role's own pages, the holder's credentials, a commissioner's lists.
    for role, mfa, slug in ROLES:
        user = make_persona(role, mfa=mfa, email=f"nu.{role.value}@example.org")
        page, _ = new_page(user)
        for path in [f"/dashboard/{slug}/", *SIGNED_IN_PAGES[1:]]:
            crawl.save(page, path, who=role.label)
        if role == Role.FACULTY_STAFF:
            crawl.save(page, "/audit/", who=role.label)
    holder, _ = new_page(data.applicant)
    crawl.save(holder, "/credentials/", who="holder")
    commissioner, _ = new_page(data.commissioner)
    entry = data.watch_list.entries.get(registration_number="7654322")
    for path in ["/verify/bulk/", *WATCH_LIST_PAGES]:
        path = path.format(pk=data.watch_list.pk, entry=entry.pk)
        crawl.save(commissioner, path, who="commissioner")

    errors = nu.check_files(crawl.files)
    assert not errors, nu.describe(errors, crawl.names)
