"""Sign up → verification email → sign in, as a new applicant would."""

import re

import pytest
from django.core import mail

from portal.models import AuditEvent, User
from portal.roles import Role, has_role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def _sign_up(client, email):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_sign_up_sends_verification_then_login_works(client, django_capture_on_commit_callbacks):
    # Emails leave through the task queue once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, "new.gp@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.gp@example.org"]
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body).group(1)

    # Until the address is confirmed, signing in only re-sends the verification.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/login/", {"login": "new.gp@example.org", "password": NEW_PASSWORD}
        )
    assert response.status_code == 302
    assert "/accounts/confirm-email/" in response["Location"]
    assert "_auth_user_id" not in client.session

    # Confirming takes a POST from the page the link opens (no state change on GET).
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302

    response = client.post(
        "/accounts/login/", {"login": "new.gp@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    # A new account is an applicant and lands on the applicant dashboard.
    response = client.get("/dashboard/")
    assert response["Location"] == "/dashboard/applicant/"
    assert client.get("/dashboard/applicant/").status_code == 200
    user = User.objects.get(email="new.gp@example.org")
    assert has_role(user, Role.APPLICANT)


def test_sign_up_errors_are_shown_in_an_error_summary(client):
    response = client.post(
        "/accounts/signup/", {"email": "not-an-email", "password1": "short", "password2": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "There is a problem" in html
    assert 'href="#id_email"' in html
    assert 'aria-describedby="id_email-error"' in html
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_email_is_the_login_and_case_insensitive(client, applicant, password):
    response = client.post(
        "/accounts/login/", {"login": applicant.email.upper(), "password": password}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(applicant.pk)


def test_every_role_lands_on_its_own_dashboard(
    client, applicant, assessor, lead_assessor, exam_administrator, commissioner, content_editor
):
    expected = {
        applicant: "/dashboard/applicant/",
        assessor: "/dashboard/assessor/",
        lead_assessor: "/dashboard/lead-assessor/",
        exam_administrator: "/dashboard/exam-administrator/",
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
