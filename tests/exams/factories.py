"""Exams test data: sittings of the standard exams, candidates with profiles, results."""

import datetime

from django.utils import timezone

from exams.models import Booking, BookingStatus, Exam, Sitting, SittingMode, SittingStatus
from portal.roles import Role
from portfolio.models import Profession
from tests.factories import make_persona
from tests.portfolio.factories import ClinicianProfileFactory


def today():
    return timezone.localdate()


def make_sitting(exam_code="diploma-msk-medicine", *, past=False, **fields) -> Sitting:
    """A scheduled sitting open for applications today (PAST: it was held last month)."""
    now = today()
    if past:
        starts = now - datetime.timedelta(days=30)
        window = (starts - datetime.timedelta(days=60), starts - datetime.timedelta(days=10))
    else:
        starts = now + datetime.timedelta(days=60)
        window = (now - datetime.timedelta(days=5), now + datetime.timedelta(days=20))
    values = {
        "exam": Exam.objects.get(code=exam_code),
        "label": "Spring",
        "starts_on": starts,
        "ends_on": starts,
        "mode": SittingMode.REMOTE,
        "capacity": 20,
        "applications_open": window[0],
        "applications_close": window[1],
        "fee_pence": 45000,
        "status": SittingStatus.SCHEDULED,
    }
    values.update(fields)
    return Sitting.objects.create(**values)


def make_candidate(profession=Profession.GP, **kwargs):
    user = make_persona(Role.APPLICANT, **kwargs)
    ClinicianProfileFactory(user=user, profession=profession)
    return user


def book(sitting, candidate=None, *, number=None, status=BookingStatus.CONFIRMED) -> Booking:
    """A booking written directly (for results tests; applications go through the service)."""
    candidate = candidate or make_candidate()
    if number is None and status == BookingStatus.CONFIRMED:
        sitting.last_candidate_number += 1
        sitting.save(update_fields=["last_candidate_number"])
        number = f"{sitting.last_candidate_number:04d}"
    return Booking.objects.create(
        sitting=sitting,
        candidate=candidate,
        status=status,
        candidate_number=number,
        attempt_number=1,
        profession="gp",
    )
