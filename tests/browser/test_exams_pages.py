"""The exams journey in a browser, with axe on every page: a candidate applies, asks for an
adjustment; an administrator imports results (a bad file first, then a dry run and the
confirmation), sets the standard, looks at the item analysis and releases; the candidate reads
their result."""

import pytest

from exams.models import Booking, BookingStatus, Sitting, SittingStatus
from exams.sample_results import KEY_HEADER, SBA_HEADER, csv_bytes, key_rows, sba_rows
from exams.services.standards import ratify
from portal.roles import Role
from tests.browser.a11y import assert_accessible
from tests.exams.factories import book, make_candidate, make_sitting
from tests.exams.results_data import KEY, run_import
from tests.factories import make_persona

pytestmark = pytest.mark.browser


def _goto(page, path, status=200):
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}, not {status}"
    assert_accessible(page)


def _submit(page, name):
    page.locator("main form").get_by_role("button", name=name).click()
    page.wait_for_load_state()
    assert_accessible(page)


def _upload(page, name, data):
    page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def test_candidate_applies_and_administrator_imports_standard_sets_and_releases(site, new_page):
    staff = make_persona(Role.FACULTY_STAFF, mfa=True, email="exams@example.org")
    board = make_persona(Role.FACULTY_STAFF, mfa=True, email="board@example.org")

    # A candidate applies for an open sitting and asks for extra time.
    open_sitting = make_sitting(capacity=10)
    candidate = make_candidate(email="candidate@example.org")
    page, console = new_page(candidate)
    _goto(page, "/exams/")
    page.get_by_role("link", name="Diploma in MSK Medicine, Spring").click()
    page.wait_for_load_state()
    assert_accessible(page)
    _submit(page, "Apply")
    assert "Your candidate number is 0001" in page.content()
    page.get_by_role("link", name="Ask for a reasonable adjustment").click()
    _submit(page, "Send request")  # empty: errors in the summary
    assert "Choose the adjustment you need." in page.locator(".nhsuk-error-summary").inner_text()
    page.get_by_label("Extra time").check()
    page.get_by_label("Tell us more").fill("25% extra time for dyslexia.")
    _submit(page, "Send request")
    assert Booking.objects.get(sitting=open_sitting, candidate=candidate).adjustments.count() == 1

    # A sitting that has been held: the administrator imports its results.
    held = make_sitting(past=True, label="Summer")
    booking = book(held, candidate)
    numbers = [booking.candidate_number] + [book(held).candidate_number for _ in range(5)]
    key = key_rows(10)
    run_import(held, "paper", KEY, csv_bytes(KEY_HEADER, key), by=staff)
    rows = sba_rows(numbers, key)
    page, console = new_page(staff)
    _goto(page, "/manage/exams/")
    page.get_by_role("link", name="Add a sitting").click()
    page.wait_for_load_state()
    assert_accessible(page)
    _submit(page, "Save draft sitting")  # empty: every error in the summary, axe-clean
    assert "Enter a name for the sitting." in page.locator(".nhsuk-error-summary").inner_text()
    _goto(page, f"/manage/exams/sittings/{held.pk}/")
    page.get_by_role("link", name="Import results").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("SBA responses (candidate number, item, option)").check()
    _upload(page, "responses.csv", csv_bytes(SBA_HEADER, [*rows, ("0999", "Q001", "A")]))
    _submit(page, "Check file")
    assert "Nothing was imported: 1 row needs correcting" in page.content()
    page.get_by_label("SBA responses (candidate number, item, option)").check()
    _upload(page, "responses.csv", csv_bytes(SBA_HEADER, rows))
    _submit(page, "Check file")
    assert "Check passed: nothing saved yet" in page.content()
    _submit(page, "Confirm import")
    assert "Imported: 60 responses" in page.content()
    assert Sitting.objects.get(pk=held.pk).status == SittingStatus.RESULTS_IMPORTED

    # Standard setting, item analysis, results.
    page.get_by_role("link", name="Standard setting").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Cut score set by the board").check()
    page.get_by_label("Cut score (marks)").fill("5")
    _submit(page, "Set standard and compute results")
    assert "The standard is set" in page.content()
    _goto(page, f"/manage/exams/sittings/{held.pk}/items/")
    _goto(page, f"/manage/exams/sittings/{held.pk}/candidates/")

    # A second administrator ratifies; the first releases.
    ratify(Sitting.objects.get(pk=held.pk), by=board)
    _goto(page, f"/manage/exams/sittings/{held.pk}/")
    page.get_by_role("link", name="Release results").click()
    page.wait_for_load_state()
    assert_accessible(page)
    _submit(page, "Release results")
    assert "The results are released" in page.content()

    # The candidate sees the result.
    page, console = new_page(candidate)
    _goto(page, "/exams/")
    page.get_by_role("link", name="Results released").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert "Your feedback" in page.content()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_every_other_exams_page_is_axe_clean_with_data_and_errors(site, new_page):
    from django.utils import timezone

    from exams.services.appeals import lodge_appeal
    from exams.services.bookings import apply_for_sitting, request_adjustment
    from exams.services.standards import FIXED, release, set_standard

    staff = make_persona(Role.FACULTY_STAFF, mfa=True, email="exams@example.org")
    board = make_persona(Role.FACULTY_STAFF, mfa=True, email="board@example.org")
    held = make_sitting(past=True, label="Summer")
    bookings = [book(held) for _ in range(5)]
    key = key_rows(8)
    run_import(held, "paper", KEY, csv_bytes(KEY_HEADER, key), by=staff)
    from tests.exams.results_data import SBA

    numbers = [b.candidate_number for b in bookings]
    run_import(held, "paper", SBA, csv_bytes(SBA_HEADER, sba_rows(numbers, key)), by=staff)
    set_standard(held, method=FIXED, cut=4, by=board)
    ratify(Sitting.objects.get(pk=held.pk), by=staff)
    release(Sitting.objects.get(pk=held.pk), by=staff, at=timezone.now())
    candidate = bookings[0].candidate
    lodge_appeal(bookings[1], grounds="The room was noisy.", by=bookings[1].candidate)
    open_sitting = make_sitting(capacity=5)
    applicant = make_candidate(email="applicant2@example.org")
    booking = apply_for_sitting(open_sitting, applicant)
    adjustment = request_adjustment(booking, kind="reader", details="Screen reader", by=applicant)

    page, _ = new_page(candidate)
    _goto(page, f"/exams/bookings/{bookings[0].pk}/result/")
    _submit(page, "Lodge appeal")  # nothing chosen: errors in the summary
    assert "Choose a re-mark or an appeal." in page.locator(".nhsuk-error-summary").inner_text()

    page, _ = new_page(applicant)
    _goto(page, f"/exams/bookings/{booking.pk}/")
    _goto(page, f"/exams/bookings/{booking.pk}/withdraw/")

    page, _ = new_page(staff)
    for path in (
        f"/manage/exams/sittings/{held.pk}/results/",
        f"/manage/exams/sittings/{held.pk}/items/",
        f"/manage/exams/sittings/{open_sitting.pk}/adjustments/",
        f"/manage/exams/sittings/{open_sitting.pk}/places/",
        "/manage/exams/appeals/",
    ):
        _goto(page, path)
    _goto(page, f"/manage/exams/adjustments/{adjustment.pk}/")
    page.get_by_label("Decline").check()
    _submit(page, "Record decision")
    assert "Say why the request is declined." in page.content()
    _goto(page, "/manage/exams/appeals/")
    page.get_by_role("link", name="Decide").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    _submit(page, "Record decision")
    assert "Choose uphold or dismiss." in page.content()

    fresh = make_sitting(past=True, label="Autumn")
    book(fresh)
    run_import(fresh, "paper", KEY, csv_bytes(KEY_HEADER, key_rows(3)), by=staff)
    _goto(page, f"/manage/exams/sittings/{fresh.pk}/standard/judge/")
    _submit(page, "Save judgements")
    assert "name or initials." in page.locator(".nhsuk-error-summary").inner_text()
