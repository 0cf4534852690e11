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
    "region": "greater_manchester",
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
        ("hcpc", "123456", "An HCPC number is the letters of your profession"),
        ("hcpc", "P123456", "An HCPC number is the letters of your profession"),
        ("hcpc", "ZZ123456", "An HCPC number is the letters of your profession"),
        ("nmc", "12A345", "An NMC PIN is 2 digits, a letter, 4 digits and a letter"),
        ("nmc", "12A3456B9", "An NMC PIN is 2 digits, a letter, 4 digits and a letter"),
        # An HCPC number on the register cannot be claimed under another regulator.
        ("nmc", "PH104233", "An NMC PIN is 2 digits, a letter, 4 digits and a letter"),
        ("nmc", "1234567A", "An NMC PIN is 2 digits, a letter, 4 digits and a letter"),
        # Look-alike digits: full-width and Arabic-Indic sevens are not ASCII digits.
        ("gmc", "\uff17\uff10\uff11\uff12\uff13\uff14\uff15", "A GMC number is 7 digits"),
        ("gmc", "\u0667\u0660\u0661\u0662\u0663\u0664\u0665", "A GMC number is 7 digits"),
        ("basrat", "12345", "A BASRaT membership number is BR then 4 to 6 digits"),
        ("sto", "BR01234", "A Sports Therapy Organisation number is STO then 4 to 6 digits"),
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
        ("nmc", "12a3456e", "12A3456E"),
        ("gmc", " 1234567 ", "1234567"),
        ("basrat", "br 01234", "BR01234"),
        ("sto", "sto12345", "STO12345"),
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


def test_a_number_is_unique_across_registers(client, applicant):
    ClinicianProfileFactory(regulator="hcpc", registration_number="PH104233")
    client.force_login(applicant)
    data = {**VALID, "regulator": "hcpc", "registration_number": "PH104233"}
    response = client.post("/portfolio/profile/edit/", data)
    assert "already uses this registration number" in response.content.decode()
    assert not ClinicianProfile.objects.filter(user=applicant).exists()


@pytest.mark.parametrize("name", ["Asha\u202ePatel", "Asha\u200bPatel", "Asha\u2066Patel"])
def test_names_with_hidden_or_reordering_characters_are_refused(client, applicant, name):
    client.force_login(applicant)
    response = client.post("/portfolio/profile/edit/", {**VALID, "full_name": name})
    assert response.status_code == 200
    assert "hidden or text-direction characters" in response.content.decode()
    assert not ClinicianProfile.objects.filter(user=applicant).exists()


def test_the_region_is_chosen_from_the_list_of_icbs(client, applicant):
    client.force_login(applicant)
    response = client.post("/portfolio/profile/edit/", {**VALID, "region": "Gtr Manchester"})
    assert "Choose your ICB or nation from the list." in response.content.decode()
    assert not ClinicianProfile.objects.filter(user=applicant).exists()
    page = client.get("/portfolio/profile/edit/").content.decode()
    assert "NHS Greater Manchester ICB" in page and "NHS Kent and Medway ICB" in page


def test_a_sports_therapist_on_a_voluntary_register_shows_it(client, applicant):
    client.force_login(applicant)
    data = {
        **VALID,
        "profession": "sport_exercise_therapist",
        "regulator": "basrat",
        "registration_number": "BR01234",
    }
    assert client.post("/portfolio/profile/edit/", data).status_code == 302
    assert "BASRaT" in client.get("/portfolio/profile/").content.decode()


def test_missing_fields_are_named(client, applicant):
    client.force_login(applicant)
    response = client.post("/portfolio/profile/edit/", {})
    html = response.content.decode()
    for message in [
        "Enter your full name.",
        "Select your profession.",
        "Select the register you are on.",
    ]:
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
