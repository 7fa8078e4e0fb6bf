"""Roster figures, the annual evaluation's life (draft → 审核 → read-only → correction), results,
two failing years, 优秀站点 and the subsidy summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop.core.errors import UserError
from desktop.core.services import station_awards as awards
from desktop.core.services import station_evaluations as ev
from desktop.core.services.station_roster import RosterQuery, add_worker, search_workers, update_worker, year_figures
from tests.station_helpers import (
    JINDONG,
    add_workers,
    distinct_birth,
    established_station,
    full_marks,
    users,
    worker,
)

OLD = {"established_on": date(2024, 5, 10), "applied_on": date(2024, 4, 1), "hired_on": date(2024, 1, 2)}


def test_roster_rows_say_whether_and_why_a_worker_counts(db) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db)
    u = users(db)
    with db.session("clerk") as s:
        _id, warnings = add_worker(s, u["clerk"], JINDONG, station_id, worker(
            200, county="330703", hukou="浙江省金华市金东区", birth=date(1990, 1, 1)))
        assert warnings == []
        add_worker(s, u["clerk"], JINDONG, station_id, worker(201, si_months=1, birth=date(1990, 1, 2)))
        add_worker(s, u["clerk"], JINDONG, station_id, worker(202, dispatched=True, birth=date(1990, 1, 3)))
        add_worker(s, u["clerk"], JINDONG, station_id, worker(203, birth=date(2010, 6, 1)))
        _id, warnings = add_worker(s, u["clerk"], JINDONG, station_id, worker(204, hukou="", birth=date(1990, 1, 4)))
        assert "户籍未填写" in warnings[0]
        with pytest.raises(UserError, match="不能重复录入"):
            add_worker(s, u["clerk"], JINDONG, station_id, worker(204, hukou="", birth=date(1990, 1, 4)))
        rows = {r.name: r for r in search_workers(s, JINDONG, RosterQuery(station_id, year=2026))}
    assert "户籍在浙江省" in rows["务工200"].check_text
    assert "不足 2 个月" in rows["务工201"].check_text
    assert "派遣" in rows["务工202"].check_text
    assert "未满法定劳动年龄" in rows["务工203"].check_text
    assert rows["务工204"].counts and rows["务工204"].id_number_masked.count("*") == 8


def test_a_worker_counted_by_two_stations_in_a_year_is_flagged(db) -> None:  # type: ignore[no-untyped-def]
    first = established_station(db, "甲站", hired_on=date(2026, 1, 2))
    second = established_station(db, "乙站", start=500)
    u = users(db)
    with db.session("clerk") as s:
        add_worker(s, u["clerk"], JINDONG, second, worker(3, birth=distinct_birth(3), hired_on=date(2026, 5, 1)))
        add_worker(s, u["clerk"], JINDONG, second, worker(4, birth=distinct_birth(4), hired_on=date(2025, 5, 1)))
        rows = {r.name: r for r in search_workers(s, JINDONG, RosterQuery(second))}
        assert rows["务工3"].duplicate_with == "甲站"
        assert rows["务工4"].duplicate_with == ""  # another year: not a duplicate
        mine = {r.name: r for r in search_workers(s, JINDONG, RosterQuery(first, text="务工3"))}
        assert mine["务工3"].duplicate_with == "乙站"
        assert year_figures(s, JINDONG, second, 2026, date(2026, 11, 22)).duplicates == 1


def test_year_figures_count_retention_after_six_months(db) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db)
    u = users(db)
    add_workers(db, u["clerk"], station_id, 6, hired_on=date(2026, 1, 10), retained=True, skilled=True)
    add_workers(db, u["clerk"], station_id, 2, start=6, hired_on=date(2026, 2, 10), retained=False)
    add_workers(db, u["clerk"], station_id, 1, start=8, hired_on=date(2026, 3, 10), retained=None)
    add_workers(db, u["clerk"], station_id, 3, start=9, hired_on=date(2026, 8, 1), retained=None)
    with db.session("clerk", write=False) as s:
        f = year_figures(s, JINDONG, station_id, 2026, date(2026, 11, 22))
    assert (f.delivered, f.skilled, f.retention_base, f.retained, f.not_yet_due, f.retention_unknown) == (
        12, 6, 9, 6, 3, 1)
    with db.session("clerk", write=False) as s:
        on_the_day = year_figures(s, JINDONG, station_id, 2026, date(2026, 9, 10))  # 3-10 + 6 months
    assert on_the_day.retention_base == 9


def _evaluated(db, **facts):  # type: ignore[no-untyped-def]
    station_id = established_station(db, **OLD)
    u = users(db)
    add_workers(db, u["clerk"], station_id, 120, start=100, hired_on=date(2025, 3, 1), retained=True)
    with db.session("clerk") as s:
        eid = ev.start_evaluation(s, u["clerk"], JINDONG, station_id, 2025)
        view = ev.save(s, u["clerk"], JINDONG, eid, full_marks(2025, **facts))
    return station_id, eid, view, u


def test_an_evaluation_is_computed_from_the_roster_and_facts(db) -> None:  # type: ignore[no-untyped-def]
    _sid, _eid, view, _u = _evaluated(db)
    assert view.figures.delivered == 120 and view.figures.retained == 120
    lines = {line.key: line for line in view.card.lines}
    assert lines["delivered"].points == 3 and "120 人" in lines["delivered"].how
    assert lines["retention"].points == 15
    assert view.card.total == Decimal(5 * 4 + 5 + 5 + 10 + 5 + 5 + 10 + 3 + 15 + 8)
    assert view.editable and view.card.passed and view.card.subsidy_yuan == 60000


def test_years_before_the_first_full_year_cannot_be_evaluated(db) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db, **OLD)
    u = users(db)
    with db.session("clerk") as s:
        assert ev.evaluable_years(s, JINDONG, station_id) == [2025, 2026]
        with pytest.raises(UserError, match="可评估的年度为 2025–2026"):
            ev.start_evaluation(s, u["clerk"], JINDONG, station_id, 2024)


def test_sign_off_freezes_and_a_correction_is_a_new_version(db) -> None:  # type: ignore[no-untyped-def]
    station_id, eid, _view, u = _evaluated(db)
    with db.session("reviewer") as s:
        signed = ev.sign_off(s, u["reviewer"], JINDONG, eid)
    assert signed.status_label == "已审核" and signed.signed_by == "李审核" and not signed.editable
    add_workers(db, u["clerk"], station_id, 90, start=300, hired_on=date(2025, 4, 1))  # the roster grows later
    with db.session("clerk") as s:
        again = ev.view(s, JINDONG, eid)
        assert again.figures.delivered == 120 and again.card.total == signed.card.total  # frozen
        with pytest.raises(UserError, match="已审核，只能查看"):
            ev.save(s, u["clerk"], JINDONG, eid, full_marks(2025))
        with pytest.raises(UserError, match="更正的原因"):
            ev.start_correction(s, u["clerk"], JINDONG, station_id, 2025, "")
        v2 = ev.start_correction(s, u["clerk"], JINDONG, station_id, 2025, "名册补录 90 人")
        draft = ev.view(s, JINDONG, v2)
        assert draft.version_no == 2 and draft.figures.delivered == 210 and draft.data.innovation == 8
        assert ev.find_evaluation(s, station_id, 2025) == v2
        assert [v.version_no for v in draft.versions] == [1, 2]
        assert ev.results(s, 2025)[0].version_no == 1  # still the signed one
    with db.session("reviewer") as s:
        ev.sign_off(s, u["reviewer"], JINDONG, v2)
        result = ev.results(s, 2025)[0]
    assert result.version_no == 2 and result.total == signed.card.total + 5  # 201–300 band: 8 instead of 3


def test_sign_off_rules(db) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db, **OLD)
    u = users(db)
    add_workers(db, u["clerk"], station_id, 12, start=100, hired_on=date(2025, 3, 1), skilled=True)
    with db.session("reviewer") as s:
        own = ev.start_evaluation(s, u["reviewer"], JINDONG, station_id, 2025)
        with pytest.raises(UserError, match="本人录入"):
            ev.sign_off(s, u["reviewer"], JINDONG, own)
    with db.session("clerk") as s:
        ev.save(s, u["clerk"], JINDONG, own, full_marks(2025))
    with db.session("admin") as s, pytest.raises(UserError, match="审核"):
        ev.sign_off(s, u["admin"], JINDONG, own)
    with db.session("admin") as s:
        s.execute(__import__("sqlalchemy").text("UPDATE station_evaluation SET created_by='clerk'"))
    with db.session("reviewer") as s, pytest.raises(UserError, match="2–5 分的加分"):
        ev.sign_off(s, u["reviewer"], JINDONG, own)
    with db.session("clerk") as s:
        ev.save(s, u["clerk"], JINDONG, own, full_marks(2025, skilled_bonus=Decimal("2.5")))
    with db.session("reviewer") as s:
        assert ev.sign_off(s, u["reviewer"], JINDONG, own).card.line("delivered").points == Decimal("2.5")


def test_input_checks(db) -> None:  # type: ignore[no-untyped-def]
    _sid, eid, _view, u = _evaluated(db)
    with db.session("clerk") as s:
        with pytest.raises(UserError, match="满意人数不能多于"):
            ev.save(s, u["clerk"], JINDONG, eid, full_marks(2025, worker_surveyed=5, worker_satisfied=6))
        with pytest.raises(UserError, match="评估日期"):
            ev.save(s, u["clerk"], JINDONG, eid, full_marks(2025, evaluated_on=date(2024, 12, 31)))


def test_two_failing_years_prompt_revocation(db) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db, **OLD)
    u = users(db)
    failing = {"management_system": False, "onsite_office": False, "work_plan": False, "events_held": 0,
               "worker_surveyed": 0, "worker_satisfied": 0,
               "employer_surveyed": 0, "employer_satisfied": 0, "innovation": Decimal(0), "innovation_reason": ""}
    views = []
    for year in (2025, 2026):
        with db.session("clerk") as s:
            eid = ev.start_evaluation(s, u["clerk"], JINDONG, station_id, year)
            ev.save(s, u["clerk"], JINDONG, eid, full_marks(year, **failing))
        with db.session("reviewer") as s:
            views.append(ev.sign_off(s, u["reviewer"], JINDONG, eid))
    assert not views[0].card.passed and views[0].failing_years == ()
    assert views[1].failing_years == (2025, 2026)


def test_veto_fails_a_high_score(db) -> None:  # type: ignore[no-untyped-def]
    _sid, eid, view, u = _evaluated(db, accidents=1, verified_complaints=2)
    assert view.card.vetoed and not view.card.passed and view.card.subsidy_yuan == 0
    with db.session("reviewer") as s:
        ev.sign_off(s, u["reviewer"], JINDONG, eid)
        assert ev.results(s, 2025)[0].verdict == "不合格（一票否决）"


def _excellent_station(db, skilled: bool = True):  # type: ignore[no-untyped-def]
    station_id = established_station(db, **{**OLD, "established_on": date(2023, 12, 20),
                                             "applied_on": date(2023, 12, 1), "hired_on": date(2023, 11, 1)})
    u = users(db)
    for year in (2024, 2025):
        start = 1000 * (year - 2023)
        add_workers(db, u["clerk"], station_id, 297, start=start, hired_on=date(year, 3, 1), retained=True,
                    skilled=False)
        add_workers(db, u["clerk"], station_id, 33, start=start + 300, hired_on=date(year, 3, 2), retained=False,
                    skilled=skilled)
        with db.session("clerk") as s:
            eid = ev.start_evaluation(s, u["clerk"], JINDONG, station_id, year)
            ev.save(s, u["clerk"], JINDONG, eid, full_marks(year, skilled_bonus=Decimal(4) if skilled else None))
        with db.session("reviewer") as s:
            ev.sign_off(s, u["reviewer"], JINDONG, eid)
    return station_id, u


def test_excellent_station_award_then_recheck(db) -> None:  # type: ignore[no-untyped-def]
    station_id, u = _excellent_station(db)
    with db.session("reviewer") as s:
        check = awards.check_excellent(s, JINDONG, station_id, 2025)
        assert "33/330 人 = 10%" in {c.name: c.figures for c in check.conditions}["技术技能人才占比不低于 10%"]
        assert check.passed and check.kind == "award" and len(check.conditions) == 6
        figures = {c.name: c.figures for c in check.conditions}
        assert "2024 年 330 人；2025 年 330 人" in figures["每年输送劳动力 300 人以上"]
        assert "297/330 人 = 90%" in figures["6 个月后留用率不低于 60%"]
        award = awards.decide_excellent(s, u["reviewer"], JINDONG, station_id, 2025)
        assert award.award_yuan == 20000 and awards.is_excellent(s, station_id)
        with pytest.raises(UserError, match="不能重复"):
            awards.decide_excellent(s, u["reviewer"], JINDONG, station_id, 2025)
        with pytest.raises(UserError, match="下次复核为 2027 年"):
            awards.decide_excellent(s, u["reviewer"], JINDONG, station_id, 2026)
        summary = awards.subsidy_summary(s, JINDONG, 2025)
    row = summary.rows[0]
    assert (row.establishment_yuan, row.annual_yuan, row.excellent_yuan) == (0, 70000, 20000)
    assert summary.total_yuan == 90000 and row.score == 97


def test_excellent_needs_ten_percent_skilled(db) -> None:  # type: ignore[no-untyped-def]
    station_id, u = _excellent_station(db, skilled=False)
    with db.session("reviewer") as s:
        check = awards.check_excellent(s, JINDONG, station_id, 2025)
        failed = [c.name for c in check.conditions if not c.passed]
        assert failed == ["技术技能人才占比不低于 10%"]
        award = awards.decide_excellent(s, u["reviewer"], JINDONG, station_id, 2025)
        assert not award.passed and award.award_yuan == 0 and not awards.is_excellent(s, station_id)


def test_subsidy_summary_counts_the_establishment_year(db) -> None:  # type: ignore[no-untyped-def]
    established_station(db, "新设站")
    with db.session("clerk", write=False) as s:
        summary = awards.subsidy_summary(s, JINDONG, 2026)
    assert [(r.station_name, r.establishment_yuan, r.total_yuan) for r in summary.rows] == [("新设站", 10000, 10000)]


def test_updating_a_worker_records_retention(db) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db)
    u = users(db)
    with db.session("clerk") as s:
        wid, _w = add_worker(s, u["clerk"], JINDONG, station_id, worker(1, retained=None))
        update_worker(s, u["clerk"], JINDONG, wid, worker(1, retained=False))
        assert search_workers(s, JINDONG, RosterQuery(station_id))[0].retained_label == "否"


def _years_signed(db, station_id: int, years: dict[int, bool], u) -> None:  # type: ignore[no-untyped-def]
    """Sign an evaluation for each year: 330 delivered (33 skilled, 90 % retained) when good."""
    for year, good in years.items():
        start = 10_000 + 1000 * (year - 2020)
        add_workers(db, u["clerk"], station_id, 297 if good else 100, start=start, hired_on=date(year, 3, 1),
                    retained=True)
        add_workers(db, u["clerk"], station_id, 33, start=start + 500, hired_on=date(year, 3, 2), retained=False,
                    skilled=True)
        with db.session("clerk") as s:
            eid = ev.start_evaluation(s, u["clerk"], JINDONG, station_id, year)
            ev.save(s, u["clerk"], JINDONG, eid, full_marks(year, skilled_bonus=Decimal(4)))
        with db.session("reviewer") as s:
            ev.sign_off(s, u["reviewer"], JINDONG, eid)


@pytest.mark.parametrize("keeps", [True, False])
def test_an_excellent_station_is_rechecked_two_years_later(db, keeps: bool) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db, established_on=date(2021, 6, 1), applied_on=date(2021, 5, 1),
                                     hired_on=date(2021, 4, 1))
    u = users(db)
    _years_signed(db, station_id, {2023: True, 2024: True, 2025: True, 2026: keeps}, u)
    with db.session("reviewer") as s:
        first = awards.decide_excellent(s, u["reviewer"], JINDONG, station_id, 2024)
        assert first.kind == "award" and first.award_yuan == 20000
        check = awards.check_excellent(s, JINDONG, station_id, 2026)
        assert check.kind == "recheck" and check.awarded_year == 2024 and check.passed is keeps
        again = awards.decide_excellent(s, u["reviewer"], JINDONG, station_id, 2026)
        assert again.kind == "recheck" and again.award_yuan == 0  # the award is paid once
        assert awards.is_excellent(s, station_id) is keeps
        assert awards.subsidy_summary(s, JINDONG, 2026).rows[0].excellent_yuan == 0
