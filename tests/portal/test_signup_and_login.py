"""Sign up → verification email → sign in, as a new applicant would."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from portal.models import AuditEvent, User
from portal.roles import Role, has_role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def _sign_up(client, email, **extra):
    data = {
        "first_name": "Nadia",
        "last_name": "Rahman",
        "email": email,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return client.post("/accounts/signup/", {**data, **extra})


def _confirmation_link(message) -> str:
    return re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_sign_up_confirm_in_the_same_browser_and_be_signed_in(
    client, django_capture_on_commit_callbacks
):
    # Emails leave through the task queue once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, "new.gp@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email="new.gp@example.org")
    assert (user.first_name, user.last_name) == ("Nadia", "Rahman")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.gp@example.org"]
    assert message.subject == (
        "MSK accreditation and examinations: "
        "Confirm your email address to finish creating your account"
    )
    assert message.body.startswith("Hello Nadia,")
    assert "Faculty of Sport and Exercise Medicine UK (FSEM)" in message.body
    link = _confirmation_link(message)

    # Confirming takes a POST from the page the link opens (no state change on GET).
    page = client.get(link)
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Confirm email address" in page.content.decode()
    response = client.post(link)
    # The same browser that signed up is signed in, and sent to start a profile.
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.session["_auth_user_id"] == str(user.pk)
    response = client.get("/dashboard/", follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/applicant/"
    html = response.content.decode()
    assert "Create your profile" in html
    assert 'href="/portfolio/profile/edit/"' in html
    assert has_role(user, Role.APPLICANT)
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_confirming_in_another_browser_confirms_but_asks_to_sign_in(
    client, django_capture_on_commit_callbacks
):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "new.gp@example.org")
    link = _confirmation_link(mail.outbox[0])

    # The link opened on a phone, say: a browser with none of the sign-up's session.
    other = Client()
    response = other.post(link, follow=True)
    assert response.redirect_chain[0][0] == "/accounts/login/"
    assert "_auth_user_id" not in other.session
    assert "Your email address new.gp@example.org is confirmed." in response.content.decode()
    assert EmailAddress.objects.get(email="new.gp@example.org").verified
    # Nobody was signed in by the link alone; a used link cannot sign anyone in later either.
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    assert "has expired or has been used" in other.get(link).content.decode()

    response = other.post(
        "/accounts/login/", {"login": "new.gp@example.org", "password": NEW_PASSWORD}
    )
    assert response["Location"] == "/dashboard/"
    assert "_auth_user_id" in other.session


def test_signing_in_before_confirming_sends_a_new_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "new.gp@example.org")
    client.logout()
    mail.outbox.clear()
    cache.clear()  # the per-address limit on confirmation emails (1 every 3 minutes)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/login/", {"login": "new.gp@example.org", "password": NEW_PASSWORD}
        )
    assert response.status_code == 302
    assert "/accounts/confirm-email/" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    # That sign-in left a pending login in this browser: confirming now signs in.
    response = client.post(_confirmation_link(mail.outbox[0]))
    assert response["Location"] == "/dashboard/"
    assert "_auth_user_id" in client.session


def test_sign_up_errors_are_shown_in_an_error_summary(client):
    response = client.post(
        "/accounts/signup/",
        {"first_name": "Nadia", "email": "not-an-email", "password1": "short", "password2": "x"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "There is a problem" in html
    assert '<a href="#id_last_name">Enter your last name</a>' in html
    assert (
        '<a href="#id_email">Enter an email address in the correct format, like name@example.com'
        in html
    )
    assert 'aria-describedby="id_email-hint id_email-error"' in html
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_email_is_the_login_and_case_insensitive(client, applicant, password):
    response = client.post(
        "/accounts/login/", {"login": applicant.email.upper(), "password": password}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(applicant.pk)


def test_every_role_lands_on_its_own_dashboard(
    client, applicant, assessor, lead_assessor, faculty_staff, commissioner, content_editor
):
    expected = {
        applicant: "/dashboard/applicant/",
        assessor: "/dashboard/assessor/",
        lead_assessor: "/dashboard/lead-assessor/",
        faculty_staff: "/dashboard/faculty-staff/",
        commissioner: "/dashboard/commissioner/",
        content_editor: "/dashboard/content-editor/",
    }
    for user, url in expected.items():
        client.force_login(user)
        assert client.get("/dashboard/")["Location"] == url
        page = client.get(url)
        assert page.status_code == 200
        client.logout()


def test_superuser_lands_on_the_administration_dashboard(client, superuser):
    client.force_login(superuser)
    assert client.get("/dashboard/")["Location"] == "/dashboard/administration/"
    assert client.get("/dashboard/administration/").status_code == 200


def test_a_dashboard_of_another_role_is_not_found(client, applicant, commissioner):
    client.force_login(applicant)
    assert client.get("/dashboard/commissioner/").status_code == 404
    assert client.get("/dashboard/administration/").status_code == 404
    assert client.get("/dashboard/no-such-role/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    for url in ["/dashboard/", "/dashboard/applicant/", "/account/", "/audit/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_failed_login_shows_an_error_and_records_it(client, applicant):
    response = client.post(
        "/accounts/login/", {"login": applicant.email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 1
