"""Login is throttled, and there is no unthrottled way round it."""

import pytest

from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def _fail(client, email, n):
    for _ in range(n):
        client.post("/accounts/login/", {"login": email, "password": "wrong-password"})


def test_login_locks_an_account_after_five_failures(client, applicant, password):
    _fail(client, applicant.email, 5)
    # Even the right password is refused until the window passes.
    response = client.post("/accounts/login/", {"login": applicant.email, "password": password})
    # The sign-in form again, saying why: the account is locked, not the address (429, below).
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_login_is_throttled_per_address_across_accounts(client, db):
    # Ten failures a minute from one IP, whatever the emails tried.
    for n in range(10):
        client.post("/accounts/login/", {"login": f"guess{n}@example.org", "password": "x" * 12})
    response = client.post(
        "/accounts/login/", {"login": "guess-last@example.org", "password": "x" * 12}
    )
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_the_login_page_itself_answers_429_when_hammered(client, db):
    for _ in range(30):
        client.post("/accounts/login/", {"login": "", "password": ""})
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts" in html
    # A rate limit is not a refusal: the page does not talk about permission.
    assert "permission" not in html


@pytest.mark.parametrize("path", ["/admin/login/", "/cms-admin/login/"])
def test_admin_logins_only_send_people_to_the_throttled_login(client, superuser, password, path):
    response = client.post(path, {"username": superuser.email, "password": password})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="auth.login").exists()


@pytest.mark.parametrize("path", ["/admin/", "/cms-admin/"])
def test_admin_sites_send_signed_out_visitors_to_allauth(client, db, path):
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_throttled_attempts_on_one_path_count_on_the_others(client, superuser, password):
    # Admin pages have no login of their own, so the allauth counter is the only one.
    _fail(client, superuser.email, 5)
    client.get("/admin/login/", follow=True)
    client.post("/accounts/login/?next=/admin/", {"login": superuser.email, "password": password})
    assert "_auth_user_id" not in client.session
