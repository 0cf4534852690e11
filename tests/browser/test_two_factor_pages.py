"""The two-factor pages, allauth's under the portal's templates, in Chromium: the portal's
words ("Two-factor authentication", "Sign in"), axe, and no script the policy blocks."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from portal.roles import Role
from tests.browser.a11y import assert_accessible
from tests.conftest import current_totp_code
from tests.factories import PASSWORD, make_persona

pytestmark = pytest.mark.browser

# allauth's own words for these pages, which the portal's templates replace.
ALLAUTH_WORDS = ["Two-Factor", "Sign In", "Log in", "Log In", "Authenticator App", "Recovery Codes"]


def _heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def _in_our_words(page) -> None:
    text = f"{page.title()}\n{page.inner_text('main')}"
    for words in ALLAUTH_WORDS:
        assert words not in text, (page.url, words)


def _sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    form = page.locator("main form")
    form.get_by_label("Email").fill(user.email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")


def _goto(page, path, *, axe=True) -> None:
    """Open PATH; allauth asks for the password again before a security page: give it."""
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    if _heading(page) == "Confirm it is you":
        if axe:
            assert_accessible(page)
        page.locator("main form").get_by_label("Password").fill(PASSWORD)
        page.locator("main form").get_by_role("button", name="Continue").click()
        page.wait_for_url(f"**{path}")


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["axe", "csp"])
def test_staff_sign_in_with_a_code_and_manage_two_factor_authentication(new_page, bypass_csp):
    assessor = make_persona(Role.ASSESSOR, mfa=True, email="assessor@example.org")
    RecoveryCodes.activate(assessor)
    page, console = new_page(bypass_csp=bypass_csp)
    _sign_in(page, assessor)
    assert _heading(page) == "Two-factor authentication"
    assert page.title().startswith("Sign in: two-factor authentication – ")
    _in_our_words(page)
    if bypass_csp:
        assert_accessible(page)
    page.locator("main form").first.get_by_label("Code").fill(current_totp_code())
    page.locator("main form").first.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/assessor/")

    pages = [
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/2fa/recovery-codes/", "Recovery codes"),
        ("/accounts/2fa/recovery-codes/generate/", "Make new recovery codes"),
        ("/accounts/2fa/totp/deactivate/", "Remove your authenticator app"),
        ("/accounts/2fa/webauthn/", "Security keys"),
        ("/accounts/2fa/webauthn/add/", "Add a security key"),
    ]
    for path, heading in pages:
        _goto(page, path, axe=bypass_csp)
        assert _heading(page) == heading, path
        _in_our_words(page)
        if bypass_csp:
            assert_accessible(page)
    assert not console.csp_errors, console.csp_errors


def test_setting_up_an_authenticator_app_in_our_words(new_page):
    applicant = make_persona(Role.APPLICANT, email="applicant@example.org")
    page, _ = new_page()
    page.goto("/accounts/login/")
    form = page.locator("main form")
    form.get_by_label("Email").fill(applicant.email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/applicant/")
    page.goto("/accounts/2fa/")
    assert _heading(page) == "Two-factor authentication"
    page.get_by_role("button", name="Set up an authenticator app").click()
    page.wait_for_load_state()
    _goto(page, "/accounts/2fa/totp/activate/")
    assert _heading(page) == "Set up an authenticator app"
    _in_our_words(page)
    assert_accessible(page)
