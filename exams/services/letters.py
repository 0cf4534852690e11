"""A released result's letter: its reference and verification page, made once."""

from django.db import IntegrityError, transaction

from exams.models import Booking, ResultsLetter
from exams.services.errors import ExamError
from exams.sitting_states import results_visible
from portal.audit import record

ATTEMPTS = 3  # a second try only if two random references ever collide


def results_letter(booking: Booking, *, actor=None) -> ResultsLetter:
    """BOOKING's letter record, made the first time its letter is asked for (idempotent: a
    second request, or a race, gets the same reference). Only for a released result."""
    letter = ResultsLetter.objects.filter(booking=booking).first()
    if letter is not None:
        return letter
    if not results_visible(booking.sitting) or not hasattr(booking, "result"):
        raise ExamError("A results letter is made only for a released result.")
    for _ in range(ATTEMPTS):
        try:
            with transaction.atomic():
                letter = ResultsLetter.objects.create(booking=booking)
                record(
                    "exams.results_letter_issued",
                    obj=booking,
                    new={"reference": letter.reference},
                    actor=actor,
                    detail=letter.reference,
                )
                return letter
        except IntegrityError:
            existing = ResultsLetter.objects.filter(booking=booking).first()
            if existing is not None:
                return existing  # another request made it first
    raise ExamError("The letter's reference could not be made; try again.")
