"""Sign-up, sign-in, password reset and email confirmation speak the portal's words."""

import re

import pytest

# allauth's internal helpers (allauth pinned <66 in pyproject.toml): no public API adds these.
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.webauthn.internal.auth import WebAuthn
from django.core import mail
from django.test import override_settings

from portal.models import User
from portal.roles import Role
from tests.conftest import current_totp_code
from tests.factories import make_persona
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

SERVICE = "MSK accreditation and examinations"
FACULTY = "Faculty of Sport and Exercise Medicine UK (FSEM)"
# allauth's own words, which no page of ours should show.
ALLAUTH_WORDS = [
    "This field is required.",
    "Sign Up",
    "Sign In",
    "Verify Your Email Address",
    "Password Reset",
    "Confirm Email Address",
    "Change Password",
    "Forgot your password?",
]


def _summary(html: str) -> list[tuple[str, str]]:
    """(link target, message) for each entry in the error summary."""
    block = re.search(r'<div class="nhsuk-error-summary".*?</ul>', html, re.S).group(0)
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', block)


def _no_allauth_words(html: str) -> None:
    for words in ALLAUTH_WORDS:
        assert words not in html, words


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/accounts/signup/",
            [
                ("id_first_name", "Enter your first name"),
                ("id_last_name", "Enter your last name"),
                ("id_email", "Enter your email address"),
                ("id_password1", "Enter a password"),
                ("id_password2", "Enter your password again"),
            ],
        ),
        (
            "/accounts/login/",
            [("id_login", "Enter your email address"), ("id_password", "Enter your password")],
        ),
        ("/accounts/password/reset/", [("id_email", "Enter your email address")]),
    ],
)
def test_each_empty_field_is_named_in_the_error_summary(client, url, expected):
    response = client.post(url, {})
    assert response.status_code == 200
    html = response.content.decode()
    assert _summary(html) == expected
    for target, message in expected:
        # The message is also by its field, and the field points at it.
        assert f'<span class="nhsuk-error-message" id="{target}-error">' in html
        assert message in html
    assert "<title>Error: " in html
    _no_allauth_words(html)


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/signup/", "Create an account"),
        ("/accounts/login/", "Sign in"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/password/reset/done/", "Check your email"),
        ("/accounts/confirm-email/", "Check your email"),
        ("/accounts/confirm-email/not-a-real-key/", "Confirm your email address"),
    ],
)
def test_entrance_pages_use_the_portals_words(client, url, heading):
    html = client.get(url).content.decode()
    assert f'<h1 class="nhsuk-heading-l">{heading}</h1>' in html
    assert f"{heading} – {SERVICE}</title>" in html
    _no_allauth_words(html)


def test_sign_up_asks_for_the_name_first(client):
    html = client.get("/accounts/signup/").content.decode()
    names = re.findall(r'<input type="(?!hidden)[a-z]+" name="([a-z_0-9]+)"', html)
    assert names == ["first_name", "last_name", "email", "password1", "password2"]
    assert 'autocomplete="given-name"' in html
    assert 'autocomplete="family-name"' in html


def test_different_passwords_are_named_in_the_words_of_the_portal(client):
    response = client.post(
        "/accounts/signup/",
        {
            "first_name": "Nadia",
            "last_name": "Rahman",
            "email": "nadia@example.org",
            "password1": "a-long-and-unusual-passphrase-42",
            "password2": "a-long-and-unusual-passphrase-43",
        },
    )
    assert _summary(response.content.decode()) == [
        ("id_password2", "Enter the same password in both boxes")
    ]
    assert not User.objects.exists()


def test_names_with_hidden_characters_are_refused(client):
    response = client.post(
        "/accounts/signup/",
        {
            "first_name": "Nadia\u202e",
            "last_name": "Rahman",
            "email": "nadia@example.org",
            "password1": "a-long-and-unusual-passphrase-42",
            "password2": "a-long-and-unusual-passphrase-42",
        },
    )
    assert _summary(response.content.decode()) == [
        ("id_first_name", "First name must only include letters, spaces, hyphens and apostrophes")
    ]
    assert not User.objects.exists()


def test_a_wrong_password_is_linked_to_the_email_box(client, applicant):
    response = client.post("/accounts/login/", {"login": applicant.email, "password": "nope"})
    assert _summary(response.content.decode()) == [
        ("id_login", "The email address or password is not right. Check them and try again.")
    ]


def test_reset_password_page_from_the_emailed_link(
    client, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": applicant.email})
    message = mail.outbox[0]
    assert message.subject == f"{SERVICE}: Reset your password"
    assert message.body.startswith(f"Hello {applicant.first_name},")
    assert FACULTY in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    form_url = client.get(link.group(1))["Location"]
    html = client.get(form_url).content.decode()
    assert '<h1 class="nhsuk-heading-l">Choose a new password</h1>' in html
    response = client.post(form_url, {})
    assert _summary(response.content.decode()) == [
        ("id_password1", "Enter a new password"),
        ("id_password2", "Enter your new password again"),
    ]
    _no_allauth_words(response.content.decode())


@pytest.mark.parametrize(
    ("known", "subject"),
    [(True, "Reset your password"), (False, "Reset your password")],
)
def test_every_account_email_subject_starts_with_the_service_name(
    client, applicant, django_capture_on_commit_callbacks, known, subject
):
    email = applicant.email if known else "nobody@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": email})
    assert [m.subject for m in mail.outbox] == [f"{SERVICE}: {subject}"]
    assert "[" not in mail.outbox[0].subject
    assert "testserver" not in mail.outbox[0].subject


def test_sign_up_with_a_taken_address_emails_the_owner_in_our_words(
    client, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "first_name": "Someone",
                "last_name": "Else",
                "email": applicant.email,
                "password1": "a-long-and-unusual-passphrase-42",
                "password2": "a-long-and-unusual-passphrase-42",
            },
        )
    (message,) = mail.outbox
    assert message.subject == f"{SERVICE}: You already have an account"
    assert "/accounts/password/reset/" in message.body


def test_a_new_applicants_dashboard_starts_with_creating_a_profile(client, applicant):
    client.force_login(applicant)
    html = client.get("/dashboard/applicant/").content.decode()
    first_link = re.search(r'<main.*?<a [^>]*href="(/[^"]*)"[^>]*>([^<]+)</a>', html, re.S)
    assert first_link.groups() == ("/portfolio/profile/edit/", "Create your profile")
    # The profile card waits until there is a profile to show.
    assert 'href="/portfolio/profile/"' not in html


def test_once_the_profile_exists_the_first_step_goes(client, applicant):
    ClinicianProfileFactory(user=applicant)
    client.force_login(applicant)
    html = client.get("/dashboard/applicant/").content.decode()
    assert "Create your profile" not in html
    assert 'href="/portfolio/profile/"' in html


def test_pages_name_the_faculty_from_settings(client, db):
    for url in ["/accounts/login/", "/privacy/", "/accessibility/"]:
        html = client.get(url).content.decode()
        assert FACULTY in html, url
        assert f'service-name">FSEM {SERVICE}</span>' in html, url  # the header
    with override_settings(FACULTY_NAME="Faculty of Example Medicine", FACULTY_SHORT_NAME="FEM"):
        html = client.get("/privacy/").content.decode()
        assert "© Faculty of Example Medicine" in html
        assert FACULTY not in html
        html = client.get("/accessibility/").content.decode()
        assert "contact the FEM office" in html
        assert f'service-name">FEM {SERVICE}</span>' in html


def test_the_issuer_is_the_faculty_unless_overridden():
    from django.conf import settings

    assert settings.FACULTY_NAME == FACULTY
    assert settings.FACULTY_SHORT_NAME == "FSEM"
    assert settings.ISSUER_NAME == settings.FACULTY_NAME


# allauth's two-factor wording (title case, "Log in"), which the portal's pages replace.
MFA_ALLAUTH_WORDS = [
    "Two-Factor",
    "Sign In",
    "Log in",
    "Log In",
    "Authenticator App",
    "Security Key",
    "Recovery Codes",
    "Activate",
    "Deactivate",
    "Alternative options",
]


def _title_and_h1(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?) – ", html, re.S)[1]
    h1 = re.search(r'<h1 class="nhsuk-heading-l">(.*?)</h1>', html, re.S)[1]
    return title, h1


def _no_mfa_allauth_words(html: str, url: str) -> None:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    head = html.split("</head>", 1)[0]
    for words in MFA_ALLAUTH_WORDS:
        assert words not in main and words not in head, (url, words)


def _pages_say(client, pages: dict) -> None:
    for url, words in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert _title_and_h1(html) == words, url
        _no_mfa_allauth_words(html, url)


def test_the_two_factor_pages_use_the_portals_words(client, password):
    user = make_persona(Role.ASSESSOR, mfa=True, email="assessor.words@example.org")
    RecoveryCodes.activate(user)

    # Signing in: the second step.
    client.post("/accounts/login/", {"login": user.email, "password": password})
    html = client.get("/accounts/2fa/authenticate/").content.decode()
    assert _title_and_h1(html) == (
        "Sign in: two-factor authentication",
        "Two-factor authentication",
    )
    assert re.search(r"<button[^>]*>\s*Sign in\s*</button>", html)
    assert "Other ways to sign in" in html
    _no_mfa_allauth_words(html, "/accounts/2fa/authenticate/")
    client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    client.post("/accounts/reauthenticate/", {"password": password})
    pages = {
        "/accounts/2fa/": ("Two-factor authentication", "Two-factor authentication"),
        "/accounts/2fa/totp/deactivate/": ("Remove your authenticator app",) * 2,
        "/accounts/2fa/recovery-codes/": ("Recovery codes", "Recovery codes"),
        "/accounts/2fa/recovery-codes/generate/": ("Make new recovery codes",) * 2,
        "/accounts/2fa/webauthn/add/": ("Add a security key",) * 2,
        "/accounts/2fa/reauthenticate/": ("Confirm it is you", "Confirm it is you"),
    }
    _pages_say(client, pages)
    # A key of made-up data: enough for the pages that list keys, not for using one.
    key = WebAuthn.add(user, "Blue key", {}).instance
    pages = {
        "/accounts/2fa/webauthn/": ("Security keys", "Security keys"),
        f"/accounts/2fa/webauthn/keys/{key.pk}/edit/": ("Rename a security key",) * 2,
        f"/accounts/2fa/webauthn/keys/{key.pk}/remove/": (
            "Remove a security key",
            "Remove “Blue key”",
        ),
    }
    _pages_say(client, pages)
    index = client.get("/accounts/2fa/").content.decode()
    for heading in ["Authenticator app", "Security keys", "Recovery codes"]:
        assert f'<h2 class="nhsuk-card__heading nhsuk-heading-m">{heading}</h2>' in index

    # Setting up an authenticator app, as someone without one.
    client.post("/accounts/logout/")
    applicant = make_persona(Role.APPLICANT, email="applicant.words@example.org")
    client.post("/accounts/login/", {"login": applicant.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    pages = {
        "/accounts/2fa/": ("Two-factor authentication", "Two-factor authentication"),
        "/accounts/2fa/totp/activate/": ("Set up an authenticator app",) * 2,
    }
    _pages_say(client, pages)
