"""Sitting an online paper: start (or resume), save each answer, flag, rest breaks, submit;
and the exam team's extra time and re-opening for one candidate.

The server keeps the clock. An attempt ends at `ends_at`; a request after it (or the sweep in
`submit_overdue`) submits the attempt "when time ran out", and no answer is taken after that.

Every save locks the attempt's row, so saves of one candidate apply one at a time whatever tab
or worker they come through; candidates never wait for each other. A save carries a key
("tab" and "sequence"): the same key twice is a retry and changes nothing, and an older
sequence from the same tab arriving after a newer one is ignored. Two tabs have two keys, so
the answer chosen last wins, as the candidate expects.
"""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from exams.models import (
    AdjustmentKind,
    AdjustmentStatus,
    Attempt,
    AttemptState,
    BookingStatus,
    Mark,
    Paper,
    PaperQuestion,
    PaperState,
    Response,
    SubmittedHow,
    option_letters,
)
from exams.services.errors import ExamError
from portal.audit import event as audit_event
from portal.audit import record, record_all

MAX_EXTRA_MINUTES = 240
MAX_REASON = 500
TAB = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class Refused(ExamError):
    """A save that cannot be taken (time up, not in the paper...): nothing changed. Carries
    the attempt as it now stands (when there is one), so the caller can say what to do."""

    def __init__(self, message: str, attempt: "Attempt | None" = None):
        super().__init__(message)
        self.attempt = attempt


class NotYourPaper(Refused):
    """The attempt is another candidate's (views answer 404, as if it did not exist)."""


def _now():
    return timezone.now()


def _approved(booking, kind) -> bool:
    return booking.adjustments.filter(kind=kind, status=AdjustmentStatus.APPROVED).exists()


def _snapshot(attempt) -> dict:
    return {"state": attempt.state, "ends_at": attempt.ends_at.isoformat()}


def _shuffled(values, shuffle: bool) -> list:
    values = list(values)
    if shuffle:
        secrets.SystemRandom().shuffle(values)
    return values


def allowed_break_seconds(attempt) -> int:
    """The rest-break time the candidate still has (0 without an approved adjustment). A page
    that read the attempt with `rest_breaks_approved` annotated asks nothing more."""
    approved = getattr(attempt, "rest_breaks_approved", None)
    if approved is None:
        approved = _approved(attempt.booking, AdjustmentKind.REST_BREAKS)
    if not approved:
        return 0
    return max(0, attempt.paper.rest_break_minutes * 60 - attempt.break_seconds_used)


def remaining_seconds(attempt, now=None) -> int:
    """Seconds left on the candidate's clock (a break in progress stops it)."""
    now = now or _now()
    until = attempt.paused_at or now
    return max(0, int((attempt.ends_at - until).total_seconds()))


def _locked(attempt_id) -> Attempt:
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("paper", "booking")
        .get(pk=attempt_id)
    )


def _candidates(attempt_id, by, *, refused=ExamError, now) -> Attempt:
    """The attempt, locked, if BY is its candidate, brought up to the clock (submitted if its
    time is up); REFUSED (an ExamError kind) for anyone else. Inside a transaction."""
    attempt = _locked(attempt_id)
    if attempt.booking.candidate_id != by.pk:
        raise refused("This is not your paper.")
    _expire_if_due(attempt, now)
    return attempt


@transaction.atomic
def start_attempt(*, paper: Paper, booking, by, now=None) -> Attempt:
    """Start the paper (or resume it: the same attempt, the server's time left)."""
    now = now or _now()
    if booking.candidate_id != by.pk:
        raise ExamError("Only the candidate can sit their paper.")
    if booking.status != BookingStatus.CONFIRMED or booking.sitting_id != paper.sitting_id:
        raise ExamError("You do not have a confirmed place for this paper.")
    # Coming back needs only the attempt's own lock; a first start locks the paper (so it
    # cannot close under it), and looks again once it has it, in case a second click won.
    existing = Attempt.objects.filter(paper=paper, booking=booking).first()
    if existing is None:
        paper = Paper.objects.select_for_update().get(pk=paper.pk)
        existing = Attempt.objects.filter(paper=paper, booking=booking).first()
    if existing is not None:
        return resume_attempt(attempt=existing, by=by, now=now)
    if paper.state != PaperState.FROZEN:
        raise ExamError("This paper is not open to candidates.")
    if now < paper.opens_at:
        when = timezone.localtime(paper.opens_at).strftime("%-H:%M on %-d %B %Y")
        raise ExamError(f"The paper opens at {when}.")
    if now >= paper.closes_at:
        raise ExamError("The time to start this paper has passed.")
    minutes = paper.duration_minutes
    extra = 0
    if _approved(booking, AdjustmentKind.EXTRA_TIME):
        extra = round(minutes * paper.extra_time_percent / 100) * 60
    questions = list(paper.questions.order_by("order").values_list("pk", "version__options"))
    attempt = Attempt.objects.create(
        paper=paper,
        booking=booking,
        ends_at=now + datetime.timedelta(minutes=minutes, seconds=extra),
        extra_seconds=extra,
        question_order=_shuffled([pk for pk, _ in questions], paper.shuffle_questions),
        option_orders={
            str(pk): "".join(_shuffled("ABCDE"[: len(options)], paper.shuffle_options))
            for pk, options in questions
        },
        last_seen_at=now,
    )
    record(
        "exams.attempt_started",
        obj=attempt,
        new=_snapshot(attempt),
        actor=by,
        detail=f"Extra time {extra // 60} minutes." if extra else "",
    )
    return attempt


def resume_attempt(*, attempt: Attempt, by, now=None) -> Attempt:
    """The candidate comes back (another tab, a new device, after a dropped connection)."""
    now = now or _now()
    with transaction.atomic():
        attempt = _candidates(attempt.pk, by, now=now)
        if attempt.state == AttemptState.IN_PROGRESS:
            attempt.resumes += 1
            attempt.last_seen_at = now
            attempt.save(update_fields=["resumes", "last_seen_at"])
            record(
                "exams.attempt_resumed",
                obj=attempt,
                actor=by,
                detail=f"{remaining_seconds(attempt, now) // 60} minutes left.",
            )
    return attempt


def _expire_if_due(attempt: Attempt, now) -> None:
    """Submit a locked attempt whose time is up; end a rest break that ran past its allowance."""
    if attempt.state != AttemptState.IN_PROGRESS:
        return
    if attempt.paused_at is not None:
        allowance = allowed_break_seconds(attempt)
        if (now - attempt.paused_at).total_seconds() >= allowance:
            _end_break(attempt, attempt.paused_at + datetime.timedelta(seconds=allowance))
    if attempt.paused_at is None and now >= attempt.ends_at:
        _submit(attempt, SubmittedHow.TIME_UP, at=attempt.ends_at, by=None)


def _submit(attempt: Attempt, how: str, *, at, by) -> None:
    _submit_all([attempt], how, at=at, by=by)


def _submit_all(attempts: list[Attempt], how: str, *, at, by) -> None:
    """Submit locked ATTEMPTS of one paper and mark every question of each into the sitting's
    marks (scoring reads them). A handful of queries however many there are: closing a paper
    submits every attempt still open at once."""
    if not attempts:
        return
    old = {attempt.pk: _snapshot(attempt) for attempt in attempts}
    for attempt in attempts:
        attempt.state = AttemptState.SUBMITTED
        attempt.submitted_at = at
        attempt.submitted_how = how
        attempt.paused_at = None
    ids = [attempt.pk for attempt in attempts]
    Attempt.objects.filter(pk__in=ids).update(
        state=AttemptState.SUBMITTED, submitted_at=at, submitted_how=how, paused_at=None
    )
    questions = list(
        PaperQuestion.objects.filter(paper_id=attempts[0].paper_id)
        .order_by()
        .values_list("pk", "item_id", "item__answer", "item__max_score")
    )
    answers = {
        (attempt_id, question_id): option
        for attempt_id, question_id, option in Response.objects.filter(attempt_id__in=ids)
        .order_by()
        .values_list("attempt_id", "paper_question_id", "option")
    }
    bookings = [attempt.booking_id for attempt in attempts]
    items = [item_id for _, item_id, _, _ in questions]
    # Marks left by an earlier submission are withdrawn when an attempt is re-opened; this
    # catches any left behind, so a mark is always the last submission's.
    Mark.objects.filter(booking_id__in=bookings, item_id__in=items).delete()
    marks, events = [], []
    for attempt in attempts:
        answered = 0
        for question_id, item_id, key, max_score in questions:
            option = answers.get((attempt.pk, question_id), "")
            answered += bool(option)
            marks.append(
                Mark(
                    booking_id=attempt.booking_id,
                    item_id=item_id,
                    option=option,
                    score=max_score if option and option == key else 0.0,
                )
            )
        events.append(
            audit_event(
                "exams.attempt_submitted",
                obj=attempt,
                old=old[attempt.pk],
                new=_snapshot(attempt),
                actor=by,
                detail=f"{SubmittedHow(how).label}; {answered} answered of {len(questions)}.",
            )
        )
    Mark.objects.bulk_create(marks, batch_size=2000)
    record_all(events)


def submit_attempt(*, attempt: Attempt, by, now=None) -> Attempt:
    """The candidate submits their answers (after the review page)."""
    now = now or _now()
    with transaction.atomic():
        attempt = _candidates(attempt.pk, by, now=now)
        if attempt.state == AttemptState.SUBMITTED:
            return attempt  # a second click, or the clock got there first
        _submit(attempt, SubmittedHow.CANDIDATE, at=now, by=by)
    return attempt


def _clean_key(tab: str, sequence) -> tuple[str, int]:
    tab = (tab or "").strip()
    if not tab or len(tab) > 40 or not set(tab) <= TAB:
        raise Refused("This save is not valid. Reload the page.")
    try:
        sequence = int(sequence)
    except (TypeError, ValueError):
        raise Refused("This save is not valid. Reload the page.") from None
    if not 0 < sequence < 2**62:
        raise Refused("This save is not valid. Reload the page.")
    return tab, sequence


def save_answer(
    *,
    attempt_id: int,
    by,
    paper_question_id: int,
    version_id: int,
    tab: str,
    sequence,
    option: str | None = None,
    flagged: bool | None = None,
    now=None,
) -> Response:
    """Save the candidate's OPTION (as the author lettered it; "" clears it) and/or FLAGGED
    for one question. Refused (Refused, nothing changed) after time is up or submission, for
    another candidate's attempt, a question not in the paper, a stale question version or an
    option the question does not have. A retry, or an older save arriving late, is ignored.
    The response returned carries the attempt (`response.attempt`) as it stands after the save.

    The hot path of a sitting (a thousand candidates save every half-minute): the attempt's
    row lock serialises one candidate's saves, so the response needs no lock of its own, and
    a first answer is one INSERT."""
    now = now or _now()
    with transaction.atomic():
        # Whose it is first (an outsider learns nothing, not even that the save was malformed);
        # then, time up: the attempt is submitted (and that is kept) and this save refused.
        attempt = _candidates(attempt_id, by, refused=NotYourPaper, now=now)
        refused = _why_not(attempt)
        if refused is None:
            try:
                tab, sequence = _clean_key(tab, sequence)
                response = _apply_save(
                    attempt, paper_question_id, version_id, tab, sequence, option, flagged, now
                )
            except Refused as exc:
                exc.attempt = attempt
                raise
    if refused is not None:
        raise Refused(refused, attempt)
    response.attempt = attempt
    return response


def _why_not(attempt) -> str | None:
    if attempt.state != AttemptState.IN_PROGRESS:
        return "Your answers have been submitted: this answer was not saved."
    if attempt.paused_at is not None:
        return "You are on a rest break: end it to answer."
    return None


def _apply_save(attempt, paper_question_id, version_id, tab, sequence, option, flagged, now):
    if paper_question_id not in attempt.question_order:
        raise Refused("This question is not in your paper.")
    shown = (
        PaperQuestion.objects.filter(pk=paper_question_id)
        .values_list("version_id", "version__options")
        .first()
    )
    if shown is None or shown[0] != version_id:
        raise Refused("This question has changed. Reload the page.")
    if option is not None:
        option = option.strip().upper()
        if option and option not in option_letters(shown[1]):
            raise Refused("Choose one of the options shown.")
    response = Response.objects.filter(attempt=attempt, paper_question_id=paper_question_id).first()
    if response is None:
        response = Response.objects.create(
            attempt=attempt,
            paper_question_id=paper_question_id,
            version_id=version_id,
            option=option or "",
            flagged=bool(flagged),
            save_tab=tab,
            save_sequence=sequence,
        )
    elif response.save_tab == tab and sequence <= response.save_sequence:
        return response  # a retry, or an older save from this tab: the newer one stands
    else:
        if option is not None:
            response.option = option
        if flagged is not None:
            response.flagged = flagged
        response.save_tab, response.save_sequence = tab, sequence
        response.save(update_fields=["option", "flagged", "save_tab", "save_sequence", "saved_at"])
    if attempt.last_seen_at is None or (now - attempt.last_seen_at).total_seconds() > 30:
        attempt.last_seen_at = now
        Attempt.objects.filter(pk=attempt.pk).update(last_seen_at=now)
    return response


def take_break(*, attempt: Attempt, by, now=None) -> Attempt:
    now = now or _now()
    with transaction.atomic():
        attempt = _candidates(attempt.pk, by, now=now)
        submitted = attempt.state != AttemptState.IN_PROGRESS
        if not submitted and attempt.paused_at is None:
            left = allowed_break_seconds(attempt)
            if left <= 0:
                raise ExamError("You have no rest-break time left.")
            attempt.paused_at = now
            attempt.save(update_fields=["paused_at"])
            record("exams.attempt_break_started", obj=attempt, actor=by, detail=f"{left // 60} min")
    if submitted:
        raise ExamError("Your answers have been submitted.")
    return attempt


def _end_break(attempt: Attempt, at) -> None:
    spent = max(0, int((at - attempt.paused_at).total_seconds()))
    attempt.ends_at += datetime.timedelta(seconds=spent)
    attempt.break_seconds_used += spent
    attempt.paused_at = None
    attempt.save(update_fields=["ends_at", "break_seconds_used", "paused_at"])
    record("exams.attempt_break_ended", obj=attempt, detail=f"{spent} seconds")


def end_break(*, attempt: Attempt, by, now=None) -> Attempt:
    now = now or _now()
    with transaction.atomic():
        attempt = _candidates(attempt.pk, by, now=now)
        if attempt.paused_at is not None:
            _end_break(attempt, now)
    return attempt


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ExamError("Give the reason: it goes into the audit trail.")
    if len(reason) > MAX_REASON:
        raise ExamError(f"Give the reason in {MAX_REASON} characters or fewer.")
    return reason


def _minutes(minutes) -> int:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise ExamError("Enter the minutes as a whole number.") from None
    if not 1 <= minutes <= MAX_EXTRA_MINUTES:
        raise ExamError(f"Enter between 1 and {MAX_EXTRA_MINUTES} minutes.")
    return minutes


def grant_extra_time(*, attempt: Attempt, minutes, reason: str, by, now=None) -> Attempt:
    """The exam team gives one candidate more time (a technical problem, an adjustment)."""
    now = now or _now()
    minutes, reason = _minutes(minutes), _reason(reason)
    with transaction.atomic():
        attempt = _locked(attempt.pk)
        _expire_if_due(attempt, now)
        if attempt.state != AttemptState.IN_PROGRESS:
            raise ExamError("The attempt is submitted: re-open it instead.")
        old = _snapshot(attempt)
        attempt.ends_at += datetime.timedelta(minutes=minutes)
        attempt.extra_seconds += minutes * 60
        attempt.save(update_fields=["ends_at", "extra_seconds"])
        record(
            "exams.attempt_extra_time",
            obj=attempt,
            old=old,
            new=_snapshot(attempt),
            actor=by,
            detail=f"{minutes} minutes: {reason}",
        )
    return attempt


def reopen_attempt(*, attempt: Attempt, minutes, reason: str, by, now=None) -> Attempt:
    """Re-open one candidate's submitted paper for MINUTES (audited, with the reason); their
    marks are withdrawn until they submit again. Only while the paper is still open."""
    now = now or _now()
    minutes, reason = _minutes(minutes), _reason(reason)
    with transaction.atomic():
        attempt = _locked(attempt.pk)
        if attempt.paper.state != PaperState.FROZEN:
            raise ExamError("The paper is closed: its answers are marked and stay as they are.")
        if attempt.state != AttemptState.SUBMITTED:
            raise ExamError("The attempt is still open.")
        old = _snapshot(attempt)
        attempt.state = AttemptState.IN_PROGRESS
        attempt.submitted_at = None
        attempt.submitted_how = ""
        attempt.ends_at = now + datetime.timedelta(minutes=minutes)
        attempt.save(update_fields=["state", "submitted_at", "submitted_how", "ends_at"])
        Mark.objects.filter(
            booking=attempt.booking, item__paper_question__paper=attempt.paper
        ).delete()
        record(
            "exams.attempt_reopened",
            obj=attempt,
            old=old,
            new=_snapshot(attempt),
            actor=by,
            detail=f"{minutes} minutes: {reason}",
        )
    return attempt


def submit_overdue_one(attempt: Attempt, now=None) -> bool:
    """Bring one attempt up to the clock: submitted if its time is up, a break ended if it ran
    past its allowance. No lock is taken when it is plainly not due, so an ordinary page view
    costs no write. True when the attempt changed (read it again)."""
    now = now or _now()
    if attempt.state != AttemptState.IN_PROGRESS:
        return False
    if attempt.paused_at is None and now < attempt.ends_at:
        return False
    with transaction.atomic():
        _expire_if_due(_locked(attempt.pk), now)
    return True


def submit_overdue(*, now=None) -> int:
    """Submit every attempt whose time is up (the clock's sweep: a candidate who closed the
    tab has their answers submitted as they were). Returns how many."""
    now = now or _now()
    count = 0
    for attempt_id in Attempt.objects.filter(
        state=AttemptState.IN_PROGRESS, ends_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            attempt = _locked(attempt_id)
            before = attempt.state
            _expire_if_due(attempt, now)
            count += attempt.state != before
    return count
