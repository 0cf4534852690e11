"""The workforce page passes axe with figures in it (every credential type, one area, a bad
filter value), reflows on a narrow screen, breaks no rule of the content security policy, and
its charts are images named in words."""

import datetime

import pytest
from django.utils import timezone

from portal.models import RegionPopulation
from portal.roles import Role
from tests.browser.a11y import assert_accessible
from tests.credentials.factories import make_credential
from tests.factories import make_persona
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 800}
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
PAGES = {
    "everything": "/workforce/",
    "one-area": "/workforce/?area=greater_manchester&kind=gpwer_msk",
    "england": "/workforce/?area=england&kind=mfsem",
}


@pytest.fixture
def data(site):
    """A few populations (the seeded ones are lost once a transactional test has flushed the
    database), and enough credentials for shown counts, hidden ones and ranges."""
    RegionPopulation.objects.all().delete()
    for region, people in (("greater_manchester", 2_900_000), ("scotland", 5_450_000)):
        RegionPopulation.objects.create(
            region=region, population=people, year=2022, source="ONS, mid-2022"
        )
    today = timezone.localdate()
    for region, kind, how_many in (
        ("greater_manchester", "gpwer_msk", 7),
        ("devon", "gpwer_msk", 3),
        ("scotland", "mfsem", 5),
        ("wales", "diploma_msk_medicine", 2),
    ):
        for _ in range(how_many):
            holder = ClinicianProfileFactory(region=region).user
            make_credential(
                holder,
                kind=kind,
                valid_from=today - datetime.timedelta(days=200),
                valid_until=today + datetime.timedelta(days=60),
            )
    return {
        "commissioner": make_persona(Role.COMMISSIONER, email="commissioner@example.org"),
        "staff": make_persona(Role.FACULTY_STAFF, mfa=True, email="exams@example.org"),
    }


def _open(page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200, path


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_workforce_pages_pass_axe(new_page, data, path):
    page, _ = new_page(data["commissioner"])
    _open(page, path)
    assert_accessible(page)


def test_a_bad_filter_value_is_explained_accessibly(new_page, data):
    page, _ = new_page(data["staff"])
    _open(page, "/workforce/?area=atlantis")
    summary = page.locator(".nhsuk-error-summary")
    assert "Choose an ICB or nation from the list." in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_each_chart_is_an_image_named_and_described_in_words(new_page, data):
    page, _ = new_page(data["staff"])
    _open(page, "/workforce/?kind=gpwer_msk")
    chart = page.get_by_role(
        "img",
        name=(
            "GP with Extended Role (GPwER) in MSK: clinicians holding one at the end of each "
            "quarter, United Kingdom"
        ),
    )
    assert chart.count() == 1
    description = chart.get_attribute("aria-describedby")
    assert "8 to 11" in page.locator(f"#{description}").text_content()
    table = page.locator("main table").first
    assert "8 to 11" in table.inner_text()  # 7 in Greater Manchester, Devon's 3 hidden


def test_the_page_reflows_on_a_narrow_screen(new_page, data):
    page, _ = new_page(data["commissioner"])
    page.set_viewport_size(NARROW)
    for path in PAGES.values():
        _open(page, path)
        assert page.evaluate(FITS), f"{path} scrolls sideways at 320 pixels"
        assert_accessible(page)


def test_the_page_breaks_no_rule_of_the_content_security_policy(new_page, data):
    page, console = new_page(data["commissioner"], bypass_csp=False)
    for path in PAGES.values():
        _open(page, path)
    assert not console.csp_errors, console.csp_errors
