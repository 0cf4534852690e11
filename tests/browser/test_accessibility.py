"""Every page we own passes axe-core (WCAG 2.2 AA) in a real browser, under our CSP."""

import warnings

import pytest

from portal.roles import Role
from tests.browser.a11y import assert_accessible
from tests.factories import PASSWORD, make_persona

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/gpwer-in-msk/",
    "/msk-advanced-practice/",
    "/examinations/",
    "/accessibility/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]
NOT_FOUND = "/no-such-page/"

# (role, needs MFA to get past the staff-MFA middleware, dashboard slug)
ROLES = [
    (Role.APPLICANT, False, "applicant"),
    (Role.ASSESSOR, True, "assessor"),
    (Role.LEAD_ASSESSOR, True, "lead-assessor"),
    (Role.FACULTY_STAFF, True, "faculty-staff"),
    (Role.COMMISSIONER, False, "commissioner"),
    (Role.CONTENT_EDITOR, True, "content-editor"),
]
SIGNED_IN_PAGES = [
    "/dashboard/",
    "/account/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
]


def _persona(role, mfa):
    return make_persona(role, mfa=mfa, email=f"{role.value}@example.org")


def _goto(page, path, status=200):
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}, not {status}"
    return response


def _no_csp_errors(console):
    assert not console.csp_errors, "Content Security Policy errors:\n" + "\n".join(
        f"  {url}: {text}" for url, _, text in console.csp_errors
    )


# Public pages ------------------------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page(new_page, path):
    page, _ = new_page()
    _goto(page, path)
    assert_accessible(page)


def test_not_found_page(new_page):
    page, _ = new_page()
    _goto(page, NOT_FOUND, status=404)
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page)


def _assert_error_summary(page):
    """The error summary is shown, named, focused (by NHS.UK frontend's script) and
    announced in the page title."""
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert "There is a problem" in summary.inner_text()
    assert page.evaluate("() => !!document.activeElement.closest('.nhsuk-error-summary')"), (
        "focus did not move to the error summary"
    )
    assert page.title().startswith("Error: "), page.title()
    return summary


def test_login_submitted_empty(new_page):
    page, _ = new_page()
    _goto(page, "/accounts/login/")
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    summary = _assert_error_summary(page)
    assert summary.locator('a[href="#id_login"]').count() == 1
    assert page.locator("#id_login-error").is_visible()
    assert_accessible(page)


def test_signup_submitted_invalid(new_page):
    page, _ = new_page()
    _goto(page, "/accounts/signup/")
    form = page.locator("main form")
    form.locator("input[name=email]").fill("not-an-email")
    form.locator("input[name=password1]").fill("short")
    form.locator("input[name=password2]").fill("different")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    summary = _assert_error_summary(page)
    # Each summary entry links to its field, and that field has its error message.
    assert summary.locator('a[href="#id_email"]').count() == 1
    assert page.locator("#id_email-error").is_visible()
    assert_accessible(page)


# Signed in ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
@pytest.mark.parametrize(("role", "mfa", "slug"), ROLES, ids=[r[0].value for r in ROLES])
def test_signed_in_page(new_page, role, mfa, slug, path):
    page, _ = new_page(_persona(role, mfa))
    _goto(page, path)
    if path == "/dashboard/":
        assert page.url.endswith(f"/dashboard/{slug}/")
    else:
        assert page.url.endswith(path), f"{path} ended at {page.url}"
    assert_accessible(page)


def test_audit_trail_for_faculty_staff(new_page):
    page, _ = new_page(_persona(Role.FACULTY_STAFF, mfa=True))
    _goto(page, "/audit/")
    assert_accessible(page)
    # WCAG 1.4.10 (reflow): the widest table we have still fits a 320-pixel screen.
    page.set_viewport_size({"width": 320, "height": 800})
    _goto(page, "/audit/")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (
        "the audit trail scrolls sideways at 320 pixels"
    )
    assert_accessible(page)


def test_administration_dashboard_for_superuser(new_page):
    superuser = make_persona(None, mfa=True, superuser=True, email="super@example.org")
    page, _ = new_page(superuser)
    _goto(page, "/dashboard/")
    assert page.url.endswith("/dashboard/administration/")
    assert_accessible(page)


def test_staff_without_mfa_is_sent_to_enrol(new_page):
    page, _ = new_page(_persona(Role.ASSESSOR, mfa=False))
    _goto(page, "/dashboard/")
    assert "/accounts/2fa/" in page.url
    assert_accessible(page)


def test_applicant_signs_in_with_email_and_password(new_page):
    applicant = _persona(Role.APPLICANT, mfa=False)
    page, console = new_page(bypass_csp=False)
    _goto(page, "/accounts/login/")
    form = page.locator("main form")
    form.get_by_label("Email").fill(applicant.email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/applicant/")
    assert page.get_by_role("heading", level=1).inner_text() == "Applicant dashboard"
    _no_csp_errors(console)


# The content security policy ------------------------------------------------------------


SUPPORTED = "() => document.body.classList.contains('nhsuk-frontend-supported')"


def test_frontend_script_runs_under_csp(new_page):
    page, console = new_page(bypass_csp=False)
    _goto(page, "/")
    assert page.evaluate(SUPPORTED), "portal.mjs did not run: is it blocked?"
    _no_csp_errors(console)


def test_no_csp_errors_on_public_pages(new_page):
    # One context visits them all: the policy is the same, the pages are what vary.
    page, console = new_page(bypass_csp=False)
    for path in PUBLIC_PAGES:
        _goto(page, path)
        assert page.evaluate(SUPPORTED), f"portal.mjs did not run on {path}"
    _goto(page, NOT_FOUND, status=404)
    _goto(page, "/accounts/login/")
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.locator(".nhsuk-error-summary").wait_for()
    _no_csp_errors(console)


def test_no_csp_errors_on_signed_in_pages(new_page):
    page, console = new_page(_persona(Role.FACULTY_STAFF, mfa=True), bypass_csp=False)
    for path in [*SIGNED_IN_PAGES, "/audit/"]:
        _goto(page, path)
        assert page.evaluate(SUPPORTED), f"portal.mjs did not run on {path}"
    _no_csp_errors(console)


def _third_party_admin(new_page, user, paths, marker):
    """Load admin pages under the admins' own policy. We do not run axe on these
    third-party UIs, and CSP complaints are reported as warnings, not failures."""
    page, console = new_page(user, bypass_csp=False)
    for path in paths:
        _goto(page, path)
        page.wait_for_load_state("networkidle")
        assert page.url.endswith(path), f"{path} ended at {page.url}"
        assert marker in page.title(), page.title()
    # Leave through a quiet page: Wagtail's editor pings and releases its editing session in
    # the background, and a request still running when the test ends would hold a lock on the
    # database that the teardown must flush.
    _goto(page, paths[0])
    page.wait_for_load_state("networkidle")
    page.close()
    for text in dict.fromkeys(f"{url}: {text}" for url, _, text in console.csp_errors):
        warnings.warn(f"CSP error on {text}", stacklevel=2)


def test_wagtail_admin_loads_for_content_editor(new_page):
    from cms.models import HomePage

    editor = _persona(Role.CONTENT_EDITOR, mfa=True)
    home = HomePage.objects.get()
    paths = ["/cms-admin/", "/cms-admin/pages/", f"/cms-admin/pages/{home.pk}/edit/"]
    _third_party_admin(new_page, editor, paths, "Wagtail")


def test_django_admin_loads_for_faculty_staff(new_page):
    admin_user = _persona(Role.FACULTY_STAFF, mfa=True)
    _third_party_admin(new_page, admin_user, ["/admin/"], "MSK portal administration")
