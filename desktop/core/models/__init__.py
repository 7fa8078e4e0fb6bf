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
from desktop.core.models.transfer import (
    ClaimStatus,
    ContractKind,
    ReviewDecision,
    ReviewKind,
    ReviewOutcome,
    SubsidyClaimBatch,
    SubsidyClaimMonth,
    SubsidyClaimRow,
    TransferImport,
    TransferRecord,
    TransferStatus,
)

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
    "ClaimStatus",
    "ContractKind",
    "Objection",
    "ObjectionVerdict",
    "PublicityBatch",
    "PublicityEntry",
    "ReviewDecision",
    "ReviewKind",
    "ReviewOutcome",
    "Role",
    "StepKind",
    "SubsidyClaimBatch",
    "SubsidyClaimMonth",
    "SubsidyClaimRow",
    "TrainingAttendance",
    "TrainingMode",
    "TrainingResult",
    "TrainingSession",
    "TransferImport",
    "TransferRecord",
    "TransferStatus",
    "User",
    "VillagePopulation",
    "WorkKind",
]
