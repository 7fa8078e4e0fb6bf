"""Recording the work that earns points (积分工作量, chongqing): data updates and platform tasks.

Entries are dated and append-only; a wrong count is corrected by a new entry with a negative
quantity and a note saying why, and a year's total for a broker may never go below zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.performance import BrokerWork, WorkKind
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require

MAX_QUANTITY = 10_000  # one entry's count; a sanity bound, not a policy number


@dataclass(frozen=True)
class WorkInput:
    broker_id: int
    occurred_on: date
    kind: str
    quantity: int
    note: str = ""


@dataclass(frozen=True)
class WorkRow:
    id: int
    occurred_on: date
    kind_label: str
    quantity: int
    note: str
    created_by: str


def record_work(session: Session, user: SignedInUser, profile: PolicyProfile, data: WorkInput) -> int:
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="登记积分工作量")
    if profile.points is None:
        raise UserError(f"本中心的政策配置（{profile.region.name}）没有积分排名。")
    broker = session.get(Broker, data.broker_id)
    if broker is None:
        raise UserError("这位经纪人不存在，请刷新后重选。")
    if broker.status != BrokerStatus.ACTIVE.value:
        raise UserError(f"{broker.name}已不是在册劳务经纪人，不能再登记工作量。")
    if data.kind not in {k.value for k in WorkKind}:
        raise UserError("请选择工作类别（信息更新或平台任务）。")
    if data.occurred_on > clock.today():
        raise UserError(f"日期 {data.occurred_on:%Y-%m-%d} 晚于今天，请核对。")
    if data.occurred_on < broker.certified_on:
        raise UserError(f"日期早于{broker.name}的认定时间（{broker.certified_on:%Y-%m-%d}），请核对。")
    if data.quantity == 0 or abs(data.quantity) > MAX_QUANTITY:
        raise UserError(f"数量应为 1 到 {MAX_QUANTITY} 之间的整数；更正多登记的数量请填负数。")
    note = data.note.strip()
    if data.quantity < 0:
        if not note:
            raise UserError("负数是更正，请在备注里写明更正的原因。")
        year = data.occurred_on.year
        total = session.scalar(select(func.coalesce(func.sum(BrokerWork.quantity), 0)).where(
            BrokerWork.broker_id == broker.id, BrokerWork.kind == data.kind,
            BrokerWork.occurred_on >= date(year, 1, 1), BrokerWork.occurred_on <= date(year, 12, 31))) or 0
        if total + data.quantity < 0:
            label = WorkKind(data.kind).label
            raise UserError(f"{broker.name}{year}年的{label}只登记了 {total} 项，更正后不能少于 0。")
    row = BrokerWork(broker_id=broker.id, occurred_on=data.occurred_on, kind=data.kind, quantity=data.quantity,
                     note=note)
    session.add(row)
    session.flush()
    return row.id


def work_entries(session: Session, broker_id: int, year: int) -> list[WorkRow]:
    stmt = (select(BrokerWork).where(BrokerWork.broker_id == broker_id, BrokerWork.occurred_on >= date(year, 1, 1),
                                     BrokerWork.occurred_on <= date(year, 12, 31))
            .order_by(BrokerWork.occurred_on.desc(), BrokerWork.id.desc()))
    return [WorkRow(w.id, w.occurred_on, WorkKind(w.kind).label, w.quantity, w.note, w.created_by)
            for w in session.scalars(stmt)]
