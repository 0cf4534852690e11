import re

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


# --- one message per field, no empty choices, the region and route in words ---------------

GMC_MESSAGE = "A GMC number is 7 digits, for example 1234567."
REGISTER_MESSAGE = "Select the register you are on."


def _errors(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


@pytest.mark.parametrize(
    ("regulator", "number", "expected"),
    [
        ("gmc", "", {"registration_number": ["Enter your registration number."]}),
        ("gmc", "123", {"registration_number": [GMC_MESSAGE]}),
        ("gmc", "HCPC PH104233", {"registration_number": [GMC_MESSAGE]}),
        ("gmc", "1" * 30, {"registration_number": [GMC_MESSAGE]}),
        (
            "gmc",
            "1" * 41,
            {
                "registration_number": [
                    "Enter only your registration number, for example 1234567 or PH123456."
                ]
            },
        ),
        (
            "none",
            "1234567",
            {
                "registration_number": [
                    "Leave the registration number blank if you are not registered."
                ]
            },
        ),
        # Without a register the number cannot be judged: the register is the one thing to fix.
        (None, "", {"regulator": [REGISTER_MESSAGE]}),
        (None, "123", {"regulator": [REGISTER_MESSAGE]}),
        ("bogus", "123", {"regulator": [REGISTER_MESSAGE]}),
        ("bogus", "", {"regulator": [REGISTER_MESSAGE]}),
    ],
)
def test_each_field_gets_one_message(client, applicant, regulator, number, expected):
    client.force_login(applicant)
    data = {**VALID, "regulator": regulator, "registration_number": number}
    if regulator is None:
        del data["regulator"]
    response = client.post("/portfolio/profile/edit/", data)
    assert _errors(response) == expected
    html = response.content.decode()
    summary = html.split('nhsuk-error-summary__list">')[1].split("</ul>")[0]
    assert summary.count("<li>") == len(expected)
    for field, (message,) in expected.items():
        # Beside the field, once, with nothing else.
        assert (
            f'id="id_{field}-error"><span class="nhsuk-u-visually-hidden">Error:</span> '
            f"{message}</span>"
        ) in html
    assert not ClinicianProfile.objects.exists()


def test_a_changed_profile_without_a_register_is_not_judged_by_the_old_one(client, applicant):
    ClinicianProfileFactory(user=applicant, regulator="gmc", registration_number="1234567")
    client.force_login(applicant)
    data = {**VALID, "registration_number": "PH104233"}
    del data["regulator"]
    response = client.post("/portfolio/profile/edit/", data)
    assert _errors(response) == {"regulator": [REGISTER_MESSAGE]}


def test_a_number_typed_with_its_registers_words_is_read(client, applicant):
    client.force_login(applicant)
    data = {**VALID, "regulator": "hcpc", "registration_number": "HCPC number: PH104233"}
    assert client.post("/portfolio/profile/edit/", data).status_code == 302
    assert ClinicianProfile.objects.get(user=applicant).registration_number == "PH104233"


@pytest.mark.parametrize("data", [None, {}, {**VALID, "registration_number": ""}])
def test_no_empty_choice_is_offered_before_or_after_an_error(client, applicant, data):
    client.force_login(applicant)
    if data is None:
        response = client.get("/portfolio/profile/edit/")
    else:
        response = client.post("/portfolio/profile/edit/", data)
        assert response.context["form"].errors
    html = response.content.decode()
    assert "Select an option" not in html and "---------" not in html
    for name in ("profession", "regulator"):
        assert f'name="{name}" value=""' not in html, name
    # The route's empty choice and the ICB list's first line say what they mean.
    assert re.search(r'name="route" value=""[^>]*>\s*<label[^>]*>Follow my profession<', html)
    assert re.search(r'<select name="region"[^>]*>\s*<option value=""[^>]*>Choose your ICB', html)


def test_the_profile_shows_the_region_and_route_in_words(client, applicant):
    ClinicianProfileFactory(user=applicant, region="greater_manchester", profession="gp")
    client.force_login(applicant)
    html = client.get("/portfolio/profile/").content.decode()
    assert "NHS Greater Manchester ICB" in html
    assert "greater_manchester" not in html
    assert "GP with Extended Role (GPwER) in MSK (it follows your profession)" in html
