"""Importing a delivered-worker roster (附件2) and the station commands of ``labordesk``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop import cli
from desktop.core.app import open_database
from desktop.core.documents.excel.roster_import import import_roster
from desktop.core.errors import PermissionDenied
from desktop.core.models.audit import AuditEntry
from desktop.core.models.station import StationWorker
from desktop.core.services import station_evaluations as ev
from tests.factories import make_id
from tests.station_helpers import JINDONG, established_station, full_marks, make_jindong, users

HEADER = ["序号", "姓名", "身份证号", "户籍", "入职企业", "入职时间", "社保连续月数", "是否派遣", "是否技术技能人才",
          "6个月后是否在职"]


def person(seq: int, **changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "姓名": f"杨{seq}妹", "身份证号": make_id(date(1996, 1, 1 + seq % 28), "522632", seq=seq, male=False),
        "户籍": "贵州省黔东南州榕江县", "入职企业": "浙江某某电器有限公司", "入职时间": date(2026, 3, 2),
        "社保连续月数": 5, "是否派遣": "否", "是否技术技能人才": "", "6个月后是否在职": "是",
    }
    row.update(changes)
    return row


def roster_file(path: Path, people: list[dict[str, object]], *, seed_layout: bool = True) -> Path:
    wb = Workbook()
    ws = wb.active
    if seed_layout:
        ws.append(["累计输送劳动力名册"])
        ws.append(["填报单位（盖章）：金华市金才人力资源有限公司    填报日期: 2026-11-20   填表人：陈立新"])
    ws.append(HEADER)
    for i, p in enumerate(people, 1):
        ws.append([i, *[p.get(h) for h in HEADER[1:]]])
    if seed_layout:
        ws.append(["注意：申请设立劳务协作站需已为区内企业累计输送省外劳动力50人以上。"])
    wb.save(path)
    return path


def test_a_seed_layout_roster_imports_with_warnings_for_who_does_not_count(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db)
    u = users(db)
    people = [person(1), person(2, 户籍="浙江省兰溪市", 身份证号=make_id(date(1990, 1, 1), "330781", seq=2)),
              person(3, 社保连续月数="1个月"), person(4, 是否派遣="是", 是否技术技能人才="是"),
              person(5, 户籍="", **{"6个月后是否在职": ""}),
              person(6, 身份证号=make_id(date(1996, 2, 2), "522632", seq=6, male=False))]
    people[5]["入职时间"] = "2026年3月9日"
    report = import_roster(db, JINDONG, station_id, roster_file(tmp_path / "名册.xlsx", people), user=u["clerk"])
    assert report.bad_rows == [] and report.imported == 6 and report.total_rows == 6
    warnings = {p.row: p.reason for p in report.warnings}
    assert "户籍在浙江省" in warnings[5] and "不足 2 个月" in warnings[6] and "派遣" in warnings[7]
    assert "户籍未填写" in warnings[8]
    with db.session("clerk", write=False) as s:
        rows = {w.name: w for w in s.scalars(select(StationWorker).where(StationWorker.source.like("导入%")))}
        assert rows["杨3妹"].si_months == 1 and rows["杨4妹"].skilled and rows["杨5妹"].retained is None
        assert rows["杨6妹"].hired_on == date(2026, 3, 9)
        facts = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "输送劳动力"))
    assert facts >= 7  # one creation entry per row and the import's summary


def test_bad_rows_refuse_the_whole_file_unless_skip_bad(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db)
    u = users(db)
    people = [person(1), person(2, 身份证号="522632199601021234"), person(3, 入职时间="2099-01-01"),
              person(4, 社保连续月数=""), person(5, 是否派遣="也许"), person(6, 入职时间="2026-03"),
              person(7), person(7)]
    path = roster_file(tmp_path / "bad.xlsx", people)
    report = import_roster(db, JINDONG, station_id, path, user=u["clerk"])
    assert report.imported == 0 and report.bad_row_count == 7
    lines = "\n".join(report.lines())
    assert "第 5 行【身份证号】" in lines and "校验位" in lines
    assert "第 6 行【入职时间】" in lines and "晚于今天" in lines
    assert "第 7 行【社保连续月数】" in lines and "第 8 行【是否派遣】" in lines and "写到日" in lines
    assert "与第 11 行是同一人" in lines
    dry = import_roster(db, JINDONG, station_id, path, user=u["clerk"], dry_run=True, skip_bad=True)
    assert dry.imported == 0 and "试导入" in dry.lines()[-1]
    skipped = import_roster(db, JINDONG, station_id, path, user=u["clerk"], skip_bad=True)
    assert skipped.imported == 1
    again = import_roster(db, JINDONG, station_id, roster_file(tmp_path / "again.xlsx", [person(1)]), user=u["clerk"])
    assert "已在本站名册中" in again.bad_rows[0].reason


def test_a_worker_another_station_counts_is_warned(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = established_station(db, "甲站", hired_on=date(2026, 1, 2))
    second = established_station(db, "乙站", start=500)
    u = users(db)
    with db.session("clerk", write=False) as s:
        taken = s.scalar(select(StationWorker).where(StationWorker.station_id == first).limit(1))
    report = import_roster(db, JINDONG, second, roster_file(tmp_path / "r.xlsx", [person(
        1, 姓名=taken.name, 身份证号=taken.id_number, 入职时间=date(2026, 6, 1))]), user=u["clerk"])
    assert report.imported == 1 and "“甲站”计入" in report.warnings[0].reason


def test_roles_and_revoked_stations(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.models.account import Role
    from desktop.core.services.accounts import SignedInUser

    station_id = established_station(db)
    auditor = SignedInUser(99, "audit", "审计", Role.AUDITOR, False)
    with pytest.raises(PermissionDenied):
        import_roster(db, JINDONG, station_id, roster_file(tmp_path / "r.xlsx", [person(1)]), user=auditor)


def test_cli_imports_a_roster_and_prints_a_score(db, db_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    make_jindong(db)
    station_id = established_station(db, "浙黔协作站", established_on=date(2024, 5, 10),
                                     applied_on=date(2024, 4, 1), hired_on=date(2024, 1, 2))
    good = roster_file(tmp_path / "good.xlsx", [person(i, 入职时间=date(2025, 4, 1)) for i in range(1, 4)])
    base = ["--db", str(db_path), "import", "roster", "--station", "浙黔协作站"]
    assert cli.main([*base, str(good), "--dry-run"]) == 0
    assert cli.main([*base, str(good), "--user", "clerk"]) == 0
    out = capsys.readouterr().out
    assert "检查完毕（试导入" in out and "共 3 行，导入 3 行" in out
    assert cli.main(["--db", str(db_path), "import", "roster", "--station", "没有这个站", str(good)]) == 2
    assert "没有名为“没有这个站”的工作站" in capsys.readouterr().err

    assert cli.main(["--db", str(db_path), "station", "score", "浙黔协作站", "--year", "2025"]) == 2
    assert "还没有 2025 年度的评估" in capsys.readouterr().err
    u = users(db)
    fresh = open_database(db_path).db
    try:
        with fresh.session("clerk") as s:
            eid = ev.start_evaluation(s, u["clerk"], JINDONG, station_id, 2025)
            ev.save(s, u["clerk"], JINDONG, eid, full_marks(2025, innovation=Decimal("7.5")))
    finally:
        fresh.dispose()
    assert cli.main(["--db", str(db_path), "station", "score", "浙黔协作站", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "【站点管理】" in out and "输送人数\t0/15\t全年输送（计入）3 人" in out
    assert "工作创新\t7.5/10" in out and "总分：82.5/100" in out and "结论：合格" in out
    assert "年度绩效奖励：60000 元" in out
    assert cli.main(["--db", str(db_path), "station", "list"]) == 0
    assert "浙黔协作站\t已设立\t2024-05-10 设立" in capsys.readouterr().out
