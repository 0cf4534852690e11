"""Registration numbers as the register writes them ("GMC 7200001", "HCPC PH104233") are
accepted wherever a number is typed or uploaded, as the hints promise, and shown that way."""

import pytest
from django.urls import reverse

from credentials.models import WatchList
from portfolio.registration import number_with_register, read_registration_number
from tests.credentials.factories import make_credential
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("GMC 7200001", "7200001"),
        ("gmc  7200001", "7200001"),
        ("GMC no. 7200001", "7200001"),
        ("GMC number: 7200001", "7200001"),
        ("HCPC PH104233", "PH104233"),
        ("hcpc ph 104 233", "PH104233"),
        ("NMC PIN 12A3456E", "12A3456E"),
        ("GOsC 12345", "12345"),
        ("BASRaT BR01234", "BR01234"),
        ("STO12345", "STO12345"),  # a number as it stands: nothing taken off
        ("STO STO12345", "STO12345"),
        ("7200001", "7200001"),
        # Not numbers of the register named: left as typed (normalised), and refused later.
        ("GMC PH104233", "GMCPH104233"),
        ("GMC ７２０００01", "GMC７２０００01".upper()),
    ],
)
def test_a_number_is_read_in_the_registers_own_form(typed, stored):
    assert read_registration_number(typed) == stored


def test_a_stored_number_is_shown_with_its_register():
    assert number_with_register("7200001") == "GMC 7200001"
    assert number_with_register("PH104233") == "HCPC PH104233"
    assert number_with_register("not one") == "not one"


def test_the_register_finds_a_number_written_as_the_register_writes_it(client):
    profile = ClinicianProfileFactory(
        full_name="Dr Kofi Mensah",
        regulator="gmc",
        registration_number="7200001",
        consent_to_public_register=True,
    )
    make_credential(profile.user)
    for typed in ("GMC 7200001", "gmc 7200001", "7200001"):
        page = client.get(reverse("credentials:register"), {"q": typed}).content.decode()
        assert "Dr Kofi Mensah" in page, typed


def test_a_watch_list_takes_the_registers_form_and_shows_the_register(client, commissioner):
    watch_list = WatchList.objects.create(owner=commissioner, name="Greater Manchester")
    client.force_login(commissioner)
    url = reverse("credentials:watchlist_detail", args=[watch_list.pk])
    response = client.post(url, {"registration_number": "HCPC PH104233"})
    assert response.status_code == 302
    assert list(watch_list.entries.values_list("registration_number", flat=True)) == ["PH104233"]
    assert "HCPC PH104233" in client.get(url).content.decode()


def test_the_verification_page_and_the_api_show_the_number_with_its_register(client):
    profile = ClinicianProfileFactory(
        full_name="Dr Kofi Mensah",
        regulator="gmc",
        registration_number="7200001",
        consent_to_public_register=True,
    )
    credential = make_credential(profile.user)
    page = client.get(reverse("credentials:verify", args=[credential.token])).content.decode()
    assert "GMC 7200001" in page
    data = client.get(reverse("credentials:api_credential", args=[credential.token])).json()
    assert data["registration"] == {
        "register": "GMC",
        "number": "7200001",
        "display": "GMC 7200001",
    }
    assert data["credential"] == "GP with Extended Role (GPwER) in MSK"  # the type's one name
