"""The checks every step makes before it writes, in one place: the application's row locked,
the move allowed from its state (accreditation.states), who is acting, and their words
cleaned. The pages use the same role checks, so they never offer what a step would refuse.
"""

from accreditation import states
from accreditation.errors import AccreditationError
from accreditation.models import Application
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
    return user.is_superuser or has_role(user, Role.EXAM_ADMINISTRATOR)


def is_lead(user) -> bool:
    """A lead assessor: sign-off, moderation and appeals."""
    return user.is_superuser or has_role(user, Role.LEAD_ASSESSOR)


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
