"""All mapped models, imported here so metadata is complete for migrations."""

from desktop.core.models.account import Role, User
from desktop.core.models.audit import AuditEntry, AuditHead
from desktop.core.models.base import Base
from desktop.core.models.broker import ApplicationStatus, BrokerApplication
from desktop.core.models.center import CenterSettings
from desktop.core.models.certification import (
    ApplicationStep,
    BatchStatus,
    CalendarDay,
    Objection,
    ObjectionVerdict,
    PublicityBatch,
    PublicityEntry,
    StepKind,
    TrainingResult,
)
from desktop.core.models.performance import (
    BrokerWork,
    TrainingAttendance,
    TrainingMode,
    TrainingSession,
    VillagePopulation,
    WorkKind,
)
from desktop.core.models.registry import Broker, BrokerStatus, BrokerStatusChange

__all__ = [
    "ApplicationStatus",
    "ApplicationStep",
    "AuditEntry",
    "AuditHead",
    "Base",
    "BatchStatus",
    "Broker",
    "BrokerApplication",
    "BrokerStatus",
    "BrokerStatusChange",
    "BrokerWork",
    "CalendarDay",
    "CenterSettings",
    "Objection",
    "ObjectionVerdict",
    "PublicityBatch",
    "PublicityEntry",
    "Role",
    "StepKind",
    "TrainingAttendance",
    "TrainingMode",
    "TrainingResult",
    "TrainingSession",
    "User",
    "VillagePopulation",
    "WorkKind",
]
