"""Test data for broker performance: brokers in the registry, straight through the ORM."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy.orm import Session

from desktop.core.models.registry import Broker, BrokerStatus
from tests.factories import make_id

_seq = itertools.count(1)


def add_broker(
    session: Session,
    name: str = "",
    *,
    village: str = "",
    certified_on: date = date(2022, 5, 10),
    status: str = BrokerStatus.ACTIVE.value,
    birth: date = date(1980, 1, 1),
) -> Broker:
    n = next(_seq)
    broker = Broker(
        id_number=make_id(birth.replace(day=1 + n % 28), seq=n % 100),
        name=name or f"经纪人{n}",
        gender="男",
        birth_date=birth.replace(day=1 + n % 28),
        service_village_code=village,
        service_area=village and f"村{village[-3:]}",
        certified_on=certified_on,
        status=status,
        source="import",
    )
    session.add(broker)
    session.flush()
    return broker
