"""Sitting a paper online: the start page, one question a page, the review page, submitting.

Works without JavaScript: each question page is a form that saves the answer and moves on.
With JavaScript (static/js/paper.mjs) each answer is also saved the moment it is chosen and
the clock counts down. The clock is the server's; a page always shows the time it has.

Every page is the candidate's own (404 for anyone else). No page, JSON answer or file here
ever carries a question's key or any question outside the candidate's paper.
"""

import secrets
import time

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from exams.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Attempt,
    AttemptState,
    Booking,
    BookingStatus,
    Paper,
    PaperQuestion,
    PaperState,
    Response,
)
from exams.services import attempts as service
from exams.services.errors import ExamError
from portal.access import login_required_404

# Rendered with each no-JavaScript form: a tab of its own and a sequence that grows, so a form
# posted twice (a double click, a retry) is taken once.
TAB_PREFIX = "page-"
# What the clock changes on an attempt (refresh_from_db of these keeps the related objects).
CLOCK_FIELDS = [
    "state",
    "submitted_at",
    "submitted_how",
    "paused_at",
    "ends_at",
    "break_seconds_used",
]


def _crumbs(booking, *extra):
    return [
        {"label": "Your exams", "url": reverse("exams:my_exams")},
        {"label": str(booking.sitting), "url": reverse("exams:booking", args=[booking.pk])},
        *extra,
    ]


def _own_attempt(request, pk) -> Attempt:
    rest_breaks = Adjustment.objects.filter(
        booking=OuterRef("booking"),
        kind=AdjustmentKind.REST_BREAKS,
        status=AdjustmentStatus.APPROVED,
    )
    return get_object_or_404(
        Attempt.objects.select_related(
            "paper__component", "paper__sitting__exam", "booking"
        ).annotate(rest_breaks_approved=Exists(rest_breaks)),
        pk=pk,
        booking__candidate=request.user,
    )


def _time_words(seconds: int) -> str:
    hours, rest = divmod(max(0, seconds), 3600)
    minutes = rest // 60 + (1 if rest % 60 and hours == 0 and rest < 60 else 0)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def _clock(attempt) -> dict:
    seconds = service.remaining_seconds(attempt)
    return {
        "seconds": seconds,
        "words": _time_words(seconds),
        "paused": attempt.paused_at is not None,
        "break_left": service.allowed_break_seconds(attempt),
    }


@login_required_404
def paper_start(request, booking_pk: int, paper_pk: int):
    """What the paper is and how long it takes; Start (or Carry on) begins the clock."""
    booking = get_object_or_404(
        Booking.objects.select_related("sitting__exam"),
        pk=booking_pk,
        candidate=request.user,
        status=BookingStatus.CONFIRMED,
    )
    paper = get_object_or_404(
        Paper.objects.select_related("component"),
        pk=paper_pk,
        sitting=booking.sitting,
        state__in=(PaperState.FROZEN, PaperState.CLOSED),
    )
    attempt = Attempt.objects.filter(paper=paper, booking=booking).first()
    if request.method == "POST":
        try:
            attempt = service.start_attempt(paper=paper, booking=booking, by=request.user)
        except ExamError as exc:
            messages.error(request, str(exc))
            return redirect("exams:paper_start", booking.pk, paper.pk)
        if attempt.state == AttemptState.SUBMITTED:
            return redirect("exams:attempt_done", attempt.pk)
        return redirect("exams:attempt_question", attempt.pk, _first_unanswered(attempt))
    adjustments = set(
        booking.adjustments.filter(status=AdjustmentStatus.APPROVED).values_list("kind", flat=True)
    )
    extra = (
        round(paper.duration_minutes * paper.extra_time_percent / 100)
        if AdjustmentKind.EXTRA_TIME in adjustments
        else 0
    )
    now = timezone.now()
    return render(
        request,
        "exams/paper/start.html",
        {
            "booking": booking,
            "paper": paper,
            "attempt": attempt,
            "questions": paper.component.item_count,
            "extra_minutes": extra,
            "rest_breaks": AdjustmentKind.REST_BREAKS in adjustments,
            "not_yet": now < paper.opens_at,
            "too_late": now >= paper.closes_at or paper.state == PaperState.CLOSED,
            "breadcrumbs": _crumbs(booking),
        },
    )


def _first_unanswered(attempt) -> int:
    answered = set(
        Response.objects.filter(attempt=attempt)
        .exclude(option="")
        .values_list("paper_question_id", flat=True)
    )
    for n, pq in enumerate(attempt.question_order, 1):
        if pq not in answered:
            return n
    return 1


def _question(attempt, number: int) -> PaperQuestion:
    if not 1 <= number <= len(attempt.question_order):
        raise Http404("Page not found")
    return PaperQuestion.objects.select_related("version").get(
        pk=attempt.question_order[number - 1]
    )


def _options(attempt, question) -> list[dict]:
    """The options in the order this candidate sees them, lettered A, B... as shown; each
    keeps the author's letter as its value (never the key)."""
    version = question.version
    order = attempt.option_orders.get(str(question.pk)) or version.letters
    return [
        {"shown": "ABCDE"[n], "value": letter, "text": version.options["ABCDE".index(letter)]}
        for n, letter in enumerate(order)
    ]


def _gone(request, attempt):
    """The attempt is submitted (by the candidate, the clock or the exam team)."""
    messages.info(request, "Your answers have been submitted.")
    return redirect("exams:attempt_done", attempt.pk)


@never_cache
@login_required_404
def question_page(request, pk: int, number: int):
    attempt = _own_attempt(request, pk)
    question = _question(attempt, number)
    if request.method == "POST":
        return _save_and_move(request, attempt, question, number)
    attempt = _fresh(attempt)
    if attempt.state != AttemptState.IN_PROGRESS:
        return _gone(request, attempt)
    if attempt.paused_at is not None:
        return redirect("exams:attempt_break", attempt.pk)
    response = Response.objects.filter(attempt=attempt, paper_question=question).first()
    total = len(attempt.question_order)
    return render(
        request,
        "exams/paper/question.html",
        {
            "attempt": attempt,
            "question": question,
            "version": question.version,
            "number": number,
            "total": total,
            "options": _options(attempt, question),
            "chosen": response.option if response else "",
            "flagged": bool(response and response.flagged),
            "clock": _clock(attempt),
            "sitting_a_paper": True,
            "tab": TAB_PREFIX + secrets.token_urlsafe(9),
            "sequence": time.time_ns() // 1000,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < total else None,
            "save_url": reverse("exams:attempt_save", args=[attempt.pk]),
        },
    )


def _fresh(attempt):
    """The attempt as the clock has it now (submitted if the time is up). Only the clock's
    fields are read again, and only when they changed, so the paper, component and booking
    read with the attempt are kept (a page view then costs no more queries)."""
    if service.submit_overdue_one(attempt):
        attempt.refresh_from_db(fields=CLOCK_FIELDS)
    return attempt


def _save_and_move(request, attempt, question, number):
    try:
        service.save_answer(
            attempt_id=attempt.pk,
            by=request.user,
            paper_question_id=question.pk,
            version_id=_int(request.POST.get("version")),
            tab=request.POST.get("tab", ""),
            sequence=request.POST.get("sequence"),
            option=request.POST.get("option", ""),
            flagged=request.POST.get("flagged") == "on",
        )
    except service.Refused as exc:
        attempt.refresh_from_db()
        if attempt.state != AttemptState.IN_PROGRESS:
            return _gone(request, attempt)
        messages.error(request, str(exc))
        return redirect("exams:attempt_question", attempt.pk, number)
    go = request.POST.get("go", "next")
    total = len(attempt.question_order)
    if go == "previous" and number > 1:
        return redirect("exams:attempt_question", attempt.pk, number - 1)
    if go == "review" or (go == "next" and number == total):
        return redirect("exams:attempt_review", attempt.pk)
    if go.isascii() and go.isdigit() and 1 <= int(go) <= total:
        return redirect("exams:attempt_question", attempt.pk, int(go))
    return redirect("exams:attempt_question", attempt.pk, min(number + 1, total))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@require_POST
@login_required_404
def save(request, pk: int):
    """The script's autosave: JSON in, JSON out. 200 with "saved" only once it is stored.
    The service reads (and locks) the attempt once and says whose it is: nothing else is read
    here, since a sitting's thousand candidates each save every half-minute."""
    raw_option = request.POST.get("option")
    raw_flag = request.POST.get("flagged")
    try:
        response = service.save_answer(
            attempt_id=pk,
            by=request.user,
            paper_question_id=_int(request.POST.get("question")),
            version_id=_int(request.POST.get("version")),
            tab=request.POST.get("tab", ""),
            sequence=request.POST.get("sequence"),
            option=raw_option,
            flagged=None if raw_flag is None else raw_flag in ("on", "true", "1"),
        )
    except (Attempt.DoesNotExist, service.NotYourPaper):
        raise Http404("Page not found") from None
    except service.Refused as exc:
        attempt = exc.attempt
        return JsonResponse(
            {
                "saved": False,
                "message": str(exc),
                "submitted": attempt is not None and attempt.state != AttemptState.IN_PROGRESS,
                "seconds": service.remaining_seconds(attempt) if attempt else 0,
            },
            status=409,
        )
    return JsonResponse({"saved": True, "seconds": service.remaining_seconds(response.attempt)})


def _review(request, attempt, *, confirm_error: str = ""):
    responses = {
        r.paper_question_id: r
        for r in Response.objects.filter(attempt=attempt).only(
            "paper_question_id", "option", "flagged"
        )
    }
    rows = []
    for n, pq in enumerate(attempt.question_order, 1):
        response = responses.get(pq)
        rows.append(
            {
                "number": n,
                "answered": bool(response and response.option),
                "flagged": bool(response and response.flagged),
            }
        )
    unanswered = [row["number"] for row in rows if not row["answered"]]
    return render(
        request,
        "exams/paper/review.html",
        {
            "attempt": attempt,
            "rows": rows,
            "answered": len(rows) - len(unanswered),
            "unanswered": unanswered,
            "flagged": [row["number"] for row in rows if row["flagged"]],
            "clock": _clock(attempt),
            "sitting_a_paper": True,
            "confirm_error": confirm_error,
        },
    )


@never_cache
@login_required_404
def review(request, pk: int):
    attempt = _fresh(_own_attempt(request, pk))
    if attempt.state != AttemptState.IN_PROGRESS:
        return _gone(request, attempt)
    return _review(request, attempt)


@require_POST
@login_required_404
def submit(request, pk: int):
    attempt = _own_attempt(request, pk)
    if request.POST.get("confirm") != "yes":
        attempt = _fresh(attempt)
        if attempt.state != AttemptState.IN_PROGRESS:
            return _gone(request, attempt)
        return _review(
            request,
            attempt,
            confirm_error="Tick the box to confirm you want to submit your answers",
        )
    try:
        service.submit_attempt(attempt=attempt, by=request.user)
    except ExamError as exc:
        messages.error(request, str(exc))
        return redirect("exams:attempt_review", attempt.pk)
    return redirect("exams:attempt_done", attempt.pk)


@require_POST
@login_required_404
def rest_break(request, pk: int):
    attempt = _own_attempt(request, pk)
    try:
        if request.POST.get("action") == "end":
            service.end_break(attempt=attempt, by=request.user)
        else:
            service.take_break(attempt=attempt, by=request.user)
    except ExamError as exc:
        messages.error(request, str(exc))
    attempt.refresh_from_db()
    if attempt.paused_at is not None:
        return redirect("exams:attempt_break", attempt.pk)
    return redirect("exams:attempt_question", attempt.pk, _first_unanswered(attempt))


@never_cache
@login_required_404
def on_break(request, pk: int):
    attempt = _fresh(_own_attempt(request, pk))
    if attempt.state != AttemptState.IN_PROGRESS:
        return _gone(request, attempt)
    if attempt.paused_at is None:
        return redirect("exams:attempt_question", attempt.pk, _first_unanswered(attempt))
    return render(
        request,
        "exams/paper/break.html",
        {"attempt": attempt, "clock": _clock(attempt), "sitting_a_paper": True},
    )


@login_required_404
def done(request, pk: int):
    attempt = _own_attempt(request, pk)
    if attempt.state == AttemptState.IN_PROGRESS:
        attempt = _fresh(attempt)
    if attempt.state == AttemptState.IN_PROGRESS:
        return redirect("exams:attempt_review", attempt.pk)
    answered = Response.objects.filter(attempt=attempt).exclude(option="").count()
    return render(
        request,
        "exams/paper/done.html",
        {
            "attempt": attempt,
            "answered": answered,
            "total": len(attempt.question_order),
            "breadcrumbs": _crumbs(attempt.booking),
        },
    )


@login_required_404
def question_image(request, pk: int, number: int):
    """A question's image, to the candidate sitting it while their attempt is open."""
    attempt = _own_attempt(request, pk)
    if attempt.state != AttemptState.IN_PROGRESS:
        raise Http404("Page not found")
    version = _question(attempt, number).version
    if not version.image or version.image_type not in ("image/png", "image/jpeg"):
        raise Http404("Page not found")
    response = FileResponse(version.image.open("rb"), content_type=version.image_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
