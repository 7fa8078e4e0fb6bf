"""City consolidation: three counties' filings with one duplicate and one conflict, bad rows reported."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from desktop import cli
from desktop.core.db.database import Database
from desktop.core.documents.excel.filing import write_filing_xlsx
from desktop.core.documents.filing_layout import FilingDocument, FilingRow
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.audit import AuditEntry
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services import center as center_service
from desktop.core.services.accounts import SignedInUser
from desktop.core.services.city_filing import city_filing, write_city_xlsx
from desktop.core.services.consolidation import LEAVE_OUT, merged_rows, read_filings
from tests.factories import make_id

REVIEWER = SignedInUser(3, "reviewer", "李审核", Role.REVIEWER, False)
IDS = [make_id(date(1970 + i, 3, 1 + i), county=c, seq=i, male=i % 2 == 0)
       for i, c in enumerate(("510923", "510923", "510921", "510921", "510922", "510922"))]
BAD_CHECK = IDS[0][:-1] + ("0" if IDS[0][-1] != "0" else "1")


def person(i: int, **over: object) -> FilingRow:
    values = dict(seq=0, name=f"经纪人{i}", gender="男" if i % 2 == 0 else "女", id_number=IDS[i], education="高中",
                  training_month="2021-06", certified_on=date(2021, 7, 18), service_area=f"某镇第{i}村",
                  phone=f"1390825{i:04d}", remarks="")
    values.update(over)
    return FilingRow(**values)  # type: ignore[arg-type]


def labordesk_file(path: Path, people: list[FilingRow]) -> Path:
    doc = FilingDocument("四川省劳务经纪人备案信息表", 2026, "填报市（州）", "遂宁市", "大英县农民工服务中心",
                         [replace(p, seq=k + 1) for k, p in enumerate(people)], "张经办", "", date(2026, 12, 10), "备注：此表由各市（州）每年更新汇总后报省农民工办")
    write_filing_xlsx(doc, path)
    return path


def hand_typed(path: Path, rows: list[list[object]]) -> Path:
    """As a county clerk types the seed's form in WPS: bare titles, text dates, a footer."""
    wb = Workbook()
    ws = wb.active
    ws.append(["四川省劳务经纪人备案信息表"])
    ws.append(["填报市（州）：遂宁市"])
    ws.append(["序号", "姓名", "性别", "身份证号码", "学历水平", "参加培训时间", "认定时间", "主要服务区域", "联系电话", "备注"])
    for k, row in enumerate(rows, 1):
        ws.append([k, *row])
    ws.append(["填报人：刘某", None, None, "审核人：", None, None, "填报日期：2026年12月12日"])
    ws.append(["备注：此表由各市（州）每年更新汇总后报省农民工办"])
    wb.save(path)
    return path


def typed(p: FilingRow, **over: object) -> list[object]:
    row = [p.name, p.gender, p.id_number, p.education, "2021年6月", "2021/7/18", p.service_area, p.phone, p.remarks]
    for k, v in over.items():
        row[{"phone": 7, "id": 2, "date": 5}[k]] = v
    return row


@pytest.fixture
def counties(tmp_path: Path) -> list[Path]:
    a = labordesk_file(tmp_path / "大英县.xlsx", [person(0), person(1), person(2)])
    b = hand_typed(tmp_path / "射洪市.xlsx", [typed(person(3)), typed(person(1)), typed(person(4))])  # 1: duplicate
    c = hand_typed(tmp_path / "蓬溪县.xlsx", [
        typed(person(5)),
        typed(person(2), phone="13800001111"),  # 2: same ID, another phone — a conflict
        typed(person(0, name="错号人"), id=BAD_CHECK),  # a wrong check digit
        typed(person(5, name="数字人"), id=510922197601010000.0),  # an ID typed into a number cell
    ])
    broken = tmp_path / "安居区.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    return [a, b, c, broken]


def center(db: Database) -> center_service.CenterInfo:
    with db.session("t", write=False) as s:
        info = center_service.load_center(s)
    assert info is not None
    return info


def test_three_counties_one_duplicate_one_conflict(counties: list[Path]) -> None:
    cons = read_filings(counties)
    assert cons.files == ("大英县.xlsx", "射洪市.xlsx", "蓬溪县.xlsx", "安居区.xlsx")
    assert len(cons.people) == 6 and cons.duplicates == 1 and cons.rows_read == 10
    assert (cons.city, cons.year) == ("遂宁市", 2026)
    (conflict,) = cons.conflicts
    assert conflict.id_number == IDS[2] and conflict.fields == ("联系电话",)
    assert [v.where() for v in conflict.versions] == ["大英县.xlsx 第 6 行", "蓬溪县.xlsx 第 5 行"]
    duplicate = next(vs for vs in cons.people if vs[0].record.id_number == IDS[1])
    assert duplicate[0].where() == "大英县.xlsx 第 5 行、射洪市.xlsx 第 5 行"
    where = {(p.file, p.row, p.column) for p in cons.problems}
    assert ("蓬溪县.xlsx", 6, "身份证号码") in where and ("蓬溪县.xlsx", 7, "身份证号码") in where
    assert ("安居区.xlsx", 0, "") in where
    lost = next(p for p in cons.problems if p.row == 7)
    assert "15 位" in lost.reason and lost.line().startswith("蓬溪县.xlsx 第 7 行【身份证号码】")

    with pytest.raises(UserError, match="处问题"):
        merged_rows(cons, {IDS[2]: 1}, skip_bad=False)
    with pytest.raises(UserError, match="尚未决定"):
        merged_rows(cons, {}, skip_bad=True)
    rows = merged_rows(cons, {IDS[2]: 1}, skip_bad=True)
    assert [r.id_number for r in rows] == [IDS[0], IDS[1], IDS[2], IDS[3], IDS[4], IDS[5]]
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[2].phone == "13800001111"  # the decision, not the first file
    assert [r.id_number for r in merged_rows(cons, {IDS[2]: LEAVE_OUT}, skip_bad=True)] == [
        IDS[0], IDS[1], IDS[3], IDS[4], IDS[5]]


def test_merged_filing_carries_the_decisions(db: Database, profile: PolicyProfile, counties: list[Path],
                                             tmp_path: Path) -> None:
    cons = read_filings(counties)
    result = city_filing(cons, {IDS[2]: 1}, user=REVIEWER, profile=profile, center=center(db), skip_bad=True)
    out = tmp_path / "遂宁市汇总.xlsx"
    write_city_xlsx(db, REVIEWER, cons, result, out)
    wb = load_workbook(out)
    sheet, notes = wb["备案信息表"], wb["合并说明"]
    assert sheet["A2"].value == "填报市（州）：遂宁市" and sheet["F2"].value == "年度：2026年"
    ids = [sheet.cell(r, 4).value for r in range(4, 10)]
    assert ids == IDS and all(sheet.cell(r, 4).data_type == "s" for r in range(4, 10))
    assert sheet.cell(6, 9).value == "13800001111"
    texts = [[c for c in row if c is not None] for row in notes.iter_rows(values_only=True)]
    decision = next(r for r in texts if r and r[0] == IDS[2])
    assert decision[2] == "联系电话" and "第1份（大英县.xlsx 第 6 行）：联系电话=13908250002" in decision[3]
    assert decision[4] == "采用第2份（蓬溪县.xlsx 第 5 行）" and decision[5] == "李审核"
    assert any(r[:3] == ["蓬溪县.xlsx", 6, "身份证号码"] for r in texts)
    with db.session("t", write=False) as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert entry.action == "合并备案" and "6 人" in entry.detail and "决定冲突 1 人" in entry.detail


def test_cli_consolidate(db: Database, db_path: Path, counties: list[Path], tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "汇总.xlsx"
    base = ["--db", str(db_path), "consolidate", *map(str, counties), "--out", str(out)]
    assert cli.main(base) == 1 and not out.exists()
    printed = capsys.readouterr().out
    assert f"冲突：{IDS[2]}" in printed and "第2份（蓬溪县.xlsx 第 5 行）：联系电话=13800001111" in printed
    assert "问题：蓬溪县.xlsx 第 6 行【身份证号码】" in printed
    assert cli.main([*base, "--choose", f"{IDS[2]}=2"]) == 1 and not out.exists()  # bad rows still there
    assert cli.main([*base, "--choose", f"{IDS[2]}=2", "--skip-bad", "--user", "reviewer"]) == 0
    assert load_workbook(out)["备案信息表"].cell(6, 9).value == "13800001111"


def test_same_file_names_from_different_counties(tmp_path: Path) -> None:
    """Hand-typed files often share a name (附件3.xlsx): the folder tells them apart; the very same
    file chosen twice is read once."""
    (tmp_path / "大英县").mkdir()
    (tmp_path / "射洪市").mkdir()
    a = hand_typed(tmp_path / "大英县" / "附件3.xlsx", [typed(person(0))])
    b = hand_typed(tmp_path / "射洪市" / "附件3.xlsx", [typed(person(1)), typed(person(0), phone="13800002222")])
    cons = read_filings([a, b, a])
    assert cons.files == ("大英县/附件3.xlsx", "射洪市/附件3.xlsx")
    assert len(cons.people) == 2 and cons.conflicts[0].versions[1].where() == "射洪市/附件3.xlsx 第 5 行"
    assert [(p.file, p.row) for p in cons.problems] == [("大英县/附件3.xlsx", 0)]
    assert "选择了两次" in cons.problems[0].reason
