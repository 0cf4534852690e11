"""A sitting's life before its results: created as a draft, its details, places and dates
changed, scheduled or cancelled. The exams pages and the Django admin both change a sitting
only through these (exams/admin.py), so every change is guarded by exams.sitting_states, made
under the sitting's lock and audited, and added places go to the waiting list at once."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from exams import sitting_states
from exams.booking_states import BookingStatus
from exams.models import Booking, Sitting
from exams.services.bookings import locked_sitting, promote_waiting
from exams.services.errors import ExamError, refuse_if
from exams.sitting_states import SittingAction, SittingStatus
from portal.audit import record

# What may change once a sitting exists (its exam never does: bookings and results hang on it).
DETAILS = ("label", "mode", "venue", "fee_pence")
DATES = ("starts_on", "ends_on", "applications_open", "applications_close")
CHANGEABLE = (*DETAILS, "capacity", *DATES)
MOST_PLACES = 5000


def create_sitting(*, by, **fields) -> Sitting:
    """A new sitting, as a draft (checked by the model's constraints as well as the form)."""
    with transaction.atomic():
        sitting = Sitting.objects.create(status=SittingStatus.DRAFT, **fields)
        record(
            "exams.sitting_created",
            obj=sitting,
            actor=by,
            new={"status": sitting.status, "capacity": sitting.capacity},
        )
        return sitting


def change_refusal(sitting: Sitting, changes: dict) -> str | None:
    """Why CHANGES (field → new value) cannot be made to SITTING, or None when they can:
    places and dates only before results; never fewer places than are confirmed."""
    if "capacity" in changes:
        reason = sitting_states.refusal(sitting, SittingAction.CHANGE_PLACES)
        if reason:
            return reason
        capacity = changes["capacity"]
        if not 1 <= capacity <= MOST_PLACES:
            return f"A sitting has from 1 to {MOST_PLACES:,} places."
        confirmed = Booking.objects.filter(sitting=sitting, status=BookingStatus.CONFIRMED).count()
        if capacity < confirmed:
            return (
                f"{confirmed} places are confirmed already: the sitting needs at least that many."
            )
    if set(changes) & set(DATES):
        return sitting_states.refusal(sitting, SittingAction.CHANGE_DATES)
    return None


def _words(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def change_sitting(sitting: Sitting, *, by, **changes) -> Sitting:
    """Change SITTING's details, places or dates (see CHANGEABLE), all or nothing, recorded
    with the old and new values. More places go to the waiting list at once."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValueError(f"A sitting's {', '.join(sorted(unknown))} cannot be changed.")
    with transaction.atomic():
        sitting = locked_sitting(sitting.pk)
        changes = {
            name: value for name, value in changes.items() if getattr(sitting, name) != value
        }
        if not changes:
            return sitting
        refuse_if(change_refusal(sitting, changes))
        old = {name: getattr(sitting, name) for name in changes}
        for name, value in changes.items():
            setattr(sitting, name, value)
        try:
            sitting.full_clean(exclude=["exam", "status"])
        except ValidationError as exc:
            raise ExamError(" ".join(exc.messages)) from exc
        sitting.save(update_fields=list(changes))
        record(
            "exams.sitting_changed",
            obj=sitting,
            actor=by,
            old={name: _words(value) for name, value in old.items()},
            new={name: _words(value) for name, value in changes.items()},
        )
        if changes.get("capacity", 0) > old.get("capacity", 0):
            promote_waiting(sitting)
        return sitting


def change_capacity(sitting: Sitting, *, capacity: int, by) -> Sitting:
    """More or fewer places before the sitting; more places go to the waiting list at once.
    Never fewer than the places already confirmed."""
    with transaction.atomic():
        sitting = locked_sitting(sitting.pk)
        refuse_if(change_refusal(sitting, {"capacity": capacity}))
        old = sitting.capacity
        sitting.capacity = capacity
        sitting.save(update_fields=["capacity"])
        record(
            "exams.capacity_changed",
            obj=sitting,
            actor=by,
            old={"capacity": old},
            new={"capacity": capacity},
        )
        if capacity > old:
            promote_waiting(sitting)
        return sitting


def schedule_sitting(sitting: Sitting, *, by) -> Sitting:
    """Publish a draft sitting: it shows on the public pages and takes applications in its
    window."""
    return _move(sitting, SittingAction.SCHEDULE, "exams.sitting_scheduled", by=by)


def cancel_sitting(sitting: Sitting, *, by) -> Sitting:
    return _move(sitting, SittingAction.CANCEL, "exams.sitting_cancelled", by=by)


def _move(sitting: Sitting, action: SittingAction, audit_action: str, *, by) -> Sitting:
    with transaction.atomic():
        sitting = locked_sitting(sitting.pk)
        refuse_if(sitting_states.refusal(sitting, action, by=by))
        old = sitting.status
        sitting.status = sitting_states.MOVES[action].to
        sitting.save(update_fields=["status"])
        record(
            audit_action, obj=sitting, actor=by, old={"status": old}, new={"status": sitting.status}
        )
        return sitting
