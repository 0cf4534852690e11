"""Demo exams (`make demo`): a sitting open for applications with a waiting list, the demo
applicant booked on another, a sitting whose results are imported and standard-set but not
ratified, and a released sitting with letters, awards and one question excluded. Safe to run
twice: each sitting is made once, through the real services."""

import datetime

from django.utils import timezone

from exams.demo_delivery import seed_demo_delivery
from exams.models import (
    AngoffJudgement,
    Booking,
    BookingStatus,
    Component,
    Exam,
    Item,
    Sitting,
    SittingMode,
    SittingStatus,
)
from exams.sample_results import KEY_HEADER, SBA_HEADER, csv_bytes, key_rows, sba_rows
from exams.services.bookings import apply_for_sitting, request_adjustment
from exams.services.imports import ImportKind, import_data
from exams.services.standards import (
    ANGOFF,
    FIXED,
    award_passes,
    ratify,
    release,
    set_item_excluded,
    set_standard,
)
from portal.demo import seed_user
from portal.roles import Role
from portfolio.api import ClinicianProfile

# A second exam administrator (the board), who set the standards the demo one ratifies. The
# made-up candidates and the board live on sub-domains: the demo's own accounts are @demo.
BOARD_EMAIL = "board@exams.demo.msk-portal.example"
__all__ = ["BOARD_EMAIL", "seed_demo_delivery", "seed_demo_exams"]
CANDIDATES = 24


def _candidates():
    people = []
    for n in range(1, CANDIDATES + 1):
        user = seed_user(
            f"candidate{n:02d}@candidates.demo.msk-portal.example",
            "Candidate",
            f"{n:02d}",
            role=Role.APPLICANT,
        )
        if not ClinicianProfile.objects.filter(user=user).exists():
            ClinicianProfile.objects.create(
                user=user,
                full_name=f"Dr Candidate {n:02d}",
                profession="gp" if n % 4 else "physiotherapist",
                regulator="gmc" if n % 4 else "hcpc",
                registration_number=f"{7300000 + n}" if n % 4 else f"PH{730000 + n}",
                employer="Demo Primary Care Network",
                region="greater_manchester",
                consent_to_public_register=True,
            )
        people.append(user)
    return people


def _sitting(
    exam_code, label, *, starts_on, capacity, mode=SittingMode.REMOTE, venue="", fee=45000
):
    exam = Exam.objects.get(code=exam_code)
    sitting = Sitting.objects.filter(exam=exam, label=label).first()
    if sitting is not None:
        return sitting, False
    today = timezone.localdate()
    opens = min(today - datetime.timedelta(days=7), starts_on - datetime.timedelta(days=60))
    closes = starts_on - datetime.timedelta(days=14) if starts_on > today else opens
    sitting = Sitting.objects.create(
        exam=exam,
        label=label,
        starts_on=starts_on,
        ends_on=starts_on,
        mode=mode,
        venue=venue,
        capacity=capacity,
        applications_open=opens,
        applications_close=max(closes, opens),
        fee_pence=fee,
        status=SittingStatus.SCHEDULED,
    )
    return sitting, True


def _book_directly(sitting, people):
    """Past sittings: their applications were taken before the demo began."""
    for person in people:
        sitting.last_candidate_number += 1
        Booking.objects.create(
            sitting=sitting,
            candidate=person,
            status=BookingStatus.CONFIRMED,
            candidate_number=f"{sitting.last_candidate_number:04d}",
            attempt_number=1,
            profession=person.clinician.profession,
        )
    sitting.save(update_fields=["last_candidate_number"])
    return [f"{n:04d}" for n in range(1, len(people) + 1)]


def _import_sba(sitting, component_code, numbers, items, *, by, seed, prefix, spoilt=()):
    component = Component.objects.get(exam=sitting.exam, code=component_code)
    key = key_rows(items, prefix=prefix, seed=seed)
    import_data(sitting, component, ImportKind.KEY, csv_bytes(KEY_HEADER, key), "key.csv", by=by)
    rows = sba_rows(numbers, key, seed=seed + 1, spoilt=spoilt)
    import_data(
        sitting, component, ImportKind.SBA, csv_bytes(SBA_HEADER, rows), "responses.csv", by=by
    )


def seed_demo_exams(*, applicant, administrator) -> None:
    board = seed_user(BOARD_EMAIL, "Imogen", "Clarke", role=Role.FACULTY_STAFF)
    people = _candidates()
    today = timezone.localdate()

    # Open for applications, small and full: a waiting list.
    open_sitting, made = _sitting(
        "diploma-msk-medicine",
        "Spring 2027",
        starts_on=today + datetime.timedelta(days=90),
        capacity=4,
    )
    if made:
        for person in people[:6]:
            apply_for_sitting(open_sitting, person)
    # The demo applicant is booked on this one, with an adjustment waiting for review.
    venue_sitting, made = _sitting(
        "diploma-exercise-medicine",
        "Spring 2027",
        starts_on=today + datetime.timedelta(days=100),
        capacity=40,
        mode=SittingMode.VENUE,
        venue="Loughborough University, Loughborough",
        fee=52500,
    )
    if made:
        booking = apply_for_sitting(venue_sitting, applicant)
        request_adjustment(
            booking, kind="rest_breaks", details="A 10-minute break each hour.", by=applicant
        )
    _sitting(
        "mfsem-part-1", "Spring 2027", starts_on=today + datetime.timedelta(days=120), capacity=60
    )

    # Held last month: results imported and standard-set, waiting for ratification.
    part1, made = _sitting(
        "mfsem-part-1", "Autumn 2026", starts_on=today - datetime.timedelta(days=30), capacity=60
    )
    if made:
        gps = [p for p in people if p.clinician.profession == "gp"]
        numbers = _book_directly(part1, gps)
        _import_sba(part1, "paper-1", numbers, 100, by=board, seed=11, prefix="P1-")
        _import_sba(part1, "paper-2", numbers, 100, by=board, seed=13, prefix="P2-")
        items = list(Item.objects.filter(sitting=part1))
        AngoffJudgement.objects.bulk_create(
            AngoffJudgement(item=item, judge=judge, probability=p)
            for item in items
            for judge, p in (("Judge A", 0.55), ("Judge B", 0.6), ("Judge C", 0.65))
        )
        set_standard(part1, method=ANGOFF, by=board)

    # Released: letters, awards on the register, one question excluded after analysis.
    released, made = _sitting(
        "diploma-msk-medicine",
        "Summer 2026",
        starts_on=today - datetime.timedelta(days=120),
        capacity=40,
    )
    if made:
        numbers = _book_directly(released, people[:20])
        _import_sba(released, "paper", numbers, 100, by=board, seed=21, prefix="Q", spoilt={"Q017"})
        set_standard(released, method=FIXED, cut=60, by=board)
        set_item_excluded(
            Item.objects.get(sitting=released, code="Q017"),
            excluded=True,
            reason="Two options are defensible: removed after item analysis.",
            by=board,
        )
        ratify(released, by=administrator)
        release(released, by=administrator)
        award_passes(released.pk)
