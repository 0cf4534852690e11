from portal.models.audit import AuditEvent
from portal.models.population import RegionPopulation
from portal.models.role_requests import (
    OrganisationType,
    RoleGrant,
    RoleRequest,
    RoleRequestStatus,
)
from portal.models.roles import RoleGroup
from portal.models.users import User

__all__ = [
    "AuditEvent",
    "OrganisationType",
    "RegionPopulation",
    "RoleGrant",
    "RoleGroup",
    "RoleRequest",
    "RoleRequestStatus",
    "User",
]
