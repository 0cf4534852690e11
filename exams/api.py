"""What the public Wagtail pages (cms) use from exams. Keep these names: cms codes against them.

- PUBLIC_FACT_MODELS: models whose save/delete should invalidate the public exam pages
  (places left depend on bookings, so Booking is one of them).
- published_exams(): the exams shown publicly.
- upcoming_sittings(exam): the exam's scheduled sittings not yet held, as SittingFacts, in two
  queries however many sittings and bookings there are.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from exams.audit_words import ACTION_WORDS as AUDIT_WORDS
from exams.audit_words import open_appeals_note, waiting_adjustments_note
from exams.models import Booking, BookingStatus, Exam, Sitting, SittingStatus
from portal.contributions import Card
from portal.roles import Role

__all__ = [
    "AUDIT_WORDS",
    "DASHBOARD_CARDS",
    "ROLE_PERMISSIONS",
    "PUBLIC_FACT_MODELS",
    "SittingFacts",
    "credential_routes",
    "published_exams",
    "upcoming_sittings",
]

PUBLIC_FACT_MODELS = (Exam, Sitting, Booking)


@dataclass(frozen=True)
class SittingFacts:
    label: str
    status_text: str
    starts_on: datetime.date
    ends_on: datetime.date
    mode_text: str
    venue: str
    fee_text: str
    places_left: int
    applications_open: datetime.date
    applications_close: datetime.date
    apply_url: str


def published_exams() -> QuerySet[Exam]:
    return Exam.objects.filter(published=True).order_by("order", "name")


def _status_text(sitting: Sitting, places_left: int, today: datetime.date) -> str:
    if today < sitting.applications_open:
        return f"Applications open {sitting.applications_open:%-d %B %Y}"
    if today > sitting.applications_close:
        return "Applications closed"
    if places_left <= 0:
        return "Full: join the waiting list"
    return "Open for applications"


def upcoming_sittings(exam) -> list[SittingFacts]:
    """EXAM's scheduled sittings that have not started, soonest first."""
    today = timezone.localdate()
    sittings = (
        Sitting.objects.filter(exam=exam, status=SittingStatus.SCHEDULED, starts_on__gte=today)
        .annotate(confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)))
        .order_by("starts_on", "pk")
    )
    facts = []
    for sitting in sittings:
        places_left = max(sitting.capacity - sitting.confirmed, 0)
        facts.append(
            SittingFacts(
                label=sitting.label,
                status_text=_status_text(sitting, places_left, today),
                starts_on=sitting.starts_on,
                ends_on=sitting.ends_on,
                mode_text=sitting.get_mode_display(),
                venue=sitting.venue,
                fee_text=sitting.fee_text,
                places_left=places_left,
                applications_open=sitting.applications_open,
                applications_close=sitting.applications_close,
                apply_url=reverse("exams:apply", args=[sitting.pk]),
            )
        )
    return facts


def credential_routes(credential_type_code: str) -> list:
    """The next sitting of each published exam whose pass awards CREDENTIAL_TYPE_CODE, as
    credentials.api.CredentialRoute (collected by credentials.api.routes_to). One query."""
    from credentials.api import CredentialRoute

    today = timezone.localdate()
    sittings = (
        Sitting.objects.filter(
            exam__awards_id=credential_type_code,
            exam__published=True,
            status=SittingStatus.SCHEDULED,
            applications_close__gte=today,
        )
        .select_related("exam")
        .order_by("exam_id", "starts_on", "pk")
    )
    routes, seen = [], set()
    for sitting in sittings:
        if sitting.exam_id in seen:
            continue
        seen.add(sitting.exam_id)
        when = f"{sitting.starts_on:%-d %B %Y}"
        if today < sitting.applications_open:
            apply = f"applications open {sitting.applications_open:%-d %B %Y}"
        else:
            apply = f"apply by {sitting.applications_close:%-d %B %Y}"
        routes.append(
            CredentialRoute(
                text=f"The next {sitting.exam.name} sitting is {sitting.label}, {when} ({apply}).",
                url=reverse("exams:apply", args=[sitting.pk]),
            )
        )
    return routes


# -- benchmark data (manage.py bench_data) -------------------------------------------------------
def load_bench_sittings(**kwargs) -> list[int]:
    """Benchmark sittings, marks and results loaded with COPY (exams/benchdata.py)."""
    from exams.benchdata import generate

    return generate(**kwargs)


# -- what exams adds to portal's pages (collected by portal.contributions) ------------------------
DASHBOARD_CARDS = (
    Card(
        Role.APPLICANT,
        70,
        "Your exams",
        "Apply for a diploma or membership exam, see your bookings and your results.",
        "exams:my_exams",
    ),
    Card(
        Role.FACULTY_STAFF,
        70,
        "Exam sittings",
        "Applications, adjustments, results import, standard setting, item analysis and release.",
        "exams:manage_sittings",
        note=waiting_adjustments_note,
    ),
    Card(
        Role.FACULTY_STAFF,
        75,
        "Question banks",
        "Write, review and approve single best answer questions, and see how each performed.",
        "exams:bank_index",
    ),
    Card(
        Role.EXAMINER,
        10,
        "Your OSCE stations",
        "Mark the candidates at your station, in rotation order, on a tablet.",
        "exams:examiner",
    ),
    Card(
        Role.FACULTY_STAFF,
        80,
        "Exam appeals",
        "Appeals and re-mark requests waiting for a decision.",
        "exams:manage_appeals",
        note=open_appeals_note,
    ),
)
# Exams and sittings in the Django admin (statuses change only in the exams pages).
ROLE_PERMISSIONS = {
    Role.FACULTY_STAFF: tuple(
        f"exams.{verb}_{model}"
        for model in ("exam", "component", "sitting")
        for verb in ("view", "add", "change")
    ),
}
