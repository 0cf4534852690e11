"""Staff cannot reach staff pages until they have enrolled a second factor."""

import pytest
from allauth.mfa.models import Authenticator

from portal.roles import Role
from portal.totp import add_authenticator_app
from tests.conftest import current_totp_code
from tests.factories import TOTP_SECRET, make_persona

pytestmark = pytest.mark.django_db

STAFF = [Role.ASSESSOR, Role.LEAD_ASSESSOR, Role.FACULTY_STAFF, Role.CONTENT_EDITOR]
STAFF_PAGES = ["/dashboard/", "/audit/", "/admin/", "/cms-admin/", "/account/", "/"]


@pytest.mark.parametrize("role", STAFF)
def test_staff_without_mfa_are_sent_to_enrol(client, role):
    user = make_persona(role, mfa=False)
    client.force_login(user)
    for page in STAFF_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == "/accounts/2fa/?required=1", page


def test_superuser_without_mfa_is_sent_to_enrol(client):
    user = make_persona(None, superuser=True, mfa=False)
    client.force_login(user)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/?required=1"


@pytest.mark.parametrize(
    "path",
    ["/cms-admin/", "/cms-admin/pages/", "/cms-admin/images/", "/cms-admin/documents/"],
)
def test_content_editors_reach_the_wagtail_admin_only_after_enrolling(client, path):
    editor = make_persona(Role.CONTENT_EDITOR, mfa=False)
    client.force_login(editor)
    assert client.get(path)["Location"] == "/accounts/2fa/?required=1"
    add_authenticator_app(editor, TOTP_SECRET)
    assert client.get(path).status_code == 200


def test_enrolment_page_explains_why(client):
    client.force_login(make_persona(Role.ASSESSOR, mfa=False))
    response = client.get("/accounts/2fa/?required=1")
    assert response.status_code == 200
    assert "you must set up two-factor authentication" in response.content.decode()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.COMMISSIONER])
def test_other_roles_are_not_forced(client, role):
    client.force_login(make_persona(role, mfa=False))
    assert client.get("/dashboard/").status_code == 302
    assert client.get("/dashboard/", follow=True).status_code == 200


def test_staff_enrol_totp_then_reach_their_dashboard(client, password):
    user = make_persona(Role.ASSESSOR, mfa=False)
    client.post("/accounts/login/", {"login": user.email, "password": password})
    assert client.get("/dashboard/")["Location"] == "/accounts/2fa/?required=1"

    # Enrolling is a security change: allauth asks for the password again first.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": password})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    response = client.get("/dashboard/")
    assert response["Location"] == "/dashboard/assessor/"
    assert client.get("/dashboard/assessor/").status_code == 200


def test_a_wrong_enrolment_code_enrols_nothing(client, password):
    user = make_persona(Role.ASSESSOR, mfa=False)
    client.post("/accounts/login/", {"login": user.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    client.get("/accounts/2fa/totp/activate/")
    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()


def test_enrolled_staff_are_asked_for_a_code_at_sign_in(client, assessor, password):
    response = client.post("/accounts/login/", {"login": assessor.email, "password": password})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(assessor.pk)
    assert client.get("/dashboard/")["Location"] == "/dashboard/assessor/"


@pytest.mark.parametrize("url", ["/accounts/2fa/totp/activate/", "/accounts/2fa/webauthn/add/"])
def test_changing_mfa_asks_to_reauthenticate(client, applicant, url):
    # force_login records no recent password entry, as if the sign-in were long ago.
    client.force_login(applicant)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_changing_email_asks_to_reauthenticate(client, applicant):
    client.force_login(applicant)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not applicant.emailaddress_set.filter(email="new@example.org").exists()


def test_changing_password_needs_the_current_password(client, applicant, password):
    client.force_login(applicant)
    new = "a-brand-new-passphrase-99"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not-my-password", "password1": new, "password2": new},
    )
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.check_password(password)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password(new)
