"""Sitting a paper online: the server's clock, saves that are idempotent and never late or
forged, two tabs, rest breaks and extra time, submission into the existing scoring, and the
exam team's extra time and re-opening. Candidates never see a key."""

import datetime
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exams.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Attempt,
    AttemptState,
    CandidateResult,
    Mark,
    Paper,
    PaperState,
    Response,
    Sitting,
    SittingStatus,
    SubmittedHow,
)
from exams.services import attempts, papers
from exams.services.errors import ExamError
from portal.audit import AuditEvent
from portal.roles import Role
from tests.exams import delivery_builders as builders
from tests.exams.factories import make_candidate
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(db):
    return builders.frozen_paper()


@pytest.fixture
def booking(paper):
    return builders.seated(paper)


@pytest.fixture
def attempt(paper, booking):
    return attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate)


def _questions(attempt):
    return list(attempt.paper.questions.select_related("version", "item").order_by("order"))


def _save(attempt, question, option, *, tab="tab-1", sequence=1, by=None, **kwargs):
    return attempts.save_answer(
        attempt_id=attempt.pk,
        by=by or attempt.booking.candidate,
        paper_question_id=question.pk,
        version_id=kwargs.pop("version_id", question.version_id),
        tab=tab,
        sequence=sequence,
        option=option,
        **kwargs,
    )


def _answer(attempt, question):
    response = Response.objects.filter(attempt=attempt, paper_question=question).first()
    return response.option if response else None


def test_an_answer_is_saved_and_the_same_save_twice_changes_nothing(attempt):
    q = _questions(attempt)[0]
    _save(attempt, q, "B", sequence=5)
    saved_at = Response.objects.get().saved_at
    _save(attempt, q, "B", sequence=5)
    assert _answer(attempt, q) == "B"
    assert Response.objects.get().saved_at == saved_at


def test_an_older_save_arriving_late_is_ignored(attempt):
    q = _questions(attempt)[0]
    _save(attempt, q, "C", sequence=7)
    _save(attempt, q, "A", sequence=6)  # sent before, arrived after
    assert _answer(attempt, q) == "C"


def test_two_tabs_one_attempt_last_answer_wins_and_the_clock_is_not_reset(paper, booking):
    first = attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate)
    later = timezone.now() + datetime.timedelta(minutes=10)
    second = attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate, now=later)
    assert first.pk == second.pk and Attempt.objects.count() == 1
    second.refresh_from_db()
    assert second.ends_at == first.ends_at and second.resumes == 1
    q = _questions(first)[1]
    _save(first, q, "A", tab="tab-one", sequence=100)
    _save(first, q, "D", tab="tab-two", sequence=3)
    assert _answer(first, q) == "D"


@pytest.mark.parametrize(
    "bad",
    [
        {"option": "E"},  # the question has four options
        {"option": "<script>"},
        {"version_id": -1},
        {"tab": "bad tab!"},
        {"sequence": "lots"},
        {"sequence": 0},
    ],
)
def test_forged_saves_are_refused_and_change_nothing(attempt, bad):
    q = _questions(attempt)[0]
    _save(attempt, q, "A", sequence=1)
    args = {"option": "A", "sequence": 2, **bad}
    with pytest.raises(attempts.Refused):
        _save(attempt, q, args.pop("option"), **args)
    assert _answer(attempt, q) == "A"


def test_a_question_not_in_the_paper_is_refused(attempt):
    other = builders.frozen_paper(exam=builders.small_exam("other-exam"))
    stranger = other.questions.select_related("version").first()
    with pytest.raises(attempts.Refused, match="not in your paper"):
        _save(attempt, stranger, "A")
    assert not Response.objects.exists()


def test_another_candidates_attempt_is_refused(attempt, paper):
    intruder = builders.seated(paper).candidate
    with pytest.raises(attempts.Refused, match="not your paper"):
        _save(attempt, _questions(attempt)[0], "A", by=intruder)
    assert not Response.objects.exists()


def test_answers_after_time_is_up_are_refused_and_the_paper_submits_itself(attempt):
    q = _questions(attempt)
    _save(attempt, q[0], q[0].version.key)
    late = attempt.ends_at + datetime.timedelta(seconds=1)
    with pytest.raises(attempts.Refused, match="submitted"):
        _save(attempt, q[1], "A", now=late)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.submitted_how == SubmittedHow.TIME_UP
    assert attempt.submitted_at == attempt.ends_at
    assert _answer(attempt, q[1]) is None
    marks = {m.item_id: m.score for m in Mark.objects.filter(booking=attempt.booking)}
    assert marks == {q[0].item_id: 1.0, q[1].item_id: 0.0, q[2].item_id: 0.0, q[3].item_id: 0.0}


def test_the_sweep_submits_a_tab_closed_for_good(attempt):
    assert attempts.submit_overdue(now=attempt.ends_at + datetime.timedelta(seconds=1)) == 1
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.SUBMITTED


def test_extra_time_from_an_approved_adjustment(paper, booking):
    Adjustment.objects.create(
        booking=booking,
        kind=AdjustmentKind.EXTRA_TIME,
        details="25%",
        status=AdjustmentStatus.APPROVED,
    )
    attempt = attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate)
    minutes = (attempt.ends_at - attempt.started_at).total_seconds() / 60
    assert round(minutes) == paper.duration_minutes * 1.25


def test_a_rest_break_stops_the_clock(paper, booking):
    Adjustment.objects.create(
        booking=booking,
        kind=AdjustmentKind.REST_BREAKS,
        details="Breaks",
        status=AdjustmentStatus.APPROVED,
    )
    attempt = attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate)
    ends = attempt.ends_at
    start = timezone.now()
    attempts.take_break(attempt=attempt, by=booking.candidate, now=start)
    attempt.refresh_from_db()
    with pytest.raises(attempts.Refused, match="rest break"):
        _save(attempt, _questions(attempt)[0], "A", now=start + datetime.timedelta(minutes=1))
    attempts.end_break(
        attempt=attempt, by=booking.candidate, now=start + datetime.timedelta(minutes=4)
    )
    attempt.refresh_from_db()
    assert attempt.ends_at == ends + datetime.timedelta(minutes=4)
    assert attempt.break_seconds_used == 240


def test_no_rest_break_without_the_adjustment(attempt):
    with pytest.raises(ExamError, match="no rest-break time"):
        attempts.take_break(attempt=attempt, by=attempt.booking.candidate)


def test_the_team_gives_extra_time_and_reopens_with_a_reason(attempt):
    admin = make_persona(Role.FACULTY_STAFF, mfa=True)
    ends = attempt.ends_at
    with pytest.raises(ExamError, match="reason"):
        attempts.grant_extra_time(attempt=attempt, minutes=10, reason=" ", by=admin)
    attempts.grant_extra_time(attempt=attempt, minutes=10, reason="Power cut", by=admin)
    attempt.refresh_from_db()
    assert attempt.ends_at == ends + datetime.timedelta(minutes=10)
    attempts.submit_attempt(attempt=attempt, by=attempt.booking.candidate)
    assert Mark.objects.filter(booking=attempt.booking).count() == 4
    attempts.reopen_attempt(attempt=attempt, minutes=15, reason="Browser crashed", by=admin)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS
    assert not Mark.objects.filter(booking=attempt.booking).exists()
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    for action in (
        "exams.attempt_started",
        "exams.attempt_extra_time",
        "exams.attempt_submitted",
        "exams.attempt_reopened",
    ):
        assert action in actions


def test_nobody_changes_a_submitted_answer(attempt):
    q = _questions(attempt)[0]
    _save(attempt, q, "A")
    attempts.submit_attempt(attempt=attempt, by=attempt.booking.candidate)
    with pytest.raises(attempts.Refused, match="submitted"):
        _save(attempt, q, "B", sequence=9)
    assert _answer(attempt, q) == "A"


def test_a_candidate_without_a_confirmed_place_cannot_start(paper):
    stranger = make_candidate()
    booking = builders.seated(paper)
    with pytest.raises(ExamError, match="Only the candidate"):
        attempts.start_attempt(paper=paper, booking=booking, by=stranger)
    assert not Attempt.objects.exists()


def test_shuffled_papers_keep_each_candidates_order_and_score_by_the_author_letter(db):
    paper = builders.frozen_paper(shuffle=True)
    booking = builders.seated(paper)
    attempt = attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate)
    assert sorted(attempt.question_order) == sorted(q.pk for q in _questions(attempt))
    for q in _questions(attempt):
        assert sorted(attempt.option_orders[str(q.pk)]) == list("ABCD")
        _save(attempt, q, q.version.key)
    attempts.submit_attempt(attempt=attempt, by=booking.candidate)
    assert sorted(Mark.objects.filter(booking=booking).values_list("score", flat=True)) == [1] * 4


def test_closing_the_paper_marks_every_attempt_and_hands_on_to_standard_setting(paper):
    from exams.services.standards import FIXED, set_standard

    admin = make_persona(Role.FACULTY_STAFF, mfa=True)
    for n in range(3):
        booking = builders.seated(paper)
        attempt = attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate)
        for q in _questions(attempt)[: n + 1]:
            _save(attempt, q, q.version.key)
    with pytest.raises(ExamError, match="0 not begun and 3 still answering"):
        papers.close_paper(paper=paper, by=admin)
    papers.close_paper(paper=paper, by=admin, now=paper.closes_at)
    paper.refresh_from_db()
    paper.sitting.refresh_from_db()
    assert paper.state == PaperState.CLOSED
    assert paper.sitting.status == SittingStatus.RESULTS_IMPORTED
    assert set(Attempt.objects.values_list("submitted_how", flat=True)) == {SubmittedHow.CLOSED}
    set_standard(paper.sitting, method=FIXED, cut=2, by=admin)
    totals = CandidateResult.objects.filter(booking__sitting=paper.sitting).values_list(
        "total", flat=True
    )
    assert sorted(totals) == [1.0, 2.0, 3.0]


# --- the pages ----------------------------------------------------------------------------


def _page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_candidate_sits_the_paper_without_javascript(client, paper, booking):
    client.force_login(booking.candidate)
    start = reverse("exams:paper_start", args=[booking.pk, paper.pk])
    assert "Start the paper" in _page_text(client, start)
    response = client.post(start)
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("exams:attempt_question", args=[attempt.pk, 1])
    for number in range(1, 5):
        url = reverse("exams:attempt_question", args=[attempt.pk, number])
        page = _page_text(client, url)
        value = re.search(r'name="option" type="radio" value="([A-E])"', page)[1]
        fields = dict(re.findall(r'name="(version|tab|sequence)" value="([^"]+)"', page))
        response = client.post(url, {**fields, "option": value, "go": "next"})
        assert response.status_code == 302
    review = _page_text(client, reverse("exams:attempt_review", args=[attempt.pk]))
    assert "You have answered every question." in review
    refused = client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    page = refused.content.decode()
    assert refused.status_code == 200 and "<title>Error: Review your answers" in page
    # The NHS error summary links to the box, which has its own error message.
    assert '<a href="#confirm">Tick the box to confirm you want to submit your answers</a>' in page
    assert 'aria-describedby="confirm-error"' in page and "nhsuk-form-group--error" in page
    assert Attempt.objects.get().state == AttemptState.IN_PROGRESS
    done = client.post(
        reverse("exams:attempt_submit", args=[attempt.pk]), {"confirm": "yes"}, follow=True
    )
    assert "Your answers have been submitted" in done.content.decode()
    assert "You submitted your answers at" in done.content.decode()
    assert Response.objects.exclude(option="").count() == 4


def test_no_page_or_answer_carries_a_key(client, paper, booking, attempt):
    client.force_login(booking.candidate)
    keys = {q.version.key for q in _questions(attempt)}
    for number in range(1, 5):
        page = _page_text(client, reverse("exams:attempt_question", args=[attempt.pk, number]))
        main = page.split("<main")[1].split("</main>")[0]
        assert not re.search(r"\bkey\b", main, re.IGNORECASE)
        assert 'answer"' not in page
    q = _questions(attempt)[0]
    response = client.post(
        reverse("exams:attempt_save", args=[attempt.pk]),
        {"question": q.pk, "version": q.version_id, "tab": "t1", "sequence": 1, "option": "A"},
    )
    body = json.loads(response.content)
    assert body == {"saved": True, "seconds": body["seconds"]}
    assert keys  # the keys exist; none was shown


def test_the_autosave_answers_in_json_and_refuses_with_409(client, booking, attempt):
    client.force_login(booking.candidate)
    q = _questions(attempt)[0]
    url = reverse("exams:attempt_save", args=[attempt.pk])
    base = {"question": q.pk, "version": q.version_id, "tab": "t1", "sequence": 1}
    assert client.post(url, {**base, "option": "B"}).status_code == 200
    refused = client.post(url, {**base, "sequence": 2, "option": "Z"})
    assert refused.status_code == 409
    assert json.loads(refused.content)["message"] == "Choose one of the options shown."
    assert _answer(attempt, q) == "B"


def test_every_paper_page_refuses_an_outsider(client, paper, booking, attempt, outsider):
    client.force_login(outsider)
    urls = [
        reverse("exams:paper_start", args=[booking.pk, paper.pk]),
        reverse("exams:attempt_question", args=[attempt.pk, 1]),
        reverse("exams:attempt_review", args=[attempt.pk]),
        reverse("exams:attempt_done", args=[attempt.pk]),
        reverse("exams:attempt_break", args=[attempt.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("exams:attempt_save", args=[attempt.pk]),
        reverse("exams:attempt_submit", args=[attempt.pk]),
        reverse("exams:attempt_rest", args=[attempt.pk]),
    ):
        assert client.post(url, {"confirm": "yes"}).status_code == 404, url
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS


def test_the_team_pages_refuse_candidates(client, paper, booking, attempt):
    client.force_login(booking.candidate)
    for url in (
        reverse("exams:manage_papers", args=[paper.sitting_id]),
        reverse("exams:manage_paper", args=[paper.pk]),
        reverse("exams:manage_paper_candidates", args=[paper.pk]),
        reverse("exams:manage_attempt", args=[attempt.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_question_page_costs_the_same_queries_on_any_question(client, booking, attempt):
    client.force_login(booking.candidate)
    counts = []
    for number in (1, 4):
        url = reverse("exams:attempt_question", args=[attempt.pk, number])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    # The user; the attempt with its paper, booking and whether rest breaks are approved; the
    # question with its version; the answer. (9 before the paper and booking read with the
    # attempt were kept, and the adjustments asked for with it.)
    assert counts[0] == counts[1] and counts[0] <= 4


def test_the_progress_page_lists_each_candidate_in_constant_queries(client, paper, attempt):
    admin = make_persona(Role.FACULTY_STAFF, mfa=True)
    client.force_login(admin)
    url = reverse("exams:manage_paper_candidates", args=[paper.pk])
    page = _page_text(client, url)
    assert "0 not begun, 1 answering, 0 submitted." in page
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        builders.seated(paper)
    client.get(url)  # a new booking empties the cached site menu: warm it again
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(few) == len(more)


def test_an_autosave_costs_a_few_queries_whatever_the_paper(client, booking, attempt):
    """A sitting's thousand candidates each save every half-minute: one save reads the attempt
    once (locked), the question's version, the answer, and writes one row."""
    client.force_login(booking.candidate)
    url = reverse("exams:attempt_save", args=[attempt.pk])
    q = _questions(attempt)
    client.post(url, {"question": q[0].pk, "version": q[0].version_id, "tab": "t", "sequence": 1})
    counts = []
    for n, question in enumerate(q[1:3], 2):
        fields = {"question": question.pk, "version": question.version_id, "tab": "t"}
        with CaptureQueriesContext(connection) as first:
            assert client.post(url, {**fields, "sequence": n, "option": "A"}).status_code == 200
        with CaptureQueriesContext(connection) as change:
            assert client.post(url, {**fields, "sequence": n + 9, "option": "B"}).status_code == 200
        counts.append((len(first), len(change)))
        assert _answer(attempt, question) == "B"
    assert counts[0] == counts[1]
    # The user, the attempt (locked), the question's version, the answer, its write, and the
    # savepoint around them: 5 queries and 2 statements (the view asked 9 to 12 before).
    assert max(counts[0]) <= 7


def test_closing_a_paper_costs_the_same_queries_for_three_candidates_or_eight(paper):
    """Closing submits every attempt still open in one go: the queries do not grow with the
    candidates, and each attempt still gets its marks and its own audit event."""
    admin = make_persona(Role.FACULTY_STAFF, mfa=True)

    def sit(count):
        for _ in range(count):
            booking = builders.seated(paper)
            attempt = attempts.start_attempt(paper=paper, booking=booking, by=booking.candidate)
            q = _questions(attempt)
            _save(attempt, q[0], q[0].version.key)
            _save(attempt, q[1], "A" if q[1].version.key != "A" else "B")

    sit(3)
    ContentType.objects.get_for_models(Attempt, Paper, Sitting)  # cached, as in a running site
    with transaction.atomic():  # closed, counted, then undone
        with CaptureQueriesContext(connection) as three:
            papers.close_paper(paper=paper, by=admin, now=paper.closes_at)
        transaction.set_rollback(True)
    sit(5)
    with CaptureQueriesContext(connection) as eight:
        papers.close_paper(paper=paper, by=admin, now=paper.closes_at)
    assert len(three) == len(eight)
    assert Attempt.objects.filter(state=AttemptState.SUBMITTED).count() == 8
    scores = Mark.objects.values_list("booking_id", "score")
    per_candidate = {}
    for booking_id, score in scores:
        per_candidate[booking_id] = per_candidate.get(booking_id, 0) + score
    assert len(scores) == 8 * 4 and sorted(per_candidate.values()) == [1.0] * 8
    submitted = AuditEvent.objects.filter(action="exams.attempt_submitted")
    assert submitted.count() == 8
    assert {e.detail for e in submitted} == {
        "When the exam team closed the paper; 2 answered of 4."
    }


def test_a_paper_is_not_closed_early_while_a_candidate_with_a_place_has_not_begun(paper):
    """Closing shuts out anyone who has not begun: before the start window ends it waits for
    every candidate with a place to submit."""
    admin = make_persona(Role.FACULTY_STAFF, mfa=True)
    sat = builders.seated(paper)
    attempt = attempts.start_attempt(paper=paper, booking=sat, by=sat.candidate)
    attempts.submit_attempt(attempt=attempt, by=sat.candidate)
    late = builders.seated(paper)  # has a place, not begun yet
    with pytest.raises(ExamError, match="1 not begun and 0 still answering"):
        papers.close_paper(paper=paper, by=admin)
    paper.refresh_from_db()
    assert paper.state == PaperState.FROZEN
    attempt = attempts.start_attempt(paper=paper, booking=late, by=late.candidate)
    attempts.submit_attempt(attempt=attempt, by=late.candidate)
    papers.close_paper(paper=paper, by=admin)  # everyone has submitted: early is fine
    paper.refresh_from_db()
    assert paper.state == PaperState.CLOSED


def test_the_site_menu_is_left_out_while_a_candidate_sits_the_paper(client, booking, attempt):
    client.force_login(booking.candidate)
    menu = 'aria-label="Menu"'
    assert menu in _page_text(client, reverse("exams:my_exams"))
    for url in (
        reverse("exams:attempt_question", args=[attempt.pk, 1]),
        reverse("exams:attempt_review", args=[attempt.pk]),
    ):
        page = _page_text(client, url)
        assert menu not in page and "Sign out" in page, url
