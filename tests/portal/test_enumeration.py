"""Sign-up and password reset answer the same for known and unknown addresses."""

import pytest
from django.core import mail

from portal.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-42"
NAMES = {"first_name": "Sam", "last_name": "Lee"}


def _visible(response):
    """What the visitor sees: status, where they are sent, and the page text."""
    return response.status_code, response.get("Location"), response.content


def test_sign_up_with_a_taken_email_looks_the_same(
    client, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            "/accounts/signup/",
            {**NAMES, "email": applicant.email, "password1": PASSWORD, "password2": PASSWORD},
        )
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(
            "/accounts/signup/",
            {
                **NAMES,
                "email": "someone.new@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert _visible(known) == _visible(unknown)
    # No second account; the owner of the taken address is told someone tried.
    assert User.objects.filter(email__iexact=applicant.email).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [applicant.email, "someone.new@example.org"]
    )


def test_password_reset_looks_the_same_for_known_and_unknown(
    client, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": applicant.email})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert _visible(known) == _visible(unknown)
    assert known.status_code == 302
    reset_mail = [m for m in mail.outbox if m.to == [applicant.email]]
    assert len(reset_mail) == 1
    assert "/accounts/password/reset/key/" in reset_mail[0].body


def test_password_reset_link_sets_a_new_password(
    client, applicant, django_capture_on_commit_callbacks
):
    import re

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": applicant.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1))
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    new = "another-long-passphrase-77"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password(new)
