"""The workforce page: who may see it, how clinicians are counted, small numbers, the chart,
the CSV file, the filter, the population figures and a query count that does not grow."""

import csv
import datetime
import importlib
import io
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credentials.models import Credential, CredentialType
from credentials.selectors import workforce_counts
from credentials.selectors.workforce import ICBS, NATIONS, Figure, workforce_report
from credentials.selectors.workforce_counts import count_rows, recent_quarters
from credentials.services.credentials import (
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from credentials.workforce_chart import scale_top
from portal import generations
from portal.models import RegionPopulation, User
from tests.credentials.factories import make_credential
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

URL = "/workforce/"
GM, DEVON = "greater_manchester", "devon"
GM_NAME = "NHS Greater Manchester ICB"
GPWER = "gpwer_msk"
GPWER_NAME = "GP with Extended Role (GPwER) in MSK"
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def clinician(region=GM, *, consent=True, name=None):
    fields = {"region": region, "consent_to_public_register": consent}
    if name:
        fields["full_name"] = name
    return ClinicianProfileFactory(**fields).user


def award(holder=None, *, region=GM, kind=GPWER, starts=-30, ends=365, **kwargs):
    """A credential valid from STARTS to ENDS days from today (ENDS None: no end)."""
    return make_credential(
        holder or clinician(region),
        kind=kind,
        valid_from=TODAY + starts * DAY,
        valid_until=None if ends is None else TODAY + ends * DAY,
        **kwargs,
    )


def counts(region=GM, kind=GPWER) -> dict:
    """The raw (never shown) counts for one region and type, straight from the query."""
    for row in count_rows(TODAY, recent_quarters(TODAY)):
        if (row["region"], row["kind"]) == (region, kind):
            return row
    return {}


def csv_rows(client, query="") -> list[dict]:
    response = client.get(f"{URL}?{query}&download=csv" if query else f"{URL}?download=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def csv_row(rows, area, kind=GPWER_NAME) -> dict:
    return next(row for row in rows if (row["ICB or nation"], row["Credential"]) == (area, kind))


@pytest.fixture
def population():
    RegionPopulation.objects.update_or_create(
        region=GM,
        defaults={"population": 200_000, "year": 2022, "source": "ONS, mid-2022 (test)"},
    )


# --- who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["commissioner", "faculty_staff", "superuser"])
def test_commissioners_and_faculty_staffs_see_the_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Workforce by ICB and nation" in response.content.decode()
    assert client.get(f"{URL}?download=csv").status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "applicant", "assessor", "content_editor"])
def test_anyone_else_gets_404_for_the_page_and_the_file(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}?download=csv").status_code == 404


def test_signed_out_visitors_are_asked_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_post_is_refused(client, commissioner):
    client.force_login(commissioner)
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize(
    ("persona", "dashboard"),
    [("commissioner", "commissioner"), ("faculty_staff", "faculty-staff")],
)
def test_the_dashboards_link_to_it(client, request, persona, dashboard):
    client.force_login(request.getfixturevalue(persona))
    assert f'href="{URL}"' in client.get(f"/dashboard/{dashboard}/").content.decode()


# --- how clinicians are counted ---------------------------------------------------------------


def test_only_credentials_valid_today_count_and_each_clinician_once():
    for _ in range(4):
        award()
    twice = clinician()
    award(twice)
    award(twice, ends=700)  # a second valid GPwER: still one clinician
    award(clinician(consent=False))  # not on the register, but counted
    award(starts=-800, ends=-1)  # expired
    award(starts=5)  # not valid yet
    revoke_credential(credential=award(), reason="Struck off.", actor=None)
    suspend_credential(credential=award(), reason="Under investigation.", actor=None)
    award(region=DEVON)  # elsewhere
    award(kind="mfsem", ends=None)  # another type

    assert counts()["valid"] == 6
    assert counts(DEVON)["valid"] == 1
    assert counts(kind="mfsem")["valid"] == 1


def test_ending_within_90_days_leaves_out_those_already_renewed_beyond():
    award(ends=10)
    award(ends=90)
    award(ends=91)  # just beyond
    award(ends=None, kind="mfsem")
    renewed = clinician()
    award(renewed, ends=20)
    award(renewed, starts=-1, ends=400)  # in force already, beyond the 90 days

    assert counts()["ending"] == 2
    assert counts()["valid"] == 4
    assert counts(kind="mfsem")["ending"] == 0


def test_a_clinician_renewed_early_stays_valid_and_is_not_ending():
    """Renewed 40 days before the end: the old credential runs on until the renewal starts the
    day after, so the clinician counts as valid today and not as ending."""
    from credentials.services.credentials import renew_credential

    old = award(ends=40)
    renew_credential(
        credential=old,
        source_type="tests.renewal",
        source_id="early",
        valid_from=old.valid_until + DAY,
        valid_until=old.valid_until + 1095 * DAY,
    )
    assert counts()["valid"] == 1
    assert counts()["ending"] == 0
    award(starts=30, ends=400)  # someone whose first credential starts next month
    assert (counts()["valid"], counts()["ending"]) == (1, 0)


def test_new_awards_count_by_quarter_issued_and_leave_out_renewals():
    quarters = recent_quarters(TODAY)
    now, last = len(quarters) - 1, len(quarters) - 2
    award()
    earlier = award()
    Credential.objects.filter(pk=earlier.pk).update(
        issued_at=timezone.make_aware(
            datetime.datetime.combine(quarters[last].first_day, datetime.time(12))
        )
    )
    old = award(starts=-400, ends=20)
    renew_credential(
        credential=old,
        source_type="tests.renewal",
        source_id="1",
        valid_from=TODAY + 21 * DAY,
        valid_until=TODAY + 1000 * DAY,
    )

    row = counts()
    assert row[f"awarded_{now}"] == 2  # the first award and `old`, not its renewal
    assert row[f"awarded_{last}"] == 1


def test_a_past_quarter_counts_what_was_valid_on_its_last_day():
    quarters = recent_quarters(TODAY)
    last = len(quarters) - 2
    gone = award(starts=-400)
    revoke_credential(credential=gone, reason="Struck off.", actor=None)  # today
    award(starts=-400)
    award(starts=-2)  # not yet valid then

    row = counts()
    assert row[f"valid_{last}"] == 2
    assert row["valid"] == 2


# --- small numbers ----------------------------------------------------------------------------


def test_counts_from_one_to_four_read_fewer_than_five_with_no_rate(
    client, commissioner, population
):
    for _ in range(3):
        award()
    client.force_login(commissioner)

    page = client.get(f"{URL}?area={GM}&kind={GPWER}").content.decode()
    assert "fewer than 5" in page
    assert "Not shown" in page
    assert not re.search(r">3</t[dh]>", page)  # in no table (the chart's scale has a 3)

    row = csv_row(csv_rows(client, f"area={GM}&kind={GPWER}"), GM_NAME)
    assert row["Valid today"] == "fewer than 5"
    assert row["Per 100,000 population"] == "Not shown"


def test_five_or_more_are_shown_with_their_rate(client, commissioner, population):
    for _ in range(6):
        award()
    client.force_login(commissioner)

    row = csv_row(csv_rows(client), GM_NAME)
    assert row["Valid today"] == "6"
    assert row["Per 100,000 population"] == "3.0"
    assert row["Population"] == "200000"
    assert row["Population source"] == "ONS, mid-2022 (test)"


def test_a_total_with_a_hidden_part_is_the_range_its_parts_allow(client, commissioner):
    for _ in range(3):
        award()
    for _ in range(6):
        award(region=DEVON)
    client.force_login(commissioner)

    rows = csv_rows(client)
    assert csv_row(rows, "NHS Devon ICB")["Valid today"] == "6"
    assert csv_row(rows, "England (all ICBs)")["Valid today"] == "7 to 10"
    assert csv_row(rows, "United Kingdom")["Valid today"] == "7 to 10"
    assert "7 to 10" in client.get(URL).content.decode()


def test_figures_words_and_ranges():
    assert Figure(0, 0).words == "0"
    assert Figure(1, 4).words == "fewer than 5"
    assert Figure(1234, 1234).words == "1,234"
    assert Figure(1230, 1242).words == "1,230 to 1,242"
    assert Figure(1, 4).rate(100_000) == ""
    assert Figure(6, 6).rate(None) == ""
    assert Figure(6, 6).rate(200_000) == "3.0"
    assert Figure(7, 10).rate(100_000) == "7.0 to 10.0"


def test_the_page_names_nobody(client, faculty_staff):
    for n in range(6):
        award(clinician(name=f"Dr Unlisted Person{n}", consent=n % 2 == 0))
    client.force_login(faculty_staff)

    page = client.get(URL).content.decode()
    download = client.get(f"{URL}?download=csv").content.decode()
    for text in (page, download):
        assert "Unlisted" not in text
        assert "GPWER-" not in text  # no serials either


# --- the chart, the filter and the file -------------------------------------------------------


def test_each_credential_type_has_an_accessible_svg_chart_and_its_table(client, commissioner):
    for _ in range(7):
        award()
    client.force_login(commissioner)

    page = client.get(URL).content.decode()
    kinds = CredentialType.objects.count()
    assert page.count('role="img"') == kinds
    chart = re.search(r"<svg viewBox=\"0 0 640 \d+\".*?</svg>", page, re.S).group(0)
    assert 'aria-labelledby="chart-' in chart
    assert re.search(r'<title id="chart-[a-z_]+-title">', chart)
    assert "<desc id=" in chart and "<script" not in chart
    assert "style=" not in page.split('id="maincontent"')[1]
    assert page.count("by quarter</caption>") == kinds
    assert page.count("by ICB and nation</caption>") == kinds


def test_the_chart_scale_is_round():
    assert scale_top(0) == (5, 1)
    assert scale_top(7) == (8, 2)
    assert scale_top(4_542) == (5_000, 1_000)
    assert scale_top(131) == (150, 50)


def test_the_filter_narrows_to_an_area_and_a_credential(client, commissioner):
    award()
    client.force_login(commissioner)

    page = client.get(f"{URL}?area={GM}&kind={GPWER}").content.decode()
    assert page.count('role="img"') == 1
    assert f"{GPWER_NAME}: by ICB and nation" in page
    assert page.count('scope="row"><span class="nhsuk-table-responsive__heading"') == 1
    assert "NHS Devon ICB</th>" not in page

    england = csv_rows(client, "area=england")
    assert len(england) == (len(ICBS) + 1) * CredentialType.objects.count()
    assert all(
        row["ICB or nation"] == "England (all ICBs)" or row["ICB or nation"].endswith(" ICB")
        for row in england
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("area=atlantis", "Choose an ICB or nation from the list."),
        ("kind=knighthood", "Choose a credential from the list."),
        ("area=atlantis&download=csv", "Choose an ICB or nation from the list."),
    ],
)
def test_bad_filter_values_say_what_is_wrong(client, commissioner, query, message):
    client.force_login(commissioner)
    response = client.get(f"{URL}?{query}")
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "<title>Error: Workforce" in page
    assert "There is a problem" in page and message in page
    assert 'role="img"' not in page


def test_the_csv_escapes_formula_cells(client, faculty_staff):
    CredentialType.objects.create(
        code="formula_test",
        name='=HYPERLINK("http://evil.example")',
        serial_prefix="FORM",
        criteria="A test.",
    )
    for _ in range(5):
        award(kind="formula_test")
    client.force_login(faculty_staff)

    text = client.get(f"{URL}?download=csv&kind=formula_test").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# --- population figures -----------------------------------------------------------------------


def test_the_seeded_population_covers_every_icb_and_nation():
    seed = importlib.import_module("portal.migrations.0006_region_population")
    assert set(seed.ICBS) == set(ICBS)
    assert set(seed.SOURCES) == set(NATIONS)
    # England's mid-2022 population was about 57.1 million.
    assert 56_500_000 < sum(seed.ICBS.values()) < 57_700_000


def test_a_population_needs_its_source_and_year_and_more_than_nobody():
    figure = RegionPopulation(region=DEVON, population=0, year=1066, source="")
    with pytest.raises(ValidationError) as refused:
        figure.full_clean(validate_unique=False)
    assert set(refused.value.message_dict) == {"population", "year", "source"}


def test_the_django_admin_edits_the_figures(client, superuser):
    figure, _ = RegionPopulation.objects.update_or_create(
        region=DEVON, defaults={"population": 1_220_000, "year": 2022, "source": "ONS"}
    )
    client.force_login(superuser)
    assert client.get("/admin/portal/regionpopulation/").status_code == 200
    response = client.post(
        f"/admin/portal/regionpopulation/{figure.pk}/change/",
        {"region": DEVON, "population": "1230000", "year": "2023", "source": "ONS, mid-2023"},
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert (figure.population, figure.year) == (1_230_000, 2023)


def test_england_and_the_uk_rates_use_the_sums_of_their_parts():
    RegionPopulation.objects.all().delete()
    for code in (*ICBS, *NATIONS):
        RegionPopulation.objects.create(region=code, population=1_000_000, year=2022, source="T")
    report = workforce_report()
    areas = report.kinds[0].areas
    assert areas["england"].population.people == len(ICBS) * 1_000_000
    assert areas["united_kingdom"].population.people == (len(ICBS) + 3) * 1_000_000
    RegionPopulation.objects.filter(region=DEVON).delete()
    assert workforce_report().kinds[0].areas["england"].population is None


# --- speed ------------------------------------------------------------------------------------


def _grow(total: int) -> None:
    """TOTAL credentials in all, across regions and types, loaded in bulk (no signals)."""
    have = Credential.objects.count()
    kinds = list(CredentialType.objects.order_by("code"))
    regions = [*ICBS, *NATIONS, ""]
    users = User.objects.bulk_create(
        User(email=f"bulk{n}@example.org", password=make_password(None)) for n in range(have, total)
    )
    Credential.objects.bulk_create(
        Credential(
            holder=user,
            holder_name="Bulk",
            region=regions[n % len(regions)],
            kind=kinds[n % len(kinds)],
            title=kinds[n % len(kinds)].name,
            serial=f"BULK-{n}",
            serial_year=2026,
            serial_number=n,
            valid_from=TODAY - (n % 700) * DAY,
            valid_until=TODAY + (n % 400) * DAY,
            source_type="tests.bulk",
            source_id=str(n),
        )
        for n, user in zip(range(have, total), users, strict=True)
    )


def _queries_cold(client) -> int:
    client.get(URL)  # the site menu and the session
    # bulk_create sent no signals: count afresh
    generations.bump(workforce_counts.GENERATION_KEY)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_from_20_to_200_credentials(client, faculty_staff):
    client.force_login(faculty_staff)
    _grow(20)
    small = _queries_cold(client)
    _grow(200)
    assert _queries_cold(client) == small
    assert small <= 5
    with CaptureQueriesContext(connection) as warm:
        client.get(URL)
    assert len(warm) == small - 1  # the counts are kept until a credential changes


def test_a_change_to_a_credential_is_counted_at_once(client, commissioner):
    for _ in range(5):
        award()
    client.force_login(commissioner)
    assert csv_row(csv_rows(client), GM_NAME)["Valid today"] == "5"
    award()
    assert csv_row(csv_rows(client), GM_NAME)["Valid today"] == "6"


def test_after_changes_commit_the_figures_are_counted_once_ahead_of_readers(
    client, commissioner, django_capture_on_commit_callbacks
):
    from unittest import mock

    from credentials.selectors import workforce_counts

    with (
        mock.patch.object(
            workforce_counts, "count_rows", wraps=workforce_counts.count_rows
        ) as counts,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for _ in range(3):
            make_credential(valid_from=timezone.localdate())
    assert counts.call_count == 1  # three changes in one transaction: one count
    client.force_login(commissioner)
    with mock.patch.object(workforce_counts, "count_rows") as again:
        assert client.get("/workforce/").status_code == 200
    assert again.call_count == 0  # the reader finds the figures ready
