"""A person with no account signs up, confirms by the emailed link and lands signed in; sign-in
and password reset with errors; the role request and its staff decision. axe on every page."""

import re

import pytest
from django.core import mail

from portal.audit import record
from portal.models import RoleRequest, RoleRequestStatus, User
from portal.roles import Role, has_role
from tests.browser.a11y import assert_accessible
from tests.factories import make_persona

pytestmark = pytest.mark.browser

PASSWORD = "a-long-and-unusual-passphrase-42"


def _errors(page) -> list[tuple[str, str]]:
    """The error summary's entries as (link target, text), after it has focus."""
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert page.title().startswith("Error: "), page.title()
    return [(link.get_attribute("href"), link.inner_text()) for link in summary.locator("a").all()]


def _submit(page, name):
    page.locator("main form").get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_sign_up_confirm_by_email_and_land_signed_in(new_page):
    page, console = new_page()
    page.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Create an account"
    assert_accessible(page)

    # Submitted empty: every field says what it needs, in the summary and by the field.
    _submit(page, "Create account")
    assert _errors(page) == [
        ("#id_first_name", "Enter your first name"),
        ("#id_last_name", "Enter your last name"),
        ("#id_email", "Enter your email address"),
        ("#id_password1", "Enter a password"),
        ("#id_password2", "Enter your password again"),
    ]
    assert page.locator("#id_email-error").is_visible()
    assert_accessible(page)

    form = page.locator("main form")
    form.get_by_label("First name").fill("Nadia")
    form.get_by_label("Last name").fill("Rahman")
    form.get_by_label("Email address").fill("nadia.rahman@example.org")
    form.get_by_label("Create a password").fill(PASSWORD)
    form.get_by_label("Confirm your password").fill(PASSWORD)
    _submit(page, "Create account")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_accessible(page)

    (message,) = [m for m in mail.outbox if m.to == ["nadia.rahman@example.org"]]
    assert message.subject.startswith("MSK accreditation and examinations: ")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)[1]

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your email address"
    assert_accessible(page)
    _submit(page, "Confirm email address")

    # Signed in, on the applicant dashboard, whose first step is the profile.
    page.wait_for_url("**/dashboard/applicant/")
    assert page.get_by_role("button", name="Sign out").is_visible()
    step = page.get_by_role("button", name="Create your profile")
    assert step.get_attribute("href") == "/portfolio/profile/edit/"
    assert "Your email address nadia.rahman@example.org is confirmed." in page.inner_text("main")
    assert_accessible(page)
    user = User.objects.get(email="nadia.rahman@example.org")
    assert (user.first_name, user.last_name) == ("Nadia", "Rahman")
    assert has_role(user, Role.APPLICANT)
    assert not console.csp_errors


def test_confirming_in_another_browser_asks_to_sign_in(new_page):
    page, _ = new_page()
    page.goto("/accounts/signup/")
    form = page.locator("main form")
    form.get_by_label("First name").fill("Tom")
    form.get_by_label("Last name").fill("Baker")
    form.get_by_label("Email address").fill("tom.baker@example.org")
    form.get_by_label("Create a password").fill(PASSWORD)
    form.get_by_label("Confirm your password").fill(PASSWORD)
    _submit(page, "Create account")
    (message,) = [m for m in mail.outbox if m.to == ["tom.baker@example.org"]]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)[1]

    # The link opened on another device: the address is confirmed, but nobody is signed in.
    phone, _ = new_page()
    phone.goto(link)
    _submit(phone, "Confirm email address")
    phone.wait_for_url("**/accounts/login/")
    assert "Your email address tom.baker@example.org is confirmed." in phone.inner_text("main")
    assert phone.get_by_role("link", name="Sign in").first.is_visible()
    assert_accessible(phone)
    form = phone.locator("main form")
    form.get_by_label("Email address").fill("tom.baker@example.org")
    form.get_by_label("Password").fill(PASSWORD)
    _submit(phone, "Sign in")
    phone.wait_for_url("**/dashboard/applicant/")


def test_sign_in_with_errors(new_page):
    applicant = make_persona(Role.APPLICANT, email="asha@example.org")
    page, _ = new_page()
    page.goto("/accounts/login/")
    assert_accessible(page)
    _submit(page, "Sign in")
    assert _errors(page) == [
        ("#id_login", "Enter your email address"),
        ("#id_password", "Enter your password"),
    ]
    assert_accessible(page)

    form = page.locator("main form")
    form.get_by_label("Email address").fill(applicant.email)
    form.get_by_label("Password").fill("not-the-password")
    _submit(page, "Sign in")
    assert _errors(page) == [
        ("#id_login", "The email address or password is not right. Check them and try again.")
    ]
    assert_accessible(page)


def test_password_reset(new_page):
    applicant = make_persona(Role.APPLICANT, email="asha@example.org")
    page, _ = new_page()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reset your password"
    assert_accessible(page)
    _submit(page, "Send the link")
    assert _errors(page) == [("#id_email", "Enter your email address")]
    assert_accessible(page)

    page.locator("main form").get_by_label("Email address").fill(applicant.email)
    _submit(page, "Send the link")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_accessible(page)

    (message,) = [m for m in mail.outbox if m.to == [applicant.email]]
    assert message.subject == "MSK accreditation and examinations: Reset your password"
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body)[1]
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Choose a new password"
    _submit(page, "Save new password")
    assert _errors(page) == [
        ("#id_password1", "Enter a new password"),
        ("#id_password2", "Enter your new password again"),
    ]
    assert_accessible(page)
    form = page.locator("main form")
    form.get_by_label("New password", exact=True).fill("another-long-passphrase-77")
    form.get_by_label("Confirm your new password").fill("another-long-passphrase-77")
    _submit(page, "Save new password")
    assert page.get_by_role("heading", level=1).inner_text() == "Your password has been changed"
    assert_accessible(page)
    applicant.refresh_from_db()
    assert applicant.check_password("another-long-passphrase-77")


def test_role_request_asked_and_approved(new_page):
    person = make_persona(None, email="priya@icb.example")
    page, _ = new_page(person)
    page.goto("/dashboard/")
    page.get_by_role("link", name="ask for a commissioner or employer role").click()
    assert_accessible(page)
    _submit(page, "Send request")
    errors = dict((text, target) for target, text in _errors(page))
    assert errors["Choose who you work for"] == "#id_organisation_type_0"
    assert errors["Enter your job title"] == "#id_job_title"
    assert_accessible(page)

    form = page.locator("main form")
    form.get_by_label("Full name").fill("Priya Desai")
    form.get_by_label("An integrated care board (ICB)").check()
    form.get_by_label("Integrated care board", exact=True).select_option(
        label="NHS Greater Manchester ICB"
    )
    form.get_by_label("Job title").fill("MSK commissioning manager")
    _submit(page, "Send request")
    assert "Waiting for a decision" in page.inner_text("main")
    assert_accessible(page)

    administrator = make_persona(Role.FACULTY_STAFF, mfa=True, email="exams@example.org")
    staff, _ = new_page(administrator)
    staff.goto("/manage/role-requests/")
    assert_accessible(staff)
    staff.get_by_role("link", name="Priya Desai").click()
    assert_accessible(staff)
    staff.locator("main form").get_by_label("Decline").check()
    _submit(staff, "Save decision")
    assert _errors(staff) == [("#id_reason", "Enter the reason for declining")]
    assert_accessible(staff)
    staff.locator("main form").get_by_label("Approve: give the commissioner role").check()
    _submit(staff, "Save decision")
    staff.wait_for_url("**/manage/role-requests/")
    assert "Approved: Priya Desai is now a commissioner." in staff.inner_text("main")
    assert_accessible(staff)

    assert RoleRequest.objects.get().status == RoleRequestStatus.APPROVED
    person.__dict__.pop("_portal_roles", None)
    assert has_role(person, Role.COMMISSIONER)


def test_audit_trail_in_words_wraps_long_values_at_320_pixels(new_page):
    administrator = make_persona(
        Role.FACULTY_STAFF, mfa=True, email="exam.administrator.for.the.faculty@example.org"
    )
    record(
        "credential.certificate_generated",
        obj=administrator,
        new={"certificate": "certificates/" + "c" * 80 + ".pdf", "sha256": "ab" * 32},
    )
    page, _ = new_page(administrator)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/audit/")
        assert "Certificate made and signed" in page.inner_text("main")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (
            f"the audit trail scrolls sideways at {width} pixels"
        )
        # Stacked headings wrap between words, never inside one ("Details", not "De/tai/ls").
        headings = page.locator("main tbody .nhsuk-table-responsive__heading").evaluate_all(
            "spans => spans.map(span => { const range = document.createRange();"
            " range.selectNodeContents(span);"
            " return [span.textContent.trim(), range.getClientRects().length]; })"
        )
        broken = [(text, lines) for text, lines in headings if lines > len(text.split())]
        assert not broken, broken
        assert_accessible(page)
    # On a wide screen an email address is not broken across lines.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/audit/")
    who = page.locator("main tbody tr").first.locator("td").nth(1)
    assert "exam.administrator.for.the.faculty@example.org" in who.inner_text()
    rects = who.evaluate(
        "cell => { const range = document.createRange();"
        " range.selectNodeContents(cell.lastChild); return range.getClientRects().length; }"
    )
    assert rects == 1, f"the email address is on {rects} lines"


def test_a_commissioner_confirms_their_work_email_in_the_browser(new_page):
    """The confirmation page once sent Referrer-Policy: no-referrer; Chromium then posted its
    form with "Origin: null" and Django answered 403 (CSRF). The real policies apply here."""
    person = make_persona(None, email="priya.personal@example.com")
    page, console = new_page(person, bypass_csp=False)
    page.goto("/account/role-request/")
    form = page.locator("main form")
    form.get_by_label("Full name").fill("Priya Desai")
    form.get_by_label("An integrated care board (ICB)").check()
    form.get_by_label("Integrated care board", exact=True).select_option(
        label="NHS Greater Manchester ICB"
    )
    form.get_by_label("Job title").fill("MSK commissioning manager")
    form.get_by_label(re.compile("Work email")).fill("priya.desai@nhs.example")
    _submit(page, "Send request")
    (message,) = [m for m in mail.outbox if m.to == ["priya.desai@nhs.example"]]
    link = re.search(r"https?://[^/\s]+(/account/role-request/confirm/\S+/)", message.body)[1]
    response = page.goto(link)
    assert response.headers["referrer-policy"] == "same-origin"
    _submit(page, "Confirm work email address")
    assert "Your work email address is confirmed." in page.inner_text("main")
    assert RoleRequest.objects.get().status == RoleRequestStatus.OPEN
    assert not console.csp_errors
    # The dashboard now says where the request stands.
    page.goto("/dashboard/")
    assert "Waiting for a decision" in page.inner_text("main")
