"""All mapped models, imported here so metadata is complete for migrations."""

from desktop.core.models.account import Role, User
from desktop.core.models.audit import AuditEntry, AuditHead
from desktop.core.models.base import Base
from desktop.core.models.broker import ApplicationStatus, BrokerApplication
from desktop.core.models.center import CenterSettings

__all__ = [
    "ApplicationStatus",
    "AuditEntry",
    "AuditHead",
    "Base",
    "BrokerApplication",
    "CenterSettings",
    "Role",
    "User",
]
