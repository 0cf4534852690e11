"""The one writer of an application's state: a move allowed by accreditation.states, with
its timeline event and its audit event, in the caller's transaction."""

from django.utils import timezone

from accreditation import states
from accreditation.errors import AccreditationError
from accreditation.models import Application, ApplicationEvent
from portal.audit import record


def move(
    application: Application,
    to: states.State,
    *,
    by_action: states.Action,
    audit: str,
    note: str = "",
    fields=(),
) -> Application:
    """Move the (locked) APPLICATION to TO by BY_ACTION, saving FIELDS with it, and record
    the change as "accreditation.<AUDIT>". A move states.MOVES does not allow is refused
    (from the wrong state) or is a programming error (to a state the action never leads to).
    """
    old = application.state
    reason = states.refusal(old, by_action)
    if reason:
        raise AccreditationError(reason)
    if not states.leads_to(by_action, old, to):
        raise ValueError(f"{by_action.label!r} never moves an application from {old} to {to}.")
    application.state = to
    application.state_changed_at = timezone.now()
    application.save(update_fields=["state", "state_changed_at", *fields])
    ApplicationEvent.objects.create(application=application, from_state=old, to_state=to, note=note)
    record(
        f"accreditation.{audit}",
        obj=application,
        old={"state": old},
        new={"state": str(to)},
        detail=note[:500],
    )
    return application
