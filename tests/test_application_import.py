"""Importing broker applications from .xlsx: row-level reports, all-or-nothing, the reading helpers."""

from __future__ import annotations

import shutil
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop import cli
from desktop.core import clock
from desktop.core.app import open_database
from desktop.core.audit import verify_chain
from desktop.core.db.database import Database
from desktop.core.documents.excel.application_import import (
    ImportCancelled,
    ImportReport,
    import_applications,
)
from desktop.core.documents.excel.reading import (
    CellError,
    ColumnSpec,
    WorkbookError,
    cell_date,
    cell_text,
    normalise_title,
    read_table,
)
from desktop.core.idcard import check_digit
from desktop.core.models.audit import AuditEntry
from desktop.core.models.broker import BrokerApplication
from desktop.core.rules.profile import PolicyProfile, load_profile
from desktop.core.services import center
from desktop.core.services.applications import ApplicationInput, create_application

HEADER = ["姓名", "性别", "出生年月", "政治面貌", "学历", "联系电话", "工作单位", "身份证号码",
          "个人银行账号", "开户银行", "家庭住址", "个人简介", "常住村（社区）", "申请日期", "承诺事项"]
DECLARATIONS = ("身体健康", "诚信守法", "具备电脑和智能手机使用操作能力")
TODAY = datetime(2024, 6, 1, 9, 30)
VILLAGE = "洗面桥社区"  # 510107001004 in 武侯区
VILLAGE_CODE = "510107001004"


# --- helpers -------------------------------------------------------------------------------------


def make_id(birth: str = "19900101", seq: str = "123", region: str = "510107") -> str:
    body = region + birth + seq
    return body + check_digit(body)


def luhn_account(prefix: str = "622202123456789") -> str:
    total = 0
    for i, ch in enumerate(reversed(prefix + "0")):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return prefix + str((10 - total % 10) % 10)


def person(i: int, **over: Any) -> dict[str, Any]:
    seq = f"{(i % 500) * 2 + 1:03d}"  # odd: 男
    birth = f"19{70 + i % 30}0{1 + i % 9}1{i % 10}"
    row = {
        "姓名": f"张{i}", "性别": "男", "出生年月": f"{birth[:4]}-{birth[4:6]}", "政治面貌": "群众",
        "学历": "高中", "联系电话": f"138{i:08d}", "工作单位": "某某合作社",
        "身份证号码": make_id(birth, seq), "个人银行账号": luhn_account(), "开户银行": "农村信用社",
        "家庭住址": "武侯区某街1号", "个人简介": "组织劳务输出多年", "常住村（社区）": VILLAGE,
        "申请日期": "2024-05-20", "承诺事项": "是",
    }
    row.update(over)
    return row


def write_xlsx(path: Path, rows: list[dict[str, Any] | None], *, header: list[str] = HEADER,
               title: str | None = None, blank_after_title: int = 0) -> Path:
    """``None`` in ``rows`` leaves a blank row."""
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        for _ in range(blank_after_title):
            ws.append([])
    ws.append(header)
    for row in rows:
        ws.append([] if row is None else [row.get(h) for h in header])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "t.db"
    db = open_database(path).db
    with db.session("test") as s:
        center.initialise(s, center.SetupInput("测试中心", "510107", "sichuan", "admin", "管理员", "Abcdef12!"))
    db.dispose()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "t.db"
    shutil.copy(template_db, target)
    return target


@pytest.fixture
def db(db_path: Path) -> Database:
    database = open_database(db_path).db
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def pinned_clock() -> None:
    clock.pin(TODAY)
    yield
    clock.pin(None)


@pytest.fixture(scope="module")
def profile() -> PolicyProfile:
    return load_profile("sichuan")


def count(db: Database) -> int:
    with db.session("t", write=False) as s:
        return s.scalar(select(func.count()).select_from(BrokerApplication)) or 0


def problems(report: ImportReport) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in report.bad_rows}


def run(db: Database, profile: PolicyProfile, path: Path, **kw: Any) -> ImportReport:
    return import_applications(db, profile, path, actor="测试员", **kw)


# --- the importer --------------------------------------------------------------------------------


def test_good_file_imports_every_row_with_audit(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    rows = [person(1), person(2, 政治面貌="党员", 学历="中专"), person(3, 申请日期=datetime(2024, 5, 21))]
    report = run(db, profile, write_xlsx(tmp_path / "a.xlsx", rows))
    assert report.bad_rows == [] and report.warnings == []
    assert (report.total_rows, report.imported) == (3, 3)
    assert report.lines()[-1] == "共 3 行，导入 3 行，有问题 0 行（未写入）。"
    with db.session("t", write=False) as s:
        saved = s.scalars(select(BrokerApplication).order_by(BrokerApplication.id)).all()
        assert [a.id_number for a in saved] == [r["身份证号码"] for r in rows]
        first = saved[0]
        assert (first.name, first.gender, first.village_code, first.village_name) == ("张1", "男", VILLAGE_CODE, VILLAGE)
        assert first.birth_date == date(1971, 2, 11)
        assert (first.status, first.hukou_province_code, first.category) == ("submitted", "51", "其他")
        assert (first.created_by, first.updated_by, first.version) == ("测试员", "测试员", 1)
        assert first.application_date == date(2024, 5, 20)
        assert saved[1].political_status == "中共党员" and saved[1].education == "中专/中技"
        assert saved[2].application_date == date(2024, 5, 21)
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "经纪人申请")).all()
        creates = [e for e in entries if e.action == "create"]
        assert sorted(e.entity_id for e in creates) == sorted(str(a.id) for a in saved)
        assert "张1" in creates[0].new_value and creates[0].actor == "测试员"
        summary = [e for e in entries if e.action == "导入"]
        assert len(summary) == 1 and summary[0].detail == "a.xlsx，3 行"
        assert verify_chain(s) is None


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(
    db: Database, profile: PolicyProfile, tmp_path: Path
) -> None:
    existing = person(90)
    with db.session("t") as s:
        create_application(s, profile, ApplicationInput(
            name="李老", gender="男", birth_month=existing["出生年月"], id_number=existing["身份证号码"],
            political_status="群众", education="高中", phone="13900000000", employer="", bank_account="",
            bank_name="", home_address="某地", profile_text="", village_code=VILLAGE_CODE,
            village_name=VILLAGE, category="其他", application_date=date(2024, 5, 1), declarations=DECLARATIONS))
    bad_check = person(4)["身份证号码"]
    bad_check = bad_check[:17] + ("0" if bad_check[17] != "0" else "1")
    minor_id = make_id("20070101", "011")  # 17 on the application date
    dup = person(8)
    rows = [
        person(1),                                                   # row 2: good
        person(4, 身份证号码=bad_check),                               # row 3
        person(5, 身份证号码=5.10107199001011e+17),                     # row 4: Excel turned it into a number
        person(6, 身份证号码=minor_id, 出生年月="2007-01"),              # row 5: aged 17
        person(7, 联系电话="12345"),                                   # row 6
        person(9, 姓名=None),                                         # row 7
        dup,                                                         # row 8
        dict(dup, 姓名="张八二"),                                      # row 9: same ID as row 8
        existing,                                                    # row 10: open application in DB
    ]
    report = run(db, profile, write_xlsx(tmp_path / "bad.xlsx", rows))
    assert problems(report) == {
        (3, "身份证号码"), (4, "身份证号码"), (5, "身份证号码"), (6, "联系电话"), (7, "姓名"),
        (8, "身份证号码"), (9, "身份证号码"), (10, "身份证号码"),
    }
    by_row = {p.row: p.reason for p in report.bad_rows}
    assert "校验位不正确" in by_row[3]
    assert "5.10107199001011E+17" in by_row[4] and "丢失" in by_row[4]
    assert "17 周岁" in by_row[5]
    assert "手机号码" in by_row[6]
    assert "必填" in by_row[7]
    assert "第 9 行" in by_row[8] and "第 8 行" in by_row[9]
    assert "李老" in by_row[10]
    assert report.total_rows == 9 and report.imported == 0 and report.bad_row_count == 8
    lines = report.lines()
    assert "第 3 行【身份证号码】身份证号码校验位不正确（最后一位），可能有一位数字输错，请逐位核对证件。" in lines
    assert lines[-1].startswith("共 9 行，导入 0 行，有问题 8 行（未写入）")
    assert count(db) == 1  # only the application made above


def test_skip_bad_writes_only_good_rows_and_dry_run_writes_nothing(
    db: Database, profile: PolicyProfile, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "mixed.xlsx", [person(1), person(2, 联系电话="abc"), person(3)])
    dry = run(db, profile, path, dry_run=True, skip_bad=True)
    assert (dry.total_rows, dry.good_rows, dry.imported, dry.dry_run) == (3, 2, 0, True)
    assert problems(dry) == {(3, "联系电话")}
    assert "未写入任何数据" in dry.lines()[-1]
    assert count(db) == 0
    refused = run(db, profile, path)
    assert refused.imported == 0 and count(db) == 0
    done = run(db, profile, path, skip_bad=True)
    assert (done.imported, done.bad_row_count) == (2, 1)
    assert done.lines()[-1] == "共 3 行，导入 2 行，有问题 1 行（未写入）。"
    with db.session("t", write=False) as s:
        assert s.scalars(select(BrokerApplication.name).order_by(BrokerApplication.id)).all() == ["张1", "张3"]
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "导入"))
        assert detail == "mixed.xlsx，2 行（跳过有问题的 1 行）"
    # A good file in dry-run mode writes nothing either.
    good = run(db, profile, write_xlsx(tmp_path / "good.xlsx", [person(4)]), dry_run=True)
    assert good.bad_rows == [] and good.imported == 0 and count(db) == 2


def test_title_row_blank_rows_and_untidy_header(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    header = [" 姓 名 ", *HEADER[1:7], "身份证号码\n", *HEADER[8:12], "常住村(社区)", "*申请日期", "承诺事项："]
    plain = dict(zip(header, HEADER, strict=True))
    rows = [person(1), None, None, person(2), None, person(3, 联系电话="1")]
    rows = [None if r is None else {k: r[v] for k, v in plain.items()} for r in rows]
    path = write_xlsx(tmp_path / "t.xlsx", rows, header=header, title="武侯区劳务经纪人申请汇总表", blank_after_title=1)
    report = run(db, profile, path, dry_run=True)
    assert (report.header_row, report.total_rows) == (3, 3)
    assert problems(report) == {(9, "联系电话")}  # title 1, blank 2, header 3, rows 4 … 9


def test_missing_column_is_a_whole_file_problem(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "常住村（社区）"]
    report = run(db, profile, write_xlsx(tmp_path / "m.xlsx", [person(1)], header=header))
    assert problems(report) == {(1, "常住村（社区）")}
    assert "缺少这一列" in report.bad_rows[0].reason
    assert report.imported == 0 and count(db) == 0


def test_warnings_villages_and_hukou(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    outsider = make_id("19850505", "022", region="500101")  # 重庆, 女
    account = luhn_account()
    bad_luhn = account[:-1] + str((int(account[-1]) + 1) % 10)
    rows = [
        person(1, 个人银行账号=bad_luhn),     # row 2: Luhn fails → warning only
        person(2, **{"常住村（社区）": "锦城社区"}),            # row 3: two in 武侯区 → warning, no code
        person(3, **{"常住村（社区）": "火星村"}),              # row 4: unknown → warning
        person(4, **{"常住村（社区）": "洗面桥社区居委会"}),     # row 5: official name → matched
        person(5, 身份证号码=outsider, 出生年月="1985-05", 性别="女"),  # row 6: out of province
    ]
    path = write_xlsx(tmp_path / "w.xlsx", rows)
    report = run(db, profile, path, dry_run=True)
    assert problems(report) == {(6, "身份证号码")}
    assert "户籍" in report.bad_rows[0].reason
    assert {(p.row, p.column) for p in report.warnings} == {(2, "个人银行账号"), (3, "常住村（社区）"), (4, "常住村（社区）")}
    assert any("（提醒）" in line for line in report.lines())

    header = [*HEADER, "户籍已核实"]
    for r in rows:
        r["户籍已核实"] = None
    rows[4]["户籍已核实"] = "是"
    report = run(db, profile, write_xlsx(tmp_path / "w2.xlsx", rows, header=header))
    assert report.bad_rows == [] and report.imported == 5
    assert (6, "户籍已核实") in {(p.row, p.column) for p in report.warnings}
    with db.session("t", write=False) as s:
        saved = {a.name: a for a in s.scalars(select(BrokerApplication))}
        assert (saved["张2"].village_code, saved["张2"].village_name) == ("", "锦城社区")
        assert saved["张4"].village_code == VILLAGE_CODE
        assert (saved["张5"].hukou_confirmed, saved["张5"].hukou_province_code) == (True, "51")


def test_optional_category_column_and_bad_choices(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    header = [*HEADER, "申请人类别"]
    rows = [person(1, 申请人类别="村干部"), person(2, 申请人类别="宇航员"), person(3, 学历="幼儿园")]
    report = run(db, profile, write_xlsx(tmp_path / "c.xlsx", rows, header=header), dry_run=True)
    assert problems(report) == {(3, "申请人类别"), (4, "学历")}
    assert "村干部、致富带头人" in report.bad_rows[0].reason


def test_cancel_writes_nothing_and_progress_is_reported(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [person(i) for i in range(450)])
    seen: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled):
        run(db, profile, path, progress=lambda d, t: seen.append((d, t)), cancel=lambda: len(seen) >= 1)
    assert count(db) == 0 and seen == [(200, 450)]
    seen.clear()
    report = run(db, profile, path, progress=lambda d, t: seen.append((d, t)))
    assert report.imported == 450 and seen[-1] == (450, 450) and count(db) == 450


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "空文件"),
        (bytes(range(256)) * 40, "不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "97-2003"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le"), "密码"),
        (b"<html><table><tr><td>x</td></tr></table></html>", "网页"),
    ],
)
def test_unreadable_files(db: Database, profile: PolicyProfile, tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match=expected):
        run(db, profile, path)


def test_truncated_xlsx(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    full = write_xlsx(tmp_path / "full.xlsx", [person(i) for i in range(50)]).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(full[: len(full) // 2])
    with pytest.raises(WorkbookError, match="不完整"):
        run(db, profile, cut)


def test_cli_dry_run_exit_codes(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [person(1), person(2)])
    bad = write_xlsx(tmp_path / "bad.xlsx", [person(1), person(2, 联系电话="1")])
    assert cli.main(["--db", str(db_path), "import", "applications", str(bad), "--dry-run"]) == 1
    assert "第 3 行【联系电话】" in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "import", "applications", str(good), "--dry-run"]) == 0
    assert cli.main(["--db", str(db_path), "import", "applications", str(good)]) == 0
    db = open_database(db_path).db
    try:
        assert count(db) == 2
    finally:
        db.dispose()


# --- the reading helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 3, 5, 0, 0), date(2024, 3, 5)),
        (date(2024, 3, 5), date(2024, 3, 5)),
        (45356, date(2024, 3, 5)),
        (45356.0, date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024年3月5日", date(2024, 3, 5)),
        ("2024.3.5", date(2024, 3, 5)),
        ("２０２４年３月５日", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
        (20240305, date(2024, 3, 5)),
        ("2024-03-05 10:20:00", date(2024, 3, 5)),
    ],
)
def test_cell_date_days(value: Any, expected: date) -> None:
    got = cell_date(value)
    assert got is not None and got.value == expected and not got.month_only


@pytest.mark.parametrize("value", ["2024-03", "2024年3月", "2024/3", "202403", " 2024 年 3 月 "])
def test_cell_date_months(value: str) -> None:
    got = cell_date(value)
    assert got is not None and got.month_only and got.month_text == "2024-03"


@pytest.mark.parametrize("value", ["2024-02-30", "明天", "1800-01-01", True, -5, "2024-13"])
def test_cell_date_refuses(value: Any) -> None:
    with pytest.raises(CellError):
        cell_date(value)


def test_cell_date_empty() -> None:
    assert cell_date(None) is None and cell_date("  ") is None


def test_cell_text() -> None:
    assert cell_text(None) == ""
    assert cell_text("  张三\u3000") == "张三"
    assert cell_text(13812345678) == "13812345678"
    assert cell_text(13812345678.0) == "13812345678"
    assert cell_text(123456789012345) == "123456789012345"  # 15 digits survive in Excel
    assert cell_text(2.5) == "2.5"
    assert cell_text(True) == "是"
    assert cell_text(datetime(2024, 3, 5)) == "2024-03-05"
    for mangled in (5.10107199001011e17, 510107199001011000, 6.22202123456789e18, 1234567890123456):
        with pytest.raises(CellError, match="15 位"):
            cell_text(mangled)
    with pytest.raises(CellError, match="太长"):
        cell_text("字" * 10_001)
    assert len(cell_text("字" * 10_000)) == 10_000


def test_normalise_title() -> None:
    assert normalise_title(" 常住村（社区）\n") == normalise_title("常住村(社区)") == "常住村(社区)"
    assert normalise_title("*姓名：") == "姓名"


def test_many_blank_rows_are_skipped_fast(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["姓名", "电话"])
    ws.append(["甲", "1"])
    for _ in range(100_000):
        ws.append([None, ""])  # blank rows that are really in the file
    ws.append(["乙", "2"])
    wb.save(tmp_path / "blank.xlsx")
    specs = [ColumnSpec("姓名"), ColumnSpec("电话")]
    started = time.perf_counter()
    with read_table(tmp_path / "blank.xlsx", specs) as table:
        got = list(table.rows())
    assert got == [(2, ("甲", "1")), (100_003, ("乙", "2"))]
    assert time.perf_counter() - started < 20  # openpyxl's own parsing is most of it


def test_header_not_found_and_repeated_titles(tmp_path: Path) -> None:
    specs = [ColumnSpec("姓名"), ColumnSpec("电话"), ColumnSpec("住址", required=False)]
    wb = Workbook()
    wb.active.append(["随便", "什么"])
    wb.save(tmp_path / "none.xlsx")
    with pytest.raises(WorkbookError, match="没有找到表头"), read_table(tmp_path / "none.xlsx", specs):
        pass
    wb = Workbook()
    wb.active.append(["姓名", "电话", "姓 名"])
    wb.save(tmp_path / "twice.xlsx")
    with pytest.raises(WorkbookError, match="出现了两次"), read_table(tmp_path / "twice.xlsx", specs):
        pass
    wb = Workbook()
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(WorkbookError, match="没有任何内容"), read_table(tmp_path / "empty.xlsx", specs):
        pass


def test_wrong_dimension_does_not_drop_rows(tmp_path: Path) -> None:
    """Some programs write <dimension ref="A1"/>; every row must still be read."""
    import re
    import zipfile

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "电话"])
    for i in range(5):
        ws.append([f"人{i}", str(i)])
    wb.save(tmp_path / "ok.xlsx")
    src, dst = tmp_path / "ok.xlsx", tmp_path / "dim.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="A1:B6"\s*/>', b'<dimension ref="A1"/>', data)
                assert n == 1
            zout.writestr(item, data)
    with read_table(dst, [ColumnSpec("姓名"), ColumnSpec("电话")]) as table:
        assert len(list(table.rows())) == 5
