"""The dashboard's figures and to-do list on a small known dataset."""

from __future__ import annotations

from datetime import date

from desktop.core.models.certification import PublicityBatch
from desktop.core.models.registry import BrokerStatus
from desktop.core.models.transfer import ClaimStatus, SubsidyClaimBatch, SubsidyClaimRow, TransferStatus
from desktop.core.rules.profile import load_profile
from desktop.core.services import applications
from desktop.core.services.dashboard import build_dashboard, month_span
from tests.conftest import COUNTY
from tests.factories import application_input, make_id
from tests.insights_factories import add_broker
from tests.transfer_factories import add_transfer, worker_id

TODAY = date(2026, 11, 22)


def seed(db, profile) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        a = add_broker(s, "甲").id
        b = add_broker(s, "乙").id
        add_broker(s, "丙", status=BrokerStatus.REVOKED.value)
        n = 0
        for hire, count in ((date(2026, 11, 3), 3), (date(2026, 10, 9), 2), (date(2025, 12, 1), 4),
                            (date(2025, 11, 30), 5), (date(2024, 6, 1), 1)):
            for _ in range(count):
                n += 1
                add_transfer(s, a if n % 2 else b, id_number=worker_id(n, birth=date(1990, 1, n)), hire_date=hire, seq=n)
        n += 1
        add_transfer(s, a, id_number=worker_id(n, birth=date(1990, 2, 1)), hire_date=date(2026, 11, 3), seq=n,
                     status=TransferStatus.SUPERSEDED.value)
        batch = SubsidyClaimBatch(period_from=date(2026, 1, 1), period_to=date(2026, 6, 30), title="2026年上半年",
                                  amount_per_worker_fen=30000)
        s.add(batch)
        s.flush()
        for i, (hire, status) in enumerate(((date(2026, 3, 1), ClaimStatus.CLAIMED), (date(2026, 4, 1),
                                            ClaimStatus.CLAIMED), (date(2026, 5, 1), ClaimStatus.WITHDRAWN),
                                            (date(2025, 5, 1), ClaimStatus.CLAIMED)), start=1):
            t = add_transfer(s, a, id_number=worker_id(100 + i, birth=date(1991, 1, i)), hire_date=hire, seq=100 + i)
            s.add(SubsidyClaimRow(batch_id=batch.id, seq=i, transfer_id=t.id, transfer_root_id=t.id, broker_id=a,
                                  id_number=t.id_number, worker_name=t.worker_name, hire_date=hire,
                                  covered_from=hire.replace(day=1), covered_months=12, amount_fen=30000,
                                  status=status.value))
        for i in range(3):
            applications.create_application(s, profile, application_input(id_number=make_id(date(1980, 1, 1 + i),
                                                                                             seq=i)))
        for seq, end in ((1, date(2026, 11, 20)), (2, date(2026, 11, 27))):
            s.add(PublicityBatch(year=2026, seq=seq, title=f"第{seq}批", start_date=date(2026, 11, 10), end_date=end,
                                 working_days=5))
        s.add(PublicityBatch(year=2026, seq=3, title="第3批", start_date=date(2026, 1, 10), end_date=date(2026, 1, 16),
                             working_days=5, status="closed"))
    return {"a": a, "b": b}


def test_figures_on_a_known_dataset(db, profile) -> None:  # type: ignore[no-untyped-def]
    seed(db, profile)
    with db.session("clerk", write=False) as s:
        d = build_dashboard(s, profile, COUNTY, TODAY)
    months = {(m.year, m.month): m.count for m in d.months}
    assert len(d.months) == 12 and (d.months[0].year, d.months[0].month) == (2025, 12)
    assert months[(2026, 11)] == 3 and months[(2026, 10)] == 2 and months[(2025, 12)] == 4
    assert months[(2026, 3)] == months[(2026, 4)] == months[(2026, 5)] == 1
    assert sum(months.values()) == 3 + 2 + 4 + 3  # Nov 2025 and 2024 are outside; superseded never counts
    assert d.transfers_this_year == 3 + 2 + 3 and d.transfers_last_year == 4 + 5 + 1
    assert [(b.label, b.count) for b in d.brokers] == [("在册", 2), ("已取消资格", 1)]
    assert d.active_brokers == 2
    sub = d.subsidy
    assert sub is not None and (sub.workers, sub.amount_fen, sub.all_workers, sub.all_amount_fen) == (2, 60000, 3, 90000)
    assert d.coverage is None  # not a chongqing module
    texts = [t.text for t in d.todos]
    assert texts[0].startswith("2026年第1批公示已于 11月20日 期满") and d.todos[0].urgent
    assert "3 份经纪人申请待村推荐" in texts
    assert "2026年第2批公示正在进行，11月27日 期满（还有 5 天）" in texts
    assert not any("第3批" in t for t in texts)
    assert not any(t.target == "filing" for t in d.todos)  # only from December 1


def test_brokers_flagged_by_last_years_review(db, profile) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.services import accounts, review

    with db.session("clerk") as s:
        weak = add_broker(s, "弱", certified_on=date(2022, 1, 1)).id
        busy = add_broker(s, "忙", certified_on=date(2022, 1, 1)).id
        for n, (broker, year) in enumerate([(weak, 2024)] * 9 + [(weak, 2025)] * 9 + [(busy, 2024)] * 9
                                           + [(busy, 2025)] * 10, start=1):
            add_transfer(s, broker, id_number=worker_id(n, birth=date(1985, 1 + n % 12, 1 + n % 28)),
                         hire_date=date(year, 1 + n % 12, 1 + n % 27), seq=n)
    with db.session("clerk", write=False) as s:
        todo = [t for t in build_dashboard(s, profile, COUNTY, TODAY).todos if t.target == "review"]
    assert [t.text for t in todo] == ["2025年度两年复核：1 名经纪人 2024、2025 年每年都低于 10 人次，待审核人决定是否取消资格"]
    with db.session("reviewer") as s:
        reviewer = accounts.sign_in(s, profile, "reviewer", "Abcdef12!").user
        review.decide(s, reviewer, profile, weak, 2025, "revoked", "两年均低于10人次，经核实确无组织转移就业")
    with db.session("clerk", write=False) as s:
        assert not [t for t in build_dashboard(s, profile, COUNTY, TODAY).todos if t.target == "review"]


def test_filing_reminder_appears_from_december(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk", write=False) as s:
        d = build_dashboard(s, profile, COUNTY, date(2026, 12, 1))
    filing = [t for t in d.todos if t.target == "filing"]
    assert len(filing) == 1 and "12月25日前" in filing[0].text and "还有 24 天" in filing[0].text


def test_chongqing_parts(db) -> None:  # type: ignore[no-untyped-def]
    cq = load_profile("chongqing")
    with db.session("clerk") as s:
        add_broker(s, village="510923001002")
    with db.session("clerk", write=False) as s:
        d = build_dashboard(s, cq, COUNTY, TODAY)
    assert d.subsidy is None
    assert d.coverage is not None and (d.coverage.villages, d.coverage.short_villages) == (197, 196)
    assert d.coverage.townships[0].brokers >= d.coverage.townships[-1].brokers
    targets = {t.target for t in d.todos}
    assert {"coverage", "training"} <= targets and "filing" not in targets
    assert "1 名经纪人今年集中培育不足 4 天" in [t.text for t in d.todos]


def test_month_span_crosses_the_year() -> None:
    assert month_span(date(2026, 2, 10), 3) == [(2025, 11), (2026, 0), (2026, 1)]
