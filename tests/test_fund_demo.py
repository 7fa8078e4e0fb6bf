"""The 红河 demo: the fund module's data is there, made through the services, and consistent."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.core import clock
from desktop.core.app import open_database
from desktop.core.audit import verify_chain
from desktop.core.demo import generate_demo
from desktop.core.models.cooperative import Cooperative, CooperativeBroker
from desktop.core.models.fund import FundEntry, PaymentRequest, PaymentSignoff
from desktop.core.rules.fund_ledger import EntryKind
from desktop.core.rules.profile import load_profile
from desktop.core.services import fund_ledger, fund_queries, fund_reports, fund_workers


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    clock.pin(datetime(2026, 11, 22, 9, 30))
    db = open_database(tmp_path_factory.mktemp("fund") / "demo.db").db
    summary = generate_demo(db, profile_name="honghe", count=40)
    yield db, summary
    db.dispose()
    clock.pin(None)


def test_demo_has_the_fund_with_every_kind_of_history(demo) -> None:  # type: ignore[no-untyped-def]
    db, summary = demo
    assert "劳务合作金演示" in summary and "qiye" in summary
    profile = load_profile("honghe")
    with db.session("x", write=False) as s:
        levels = dict(s.execute(select(Cooperative.level, func.count()).group_by(Cooperative.level)).all())
        assert levels == {"county": 1, "township": 3, "village": 10}
        assert s.scalar(select(func.count()).select_from(CooperativeBroker)) > 0
        accounts = fund_queries.account_summaries(s, profile)
        assert len(accounts) == 2
        statuses = dict(s.execute(select(PaymentRequest.status, func.count()).group_by(PaymentRequest.status)).all())
        assert statuses["paid"] > 50 and statuses["rejected"] >= 1 and statuses["cancelled"] >= 1
        assert statuses["pending"] >= 1
        waiting = s.scalars(select(PaymentRequest).where(PaymentRequest.status == "pending")).all()
        assert any(len(s.scalars(select(PaymentSignoff).where(PaymentSignoff.request_id == r.id)).all()) == 1
                   for r in waiting)  # signed by the cooperative, waiting for the company
        kinds = set(s.scalars(select(FundEntry.kind)))
        assert {k.value for k in EntryKind} - {"return"} <= kinds
        for a in accounts:
            entries = s.scalars(select(FundEntry.amount_fen).where(FundEntry.account_id == a.id)).all()
            assert a.balance_fen == sum(entries) >= 0
        [safety] = [x for x in fund_reports.safety(s, profile, clock.today()) if x.account.id == accounts[0].id]
        assert safety.unsigned_payments == 0 and safety.covered_fen >= 0
        due = fund_workers.four_clear_registry(s, profile, due_only=True)
        everyone = fund_workers.four_clear_registry(s, profile)
        assert 0 < len(due) < len(everyone)
        assert fund_ledger.advances(s)  # some advances are still out
        assert verify_chain(s) is None


def test_demo_for_a_profile_without_the_fund_adds_none(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db").db
    summary = generate_demo(db, profile_name="sichuan", count=10)
    assert "劳务合作金" not in summary
    with db.session("x", write=False) as s:
        assert s.scalar(select(func.count()).select_from(Cooperative)) == 0
    db.dispose()
