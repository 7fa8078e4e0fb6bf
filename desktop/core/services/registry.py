"""The broker registry (劳务经纪人名册): certified brokers, from the workflow or imported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from desktop.core.errors import UserError
from desktop.core.idcard import is_id_prefix, mask, normalise
from desktop.core.models.broker import BrokerApplication
from desktop.core.models.certification import TrainingResult
from desktop.core.models.registry import Broker, BrokerStatus, BrokerStatusChange
from desktop.core.rules.profile import PolicyProfile


@dataclass(frozen=True)
class BrokerRow:
    id: int
    name: str
    gender: str
    id_number_masked: str
    phone_masked: str
    service_area: str
    training_month: str
    certificate_no: str
    certified_on: date
    status: str
    status_label: str
    source: str


@dataclass(frozen=True)
class BrokerQuery:
    text: str = ""
    status: str = ""
    village_code: str = ""
    offset: int = 0
    limit: int = 200
    order: str = "recent"
    descending: bool = False


SORT_KEYS = {
    "name": Broker.name,
    "id_number": Broker.id_number,
    "service_area": Broker.service_area,
    "certified_on": Broker.certified_on,
    "status": Broker.status,
}


def register_from_application(
    session: Session, app: BrokerApplication, certified_on: date, training: TrainingResult | None
) -> Broker:
    """Enter a newly certified applicant into the registry (认定 → 录入平台)."""
    existing = active_broker(session, app.id_number)
    if existing is not None:
        raise UserError(f"{app.name}已是在册劳务经纪人（{existing.certified_on:%Y-%m-%d} 认定），不能重复认定。")
    broker = Broker(
        application_id=app.id,
        id_number=app.id_number,
        name=app.name,
        gender=app.gender,
        birth_date=app.birth_date,
        education=app.education,
        phone=app.phone,
        service_village_code=app.village_code,
        service_area=app.village_name,
        training_month=training.completed_month if training else "",
        certificate_no=training.certificate_no if training else "",
        certified_on=certified_on,
        source="workflow",
    )
    session.add(broker)
    session.flush()
    session.add(BrokerStatusChange(broker_id=broker.id, status=BrokerStatus.ACTIVE.value, changed_on=certified_on,
                                   reason="公示无异议，认定"))
    return broker


def active_broker(session: Session, id_number: str) -> Broker | None:
    return session.scalar(select(Broker).where(Broker.id_number == normalise(id_number),
                                               Broker.status == BrokerStatus.ACTIVE.value))


def _filters(query: BrokerQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    text = "".join(query.text.split()).upper()
    if text:
        if is_id_prefix(text):
            conds.append(and_(Broker.id_number >= text, Broker.id_number < text + "~"))
        else:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conds.append(Broker.name.like(f"%{escaped}%", escape="\\"))
    if query.status:
        conds.append(Broker.status == query.status)
    if query.village_code:
        conds.append(Broker.service_village_code.startswith(query.village_code, autoescape=True))
    return conds


def count_brokers(session: Session, query: BrokerQuery) -> int:
    return session.scalar(select(func.count()).select_from(Broker).where(*_filters(query))) or 0


def search_brokers(session: Session, profile: PolicyProfile, query: BrokerQuery) -> list[BrokerRow]:
    key = SORT_KEYS.get(query.order)
    if key is None:
        order = (Broker.id.desc(),)
    else:
        order = (key.desc(), Broker.id.desc()) if query.descending else (key.asc(), Broker.id.asc())
    m = profile.masking
    stmt = select(Broker).where(*_filters(query)).order_by(*order).offset(query.offset).limit(query.limit)
    return [
        BrokerRow(b.id, b.name, b.gender, mask(b.id_number, m.id_head, m.id_tail, m.mask_char),
                  mask(b.phone, m.phone_head, m.phone_tail, m.mask_char),
                  b.service_area, b.training_month, b.certificate_no, b.certified_on, b.status,
                  BrokerStatus(b.status).label, "导入" if b.source == "import" else "认定")
        for b in session.scalars(stmt)
    ]
