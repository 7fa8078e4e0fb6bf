"""Importing village population from Excel: every kind of bad row reported, history appended."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from desktop.core.documents.excel.population_import import import_population
from desktop.core.models.audit import AuditEntry
from desktop.core.models.performance import VillagePopulation
from desktop.core.rules.profile import load_profile
from desktop.core.services import accounts
from desktop.core.services.coverage import coverage_report
from tests.conftest import ADMIN_PASSWORD, COUNTY

HEADER = ("乡镇（街道）", "村（社区）", "区划代码", "户籍人口", "常住人口", "统计时点")


def sheet(path: Path, rows: list[tuple]) -> Path:  # type: ignore[type-arg]
    wb = Workbook()
    ws = wb.active
    ws.append(["大英县各村（社区）人口统计表"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(list(HEADER))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def clerk(db):  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        return accounts.sign_in(s, load_profile("sichuan"), "clerk", ADMIN_PASSWORD).user


def test_good_rows_are_imported_and_counted(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = sheet(tmp_path / "人口.xlsx", [
        ("盐井街道", "田坝子社区居委会", None, 5001, 4800, date(2025, 12, 31)),
        ("蓬莱镇", "朝阳社区", None, "3,200", None, "2025年12月"),
        (None, None, "510923001003", 12000.0, 13050, 45992),  # an Excel serial date
    ])
    report = import_population(db, path, user=clerk(db))
    assert report.bad_rows == [] and report.imported == 3, report.lines()
    with db.session("clerk", write=False) as s:
        rows = {r.village_code: r for r in s.scalars(select(VillagePopulation))}
        audit = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "村人口", AuditEntry.action == "create"))
        cov = {v.code: v for v in coverage_report(s, load_profile("chongqing"), COUNTY).villages}
    assert rows["510923100001"].as_of == date(2025, 12, 31) and rows["510923100001"].registered == 3200
    assert rows["510923001003"].as_of == date(2025, 12, 1) and rows["510923001003"].resident == 13050
    assert rows["510923001002"].source == "导入：人口.xlsx" and audit == 3
    assert cov["510923001002"].needed == 2 and cov["510923001003"].needed == 3
    again = import_population(db, path, user=clerk(db))  # the same file twice: nothing doubled
    assert again.imported == 0 and all("已经录入过" in p.reason for p in again.bad_rows)


def test_every_kind_of_bad_row_is_reported_with_row_and_column(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = sheet(tmp_path / "bad.xlsx", [
        ("盐井街道", "不存在村", None, 100, 100, date(2025, 12, 31)),  # 4: unknown village
        (None, None, "500101001001", 100, 100, date(2025, 12, 31)),  # 5: another county's code
        ("盐井街道", "田坝子社区", None, None, None, date(2025, 12, 31)),  # 6: no figure
        ("盐井街道", "火车站社区", None, "很多", 10, date(2025, 12, 31)),  # 7: not a number
        ("盐井街道", "唐家湾社区", None, 10, 10, date(2027, 1, 1)),  # 8: future
        ("盐井街道", "唐家湾社区", None, 10, -5, date(2025, 1, 1)),  # 9: negative
        ("蓬莱镇", "朝阳社区", None, 10, 10, date(2025, 1, 1)),  # 10 and 11: same village twice
        (None, None, "510923100001", 20, 20, date(2025, 6, 1)),
        ("蓬莱镇", "通仙社区", None, 10, 10, None),  # 12: no date
    ])
    report = import_population(db, path, user=clerk(db))
    got = {(p.row, p.column) for p in report.bad_rows}
    assert got == {(4, "村（社区）"), (5, "区划代码"), (6, "户籍人口"), (7, "户籍人口"), (8, "统计时点"),
                   (9, "常住人口"), (10, "村（社区）"), (11, "村（社区）"), (12, "统计时点")}
    assert report.imported == 0
    skipped = import_population(db, path, user=clerk(db), skip_bad=True)
    assert skipped.imported == 0  # every row had a problem
