"""The exams pages: who sees what (404 for outsiders), the forms doing what they say, and
query counts that do not grow with candidates or items."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exams.api import PUBLIC_FACT_MODELS, published_exams, upcoming_sittings
from exams.models import (
    Adjustment,
    Booking,
    BookingStatus,
    CandidateResult,
    Component,
    Item,
    Mark,
    Sitting,
    SittingStatus,
)
from exams.services.bookings import apply_for_sitting, request_adjustment
from exams.services.standards import FIXED, ratify, release, set_item_excluded, set_standard
from portal.roles import Role
from tests.exams.factories import book, make_candidate, make_sitting
from tests.exams.results_data import (
    KEY,
    KEY_HEADER,
    SBA,
    SBA_HEADER,
    csv_bytes,
    key_rows,
    run_import,
    sba_rows,
)
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, faculty_staff):
    client.force_login(faculty_staff)
    return client


def _results_sitting(by, candidates=5, items=10, *, label="Results"):
    sitting = make_sitting(past=True, label=label)
    numbers = [book(sitting).candidate_number for _ in range(candidates)]
    key = key_rows(items)
    run_import(sitting, "paper", KEY, csv_bytes(KEY_HEADER, key), by=by)
    run_import(sitting, "paper", SBA, csv_bytes(SBA_HEADER, sba_rows(numbers, key)), by=by)
    return Sitting.objects.get(pk=sitting.pk)


def _released(by, second, **kwargs):
    sitting = _results_sitting(by, **kwargs)
    set_standard(sitting, method=FIXED, cut=kwargs.get("items", 10) / 2, by=by)
    ratify(sitting, by=second)
    release(sitting, by=by)
    return Sitting.objects.get(pk=sitting.pk)


def manage_pages(sitting, item=None):
    pages = [
        "/manage/exams/",
        "/manage/exams/new/",
        "/manage/exams/appeals/",
        f"/manage/exams/sittings/{sitting.pk}/",
        f"/manage/exams/sittings/{sitting.pk}/candidates/",
        f"/manage/exams/sittings/{sitting.pk}/adjustments/",
        f"/manage/exams/sittings/{sitting.pk}/import/",
        f"/manage/exams/sittings/{sitting.pk}/standard/",
        f"/manage/exams/sittings/{sitting.pk}/items/",
        f"/manage/exams/sittings/{sitting.pk}/results/",
        f"/manage/exams/sittings/{sitting.pk}/release/",
        f"/manage/exams/sittings/{sitting.pk}/places/",
        f"/manage/exams/sittings/{sitting.pk}/standard/judge/",
    ]
    if item is not None:
        pages.append(f"/manage/exams/sittings/{sitting.pk}/items/{item.pk}/exclude/")
    return pages


@pytest.mark.parametrize("persona", ["applicant", "assessor", "commissioner", "outsider"])
def test_faculty_staffs_pages_are_404_to_everyone_else(client, request, persona, faculty_staff):
    sitting = _results_sitting(faculty_staff)
    item = Item.objects.filter(sitting=sitting).first()
    client.force_login(request.getfixturevalue(persona))
    for page in manage_pages(sitting, item):
        assert client.get(page).status_code == 404, page
    for move in ("ratify", "schedule", "cancel"):
        assert client.post(f"/manage/exams/sittings/{sitting.pk}/{move}/do/").status_code == 404
    assert client.post(f"/manage/exams/sittings/{sitting.pk}/release/").status_code == 404
    assert Sitting.objects.get(pk=sitting.pk).status == SittingStatus.RESULTS_IMPORTED


def test_signed_out_visitors_are_sent_to_sign_in(client):
    sitting = make_sitting()
    for page in ("/exams/", f"/exams/sittings/{sitting.pk}/apply/", "/manage/exams/"):
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_administrator_page_opens(staff, faculty_staff):
    sitting = _results_sitting(faculty_staff)
    item = Item.objects.filter(sitting=sitting).first()
    for page in manage_pages(sitting, item):
        assert staff.get(page).status_code == 200, page


def test_a_candidates_bookings_and_results_are_404_to_anyone_else(client, faculty_staff):
    second = make_persona(Role.FACULTY_STAFF, mfa=True)
    sitting = _released(faculty_staff, second)
    booking = Booking.objects.filter(sitting=sitting).first()
    other = make_candidate()
    client.force_login(other)
    for suffix in ("", "adjustment/", "withdraw/", "result/", "letter.pdf"):
        assert client.get(f"/exams/bookings/{booking.pk}/{suffix}").status_code == 404
    assert client.post(f"/exams/bookings/{booking.pk}/withdraw/").status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_results_are_invisible_to_the_candidate_until_released(client, faculty_staff):
    sitting = _results_sitting(faculty_staff)
    set_standard(sitting, method=FIXED, cut=4.0, by=faculty_staff)
    booking = Booking.objects.filter(sitting=sitting).first()
    client.force_login(booking.candidate)
    assert client.get(f"/exams/bookings/{booking.pk}/result/").status_code == 404
    assert client.get(f"/exams/bookings/{booking.pk}/letter.pdf").status_code == 404
    page = client.get("/exams/").content.decode()
    assert "Results released" not in page
    assert "Your result" not in client.get(f"/exams/bookings/{booking.pk}/").content.decode()


def test_a_candidate_applies_asks_for_an_adjustment_and_withdraws(client):
    sitting = make_sitting(capacity=1)
    candidate = make_candidate()
    client.force_login(candidate)
    page = client.get(f"/exams/sittings/{sitting.pk}/apply/").content.decode()
    assert "You are eligible. This would be attempt 1 of 6" in page
    response = client.post(f"/exams/sittings/{sitting.pk}/apply/", follow=True)
    assert "Your candidate number is 0001" in response.content.decode()
    booking = Booking.objects.get(candidate=candidate)
    response = client.post(f"/exams/bookings/{booking.pk}/adjustment/", {"kind": "", "details": ""})
    assert "Choose the adjustment you need." in response.content.decode()
    client.post(
        f"/exams/bookings/{booking.pk}/adjustment/",
        {"kind": "extra_time", "details": "25% extra time"},
    )
    assert Adjustment.objects.filter(booking=booking).count() == 1
    waiting = make_candidate()
    apply_for_sitting(sitting, waiting)
    client.post(f"/exams/bookings/{booking.pk}/withdraw/")
    assert Booking.objects.get(candidate=waiting).status == BookingStatus.CONFIRMED


def test_an_ineligible_candidate_is_told_why(client):
    sitting = make_sitting("mfsem-part-2")
    client.force_login(make_candidate())
    page = client.get(f"/exams/sittings/{sitting.pk}/apply/").content.decode()
    assert "You cannot apply yet" in page
    assert "You need a pass in MFSEM Part 1 within the last 7 years." in page
    response = client.post(f"/exams/sittings/{sitting.pk}/apply/")
    assert "You need a pass in MFSEM Part 1" in response.content.decode()
    assert not Booking.objects.exists()


def test_import_by_the_page_is_a_dry_run_then_a_confirmation(staff, faculty_staff):
    sitting = make_sitting(past=True)
    numbers = [book(sitting).candidate_number for _ in range(3)]
    paper = Component.objects.get(exam=sitting.exam, code="paper")
    key = key_rows(5)
    run_import(sitting, "paper", KEY, csv_bytes(KEY_HEADER, key), by=faculty_staff)
    rows = sba_rows(numbers, key)
    url = f"/manage/exams/sittings/{sitting.pk}/import/"
    bad = csv_bytes(SBA_HEADER, [*rows, ("9999", "Q001", "A")])
    response = staff.post(
        url,
        {"component": paper.pk, "kind": "sba", "file": SimpleUploadedFile("r.csv", bad)},
    )
    page = response.content.decode()
    assert "Nothing was imported: 1 row needs correcting" in page
    assert "candidate number &quot;9999&quot; has no place at this sitting" in page
    assert Mark.objects.count() == 0
    good = csv_bytes(SBA_HEADER, rows)
    response = staff.post(
        url, {"component": paper.pk, "kind": "sba", "file": SimpleUploadedFile("r.csv", good)}
    )
    page = response.content.decode()
    assert "Check passed: nothing saved yet" in page
    assert Mark.objects.count() == 0
    pending = response.context["pending"]
    response = staff.post(f"{url}{pending.pk}/confirm/", follow=True)
    assert "Imported: 15 responses" in response.content.decode()
    assert Mark.objects.count() == 15


def test_the_upload_view_accepts_bodies_over_the_ordinary_limit(staff, settings, faculty_staff):
    sitting = make_sitting(past=True)
    settings.MAX_REQUEST_BYTES = 1024
    paper = Component.objects.get(exam=sitting.exam, code="paper")
    data = csv_bytes(KEY_HEADER, key_rows(100))
    assert len(data) > 1024
    response = staff.post(
        f"/manage/exams/sittings/{sitting.pk}/import/",
        {"component": paper.pk, "kind": "key", "file": SimpleUploadedFile("k.csv", data)},
    )
    assert response.status_code == 200
    assert "Check passed" in response.content.decode()


def _count_queries(client, url):
    client.get(url)  # warm the site menu and sessions
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_sittings_list_and_results_pages_use_the_same_queries_at_two_sizes(
    staff, faculty_staff, django_assert_max_num_queries
):
    small = _results_sitting(faculty_staff, candidates=3, items=5, label="Small")
    set_standard(small, method=FIXED, cut=2, by=faculty_staff)
    large = _results_sitting(faculty_staff, candidates=15, items=30, label="Large")
    set_standard(large, method=FIXED, cut=15, by=faculty_staff)
    counts = {}
    for sitting in (small, large):
        for page in ("results/", "items/", "candidates/", ""):
            url = f"/manage/exams/sittings/{sitting.pk}/{page}"
            counts.setdefault(page, []).append(_count_queries(staff, url))
    for page, (a, b) in counts.items():
        assert a == b, (page, a, b)
    before = _count_queries(staff, "/manage/exams/")
    for _ in range(3):
        make_sitting(label="More")
    assert _count_queries(staff, "/manage/exams/") == before
    with django_assert_max_num_queries(15):
        staff.get("/manage/exams/")


def test_candidate_result_page_and_letter(client, faculty_staff):
    second = make_persona(Role.FACULTY_STAFF, mfa=True)
    small = _released(faculty_staff, second, candidates=3, items=5)
    large = _released(faculty_staff, second, candidates=10, items=40)
    counts = []
    for sitting in (small, large):
        booking = Booking.objects.filter(sitting=sitting).first()
        client.force_login(booking.candidate)
        counts.append(_count_queries(client, f"/exams/bookings/{booking.pk}/result/"))
        page = client.get(f"/exams/bookings/{booking.pk}/result/").content.decode()
        assert "Your feedback" in page and "Diagnosis" in page
        letter = client.get(f"/exams/bookings/{booking.pk}/letter.pdf")
        assert letter["Content-Type"] == "application/pdf"
        assert letter.content.startswith(b"%PDF")
    assert counts[0] == counts[1]


def test_appeal_lodged_on_the_result_page(client, faculty_staff):
    second = make_persona(Role.FACULTY_STAFF, mfa=True)
    sitting = _released(faculty_staff, second)
    booking = Booking.objects.filter(sitting=sitting).first()
    client.force_login(booking.candidate)
    response = client.post(f"/exams/bookings/{booking.pk}/result/", {"grounds": ""})
    assert "Say what you are appealing against and why." in response.content.decode()
    client.post(
        f"/exams/bookings/{booking.pk}/result/", {"kind": "remark", "grounds": "Q12 was right."}
    )
    assert booking.appeals.get().kind == "remark"
    assert (
        "Re-mark request lodged"
        in client.get(f"/exams/bookings/{booking.pk}/result/").content.decode()
    )


def test_administrator_decides_an_adjustment(staff):
    sitting = make_sitting()
    candidate = make_candidate()
    booking = apply_for_sitting(sitting, candidate)
    adjustment = request_adjustment(booking, kind="rest_breaks", details="Two breaks", by=candidate)
    url = f"/manage/exams/adjustments/{adjustment.pk}/"
    response = staff.post(url, {"decision": "decline", "note": ""})
    assert "Say why the request is declined." in response.content.decode()
    staff.post(url, {"decision": "approve", "note": ""})
    adjustment.refresh_from_db()
    assert adjustment.status == "approved"


def test_release_through_the_page_needs_a_second_administrator(staff, faculty_staff):
    sitting = _results_sitting(faculty_staff)
    set_standard(sitting, method=FIXED, cut=4.0, by=faculty_staff)
    response = staff.post(f"/manage/exams/sittings/{sitting.pk}/ratify/do/", follow=True)
    assert "A second administrator must ratify" in response.content.decode()
    assert Sitting.objects.get(pk=sitting.pk).status == SittingStatus.STANDARD_SET


def test_dashboard_cards(client, faculty_staff, applicant):
    client.force_login(faculty_staff)
    page = client.get("/dashboard/faculty-staff/").content.decode()
    assert 'href="/manage/exams/"' in page
    client.force_login(applicant)
    assert 'href="/exams/"' in client.get("/dashboard/applicant/").content.decode()


def test_public_facts_for_the_cms_in_a_constant_number_of_queries(django_assert_num_queries):
    exam = published_exams().get(code="diploma-msk-medicine")
    assert Sitting in PUBLIC_FACT_MODELS and Booking in PUBLIC_FACT_MODELS
    first = make_sitting(capacity=3, venue="", fee_pence=45000)
    book(first)
    with django_assert_num_queries(1):
        facts = upcoming_sittings(exam)
    assert facts[0].places_left == 2 and facts[0].fee_text == "£450"
    assert facts[0].apply_url == f"/exams/sittings/{first.pk}/apply/"
    assert facts[0].status_text == "Open for applications"
    for n in range(4):
        sitting = make_sitting(label=f"Later {n}", capacity=1)
        book(sitting)
    with django_assert_num_queries(1):
        facts = upcoming_sittings(exam)
    assert len(facts) == 5
    assert facts[-1].status_text == "Full: join the waiting list"
    make_sitting(label="Past", past=True)
    make_sitting(label="Draft", status=SittingStatus.DRAFT)
    assert len(upcoming_sittings(exam)) == 5
    assert CandidateResult.objects.count() == 0
    assert timezone.localdate() + datetime.timedelta(days=60) == facts[0].starts_on


def test_a_judge_entered_by_hand_then_angoff_sets_the_cut(staff, faculty_staff):
    sitting = _results_sitting(faculty_staff, candidates=4, items=3)
    items = list(Item.objects.filter(sitting=sitting))
    url = f"/manage/exams/sittings/{sitting.pk}/standard/judge/"
    data = {"judge": "=HYPERLINK()", **{f"item_{item.pk}": "0.5" for item in items}}
    data[f"item_{items[0].pk}"] = "1.5"
    page = staff.post(url, data).content.decode()
    assert "Use letters, digits, spaces, dots and hyphens" in page
    assert "Question Q001&#x27;s probability must be 1 or less." in page
    for judge, p in (("Judge A", "0.5"), ("Judge B", "0.7")):
        staff.post(url, {"judge": judge, **{f"item_{item.pk}": p for item in items}})
    staff.post(
        f"/manage/exams/sittings/{sitting.pk}/standard/",
        {"standard-method": "angoff", "standard-cut": ""},
    )
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.STANDARD_SET
    assert sitting.cut_score == pytest.approx(1.8)
    page = staff.get(f"/manage/exams/sittings/{sitting.pk}/results/").content.decode()
    assert "Reliability: Cronbach's alpha" in page
    assert "Pass rate by profession" in page


def test_an_osce_is_standard_set_by_borderline_regression_from_the_page(staff, faculty_staff):
    from tests.exams.results_data import OSCE, OSCE_HEADER, osce_rows

    sitting = make_sitting("mfsem-part-2", past=True)
    numbers = [book(sitting).candidate_number for _ in range(10)]
    run_import(sitting, "osce", OSCE, csv_bytes(OSCE_HEADER, osce_rows(numbers)), by=faculty_staff)
    url = f"/manage/exams/sittings/{sitting.pk}/standard/"
    assert "borderline regression" in staff.get(url).content.decode()
    response = staff.post(url, {}, follow=True)
    assert "The standard is set" in response.content.decode()
    sitting.refresh_from_db()
    assert sitting.standard_method == "borderline_regression"
    assert "Station pass marks" in staff.get(url).content.decode()
    assert CandidateResult.objects.filter(booking__sitting=sitting).count() == 10


def test_candidate_and_list_pages_do_not_grow_with_their_rows(staff, faculty_staff):
    from django.test import Client

    candidate = make_candidate()
    client = Client()
    client.force_login(candidate)
    apply_for_sitting(make_sitting(label="One"), candidate)
    one = _count_queries(client, "/exams/")
    for n in range(4):
        booking = apply_for_sitting(make_sitting(label=f"More {n}"), candidate)
        request_adjustment(booking, kind="extra_time", details="Time", by=candidate)
    assert _count_queries(client, "/exams/") == one
    sitting = make_sitting(label="Adjusted")
    few = _count_queries(staff, f"/manage/exams/sittings/{sitting.pk}/adjustments/")
    for _ in range(5):
        person = make_candidate()
        booking = apply_for_sitting(sitting, person)
        request_adjustment(booking, kind="rest_breaks", details="Breaks", by=person)
    assert _count_queries(staff, f"/manage/exams/sittings/{sitting.pk}/adjustments/") == few


def test_audit_words_and_dashboard_notes(client, faculty_staff):
    from portal.audit_words import describe_action

    assert describe_action("exams.results_released") == "Exam results released"
    sitting = make_sitting()
    candidate = make_candidate()
    booking = apply_for_sitting(sitting, candidate)
    request_adjustment(booking, kind="extra_time", details="Time", by=candidate)
    client.force_login(faculty_staff)
    page = client.get("/dashboard/faculty-staff/").content.decode()
    assert "1 adjustment to decide" in page


def test_hofstee_from_the_page_asks_for_every_bound(staff, faculty_staff):
    sitting = _results_sitting(faculty_staff, candidates=6, items=10)
    url = f"/manage/exams/sittings/{sitting.pk}/standard/"
    page = staff.post(url, {"standard-method": "hofstee", "standard-min_cut": "40"}).content
    assert b"Enter the highest acceptable cut, in percent." in page
    assert b"Enter the highest acceptable fail rate, in percent." in page
    assert Sitting.objects.get(pk=sitting.pk).status == SittingStatus.RESULTS_IMPORTED
    staff.post(
        url,
        {
            "standard-method": "hofstee",
            "standard-min_cut": "40",
            "standard-max_cut": "70",
            "standard-min_fail": "10",
            "standard-max_fail": "50",
        },
    )
    sitting.refresh_from_db()
    assert sitting.standard_method == "hofstee" and sitting.cut_score is not None


def test_release_now_or_on_a_day(staff, faculty_staff):
    second = make_persona(Role.FACULTY_STAFF, mfa=True)
    sitting = _results_sitting(faculty_staff)
    set_standard(sitting, method=FIXED, cut=4.0, by=faculty_staff)
    url = f"/manage/exams/sittings/{sitting.pk}/release/"
    response = staff.post(
        url, {"release_on_day": "", "release_on_month": "", "release_on_year": ""}
    )
    assert "Only ratified results can be released." in response.content.decode()
    ratify(sitting, by=second)
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = staff.post(
        url,
        {
            "release_on_day": str(day.day),
            "release_on_month": str(day.month),
            "release_on_year": str(day.year),
        },
        follow=True,
    )
    assert "will be released at 9am on" in response.content.decode()
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.RELEASED
    assert timezone.localtime(sitting.released_at).hour == 9
    booking = Booking.objects.filter(sitting=sitting).first()
    staff.force_login(booking.candidate)
    assert staff.get(f"/exams/bookings/{booking.pk}/result/").status_code == 404


def test_appeals_list_does_not_grow_with_appeals(staff, faculty_staff):
    from exams.services.appeals import lodge_appeal

    second = make_persona(Role.FACULTY_STAFF, mfa=True)
    sitting = _released(faculty_staff, second, candidates=6)
    bookings = list(Booking.objects.filter(sitting=sitting))
    lodge_appeal(bookings[0], grounds="Noise", by=bookings[0].candidate)
    one = _count_queries(staff, "/manage/exams/appeals/")
    for booking in bookings[1:]:
        lodge_appeal(booking, grounds="Noise", by=booking.candidate)
    assert _count_queries(staff, "/manage/exams/appeals/") == one
    page = staff.get("/manage/exams/appeals/").content.decode()
    assert page.count("Decide<span") == 6


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_an_administrator_adds_a_sitting_as_a_draft_then_schedules_it(staff):
    from exams.models import Exam

    today = timezone.localdate()
    start = today + datetime.timedelta(days=90)
    exam = Exam.objects.get(code="mfsem-part-2")
    data = {
        "exam": exam.pk,
        "label": "Autumn 2027",
        **_date("starts_on", start),
        **_date("ends_on", start - datetime.timedelta(days=1)),
        "mode": "venue",
        "venue": "",
        "capacity": "0",
        **_date("applications_open", today),
        **_date("applications_close", start + datetime.timedelta(days=1)),
        "fee": "450.505",
    }
    page = staff.post("/manage/exams/new/", data).content.decode()
    for message in (
        "The last day must be on or after the first day.",
        "Applications must close by the first day.",
        "Enter the venue of a sitting at a venue.",
        "A sitting needs at least 1 place.",
        "Enter the fee to the penny at most.",
    ):
        assert message in page
    assert not Sitting.objects.filter(label="Autumn 2027").exists()
    data.update(
        _date("ends_on", start + datetime.timedelta(days=1)),
        **_date("applications_close", start - datetime.timedelta(days=30)),
        venue="Manchester Central",
        capacity="48",
        fee="1250.50",
    )
    response = staff.post("/manage/exams/new/", data, follow=True)
    assert "saved as a draft" in response.content.decode()
    sitting = Sitting.objects.get(label="Autumn 2027")
    assert (sitting.status, sitting.fee_text, sitting.capacity) == ("draft", "£1,250.50", 48)
    assert upcoming_sittings(exam) == []
    staff.post(f"/manage/exams/sittings/{sitting.pk}/schedule/do/")
    sitting.refresh_from_db()
    assert sitting.status == SittingStatus.SCHEDULED
    assert [f.label for f in upcoming_sittings(exam)] == ["Autumn 2027"]


def test_places_changed_from_the_page(staff):
    sitting = make_sitting(capacity=1)
    waiting = [apply_for_sitting(sitting, make_candidate()) for _ in range(2)][1]
    url = f"/manage/exams/sittings/{sitting.pk}/places/"
    assert (
        "A sitting needs at least 1 place." in staff.post(url, {"capacity": "0"}).content.decode()
    )
    staff.post(url, {"capacity": "2"})
    assert Booking.objects.get(pk=waiting.pk).status == BookingStatus.CONFIRMED


def test_judgements_imported_from_the_page(staff, faculty_staff):
    sitting = _results_sitting(faculty_staff, candidates=4, items=3)
    url = f"/manage/exams/sittings/{sitting.pk}/standard/"
    page = staff.post(url, {"action": "judgements"}).content.decode()
    assert "Choose a file." in page
    header = ["judge", "Q001", "Q002", "Q003"]
    bad = csv_bytes(header, [["A", "0.5", "2", "0.5"]])
    page = staff.post(
        url, {"action": "judgements", "judgements-file": SimpleUploadedFile("j.csv", bad)}
    ).content.decode()
    assert "nothing was saved" in page and "not a probability from 0 to 1" in page
    good = csv_bytes(header, [["A", "0.5", "0.6", "0.7"], ["B", "0.5", "0.6", "0.7"]])
    response = staff.post(
        url,
        {"action": "judgements", "judgements-file": SimpleUploadedFile("j.csv", good)},
        follow=True,
    )
    assert "6 judgements from 2 judges saved." in response.content.decode()


def test_results_show_a_hundred_candidates_a_page_and_the_report_follows_exclusions(
    staff, faculty_staff
):
    sitting = _results_sitting(faculty_staff, candidates=102, items=4)
    set_standard(sitting, method=FIXED, cut=2, by=faculty_staff)
    url = f"/manage/exams/sittings/{sitting.pk}/results/"
    first = staff.get(url).content.decode()
    assert "102 candidates, 1 to 100 shown" in first
    assert "and 0 excluded" in first
    second = staff.get(url + "?page=2").content.decode()
    assert "101 to 102 shown" in second
    # The download has every candidate, whatever the page.
    download = staff.get(url + "?export=csv").content.decode()
    assert len(download.strip().splitlines()) == 1 + 102
    # The report's figures are kept between views, and follow an exclusion at once.
    item = Item.objects.filter(sitting=sitting).first()
    set_item_excluded(item, excluded=True, reason="Two answers correct", by=faculty_staff)
    assert "and 1 excluded" in staff.get(url).content.decode()


def test_the_report_follows_a_new_cut_score(staff, faculty_staff):
    sitting = _results_sitting(faculty_staff, candidates=6, items=4)
    set_standard(sitting, method=FIXED, cut=0, by=faculty_staff)
    url = f"/manage/exams/sittings/{sitting.pk}/results/"
    assert "6 of 6 passed" in staff.get(url).content.decode()
    # Set again, at full marks: the report kept from the first view is not shown.
    set_standard(Sitting.objects.get(pk=sitting.pk), method=FIXED, cut=4.0, by=faculty_staff)
    full_marks = CandidateResult.objects.filter(booking__sitting=sitting, total=4).count()
    assert full_marks < 6
    assert f"{full_marks} of 6 passed" in staff.get(url).content.decode()


def test_scores_are_written_as_the_floatformat_filter_would():
    from django.template.defaultfilters import floatformat

    from exams.selectors.reports import one_decimal

    for value in (0, 1, 143.0, 143.5, 143.25, 143.35, 143.45, 0.05, 99.95, 200, 12.349999):
        assert one_decimal(value) == floatformat(value, "-1"), value
