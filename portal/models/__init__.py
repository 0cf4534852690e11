from portal.models.audit import AuditEvent
from portal.models.users import User

__all__ = ["AuditEvent", "User"]
