from portal.models.audit import AuditEvent
from portal.models.role_requests import (
    OrganisationType,
    RoleGrant,
    RoleRequest,
    RoleRequestStatus,
)
from portal.models.users import User

__all__ = [
    "AuditEvent",
    "OrganisationType",
    "RoleGrant",
    "RoleRequest",
    "RoleRequestStatus",
    "User",
]
