"""The checks every step makes before it writes, in one place: the application's row locked,
the move allowed from its state (accreditation.states), who is acting, and their words
cleaned. The pages use the same role checks, so they never offer what a step would refuse.
"""

from accreditation import states
from accreditation.errors import AccreditationError
from accreditation.models import Allocation, Application, Decision
from portal.roles import Role, has_role
from portal.text import has_hidden_characters

# The longest text a person may give one step (reasons, grounds, comments).
MAX_TEXT = 5000


def locked(application: Application) -> Application:
    """APPLICATION's row, read again and locked until the transaction ends (with its pathway
    and applicant). Call it inside transaction.atomic, before checking anything."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("pathway", "applicant")
        .get(pk=application.pk)
    )


def require_move(application: Application, action: states.Action) -> None:
    """Refuse ACTION, with the reason, unless the application's state allows it."""
    reason = states.refusal(application.state, action)
    if reason:
        raise AccreditationError(reason)


def is_admin(user) -> bool:
    """The faculty office: completeness, fees, allocation, qualifications."""
    return user.is_superuser or has_role(user, Role.FACULTY_STAFF)


def is_lead(user) -> bool:
    """A lead assessor: sign-off, moderation and appeals."""
    return user.is_superuser or has_role(user, Role.LEAD_ASSESSOR)


def assessed(application, user) -> bool:
    """USER was ever allocated to assess APPLICATION (a lead who was decides nothing on it)."""
    return Allocation.objects.filter(application=application, assessor=user).exists()


def cleared_to_review(application, user) -> bool:
    """USER is allocated to APPLICATION now and has declared no conflict of interest."""
    return Allocation.objects.filter(
        application=application,
        assessor=user,
        ended_at__isnull=True,
        no_conflict_declared_at__isnull=False,
    ).exists()


def took_part(application, user) -> bool:
    """USER assessed APPLICATION or made one of its decisions (they do not decide its
    appeal)."""
    return (
        assessed(application, user)
        or Decision.objects.filter(round__application=application, decided_by=user).exists()
    )


def clean_text(value: str, what: str, *, required: bool = True) -> str:
    """VALUE stripped, refused if missing (when REQUIRED), too long or hiding characters.
    WHAT names it in the refusal ("the reasons")."""
    value = (value or "").strip()
    if required and not value:
        raise AccreditationError(f"Enter {what}.")
    if len(value) > MAX_TEXT:
        raise AccreditationError(
            f"{what[0].upper()}{what[1:]} must be {MAX_TEXT} characters or fewer."
        )
    if has_hidden_characters(value, multiline=True):
        raise AccreditationError(f"Remove the hidden or text-direction characters from {what}.")
    return value
