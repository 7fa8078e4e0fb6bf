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
from desktop.core.models.cooperative import (
    CoopAgreement,
    Cooperative,
    CooperativeBroker,
    CoopWorker,
    Dispatch,
    FourClearCheck,
    HrCompany,
)
from desktop.core.models.fund import (
    FundAccount,
    FundEntry,
    FundSignatory,
    PaymentRequest,
    PaymentSignoff,
    RepaymentMatch,
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
    "CalendarDay",
    "CenterSettings",
    "CoopAgreement",
    "CoopWorker",
    "Cooperative",
    "CooperativeBroker",
    "Dispatch",
    "FourClearCheck",
    "FundAccount",
    "FundEntry",
    "FundSignatory",
    "HrCompany",
    "Objection",
    "ObjectionVerdict",
    "PaymentRequest",
    "PaymentSignoff",
    "PublicityBatch",
    "PublicityEntry",
    "RepaymentMatch",
    "Role",
    "StepKind",
    "TrainingResult",
    "User",
]
