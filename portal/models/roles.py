from django.contrib.auth.models import Group
from django.db import models


class RoleGroup(models.Model):
    """The Django group that holds a role, found by the role's stable code (portal.roles.Role).

    The group is named with the role's label, as staff see it in the admins; every lookup goes
    by the code, so a role can be renamed (its group follows, portal.roles.ensure_roles) without
    any lookup changing.
    """

    role = models.CharField(max_length=40, unique=True)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="portal_role")

    def __str__(self) -> str:
        return self.role
