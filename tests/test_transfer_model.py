"""The transfer model's database guarantees: duplicates, correction history, the claim guard."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from desktop.core.models.audit import AuditEntry
from desktop.core.models.transfer import (
    SubsidyClaimBatch,
    SubsidyClaimMonth,
    SubsidyClaimRow,
    TransferRecord,
    TransferStatus,
)
from tests.transfer_factories import add_broker, add_transfer, worker_id


def test_same_worker_twice_on_the_same_day_is_refused_by_the_database(db) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        a = add_broker(s, "甲", 1)
        b = add_broker(s, "乙", 2)
        add_transfer(s, a.id, seq=5, hire_date=date(2025, 3, 1))
        add_transfer(s, b.id, seq=5, hire_date=date(2025, 4, 1))  # another day: a new 人次
    with pytest.raises(IntegrityError), db.session("clerk") as s:
        add_transfer(s, b.id, seq=5, hire_date=date(2025, 3, 1))


def test_a_correction_is_a_new_row_and_only_the_current_version_counts(db) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        broker = add_broker(s)
        first = add_transfer(s, broker.id, seq=7, employer_name="旧单位有限公司")
        first.status = TransferStatus.SUPERSEDED.value
        s.flush()  # the old version stops counting before the new one takes the worker-day slot
        second = add_transfer(s, broker.id, seq=7, employer_name="新单位有限公司", root_id=first.id,
                              supersedes_id=first.id, change_reason="单位名称写错")
        assert second.placement_id == first.id == first.placement_id
    with db.session("clerk", write=False) as s:
        rows = s.execute(select(TransferRecord.employer_name, TransferRecord.status).order_by(TransferRecord.id)).all()
        assert rows == [("旧单位有限公司", "superseded"), ("新单位有限公司", "current")]
        current = s.scalar(select(func.count()).select_from(TransferRecord).where(TransferRecord.status == "current"))
        assert current == 1
        entities = set(s.scalars(select(AuditEntry.entity)))
        assert "转移就业" in entities
    with pytest.raises(IntegrityError), db.session("clerk") as s:  # a chain, never a fork
        add_transfer(s, broker.id, seq=7, hire_date=date(2025, 3, 2), supersedes_id=first.id)


def test_a_worker_month_can_be_claimed_once_across_all_brokers(db) -> None:  # type: ignore[no-untyped-def]
    worker = worker_id(9)
    with db.session("reviewer") as s:
        a = add_broker(s, "甲", 1)
        b = add_broker(s, "乙", 2)
        t1 = add_transfer(s, a.id, id_number=worker, hire_date=date(2025, 3, 1))
        t2 = add_transfer(s, b.id, id_number=worker, hire_date=date(2025, 9, 1))
        batch = SubsidyClaimBatch(period_from=date(2025, 1, 1), period_to=date(2025, 12, 31), title="测试",
                                  amount_per_worker_fen=30000)
        s.add(batch)
        s.flush()
        row = SubsidyClaimRow(batch_id=batch.id, seq=1, transfer_id=t1.id, transfer_root_id=t1.id,
                              broker_id=a.id, id_number=worker, worker_name="劳动力9", hire_date=t1.hire_date,
                              covered_from=date(2025, 3, 1), covered_months=12, amount_fen=30000)
        s.add(row)
        s.flush()
        s.add_all([SubsidyClaimMonth(claim_row_id=row.id, id_number=worker, month=202503 + m) for m in range(10)])
        ids = (batch.id, t2.id, b.id)
    batch_id, t2_id, b_id = ids
    with pytest.raises(IntegrityError), db.session("reviewer") as s:
        other = SubsidyClaimRow(batch_id=batch_id, seq=2, transfer_id=t2_id, transfer_root_id=t2_id, broker_id=b_id,
                                id_number=worker, worker_name="劳动力9", hire_date=date(2025, 9, 1),
                                covered_from=date(2025, 9, 1), covered_months=12, amount_fen=30000)
        s.add(other)
        s.flush()
        s.add(SubsidyClaimMonth(claim_row_id=other.id, id_number=worker, month=202509))
        s.flush()
