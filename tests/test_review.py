"""The biennial review: the boundaries, decisions with reasons, fraud, status history, the CLI."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop.cli import main
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.registry import Broker, BrokerStatusChange
from desktop.core.models.transfer import ReviewDecision, TransferStatus
from desktop.core.services import review
from tests.transfer_factories import add_broker, add_transfer, signed_in, worker_id


def _broker_with(session, name: str, seq: int, prev: int, year: int, **kw):  # type: ignore[no-untyped-def]
    broker = add_broker(session, name, seq, **kw)
    n = 0
    for count, y in ((prev, 2025), (year, 2026)):
        for i in range(count):
            n += 1
            add_transfer(session, broker.id, seq=n, id_number=worker_id(n, birth=date(1980 + seq, 1, 1)),
                         hire_date=date(y, 1 + i % 12, 1 + i // 12))
    return broker


@pytest.fixture
def brokers(db):  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        made = {
            "9和9": _broker_with(s, "九九", 1, 9, 9),
            "10和9": _broker_with(s, "十九", 2, 10, 9),
            "9和10": _broker_with(s, "九十", 3, 9, 10),
            "0和0新": _broker_with(s, "新人", 4, 0, 0, certified_on=date(2025, 3, 1)),
            "0和0": _broker_with(s, "零零", 5, 0, 0),
        }
        # a corrected-away and a voided record do not count
        extra = add_transfer(s, made["10和9"].id, seq=9999, hire_date=date(2026, 5, 5))
        extra.status = TransferStatus.VOID.value
        return {k: b.id for k, b in made.items()}


def test_nine_and_nine_is_flagged_ten_in_either_year_is_not(db, profile, brokers) -> None:  # type: ignore[no-untyped-def]
    with db.session("reviewer", write=False) as s:
        every = {r.broker_id: r for r in review.review_rows(s, profile, review.ReviewQuery(2026, flagged_only=False))}
        flagged = {r.broker_id for r in review.flagged_brokers(s, profile, 2026)}
        summary = review.review_summary(s, profile, 2026)
    assert every[brokers["9和9"]].counts == (9, 9) and every[brokers["9和9"]].flagged
    assert every[brokers["10和9"]].counts == (10, 9) and not every[brokers["10和9"]].flagged
    assert every[brokers["9和10"]].counts == (9, 10) and not every[brokers["9和10"]].flagged
    assert not every[brokers["0和0新"]].flagged and "不满2个完整年度" in every[brokers["0和0新"]].note
    assert flagged == {brokers["9和9"], brokers["0和0"]}
    assert (summary.active, summary.flagged, summary.years) == (5, 2, (2025, 2026))


def test_revocation_needs_a_reviewer_and_a_reason_and_keeps_history(db, profile, brokers) -> None:  # type: ignore[no-untyped-def]
    target = brokers["9和9"]
    with db.session("reviewer") as s:
        with pytest.raises(PermissionDenied):
            review.decide(s, signed_in("clerk"), profile, target, 2026, "revoked", "理由")
        with pytest.raises(UserError, match="请填写理由"):
            review.decide(s, signed_in("reviewer"), profile, target, 2026, "revoked", " ")
        with pytest.raises(UserError, match="未列入2026年度取消名单"):
            review.decide(s, signed_in("reviewer"), profile, brokers["10和9"], 2026, "revoked", "人次少")
        result = review.decide(s, signed_in("reviewer"), profile, target, 2026, "revoked", "经核实无其他转移记录")
        assert "取消资格" in result.message
    with db.session("reviewer", write=False) as s:
        broker = s.get(Broker, target)
        assert broker.status == "revoked" and broker.revoked_on == date(2026, 11, 22)
        assert "2025年9人次、2026年9人次" in broker.revoke_reason
        decision = s.scalar(select(ReviewDecision))
        assert (decision.count_previous, decision.count_year, decision.outcome) == (9, 9, "revoked")
        history = review.status_history(s, target)
        assert [h.status_label for h in history] == ["在册", "已取消资格"]
        row = {r.broker_id: r for r in review.review_rows(s, profile, review.ReviewQuery(2026))}[target]
        assert row.status_label == "已取消资格" and row.decision.startswith("取消资格（2026-11-22")
    with db.session("reviewer") as s, pytest.raises(UserError, match="不需要再复核"):
        review.decide(s, signed_in("reviewer"), profile, target, 2026, "kept", "再看看")


def test_keeping_a_flagged_broker_is_recorded_once(db, profile, brokers) -> None:  # type: ignore[no-untyped-def]
    with db.session("reviewer") as s:
        review.decide(s, signed_in("reviewer"), profile, brokers["0和0"], 2026, "kept", "长期住院，已提交证明")
        assert s.get(Broker, brokers["0和0"]).status == "active"
        with pytest.raises(UserError, match="已于 2026-11-22 由李审核作出决定"):
            review.decide(s, signed_in("reviewer"), profile, brokers["0和0"], 2026, "revoked", "改主意")


def test_fraud_revokes_at_once_whatever_the_counts(db, profile, brokers) -> None:  # type: ignore[no-untyped-def]
    target = brokers["9和10"]
    with db.session("reviewer") as s:
        with pytest.raises(UserError, match="至少4个字"):
            review.revoke_for_fraud(s, signed_in("reviewer"), profile, target, "假")
        review.revoke_for_fraud(s, signed_in("reviewer"), profile, target, "虚报转移人员3人，骗取补助900元",
                                date(2026, 11, 20))
    with db.session("reviewer", write=False) as s:
        broker = s.get(Broker, target)
        assert (broker.status, broker.revoked_on) == ("revoked", date(2026, 11, 20))
        change = s.scalars(select(BrokerStatusChange).where(BrokerStatusChange.broker_id == target)
                           .order_by(BrokerStatusChange.id)).all()[-1]
        assert change.reason.startswith("查实弄虚作假")


def test_cli_review_prints_the_flagged_brokers(db, db_path, brokers, capsys) -> None:  # type: ignore[no-untyped-def]
    db.dispose()
    assert main(["--db", str(db_path), "review", "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "每年都低于 10 人次的在册经纪人 2 人" in out
    assert "九九" in out and "零零" in out and "十九" not in out and "新人" not in out
