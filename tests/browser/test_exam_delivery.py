"""Exams delivered here, in Chromium with axe: a candidate sits a paper (with the keyboard,
on a phone, at 200 % zoom, without JavaScript, leaving and coming back), an examiner marks
on a tablet, and the exam team's bank, paper and circuit pages."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from exams.models import Adjustment, AdjustmentKind, AdjustmentStatus, Attempt, Response
from portal.roles import Role
from tests.browser.a11y import assert_accessible
from tests.exams import delivery_builders as builders
from tests.factories import make_persona

pytestmark = pytest.mark.browser


def _context(browser, site, user, **options):
    context = browser.new_context(base_url=site.url, bypass_csp=True, **options)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site.url}]
    )
    return context


@pytest.fixture
def sitting_now(site):
    paper = builders.frozen_paper(duration=90)
    booking = builders.seated(paper)
    Adjustment.objects.create(
        booking=booking,
        kind=AdjustmentKind.REST_BREAKS,
        details="A break",
        status=AdjustmentStatus.APPROVED,
    )
    return paper, booking


def test_a_candidate_sits_the_paper_with_the_keyboard_and_autosave(browser, site, sitting_now):
    paper, booking = sitting_now
    context = _context(browser, site, booking.candidate)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"/exams/bookings/{booking.pk}/")
    page.get_by_role("link", name="Paper").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the paper").click()
    page.wait_for_url(re.compile(r"/questions/1/$"))
    assert re.search(r"Time left: 1 hour (29|30) minutes", page.inner_text("main"))
    assert_accessible(page)

    # Keyboard only: tab to the first option, choose it with the space bar.
    page.locator("#option-A").focus()
    page.keyboard.press("Space")
    page.get_by_text("Saved.").wait_for()
    attempt = Attempt.objects.get()
    assert Response.objects.get(attempt=attempt).option != ""
    page.get_by_label("Flag this question to come back to").check()
    page.get_by_text("Saved.").wait_for()

    # Leave and come back (a new tab, as after a dropped connection): the answer is kept.
    again = context.new_page()
    again.goto(f"/exams/attempts/{attempt.pk}/questions/1/")
    assert again.locator("input[name=option]:checked").count() == 1
    again.close()

    page.get_by_role("button", name="Save and go to question 2").click()
    page.get_by_role("button", name="Save and review your answers").click()
    text = page.inner_text("main")
    assert "3 questions not answered" in text and "Flagged to come back to" in text
    assert_accessible(page)

    page.get_by_role("button", name="Take a rest break").count()  # offered on question pages
    # Submit without ticking the box: the error summary links to it, and nothing is submitted.
    page.get_by_role("button", name="Submit your answers").click()
    summary = page.locator(".nhsuk-error-summary")
    assert "Tick the box to confirm" in summary.inner_text()
    assert_accessible(page)
    summary.get_by_role("link").click()
    # (the NHS.UK error summary script moves focus to the box rather than changing the URL)
    page.wait_for_function(
        '() => document.activeElement && document.activeElement.id === "confirm"'
    )
    assert Attempt.objects.get().state == "in_progress"
    page.get_by_label("I want to submit my answers").check()
    page.get_by_role("button", name="Submit your answers").click()
    assert "Your answers have been submitted" in page.inner_text("main")
    assert_accessible(page)
    assert errors == []
    context.close()


def test_a_rest_break_stops_the_clock(browser, site, sitting_now):
    paper, booking = sitting_now
    context = _context(browser, site, booking.candidate)
    page = context.new_page()
    page.goto(f"/exams/bookings/{booking.pk}/papers/{paper.pk}/")
    page.get_by_role("button", name="Start the paper").click()
    page.get_by_role("button", name="Take a rest break (the clock stops)").click()
    assert "You are on a rest break" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_role("button", name="End the break and carry on").click()
    assert "Question 1 of 4" in page.inner_text("main")
    context.close()


def test_in_a_duplicated_tab_the_answer_chosen_last_is_kept(browser, site, sitting_now):
    """A tab opened from the paper (or duplicated) inherits the first one's session storage.
    The answer chosen last, in whichever tab, is the one kept."""
    paper, booking = sitting_now
    context = _context(browser, site, booking.candidate)
    first = context.new_page()
    first.goto(f"/exams/bookings/{booking.pk}/papers/{paper.pk}/")
    first.get_by_role("button", name="Start the paper").click()
    first.wait_for_url(re.compile(r"/questions/1/$"))
    with first.expect_popup() as opened:
        first.evaluate("() => window.open(location.href)")
    second = opened.value
    second.wait_for_load_state()
    second.locator("label[for=option-B]").click()
    second.get_by_text("Saved.").wait_for()
    first.locator("label[for=option-C]").click()
    first.get_by_text("Saved.").wait_for()
    chosen = first.locator("#option-C").get_attribute("value")
    assert Response.objects.get(attempt__booking=booking).option == chosen
    second.reload()
    assert second.locator("#option-C").is_checked()
    context.close()


@pytest.mark.parametrize(
    "options",
    [
        {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
        # 200 % zoom of a 1280 px window: 640 CSS px at twice the density.
        {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
    ],
    ids=["phone", "zoom-200"],
)
def test_the_question_page_reflows_on_a_phone_and_at_200_percent(
    browser, site, sitting_now, options
):
    paper, booking = sitting_now
    context = _context(browser, site, booking.candidate, **options)
    page = context.new_page()
    page.goto(f"/exams/bookings/{booking.pk}/papers/{paper.pk}/")
    page.get_by_role("button", name="Start the paper").click()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= options["viewport"]["width"], width
    assert_accessible(page)
    page.locator("label[for=option-B]").click()
    page.get_by_text("Saved.").wait_for()
    context.close()


def test_without_javascript_the_paper_is_answered_and_submitted(browser, site, sitting_now):
    paper, booking = sitting_now
    context = _context(browser, site, booking.candidate, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/exams/bookings/{booking.pk}/papers/{paper.pk}/")
    page.get_by_role("button", name="Start the paper").click()
    for number in range(1, 5):
        page.locator("label[for=option-C]").click()
        button = "Save and review your answers" if number == 4 else f"question {number + 1}"
        page.get_by_role("button", name=re.compile(button)).first.click()
    assert "You have answered every question." in page.inner_text("main")
    page.get_by_label("I want to submit my answers").check()
    page.get_by_role("button", name="Submit your answers").click()
    assert "You answered 4 of 4 questions" in page.inner_text("main")
    context.close()


def test_an_examiner_marks_a_station_on_a_tablet(browser, site):
    _, stations, bookings, examiner, _ = builders.running_circuit()
    context = _context(
        browser, site, examiner, viewport={"width": 768, "height": 1024}, has_touch=True
    )
    page = context.new_page()
    page.goto("/exams/examiner/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Station 1")).click()
    assert_accessible(page)
    page.get_by_role("link", name=bookings[0].candidate_number).first.click()
    page.get_by_role("button", name="Submit the marksheet").click()
    assert "There is a problem" in page.inner_text("main")
    assert_accessible(page)
    for n in range(2):
        page.locator(f"#id_line_{n}_2").check()
    page.locator("#id_global_grade_3").check()
    page.get_by_role("button", name="Submit the marksheet").click()
    assert "marksheet submitted" in page.inner_text("main")
    assert "Submitted" in page.inner_text("main")
    context.close()


def test_the_exam_teams_pages_are_accessible(browser, site, sitting_now):
    paper, booking = sitting_now
    admin = make_persona(Role.FACULTY_STAFF, mfa=True)
    circuit, *_ = builders.running_circuit(admin=admin)
    attempt_page = None
    context = _context(browser, site, admin)
    page = context.new_page()
    exam = paper.sitting.exam
    question = paper.questions.select_related("version__question").first().version.question
    for url in (
        "/manage/exams/bank/",
        f"/manage/exams/bank/{exam.code}/",
        f"/manage/exams/bank/{exam.code}/new/",
        f"/manage/exams/bank/{exam.code}/import/",
        f"/manage/exams/bank/{exam.code}/questions/{question.code}/",
        f"/manage/exams/bank/{exam.code}/questions/{question.code}/change/",
        f"/manage/exams/sittings/{paper.sitting_id}/papers/",
        f"/manage/exams/papers/{paper.pk}/",
        f"/manage/exams/papers/{paper.pk}/candidates/",
        f"/manage/exams/sittings/{circuit.sitting_id}/circuits/",
        f"/manage/exams/circuits/{circuit.pk}/",
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert_accessible(page)
    # A form with errors, as the team would see it.
    page.goto(f"/manage/exams/bank/{exam.code}/new/")
    page.get_by_role("button", name="Save as a draft").click()
    assert "There is a problem" in page.inner_text("main")
    assert_accessible(page)
    assert attempt_page is None
    context.close()


def test_a_paper_whose_time_ran_out_shows_it_submitted(browser, site, sitting_now):
    paper, booking = sitting_now
    context = _context(browser, site, booking.candidate)
    page = context.new_page()
    page.goto(f"/exams/bookings/{booking.pk}/papers/{paper.pk}/")
    page.get_by_role("button", name="Start the paper").click()
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(
        ends_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    page.reload()
    assert "Your answers have been submitted" in page.inner_text("main")
    context.close()
