"""Cooperatives tied to region codes, their brokers, companies and agreements; workers, trips and
the 四清 registry with the not-checked-in-a-year list."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.registry import Broker
from desktop.core.services import fund_partners as partners
from desktop.core.services import fund_workers as workers
from tests.factories import make_id
from tests.fund_helpers import COUNTY, TOWNSHIP, VILLAGES, Fund, honghe, setup_fund

P = honghe()


@pytest.fixture
def fund(db) -> Fund:  # type: ignore[no-untyped-def]
    return setup_fund(db)


def coop(db, fund: Fund, level: str, code: str, parent: int | None = None, **kw) -> int:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        return partners.create_cooperative(s, fund.clerk, P, partners.CooperativeInput(level, code, parent_id=parent, **kw))


def test_tree_follows_the_region_codes(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with db.session("x", write=False) as s:
        tree = partners.cooperative_tree(s, P)
    assert [(n.level_label, n.name) for n in tree] == [
        ("县（市）级", "建水县劳务合作联社"),
        ("乡（镇）级", "官厅镇劳务合作社"),
        ("村级", "官厅村劳务合作社"),
        ("村级", "板井村劳务合作社"),
    ]
    assert [n.workers for n in tree[2:]] == [1, 1]
    town = tree[1].id
    with pytest.raises(UserError, match="已经有劳务合作社"):
        coop(db, fund, "village", VILLAGES[0], town)
    with pytest.raises(UserError, match="不在上级合作社"):
        coop(db, fund, "village", "532524103201", town)  # 西庄镇马家营 is not under 官厅镇
    with pytest.raises(UserError, match="请选择上级合作社（乡（镇）级）"):
        coop(db, fund, "village", "532524102203", fund.county_id)
    with pytest.raises(UserError, match="不是一个村（社区）"):
        coop(db, fund, "village", TOWNSHIP, town)
    with pytest.raises(UserError, match="不能有上级"):
        coop(db, fund, "county", "532523", town)
    with pytest.raises(UserError, match="校验码"):
        coop(db, fund, "village", "532524102203", town, credit_code="91532524MA6K000000")
    new = coop(db, fund, "village", "532524102203", town, leader="普村长", phone="13908731234",
               credit_code="91350100M000100Y43")
    with db.session("x", write=False) as s:
        node = next(n for n in partners.cooperative_tree(s, P) if n.id == new)
    assert (node.name, node.phone_masked) == ("谢租村劳务合作社", "139****1234")
    assert COUNTY == node.region_code[:6]


def test_brokers_belong_to_one_village_cooperative_at_a_time(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        b = Broker(id_number=make_id(date(1980, 5, 5), county=COUNTY, seq=40), name="李经纪", gender="男",
                   birth_date=date(1980, 5, 5), certified_on=date(2025, 1, 1), service_village_code=VILLAGES[1])
        s.add(b)
        s.flush()
        broker_id = b.id
    with db.session("x", write=False) as s:
        assert partners.broker_candidates(s, fund.villages[1])[0] == (broker_id, "李经纪（未填服务区域）")
    with db.session("clerk") as s:
        link = partners.add_broker(s, fund.clerk, fund.villages[1], broker_id, date(2026, 2, 1))
    with db.session("clerk") as s, pytest.raises(UserError, match="已登记在“板井村劳务合作社”"):
        partners.add_broker(s, fund.clerk, fund.villages[0], broker_id, date(2026, 2, 1))
    with db.session("clerk") as s, pytest.raises(UserError, match="村级劳务合作社"):
        partners.add_broker(s, fund.clerk, fund.county_id, broker_id, date(2026, 2, 1))
    # the broker mobilised a trip of a worker of that village; not of the other village
    with db.session("clerk") as s:
        assert workers.village_brokers_on(s, fund.workers[1], date(2026, 3, 1)) == [(broker_id, "李经纪")]
        workers.record_dispatch(s, fund.clerk, workers.DispatchInput(fund.workers[1], fund.agreement_id,
                                                                     date(2026, 3, 1), broker_id=broker_id))
    with db.session("clerk") as s, pytest.raises(UserError, match="不属于该劳动力所在"):
        workers.record_dispatch(s, fund.clerk, workers.DispatchInput(fund.workers[0], fund.agreement_id,
                                                                     date(2026, 3, 1), broker_id=broker_id))
    with db.session("clerk") as s:
        partners.remove_broker(s, fund.clerk, link, date(2026, 6, 30))
        assert partners.cooperative_brokers(s, P, fund.villages[1]) == []
        partners.add_broker(s, fund.clerk, fund.villages[0], broker_id, date(2026, 7, 1))  # history kept, new link


def test_agreements_and_companies(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with db.session("x", write=False) as s:
        [row] = partners.list_agreements(s)
    assert (row.number, row.company, row.shares, row.account_id) == (
        "JS-2026-01", "红河劳务派遣服务有限公司", "奖励 30%，公益 40%", fund.account_id)
    base = dict(number="JS-2026-02", county_coop_id=fund.county_id, company_id=1, signed_on=date(2026, 5, 1),
                starts_on=date(2026, 5, 1), ends_on=date(2027, 4, 30), rate_per_worker_fen=10_000,
                fund_amount_fen=100_000, reward_bp=3000, public_works_bp=4000)
    for change, says in ((dict(number="JS-2026-01"), "已经登记过"), (dict(county_coop_id=fund.villages[0]), "县级合作社"),
                         (dict(ends_on=date(2026, 4, 1)), "结束日期应晚于"), (dict(reward_bp=7000), "不能超过 100%"),
                         (dict(rate_per_worker_fen=0), "劳务经济收益金")):
        with db.session("admin") as s, pytest.raises(UserError, match=says):
            partners.create_agreement(s, fund.admin, P, partners.AgreementInput(**(base | change)))
    with db.session("clerk") as s, pytest.raises(PermissionDenied):
        partners.create_agreement(s, fund.clerk, P, partners.AgreementInput(**base))
    with db.session("clerk") as s, pytest.raises(UserError, match="已经登记过了"):
        partners.create_company(s, fund.clerk, partners.CompanyInput("红河劳务派遣服务有限公司"))


def test_worker_registration_and_trips(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    def register(**kw) -> int:  # type: ignore[no-untyped-def]
        data = dict(id_number=make_id(date(1995, 6, 1), county=COUNTY, seq=77, male=False), name="王 小 花",
                    village_coop_id=fund.villages[0], phone="13812345678") | kw
        with db.session("clerk") as s:
            return workers.register_worker(s, fund.clerk, P, workers.WorkerInput(**data))

    with pytest.raises(UserError, match="校验位"):
        register(id_number="532524199506017770")
    with pytest.raises(UserError, match="村级劳务合作社"):
        register(village_coop_id=fund.county_id)
    with pytest.raises(UserError, match="帮扶类别"):
        register(poverty_status="低保户")
    wid = register()
    with pytest.raises(UserError, match="不要重复登记"):
        register()
    with db.session("x", write=False) as s:
        [row] = workers.search_workers(s, P, workers.WorkerQuery(text="小花"))
        assert workers.count_workers(s, workers.WorkerQuery(text=make_id(date(1995, 6, 1), county=COUNTY)[:10])) >= 1
    assert (row.name, row.gender, row.phone_masked, row.poverty_status) == ("王小花", "女", "138****5678", "")
    assert row.id_number_masked == "532524********7" + row.id_number_masked[-3:] and "1995" not in row.id_number_masked
    with db.session("clerk") as s, pytest.raises(UserError, match="合作期限"):
        workers.record_dispatch(s, fund.clerk, workers.DispatchInput(wid, fund.agreement_id, date(2025, 12, 1)))
    with db.session("clerk") as s:
        workers.record_dispatch(s, fund.clerk, workers.DispatchInput(wid, fund.agreement_id, date(2026, 3, 3),
                                                                     employer="昆明某建筑公司"))
    with db.session("clerk") as s, pytest.raises(UserError, match="已经登记过了"):
        workers.record_dispatch(s, fund.clerk, workers.DispatchInput(wid, fund.agreement_id, date(2026, 3, 3)))
    with db.session("x", write=False) as s:
        [trip] = workers.trips(s, worker_id=wid)
    assert trip.label == "王小花 2026-03-03 外出（昆明某建筑公司）"


def test_four_clear_registry_lists_those_not_checked_within_a_year(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    poor = fund.workers[0]  # 脱贫劳动力
    with db.session("x", write=False) as s:
        assert workers.recheck_cutoff(P) == date(2025, 11, 22)

    def check(on: date, worker: int = poor) -> None:
        with db.session("clerk") as s:
            workers.record_four_clear(s, fund.clerk, P, workers.FourClearInput(
                worker, on, "省外就业", "电焊（初级）", "有外出务工意愿", "有培训意愿", "村干部 普某"))

    with pytest.raises(UserError, match="只登记建档立卡"):
        check(date(2026, 1, 1), fund.workers[1])
    with db.session("clerk") as s, pytest.raises(UserError, match="技能情况"):
        workers.record_four_clear(s, fund.clerk, P, workers.FourClearInput(poor, date(2026, 1, 1), "未就业", " ",
                                                                             "有外出务工意愿", "有培训意愿"))
    with db.session("x", write=False) as s:
        [row] = workers.four_clear_registry(s, P, due_only=True)
    assert row.checked_on is None and row.due
    check(date(2025, 11, 21))  # one day more than a year ago: still due
    with db.session("x", write=False) as s:
        assert [r.checked_on for r in workers.four_clear_registry(s, P, due_only=True)] == [date(2025, 11, 21)]
    check(date(2025, 11, 22))  # exactly a year ago counts as checked within the year
    with db.session("x", write=False) as s:
        assert workers.four_clear_registry(s, P, due_only=True) == []
    check(date(2025, 1, 1))  # typed in later for an earlier day: not the latest
    with db.session("x", write=False) as s:
        [row] = workers.four_clear_registry(s, P)
    assert (row.checked_on, row.employment, row.due) == (date(2025, 11, 22), "省外就业", False)
