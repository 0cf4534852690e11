"""Who a commissioner acts for, for the apps that decide what a commissioner may see.

`commissioner_region(user)` is the ICB code (a `portal.regions.Region` value) of the integrated
care board a commissioner was approved for, or None: not a commissioner, a commissioner for an
employer rather than an ICB, or a commissioner from before role requests recorded one.
"""

from portal.models import OrganisationType, RoleGrant
from portal.roles import Role, has_role


def commissioner_grant(user) -> RoleGrant | None:
    """The organisation USER holds the commissioner role for, if they hold it."""
    if user is None or not user.is_authenticated or not has_role(user, Role.COMMISSIONER):
        return None
    return RoleGrant.objects.filter(user=user, role=Role.COMMISSIONER).first()


def commissioner_region(user) -> str | None:
    grant = commissioner_grant(user)
    if grant is None or grant.organisation_type != OrganisationType.ICB or not grant.region:
        return None
    return grant.region
