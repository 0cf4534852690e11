"""The public register: who appears, what it shows, bad searches, rate limit, query count."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from credentials.selectors.register import KINDS_CACHE_KEY
from credentials.services.credentials import (
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from portfolio.models import Regulator
from tests.credentials.factories import make_credential
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db


def entry(
    name="Asha Patel",
    number=None,
    *,
    consent=True,
    region=None,
    regulator="gmc",
    profession="gp",
    **credential,
):
    profile_fields = {
        "full_name": name,
        "consent_to_public_register": consent,
        "regulator": regulator,
        "profession": profession,
    }
    if number:
        profile_fields["registration_number"] = number
    if region:
        profile_fields["region"] = region
    profile = ClinicianProfileFactory(**profile_fields)
    return make_credential(profile.user, **credential)


def search(client, **params):
    return client.get("/register/", params)


def test_an_empty_search_shows_the_form_and_lists_nobody(client):
    entry("Asha Patel")
    response = client.get("/register/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in page
    assert "Asha Patel" not in page
    assert "<table" not in page


def test_a_name_matches_anywhere_in_any_case(client):
    entry("Asha Patel")
    entry("John Smith")
    page = search(client, q="  pAtE ").content.decode()
    assert "Asha Patel" in page
    assert "John Smith" not in page
    assert "1 result for" in page


def test_a_registration_number_matches_exactly_ignoring_spaces_and_case(client):
    entry("Asha Patel", "7654321")
    entry("Ben Okafor", "7654322")
    profile = ClinicianProfileFactory(
        full_name="Cara Jones", regulator=Regulator.HCPC, registration_number="PH123456"
    )
    make_credential(profile.user)
    assert "Asha Patel" in search(client, q=" 765 4321 ").content.decode()
    assert "Cara Jones" in search(client, q="ph 123456").content.decode()
    partial = search(client, q="765432").content.decode()
    assert "Asha Patel" not in partial and "Ben Okafor" not in partial


def test_clinicians_who_did_not_consent_never_appear(client):
    entry("Asha Patel", "7654321", consent=False)
    for q in ("Patel", "7654321"):
        page = search(client, q=q).content.decode()
        assert "Asha Patel" not in page
        assert "0 results for" in page


def test_withdrawing_consent_takes_a_credential_off_the_register(client):
    credential = entry("Asha Patel")
    assert "Asha Patel" in search(client, q="Patel").content.decode()
    credential.holder.clinician.consent_to_public_register = False
    credential.holder.clinician.save()
    page = search(client, q="Patel").content.decode()
    assert "Asha Patel" not in page
    assert "0 results for" in page  # the count kept for this search is dropped too


def test_only_public_details_are_shown(client):
    credential = entry("Asha Patel", "7654321", conditions="Supervised injections only")
    profile = credential.holder.clinician
    profile.employer = "Hidden Street Surgery"
    profile.save()
    page = search(client, q="Patel").content.decode()
    # A consenting holder's entry leads to their verification page, and the number with its
    # register tells namesakes apart (ADR 0006).
    for shown in (
        "Asha Patel",
        credential.title,
        credential.scope,
        "1 January 2026",
        "GMC 7654321",
        f"/verify/{credential.token}/",
    ):
        assert shown in page
    for hidden in (
        credential.holder.email,
        "Hidden Street Surgery",
        "Supervised injections only",  # conditions are for the verification page
    ):
        assert hidden not in page


def test_filters_by_credential_and_region(client):
    entry("Asha Patel", region="kent_medway")
    entry("Amir Patel", kind="diploma_msk_medicine")
    by_kind = search(client, q="Patel", kind="diploma_msk_medicine").content.decode()
    assert "Amir Patel" in by_kind and "Asha Patel" not in by_kind
    by_region = search(client, q="Patel", region="kent_medway").content.decode()
    assert "Asha Patel" in by_region and "Amir Patel" not in by_region


def test_a_credential_and_a_region_with_no_name_list_every_match(client, settings):
    for n in range(25):
        entry(f"Gp{n:02d} Manchester", f"70000{n:02d}", region="greater_manchester")
    entry("Kent Gp", "7100000", region="kent_medway")
    entry("Hidden Gp", "7200000", region="greater_manchester", consent=False)
    entry("Dip Holder", "7300000", region="greater_manchester", kind="diploma_msk_medicine")
    page = search(client, kind="gpwer_msk", region="greater_manchester").content.decode()
    assert "25 results for GP with Extended Role (GPwER) in MSK, NHS Greater " in page
    assert "Gp00 Manchester" in page and "Gp19 Manchester" in page
    assert "Gp20 Manchester" not in page  # page 2
    assert "Kent Gp" not in page and "Hidden Gp" not in page and "Dip Holder" not in page
    page2 = search(client, kind="gpwer_msk", region="greater_manchester", page=2).text
    assert "Gp24 Manchester" in page2
    settings.REGISTER_SEARCHES_PER_MINUTE = 2
    assert search(client, region="kent_medway").status_code == 429


def test_a_row_leads_to_the_entry_and_tells_namesakes_apart(client):
    one = entry("Asha Patel", "7012345")
    two = entry("Asha Patel", "PH104233", regulator="hcpc", profession="physiotherapist")
    page = search(client, q="Asha Patel").content.decode()
    assert f'href="/verify/{one.token}/"' in page and f'href="/verify/{two.token}/"' in page
    assert "GMC 7012345" in page and "HCPC PH104233" in page
    assert "Physiotherapist" in page and "GP" in page


def test_the_register_links_to_bulk_verification(client):
    assert 'href="/verify/bulk/"' in client.get("/register/").content.decode()


def test_statuses_are_shown_in_words_and_never_as_valid(client, superuser):
    valid = entry("Alex Valid")
    revoked = entry("Alex Revoked")
    revoke_credential(credential=revoked, reason="Struck off", actor=superuser)
    suspended = entry("Alex Suspended")
    suspend_credential(credential=suspended, reason="Under review", actor=superuser)
    entry(
        "Alex Expired", valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 1, 1)
    )
    old = entry("Alex Renewed")
    renew_credential(
        credential=old,
        source_type="tests.renewal",
        source_id="r1",
        valid_from=timezone.localdate(),  # starts today: superseded at once
        valid_until=datetime.date(2033, 1, 1),
    )
    page = search(client, q="Alex").content.decode()
    rows = {
        name: page.split(name, 1)[1].split("</tr>", 1)[0]
        for name in ("Alex Valid", "Alex Revoked", "Alex Suspended", "Alex Expired")
    }
    assert ">Valid</strong>" in rows["Alex Valid"]
    assert ">Revoked</strong>" in rows["Alex Revoked"]
    assert ">Suspended</strong>" in rows["Alex Suspended"]
    assert ">Expired</strong>" in rows["Alex Expired"]
    for name in ("Alex Revoked", "Alex Suspended", "Alex Expired"):
        assert ">Valid</strong>" not in rows[name]
    entry("Alex Later", valid_from=datetime.date(2030, 1, 1), valid_until=datetime.date(2033, 1, 1))
    page = search(client, q="Alex").content.decode()
    assert ">Replaced by a renewal</strong>" in page
    assert ">Not yet valid</strong>" in page.split("Alex Later", 1)[1].split("</tr>", 1)[0]
    assert valid.serial not in page


def test_results_come_20_to_a_page_with_nhs_pagination(client):
    for n in range(23):
        entry(f"Sam Example{n:02d}")
    first = search(client, q="Example").content.decode()
    assert "23 results for" in first
    assert first.count("Sam Example") == 20
    assert "nhsuk-pagination" in first
    assert "?q=Example&amp;page=2" in first
    second = search(client, q="Example", page=2).content.decode()
    assert second.count("Sam Example") == 3


def test_a_broad_search_lists_only_the_first_results(client, monkeypatch):
    from credentials.selectors import register as selector
    from credentials.views import register as view

    monkeypatch.setattr(selector, "MAX_RESULTS", 5)
    monkeypatch.setattr(view, "MAX_RESULTS", 5)
    for n in range(8):
        entry(f"Sam Example{n}")
    page = search(client, q="Example").content.decode()
    assert "More than 5 results for" in page
    assert "Only the first 5 are shown." in page
    assert page.count("Sam Example") == 5
    assert "nhsuk-pagination" not in page


def test_the_query_count_does_not_grow_with_results(client, django_assert_num_queries):
    entry("Lone Wolf")
    for n in range(25):
        entry(f"Pack Member{n}")
    cache.set(KINDS_CACHE_KEY, [])  # the credential filter's choices are cached
    search(client, q="Nobody")  # and so is the site menu, per process
    with django_assert_num_queries(2):  # the count and the page
        assert "1 result for" in search(client, q="Wolf").content.decode()
    with django_assert_num_queries(2):
        assert "25 results for" in search(client, q="Member").content.decode()


def test_a_search_is_counted_once_and_its_pages_reuse_the_count(client, django_assert_num_queries):
    for n in range(23):
        entry(f"Sam Example{n:02d}")
    cache.set(KINDS_CACHE_KEY, [])
    search(client, q="Nobody")
    with django_assert_num_queries(2):  # the count and the page
        assert "23 results for" in search(client, q="example").content.decode()
    with django_assert_num_queries(1):  # the page only: the same search, in any case
        assert "23 results for" in search(client, q=" EXAMPLE ", page=2).content.decode()


def test_a_new_credential_is_counted_at_once(client):
    entry("Sam Example1")
    assert "1 result for" in search(client, q="Example").content.decode()
    entry("Sam Example2")
    page = search(client, q="Example").content.decode()
    assert "2 results for" in page
    assert "Sam Example2" in page


def test_wildcards_in_a_search_are_taken_literally(client):
    entry("Asha Patel")
    page = search(client, q="%_%").content.decode()
    assert "Asha Patel" not in page
    assert "0 results for" in page


def test_names_are_escaped(client):
    entry("<script>alert(1)</script> Patel")
    page = search(client, q="Patel").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "ab"}, "Enter at least 3 letters of the name"),
        ({"q": "a b"}, "Enter at least 3 letters of the name"),
        ({"q": "x" * 101}, "Enter no more than 100 characters."),
        ({"q": "Pat\x00el"}, "Null characters are not allowed."),
        ({"q": "Patel", "kind": "wizard"}, "Choose a credential from the list."),
        ({"q": "Patel", "region": "Atlantis ICB"}, "Choose an ICB or nation from the list."),
    ],
)
def test_a_bad_search_says_what_is_wrong_and_lists_nobody(client, params, message):
    entry("Asha Patel", region="kent_medway")
    response = search(client, **params)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert "<title>Error:" in page
    assert "Asha Patel" not in page


def test_searches_are_rate_limited_per_address(client, settings):
    settings.REGISTER_SEARCHES_PER_MINUTE = 3
    entry("Asha Patel")
    for _ in range(3):
        assert search(client, q="Patel").status_code == 200
    response = search(client, q="Patel")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Too many searches" in page
    assert "Wait a minute, then try again." in page
    assert "Asha Patel" not in page
    # The form itself is not a search, and another address has its own allowance.
    assert client.get("/register/").status_code == 200
    assert client.get("/register/", {"q": "Patel"}, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_allowance(client, settings):
    settings.REGISTER_SEARCHES_PER_MINUTE = 3
    for n in range(3):
        response = client.get("/register/", {"q": "Patel"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert response.status_code == 200
    forged = client.get("/register/", {"q": "Patel"}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert forged.status_code == 429


def test_behind_one_proxy_only_the_address_it_saw_counts(client, settings):
    settings.REGISTER_SEARCHES_PER_MINUTE = 3
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        # The client made up the first address; the proxy appended the real one.
        spoofed = f"203.0.113.{n}, 192.0.2.50"
        response = client.get("/register/", {"q": "Patel"}, HTTP_X_FORWARDED_FOR=spoofed)
        assert response.status_code == 200
    again = client.get(
        "/register/", {"q": "Patel"}, HTTP_X_FORWARDED_FOR="203.0.113.99, 192.0.2.50"
    )
    assert again.status_code == 429
    other = client.get("/register/", {"q": "Patel"}, HTTP_X_FORWARDED_FOR="192.0.2.51")
    assert other.status_code == 200


def test_the_default_limit_is_60_searches_a_minute(client):
    for _ in range(60):
        assert search(client, q="Patel").status_code == 200
    assert search(client, q="Patel").status_code == 429


def test_the_register_only_answers_reads(client):
    assert client.post("/register/", {"q": "Patel"}).status_code == 405
