"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium these tests are left out of the run, unless CI is set:
there they must run, and fail loudly if the browser is missing. The same rule holds for the
Nu HTML Checker's test (test_html_validity.py), which also needs Java and vnu.jar.
"""

import os
from pathlib import Path

import pytest

from tests.browser import nu_checker

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    collect_ignore_glob = ["*"]
elif not nu_checker.ready() and not os.environ.get("CI"):
    collect_ignore = ["test_html_validity.py"]


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests, closed once they are done.

    Package scope, not session: while Playwright's sync API is open it keeps an
    event loop running in the test thread. Django then refuses ORM calls unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set, and that variable must not leak into the rest
    of the suite (subprocesses would inherit it; `check --deploy` rejects it).
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server):
    """The live server, with what a flushed database has lost: Wagtail's locale, root
    page and default site, the demo pages, and the role groups."""
    from django.conf import settings
    from wagtail.models import Locale

    from cms.demo import seed_pages
    from portal.roles import ensure_roles

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    seed_pages()
    ensure_roles()  # after the pages: content editors get page permissions on the tree
    return live_server


class Console:
    """Every console message and uncaught error, from every page of a context."""

    def __init__(self):
        self.messages: list[tuple[str, str, str]] = []  # (page url, type, text)

    def watch(self, page):
        page.on("console", lambda msg: self.messages.append((page.url, msg.type, msg.text)))
        page.on("pageerror", lambda exc: self.messages.append((page.url, "pageerror", str(exc))))

    @property
    def csp_errors(self):
        return [m for m in self.messages if "content security policy" in m[2].lower()]


@pytest.fixture
def new_page(browser, site):
    """new_page(user=None, bypass_csp=True) -> (page, console).

    A fresh context per call. bypass_csp=True is for axe (injected as a script,
    which our policy forbids); use bypass_csp=False to see the policy at work.
    A user is signed in by copying a Django session cookie into the context.
    """
    from django.conf import settings
    from django.test import Client

    contexts = []

    def make(user=None, *, bypass_csp=True):
        context = browser.new_context(base_url=site.url, bypass_csp=bypass_csp)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site.url}]
            )
        page = context.new_page()
        console = Console()
        console.watch(page)
        return page, console

    yield make
    for context in contexts:
        context.close()
