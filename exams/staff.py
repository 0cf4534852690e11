"""Who runs the exams: the one role check the exams pages, services and state modules share
(the pages' decorator, exams.views.common.staff_only, asks for the same role)."""

from portal.roles import Role, has_role

STAFF_ROLE = Role.FACULTY_STAFF


def is_staff(user) -> bool:
    """Whether USER runs the exams (a superuser may do everything any role may)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or has_role(user, STAFF_ROLE)
