"""What happens next to an application, in words, and by when: the state's words
(accreditation.states) with the pathway's service levels counted in working days
(portal.calendar), so every page, queue and export gives the same due date."""

import datetime

from django.utils import timezone

from accreditation.states import WORDS, AppealOutcome, State, appeal_deadline
from portal.calendar import add_working_days


def next_step(application, *, appeal=None) -> tuple[str, datetime.date | None]:
    """What happens next, in words, and by when: the pathway's service level counted in
    working days from the day the application arrived in its state. APPEAL, when given,
    lets a page say what an appeal changed."""
    state = State(application.state)
    words = WORDS[state]
    text, due = words.next_step, None
    if words.due_within:
        since = application.state_changed_at.date()
        due = add_working_days(since, getattr(application.pathway, words.due_within))
    new_review = appeal is not None and appeal.outcome == AppealOutcome.NEW_REVIEW
    if state == State.COMPLETE and new_review:
        text = "The faculty allocates two assessors who have not seen it before."
    elif state == State.MORE_EVIDENCE:
        due = application.more_evidence_deadline
    elif state == State.DECLINED:
        if appeal is not None:
            text = (
                "Nothing more: the decision after the new review is final. You may apply "
                "again in a later window."
            )
        else:
            deadline = appeal_deadline(application)
            if deadline and deadline >= timezone.localdate():
                due = deadline
            else:
                text = "Nothing more: the time to appeal has passed. You may apply again later."
    return text, due


def due_date(application) -> datetime.date | None:
    """When the next step is due (the managers' dashboard and export, the queues)."""
    return next_step(application)[1]
