"""金牌劳务经纪人 nominations and the points ranking, on a small known dataset."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.errors import UserError
from desktop.core.models.performance import WorkKind
from desktop.core.models.registry import BrokerStatus
from desktop.core.models.transfer import TransferStatus
from desktop.core.rules.profile import load_profile
from desktop.core.services import accounts
from desktop.core.services.broker_work import WorkInput, record_work, work_entries
from desktop.core.services.rankings import gold_medal_ranking, points_ranking
from tests.conftest import ADMIN_PASSWORD
from tests.insights_factories import add_broker
from tests.transfer_factories import add_transfer, worker_id

_seq = iter(range(1, 100_000))


def transfers(s, broker_id: int, n: int, year: int = 2026, poor: int = 0, **kw) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        seq = next(_seq)
        add_transfer(s, broker_id, id_number=worker_id(seq, birth=date(1980 + seq % 20, 1 + seq % 12, 1 + seq % 28)),
                     hire_date=date(year, 1 + i % 12, 1 + i % 28), seq=seq, poverty_alleviated=i < poor, **kw)


def user(db, name: str = "clerk"):  # type: ignore[no-untyped-def]
    with db.session(name) as s:
        return accounts.sign_in(s, load_profile("sichuan"), name, ADMIN_PASSWORD).user


def test_gold_medal_ranking_with_tie_breaks_and_quota(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        ids = {}
        ids["甲"] = add_broker(s, "甲").id
        transfers(s, ids["甲"], 12, poor=2)
        ids["乙"] = add_broker(s, "乙").id
        transfers(s, ids["乙"], 12, poor=3)  # same count, more 脱贫人口 → ahead of 甲
        ids["丙"] = add_broker(s, "丙").id
        transfers(s, ids["丙"], 20)
        transfers(s, ids["丙"], 5, status=TransferStatus.SUPERSEDED.value)  # old versions never count
        ids["丁"] = add_broker(s, "丁", certified_on=date(2019, 1, 1)).id
        transfers(s, ids["丁"], 3)
        transfers(s, ids["丁"], 9, year=2025)
        ids["戊"] = add_broker(s, "戊", certified_on=date(2021, 1, 1)).id
        transfers(s, ids["戊"], 3)
        transfers(s, ids["戊"], 9, year=2025)  # 丁 and 戊 equal until the certification date
        ids["己"] = add_broker(s, "己", status=BrokerStatus.REVOKED.value).id
        transfers(s, ids["己"], 50)  # revoked: not ranked
        add_broker(s, "庚", certified_on=date(2027, 1, 3))  # certified after the year: not ranked
    quota = load_profile("sichuan", {"gold_medal.quota_per_year": 3})
    with db.session("clerk", write=False) as s:
        ranking = gold_medal_ranking(s, quota, 2026)
    got = [(r.rank, r.broker.name, r.transfers, r.poverty, r.previous_year, r.nominated) for r in ranking.rows]
    assert got == [
        (1, "丙", 20, 0, 0, True),
        (2, "乙", 12, 3, 0, True),
        (3, "甲", 12, 2, 0, True),
        (4, "丁", 3, 0, 9, False),
        (5, "戊", 3, 0, 9, False),
    ]
    assert ranking.nominated == 3 and ranking.at_line == 0 and ranking.award_yuan == 20000


def test_a_tie_on_the_quota_line_is_not_decided_silently(db) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        for name in ("甲", "乙", "丙"):
            transfers(s, add_broker(s, name).id, 10)
        transfers(s, add_broker(s, "丁").id, 30)
    with db.session("clerk", write=False) as s:
        ranking = gold_medal_ranking(s, load_profile("sichuan", {"gold_medal.quota_per_year": 2}), 2026)
    assert [(r.rank, r.nominated, r.at_line) for r in ranking.rows] == [
        (1, True, False), (2, False, True), (2, False, True), (2, False, True)]
    assert "并列" in ranking.rows[1].note


def test_gold_medal_needs_the_module(db) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk", write=False) as s, pytest.raises(UserError, match="金牌"):
        gold_medal_ranking(s, load_profile("chongqing"), 2026)


def test_points_ranking_uses_the_profile_weights(db) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db)
    cq = load_profile("chongqing")  # 3 per transfer, 1 per data update, 2 per task; bottom 10 % (≥ 1)
    with db.session("clerk") as s:
        a = add_broker(s, "甲").id
        transfers(s, a, 4)  # 12
        b = add_broker(s, "乙").id
        c = add_broker(s, "丙").id
        d = add_broker(s, "丁").id
        for broker, kind, qty in ((a, WorkKind.TASK, 1), (b, WorkKind.DATA_UPDATE, 10), (b, WorkKind.TASK, 2),
                                  (c, WorkKind.DATA_UPDATE, 3), (d, WorkKind.DATA_UPDATE, 3)):
            record_work(s, clerk, cq, WorkInput(broker, date(2026, 5, 1), kind.value, qty))
        record_work(s, clerk, cq, WorkInput(b, date(2025, 5, 1), WorkKind.TASK.value, 50))  # another year
        record_work(s, clerk, cq, WorkInput(c, date(2026, 6, 1), WorkKind.DATA_UPDATE.value, -1, "重复登记，更正"))
    with db.session("clerk", write=False) as s:
        ranking = points_ranking(s, cq, 2026)
    got = [(r.rank, r.broker.name, r.transfers, r.data_updates, r.tasks, r.points, r.candidate) for r in ranking.rows]
    assert got == [
        (1, "甲", 4, 0, 1, 14, False),
        (2, "乙", 0, 10, 2, 14, False),  # equal points: more transfers first
        (3, "丁", 0, 3, 0, 3, False),
        (4, "丙", 0, 2, 0, 2, True),
    ]
    heavy = load_profile("chongqing", {"points.weight_data_updates": 10, "points.replacement_candidate_percent": 50})
    with db.session("clerk", write=False) as s:
        ranking = points_ranking(s, heavy, 2026)
    assert [(r.broker.name, r.points) for r in ranking.rows] == [("乙", 104), ("丁", 30), ("丙", 20), ("甲", 14)]
    assert [r.broker.name for r in ranking.candidates] == ["丙", "甲"]


def test_work_entry_checks(db) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db)
    cq = load_profile("chongqing")
    with db.session("clerk") as s:
        a = add_broker(s, "甲").id
        gone = add_broker(s, "乙", status=BrokerStatus.REVOKED.value).id
        record_work(s, clerk, cq, WorkInput(a, date(2026, 5, 1), WorkKind.TASK.value, 2))
        with pytest.raises(UserError, match="原因"):
            record_work(s, clerk, cq, WorkInput(a, date(2026, 5, 2), WorkKind.TASK.value, -1))
        with pytest.raises(UserError, match="不能少于 0"):
            record_work(s, clerk, cq, WorkInput(a, date(2026, 5, 2), WorkKind.TASK.value, -3, "多登记"))
        with pytest.raises(UserError, match="晚于今天"):
            record_work(s, clerk, cq, WorkInput(a, date(2026, 12, 2), WorkKind.TASK.value, 1))
        with pytest.raises(UserError, match="在册"):
            record_work(s, clerk, cq, WorkInput(gone, date(2026, 5, 2), WorkKind.TASK.value, 1))
        with pytest.raises(UserError, match="数量"):
            record_work(s, clerk, cq, WorkInput(a, date(2026, 5, 2), WorkKind.TASK.value, 0))
        record_work(s, clerk, cq, WorkInput(a, date(2026, 5, 3), WorkKind.TASK.value, -2, "误登记"))
    with db.session("clerk", write=False) as s:
        rows = work_entries(s, a, 2026)
    assert [(r.quantity, r.note) for r in rows] == [(-2, "误登记"), (2, "")]
