"""Test data builders for the transfer area: brokers in the registry and transfer records."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from desktop.core.idcard import parse_id_number
from desktop.core.models.account import Role
from desktop.core.models.registry import Broker, BrokerStatus, BrokerStatusChange
from desktop.core.models.transfer import TransferRecord
from desktop.core.services.accounts import SignedInUser
from desktop.core.services.transfers import TransferInput
from tests.factories import make_id


def add_broker(session: Session, name: str = "王经纪", seq: int = 1, *, certified_on: date = date(2022, 5, 10),
               birth: date = date(1978, 4, 2), village_code: str = "", service_area: str = "蓬莱镇白衣村") -> Broker:
    """An active broker (imported, as a county's pre-existing brokers are) with its status history."""
    id_number = make_id(birth, seq=seq)
    parsed = parse_id_number(id_number)
    broker = Broker(id_number=id_number, name=name, gender=parsed.gender, birth_date=parsed.birth_date,
                    education="高中", phone="13812345678", service_village_code=village_code,
                    service_area=service_area, certified_on=certified_on, source="import",
                    status=BrokerStatus.ACTIVE.value)
    session.add(broker)
    session.flush()
    session.add(BrokerStatusChange(broker_id=broker.id, status=BrokerStatus.ACTIVE.value, changed_on=certified_on,
                                   reason="测试"))
    session.flush()
    return broker


def worker_id(seq: int, birth: date = date(1990, 6, 15), male: bool = True) -> str:
    return make_id(birth, county="510923", seq=seq, male=male)


def add_transfer(session: Session, broker_id: int, *, id_number: str | None = None, hire_date: date = date(2025, 3, 1),
                 seq: int = 1, **changes: Any) -> TransferRecord:
    """A current transfer record inserted directly (no service checks), for tests of counting rules."""
    number = id_number or worker_id(seq)
    parsed = parse_id_number(number)
    values: dict[str, Any] = dict(
        broker_id=broker_id, worker_name=f"劳动力{seq}", gender=parsed.gender, id_number=number,
        age=parsed.age_on(hire_date), education="初中", ethnicity="汉族", employer_name="遂宁某某电子有限公司",
        work_address="广东省东莞市长安镇", contract_term="1年", job="普工", social_insurance=True,
        phone="13912345678", remarks="", hire_date=hire_date, poverty_alleviated=True, employer_type="企业",
        contract_kind="fixed", contract_months=12,
    )
    values.update(changes)
    record = TransferRecord(**values)
    session.add(record)
    session.flush()
    return record


def signed_in(role: str = "clerk") -> SignedInUser:
    """The template database's account of that role (ids as conftest creates them)."""
    ids = {"admin": 1, "clerk": 2, "reviewer": 3}
    names = {"admin": "管理员", "clerk": "张经办", "reviewer": "李审核"}
    return SignedInUser(ids[role], role, names[role], Role(role), False)


def transfer_input(broker_id: int | None, seq: int = 1, **changes: Any) -> TransferInput:
    values: dict[str, Any] = dict(
        broker_id=broker_id, worker_name=f"劳动力{seq}", id_number=worker_id(seq), hire_date=date(2025, 3, 1),
        education="初中", ethnicity="汉族", employer_name="遂宁某某电子有限公司", employer_type="企业",
        work_address="广东省东莞市长安镇", contract_term="1年", job="普工", social_insurance=True, phone="13912345678",
        remarks="", poverty_alleviated=True, village_code="", village_name="蓬莱镇白衣村",
    )
    values.update(changes)
    return TransferInput(**values)
