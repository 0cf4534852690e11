"""Whether someone may apply for a sitting of an exam, and why not, in words."""

import datetime
from dataclasses import dataclass

from credentials.api import credential_type, holds_valid_credential
from exams.models import Booking, BookingStatus, CandidateResult, Exam, SittingStatus
from portfolio.api import profession_name, profile_of


@dataclass(frozen=True)
class Eligibility:
    reasons: tuple[str, ...]  # why not, one sentence each; empty when eligible
    attempt_number: int
    profession: str

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def passed_exam_since(user, exam: Exam, since: datetime.date) -> bool:
    """Whether USER passed EXAM at a released sitting held on or after SINCE."""
    return CandidateResult.objects.filter(
        booking__candidate=user,
        booking__sitting__exam=exam,
        booking__sitting__status=SittingStatus.RELEASED,
        booking__sitting__ends_on__gte=since,
        passed=True,
    ).exists()


def check_eligibility(user, exam: Exam, *, on: datetime.date, exclude_sitting=None):
    """USER's eligibility for EXAM on day ON, with the attempt a new booking would be."""
    reasons = []
    profile = profile_of(user)
    profession = profile.profession if profile else ""
    if profile is None:
        reasons.append("Create your clinician profile first: eligibility depends on it.")
    elif exam.allowed_professions and profession not in exam.allowed_professions:
        allowed = ", ".join(profession_name(code) for code in exam.allowed_professions)
        reasons.append(
            f"The {exam.name} is open to: {allowed}. Your profile says "
            f"{profession_name(profession)}."
        )
    if exam.prerequisite_credential_id and not holds_valid_credential(
        user, exam.prerequisite_credential_id, on=on
    ):
        kind = credential_type(exam.prerequisite_credential_id)
        reasons.append(f"You need a valid {kind.name} credential before you apply.")
    if exam.prerequisite_exam_id:
        years = exam.prerequisite_within_years
        since = _years_before(on, years) if years else datetime.date.min
        if not passed_exam_since(user, exam.prerequisite_exam, since):
            within = f" within the last {years} years" if years else ""
            reasons.append(f"You need a pass in {exam.prerequisite_exam.name}{within}.")
    if passed_exam_since(user, exam, datetime.date.min):
        reasons.append(f"You have already passed the {exam.name}.")
    earlier = Booking.objects.filter(
        candidate=user, sitting__exam=exam, status=BookingStatus.CONFIRMED
    )
    if exclude_sitting is not None:
        earlier = earlier.exclude(sitting=exclude_sitting)
    attempts = earlier.count()
    if attempts >= exam.max_attempts:
        reasons.append(
            f"You have used all {exam.max_attempts} attempts allowed at the {exam.name}."
        )
    return Eligibility(tuple(reasons), attempts + 1, profession)
