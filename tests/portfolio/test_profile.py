import pytest

from portal.models import AuditEvent
from portfolio.models import ClinicianProfile
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

VALID = {
    "full_name": "Dr Asha Patel",
    "profession": "gp",
    "regulator": "gmc",
    "registration_number": "1234567",
    "employer": "Riverside PCN",
    "region": "NHS Greater Manchester ICB",
    "consent_to_public_register": "on",
}


def test_applicant_creates_a_profile(client, applicant):
    client.force_login(applicant)
    response = client.post("/portfolio/profile/edit/", VALID)
    assert response.status_code == 302
    profile = ClinicianProfile.objects.get(user=applicant)
    assert profile.registration_number == "1234567"
    assert profile.consent_to_public_register
    assert AuditEvent.objects.filter(action="portfolio.profile_saved").count() == 1
    html = client.get("/portfolio/profile/").content.decode()
    assert "Dr Asha Patel" in html
    assert "You appear on the public register" in html


@pytest.mark.parametrize(
    ("regulator", "number", "message"),
    [
        ("gmc", "123456", "A GMC number is 7 digits"),
        ("gmc", "12345678", "A GMC number is 7 digits"),
        ("gmc", "12345A7", "A GMC number is 7 digits"),
        ("hcpc", "123456", "An HCPC number is 2 letters"),
        ("hcpc", "P123456", "An HCPC number is 2 letters"),
        ("nmc", "12A345", "An NMC PIN is 8 characters"),
        ("nmc", "12A3456B9", "An NMC PIN is 8 characters"),
        ("gmc", "", "Enter your registration number"),
        ("none", "1234567", "Leave the registration number blank"),
    ],
)
def test_registration_number_formats_are_checked(client, applicant, regulator, number, message):
    client.force_login(applicant)
    data = {**VALID, "regulator": regulator, "registration_number": number}
    response = client.post("/portfolio/profile/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "nhsuk-error-summary" in html
    assert not ClinicianProfile.objects.exists()


@pytest.mark.parametrize(
    ("regulator", "number", "stored"),
    [
        ("hcpc", "ph 123456", "PH123456"),
        ("nmc", "12a3456b", "12A3456B"),
        ("gmc", " 1234567 ", "1234567"),
    ],
)
def test_registration_numbers_are_normalised(client, applicant, regulator, number, stored):
    client.force_login(applicant)
    client.post(
        "/portfolio/profile/edit/", {**VALID, "regulator": regulator, "registration_number": number}
    )
    assert ClinicianProfile.objects.get(user=applicant).registration_number == stored


def test_a_registration_number_belongs_to_one_profile(client, applicant):
    ClinicianProfileFactory(regulator="gmc", registration_number="1234567")
    client.force_login(applicant)
    response = client.post("/portfolio/profile/edit/", VALID)
    assert response.status_code == 200
    assert "already uses this registration number" in response.content.decode()
    assert not ClinicianProfile.objects.filter(user=applicant).exists()


def test_missing_fields_are_named(client, applicant):
    client.force_login(applicant)
    response = client.post("/portfolio/profile/edit/", {})
    html = response.content.decode()
    for message in ["Enter your full name.", "Select your profession.", "Select your regulator."]:
        assert message in html


def test_profile_pages_need_sign_in(client, db):
    for url in ["/portfolio/profile/", "/portfolio/profile/edit/"]:
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_each_person_sees_only_their_own_profile(client, applicant, outsider):
    ClinicianProfileFactory(user=applicant, full_name="Dr Asha Patel")
    client.force_login(outsider)
    html = client.get("/portfolio/profile/").content.decode()
    assert "Dr Asha Patel" not in html
    assert "Create your profile" in html
