"""The credential pages pass axe with realistic data in them: the public register and the
verification pages, the holder's credentials, the commissioners' bulk verification and watch
lists, and the exam administrators' credential management, including their forms with errors."""

import datetime
from types import SimpleNamespace

import pytest

from credentials.services import watchlists
from credentials.services.credentials import (
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from portal.roles import Role
from portfolio.models import Profession, Regulator
from tests.browser.a11y import assert_accessible
from tests.credentials.factories import make_credential
from tests.factories import make_persona
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.browser

GREATER_MANCHESTER = "greater_manchester"
NORTH_EAST = "ne_north_cumbria"
UNKNOWN_TOKEN = "q7Jx2mZbV9cRt4LwP0sKdE8hYf1uNa3GiOv6XeT5lWk"  # the shape of a token, no credential
BULK_CSV = b"Registration number\n7654321\n7654322\nPH 123456\n12a3456e\n9999999\n"


def _clinician(name, number, *, user=None, **fields):
    """A clinician's profile (and user, unless given): the holder details a credential copies."""
    fields = {
        "full_name": name,
        "registration_number": number,
        "region": GREATER_MANCHESTER,
        "consent_to_public_register": True,
        **fields,
    }
    if user is not None:
        fields["user"] = user
    return ClinicianProfileFactory(**fields).user


@pytest.fixture
def data(site):
    """A register with a credential in every state, a commissioner watching some of them (so
    that the changes below raise alerts), an applicant who holds several, an exam administrator.
    """
    staff = make_persona(Role.FACULTY_STAFF, mfa=True, email="exams@example.org")
    commissioner = make_persona(Role.COMMISSIONER, email="commissioner@example.org")
    watched = watchlists.create_watch_list(
        owner=commissioner, name="Greater Manchester MSK service"
    )
    watchlists.add_entries(
        watch_list=watched,
        lines=["7654321", "7654322", "PH123456", "9999999"],
        actor=commissioner,
    )
    watchlists.create_watch_list(owner=commissioner, name="Leeds community MSK service")

    applicant = make_persona(Role.APPLICANT, email="applicant@example.org")
    _clinician("Dr Asha Patel", "7654321", user=applicant)
    active = make_credential(
        applicant,
        conditions="Injection therapy under the supervision of a consultant until June 2027.",
    )
    membership = make_credential(
        applicant,
        kind="mfsem",
        scope="",
        valid_from=datetime.date(2023, 1, 1),
        valid_until=datetime.date(2025, 12, 31),
    )
    renewal = renew_credential(
        credential=membership,
        source_type="tests.renewal",
        source_id="membership",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2028, 12, 31),
        issued_by=staff,
    )
    membership.refresh_from_db()
    diploma = make_credential(
        applicant,
        kind="diploma_msk_medicine",
        scope="Diagnosis and management of common MSK conditions in primary care.",
        valid_until=None,
    )
    watchlists.mark_alerts_read(user=commissioner)  # the issues above are old news
    suspended = suspend_credential(
        credential=diploma,
        reason="Under review after a complaint; the review is expected to end in March 2027.",
        actor=staff,
    )

    ravi = _clinician("Dr Ravi Patel", "7654322")
    revoked = revoke_credential(
        credential=make_credential(ravi),
        reason="Removed from the medical register by the GMC.",
        actor=staff,
    )
    priya = _clinician(
        "Priya Patel",
        "PH123456",
        profession=Profession.PHYSIOTHERAPIST,
        regulator=Regulator.HCPC,
        region=NORTH_EAST,
    )
    expired = make_credential(
        priya,
        kind="msk_advanced_practice",
        scope="First-contact MSK assessment, requesting imaging and injection therapy.",
        valid_from=datetime.date(2021, 9, 1),
        valid_until=datetime.date(2024, 8, 31),
    )
    meera = _clinician(
        "Meera Patel", "12A3456E", profession=Profession.NURSE, regulator=Regulator.NMC
    )
    not_yet_valid = make_credential(
        meera,
        kind="sport_exercise_therapist",
        valid_from=datetime.date(2027, 1, 1),
        valid_until=datetime.date(2030, 12, 31),
    )
    # Not on the register (no consent), and someone who is not called Patel.
    make_credential(_clinician("Dr Sam Patel", "7000001", consent_to_public_register=False))
    make_credential(
        _clinician("Tom Reid", "12345", profession=Profession.OSTEOPATH, regulator=Regulator.GOSC),
    )
    return SimpleNamespace(
        staff=staff,
        commissioner=commissioner,
        applicant=applicant,
        watch_list=watched,
        active=active,
        suspended=suspended,
        revoked=revoked,
        expired=expired,
        superseded=membership,
        renewal=renewal,
        not_yet_valid=not_yet_valid,
    )


def _goto(page, path, status=200):
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}, not {status}"
    return response


def _check(page, path, status=200):
    _goto(page, path, status)
    assert_accessible(page)


def _submit(page, name):
    page.locator("main form").get_by_role("button", name=name).click()
    page.wait_for_load_state()


def _assert_error_summary(page, *messages):
    """The error summary is shown, focused (by NHS.UK frontend's script) and in the title, and
    holds each message; each of its links leads to an element on the page, and following a
    link to a field puts the keyboard in that field."""
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "There is a problem" in text
    for message in messages:
        assert message in text, f"{message!r} is not in the error summary:\n{text}"
    assert page.evaluate("() => !!document.activeElement.closest('.nhsuk-error-summary')"), (
        "focus did not move to the error summary"
    )
    assert page.title().startswith("Error: "), page.title()
    links = summary.locator("a")
    assert links.count() > 0, "the error summary links to nothing"
    for href in links.evaluate_all("links => links.map((a) => a.getAttribute('href'))"):
        assert href.startswith("#") and page.locator(href).count() == 1, (
            f"the error summary links to {href}, which is not on the page"
        )
    # Following a link to a field puts the keyboard in that field (NHS.UK frontend's script
    # does it, for a target that can take focus). Non-field errors are only scrolled to.
    for link in links.all():
        href = link.get_attribute("href")
        if page.locator(href).evaluate("el => el.matches('.nhsuk-error-message')"):
            continue
        link.click()
        focused = page.evaluate("() => document.activeElement.id")
        assert f"#{focused}" == href, f"following {href} put the focus on #{focused}"
    return summary


def _no_csp_errors(console):
    assert not console.csp_errors, "Content Security Policy errors:\n" + "\n".join(
        f"  {url}: {text}" for url, _, text in console.csp_errors
    )


# The public register -------------------------------------------------------------------------

REGISTER_PAGES = {
    "empty": "/register/",
    # Patel: valid, suspended, revoked, expired, not yet valid and replaced by a renewal.
    "results": "/register/?q=patel",
    "by-number": "/register/?q=PH+123456",
    "no-results": "/register/?q=Zebedee",
    "filtered": f"/register/?q=Patel&kind=gpwer_msk&region={GREATER_MANCHESTER}",
    "filtered-no-results": "/register/?q=Patel&kind=mfsem&region=kent_medway",
    "credential-and-region": f"/register/?kind=gpwer_msk&region={GREATER_MANCHESTER}",
}


@pytest.mark.parametrize("path", REGISTER_PAGES.values(), ids=REGISTER_PAGES.keys())
def test_register_page(new_page, data, path):
    page, _ = new_page()
    _check(page, path)


def test_register_results_show_every_status_in_words(new_page, data):
    page, _ = new_page()
    _check(page, "/register/?q=patel")
    table = page.locator("main table")
    for words in ("Valid", "Suspended", "Revoked", "Expired", "Not yet valid"):
        assert table.get_by_text(words, exact=True).count() >= 1, f"no {words} credential"
    assert "Sam Patel" not in table.inner_text()


def test_register_results_over_several_pages(new_page, data):
    for n in range(20):
        make_credential(_clinician(f"Dr Anil Patel {n:02d}", f"76600{n:02d}"))
    page, _ = new_page()
    _check(page, "/register/?q=Patel")
    assert page.locator(".nhsuk-pagination").count() == 1
    page.locator(".nhsuk-pagination__link--next").click()
    page.wait_for_load_state()
    assert "page=2" in page.url
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/register/?q=ab", "Enter at least 3 letters"),
        ("/register/?kind=gpwer_msk&region=Atlantis", "Choose an ICB or nation from the list."),
        ("/register/?q=Patel&kind=nonsense", "Choose a credential from the list."),
    ],
    ids=["too-short", "unknown-region", "unknown-kind"],
)
def test_register_search_with_errors(new_page, data, path, message):
    page, _ = new_page()
    _goto(page, path)
    _assert_error_summary(page, message)
    assert_accessible(page)


def test_a_visitor_searches_the_register_with_the_form(new_page, data):
    page, _ = new_page()
    _goto(page, "/register/")
    page.get_by_label("Name or registration number").fill("Patel")
    _submit(page, "Search")
    assert "q=Patel" in page.url
    assert page.locator("main table tbody tr").count() >= 1
    # Every GPwER in Greater Manchester: no name, a credential and an ICB chosen.
    page.get_by_label("Name or registration number").fill("")
    page.get_by_label("Credential").select_option("gpwer_msk")
    page.get_by_label("Integrated care board (ICB) or nation").select_option(GREATER_MANCHESTER)
    _submit(page, "Search")
    assert "results for GP with Extended Role" in page.locator("#results").inner_text()
    first = page.locator("main table tbody tr a").first
    first.click()
    page.wait_for_load_state()
    assert "/verify/" in page.url
    assert_accessible(page)


def test_bulk_verification_of_an_excel_file(new_page, data):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Name", "GMC number"])
    book.active.append(["Someone", "7654321"])
    book.active.append(["Typo", "765432X"])
    buffer = io.BytesIO()
    book.save(buffer)
    page, _ = new_page(data.commissioner, bypass_csp=False)
    _goto(page, "/verify/bulk/")
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "team.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": buffer.getvalue(),
            }
        ],
    )
    _submit(page, "Check the numbers")
    assert page.get_by_role("heading", level=1).inner_text() == "Results of your check"
    assert "Not a valid registration number" in page.locator("main table").inner_text()


def test_register_rate_limited(new_page, data, settings):
    settings.REGISTER_SEARCHES_PER_MINUTE = 1
    page, _ = new_page()
    _goto(page, "/register/?q=Patel")
    _check(page, "/register/?q=Reid", status=429)


# Verification ---------------------------------------------------------------------------------

VERIFIED = ["active", "suspended", "revoked", "expired", "superseded", "renewal", "not_yet_valid"]


@pytest.mark.parametrize("which", VERIFIED)
def test_verification_page(new_page, data, which):
    credential = getattr(data, which)
    page, _ = new_page()
    _check(page, f"/verify/{credential.token}/")
    assert page.get_by_role("heading", level=1).inner_text() == credential.title
    if which in ("suspended", "revoked", "superseded"):
        reason = page.locator(".nhsuk-summary-list").inner_text()
        assert credential.status_reason in reason


def test_verification_page_for_an_unknown_token(new_page, data):
    page, _ = new_page()
    _check(page, f"/verify/{UNKNOWN_TOKEN}/", status=404)
    assert page.get_by_role("heading", level=1).inner_text() == "Credential not found"


# The holder ------------------------------------------------------------------------------------


def test_holders_credentials(new_page, data):
    page, _ = new_page(data.applicant)
    _check(page, "/credentials/")
    assert page.locator("main tbody tr").count() == 4


def test_holder_without_credentials(new_page, data):
    page, _ = new_page(make_persona(Role.APPLICANT, email="new.applicant@example.org"))
    _check(page, "/credentials/")


# Commissioners: bulk verification ----------------------------------------------------------------


def test_bulk_verification_upload_form(new_page, data):
    page, _ = new_page(data.commissioner)
    _check(page, "/verify/bulk/")


def test_bulk_verification_results(new_page, data):
    page, _ = new_page(data.commissioner)
    _goto(page, "/verify/bulk/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "numbers.csv", "mimeType": "text/csv", "buffer": BULK_CSV}],
    )
    _submit(page, "Check the numbers")
    assert page.get_by_role("heading", level=1).inner_text() == "Results of your check"
    assert page.locator("main tbody tr").count() >= 5
    assert_accessible(page)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Choose a CSV or Excel file"),
        ({"name": "numbers.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n"}, "CSV"),
        ({"name": "numbers.csv", "mimeType": "text/csv", "buffer": b"Name\n"}, "no registration"),
    ],
    ids=["no-file", "not-csv", "no-numbers"],
)
def test_bulk_verification_with_errors(new_page, data, upload, message):
    page, _ = new_page(data.commissioner)
    _goto(page, "/verify/bulk/")
    if upload is not None:
        page.set_input_files("input[name=file]", files=[upload])
    _submit(page, "Check the numbers")
    summary = _assert_error_summary(page, message)
    assert summary.locator('a[href="#id_file"]').count() == 1
    assert page.locator("#id_file-error").is_visible()
    assert_accessible(page)


# Commissioners: watch lists ------------------------------------------------------------------

WATCH_LIST_PAGES = [
    "/watchlists/",
    "/watchlists/new/",
    "/watchlists/alerts/",
    "/watchlists/{pk}/",
    "/watchlists/{pk}/paste/",
    "/watchlists/{pk}/rename/",
    "/watchlists/{pk}/delete/",
    "/watchlists/{pk}/numbers/{entry}/remove/",
]


@pytest.mark.parametrize("path", WATCH_LIST_PAGES)
def test_watch_list_page(new_page, data, path):
    entry = data.watch_list.entries.get(registration_number="7654322")
    page, _ = new_page(data.commissioner)
    _check(page, path.format(pk=data.watch_list.pk, entry=entry.pk))


def test_watch_lists_show_lists_entries_and_alerts(new_page, data):
    page, _ = new_page(data.commissioner)
    _goto(page, "/watchlists/")
    assert page.locator("main tbody tr").count() == 2
    _goto(page, f"/watchlists/{data.watch_list.pk}/")
    assert page.locator("main tbody tr").count() == 4
    _goto(page, "/watchlists/alerts/")
    alerts = page.locator("main tbody tr")
    assert alerts.count() >= 6
    assert alerts.get_by_text("New", exact=True).count() >= 1  # unread, and some read


def test_watch_lists_without_any(new_page, data):
    page, _ = new_page(make_persona(Role.COMMISSIONER, email="new.commissioner@example.org"))
    for path in ("/watchlists/", "/watchlists/alerts/"):
        _check(page, path)


def test_watch_list_paste_with_errors(new_page, data):
    page, _ = new_page(data.commissioner)
    _goto(page, f"/watchlists/{data.watch_list.pk}/paste/")
    page.get_by_label("Registration numbers, one on each line").fill(
        "1234567\nnot a number\n1234567\n7654321\n"
    )
    _submit(page, "Add numbers")
    summary = _assert_error_summary(page, "Row 2", "Row 3")
    assert summary.locator('a[href="#id_numbers"]').count() >= 1
    assert page.locator("#id_numbers-error").is_visible()
    assert_accessible(page)


def test_watch_list_add_number_with_errors(new_page, data):
    page, _ = new_page(data.commissioner)
    _goto(page, f"/watchlists/{data.watch_list.pk}/")
    page.get_by_label("Registration number").fill("7654321")
    _submit(page, "Add number")
    _assert_error_summary(page, "7654321 is already on this list.")
    assert page.locator("#id_registration_number-error").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "button", "message"),
    [
        ("/watchlists/new/", "Create list", "Enter a name for the list."),
        ("/watchlists/{pk}/rename/", "Save name", "Enter a name for the list."),
    ],
    ids=["create", "rename"],
)
def test_watch_list_name_with_errors(new_page, data, path, button, message):
    page, _ = new_page(data.commissioner)
    _goto(page, path.format(pk=data.watch_list.pk))
    page.get_by_label("Name of the list").fill("")
    _submit(page, button)
    _assert_error_summary(page, message)
    assert_accessible(page)


# Exam administrators: credential management -------------------------------------------------

MANAGE_PAGES = {
    "list": ("/manage/credentials/", None),
    "search": ("/manage/credentials/?q=Patel&status=", None),
    "filtered": ("/manage/credentials/?q=&status=suspended", None),
    "no-match": ("/manage/credentials/?q=Zebedee&status=revoked", None),
    "active": ("/manage/credentials/{serial}/", "active"),
    "suspended": ("/manage/credentials/{serial}/", "suspended"),
    "revoked": ("/manage/credentials/{serial}/", "revoked"),
    "superseded": ("/manage/credentials/{serial}/", "superseded"),
    "renewal": ("/manage/credentials/{serial}/", "renewal"),
    "suspend": ("/manage/credentials/{serial}/suspend/", "active"),
    "reinstate": ("/manage/credentials/{serial}/reinstate/", "suspended"),
    "revoke": ("/manage/credentials/{serial}/revoke/", "active"),
    "renew": ("/manage/credentials/{serial}/renew/", "active"),
    "renew-no-end-date": ("/manage/credentials/{serial}/renew/", "suspended"),
    "renew-refused": ("/manage/credentials/{serial}/renew/", "revoked"),
}


@pytest.mark.parametrize(("path", "which"), MANAGE_PAGES.values(), ids=MANAGE_PAGES.keys())
def test_manage_page(new_page, data, path, which):
    serial = getattr(data, which).serial if which else None
    page, _ = new_page(data.staff)
    _check(page, path.format(serial=serial))


def test_manage_list_with_an_unknown_status(new_page, data):
    page, _ = new_page(data.staff)
    _goto(page, "/manage/credentials/?q=Patel&status=lapsed")
    _assert_error_summary(page, "Choose a status from the list.")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("action", "which", "button", "messages"),
    [
        ("suspend", "active", "Suspend credential", ["Enter the reason for suspending."]),
        ("reinstate", "suspended", "Reinstate credential", ["Enter the reason for reinstating."]),
        (
            "revoke",
            "active",
            "Revoke credential",
            ["Enter the reason for revoking.", "Confirm that you understand."],
        ),
    ],
    ids=["suspend", "reinstate", "revoke"],
)
def test_status_change_submitted_empty(new_page, data, action, which, button, messages):
    credential = getattr(data, which)
    page, _ = new_page(data.staff)
    _goto(page, f"/manage/credentials/{credential.serial}/{action}/")
    _submit(page, button)
    _assert_error_summary(page, *messages)
    assert page.locator("#id_reason-error").is_visible()
    assert_accessible(page)


def test_renewal_submitted_empty(new_page, data):
    page, _ = new_page(data.staff)
    _goto(page, f"/manage/credentials/{data.active.serial}/renew/")
    for box in page.locator("main .nhsuk-date-input input").all():
        box.fill("")
    _submit(page, "Renew credential")
    _assert_error_summary(page, "Enter the date the renewal starts.")
    assert page.locator("#id_valid_from-error").is_visible()
    assert_accessible(page)


def test_renewal_with_an_end_before_its_start(new_page, data):
    page, _ = new_page(data.staff)
    _goto(page, f"/manage/credentials/{data.active.serial}/renew/")
    page.get_by_role("group", name="Valid until").get_by_label("Year").fill("2020")
    _submit(page, "Renew credential")
    _assert_error_summary(page, "The end date must be the same as or after the start.")
    assert_accessible(page)


def test_status_change_refused_by_the_service(new_page, data):
    """A change the credential's state forbids is refused with a message above the form."""
    page, _ = new_page(data.staff)
    _goto(page, f"/manage/credentials/{data.revoked.serial}/suspend/")
    page.get_by_label("Reason for suspending").fill("Complaint received.")
    _submit(page, "Suspend credential")
    _assert_error_summary(page)
    assert_accessible(page)


# Narrow screens -------------------------------------------------------------------------------

# WCAG 1.4.10 (reflow): usable at 320 CSS pixels wide without scrolling sideways.
NARROW = {"width": 320, "height": 800}
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _narrow_pages(data, who):
    return {
        "public": (
            None,
            [
                "/register/?q=patel",
                f"/verify/{data.suspended.token}/",
                f"/verify/{data.superseded.token}/",
            ],
        ),
        "holder": (data.applicant, ["/credentials/"]),
        "commissioner": (
            data.commissioner,
            [
                "/watchlists/",
                f"/watchlists/{data.watch_list.pk}/",
                "/watchlists/alerts/",
                "/verify/bulk/",
            ],
        ),
        "staff": (
            data.staff,
            [
                "/manage/credentials/",
                f"/manage/credentials/{data.superseded.serial}/",
                f"/manage/credentials/{data.active.serial}/revoke/",
                f"/manage/credentials/{data.active.serial}/renew/",
            ],
        ),
    }[who]


WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 8)
  .map((e) => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60))"""


@pytest.mark.parametrize("who", ["public", "holder", "commissioner", "staff"])
def test_pages_reflow_on_a_narrow_screen(new_page, data, who):
    user, paths = _narrow_pages(data, who)
    page, _ = new_page(user)
    page.set_viewport_size(NARROW)
    for path in paths:
        _goto(page, path)
        assert page.evaluate(FITS), f"{path} scrolls sideways at 320 pixels: " + str(
            page.evaluate(WIDEST)
        )
        assert_accessible(page)
    if who == "commissioner":  # and the results of a check, the widest table
        page.set_input_files(
            "input[name=file]",
            files=[{"name": "numbers.csv", "mimeType": "text/csv", "buffer": BULK_CSV}],
        )
        _submit(page, "Check the numbers")
        assert page.evaluate(FITS), "the bulk results scroll sideways at 320 pixels"
        assert_accessible(page)


# The content security policy -----------------------------------------------------------------

SUPPORTED = "() => document.body.classList.contains('nhsuk-frontend-supported')"


def test_no_csp_errors_on_credential_pages(new_page, data):
    visits = [
        (
            None,
            [
                "/register/",
                "/register/?q=Patel",
                "/register/?q=ab",
                f"/verify/{data.active.token}/",
                f"/verify/{data.revoked.token}/",
            ],
        ),
        (data.applicant, ["/credentials/"]),
        (
            data.commissioner,
            ["/verify/bulk/", "/watchlists/", f"/watchlists/{data.watch_list.pk}/"],
        ),
        (
            data.staff,
            [
                "/manage/credentials/",
                f"/manage/credentials/{data.active.serial}/",
                f"/manage/credentials/{data.active.serial}/renew/",
            ],
        ),
    ]
    for user, paths in visits:
        page, console = new_page(user, bypass_csp=False)
        for path in paths:
            _goto(page, path)
            assert page.evaluate(SUPPORTED), f"portal.mjs did not run on {path}"
        if user is data.commissioner:  # and the error summary's script, after an upload
            _goto(page, "/verify/bulk/")
            _submit(page, "Check the numbers")
            _assert_error_summary(page, "Choose a CSV or Excel file")
        if user is None:
            _goto(page, f"/verify/{UNKNOWN_TOKEN}/", status=404)
        _no_csp_errors(console)
