"""Importing broker applications from .xlsx: row-level reports, all-or-nothing, the reading helpers."""

from __future__ import annotations

import re
import shutil
import time
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop import cli
from desktop.core import clock
from desktop.core.app import open_database
from desktop.core.audit import creation_fact, verify_chain
from desktop.core.db.database import Database
from desktop.core.documents.excel import reading, xlsx_fast
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

HEADER = [
    "姓名",
    "性别",
    "出生年月",
    "政治面貌",
    "学历",
    "联系电话",
    "工作单位",
    "身份证号码",
    "个人银行账号",
    "开户银行",
    "家庭住址",
    "个人简介",
    "常住村（社区）",
    "申请日期",
    "承诺事项",
]
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
        "姓名": f"张{i}",
        "性别": "男",
        "出生年月": f"{birth[:4]}-{birth[4:6]}",
        "政治面貌": "群众",
        "学历": "高中",
        "联系电话": f"138{i:08d}",
        "工作单位": "某某合作社",
        "身份证号码": make_id(birth, seq),
        "个人银行账号": luhn_account(),
        "开户银行": "农村信用社",
        "家庭住址": "武侯区某街1号",
        "个人简介": "组织劳务输出多年",
        "常住村（社区）": VILLAGE,
        "申请日期": "2024-05-20",
        "承诺事项": "是",
    }
    row.update(over)
    return row


def write_xlsx(
    path: Path,
    rows: list[dict[str, Any] | None],
    *,
    header: list[str] = HEADER,
    title: str | None = None,
    blank_after_title: int = 0,
) -> Path:
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
        assert (first.name, first.gender, first.village_code, first.village_name) == (
            "张1",
            "男",
            VILLAGE_CODE,
            VILLAGE,
        )
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
        create_application(
            s,
            profile,
            ApplicationInput(
                name="李老",
                gender="男",
                birth_month=existing["出生年月"],
                id_number=existing["身份证号码"],
                political_status="群众",
                education="高中",
                phone="13900000000",
                employer="",
                bank_account="",
                bank_name="",
                home_address="某地",
                profile_text="",
                village_code=VILLAGE_CODE,
                village_name=VILLAGE,
                category="其他",
                application_date=date(2024, 5, 1),
                declarations=DECLARATIONS,
            ),
        )
    bad_check = person(4)["身份证号码"]
    bad_check = bad_check[:17] + ("0" if bad_check[17] != "0" else "1")
    minor_id = make_id("20070101", "011")  # 17 on the application date
    dup = person(8)
    rows = [
        person(1),  # row 2: good
        person(4, 身份证号码=bad_check),  # row 3
        person(5, 身份证号码=5.10107199001011e17),  # row 4: Excel turned it into a number
        person(6, 身份证号码=minor_id, 出生年月="2007-01"),  # row 5: aged 17
        person(7, 联系电话="12345"),  # row 6
        person(9, 姓名=None),  # row 7
        dup,  # row 8
        dict(dup, 姓名="张八二"),  # row 9: same ID as row 8
        existing,  # row 10: open application in DB
    ]
    report = run(db, profile, write_xlsx(tmp_path / "bad.xlsx", rows))
    assert problems(report) == {
        (3, "身份证号码"),
        (4, "身份证号码"),
        (5, "身份证号码"),
        (6, "联系电话"),
        (7, "姓名"),
        (8, "身份证号码"),
        (9, "身份证号码"),
        (10, "身份证号码"),
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
        person(1, 个人银行账号=bad_luhn),  # row 2: Luhn fails → warning only
        person(2, **{"常住村（社区）": "锦城社区"}),  # row 3: two in 武侯区 → warning, no code
        person(3, **{"常住村（社区）": "火星村"}),  # row 4: unknown → warning
        person(4, **{"常住村（社区）": "洗面桥社区居委会"}),  # row 5: official name → matched
        person(5, 身份证号码=outsider, 出生年月="1985-05", 性别="女"),  # row 6: out of province
    ]
    path = write_xlsx(tmp_path / "w.xlsx", rows)
    report = run(db, profile, path, dry_run=True)
    assert problems(report) == {(6, "身份证号码")}
    assert "户籍" in report.bad_rows[0].reason
    assert {(p.row, p.column) for p in report.warnings} == {
        (2, "个人银行账号"),
        (3, "常住村（社区）"),
        (4, "常住村（社区）"),
    }
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


def test_imported_values_match_the_form_and_audit_matches_creation_fact(
    db: Database, profile: PolicyProfile, tmp_path: Path
) -> None:
    """What the import stores equals what the form (create_application) stores for the same
    typing, and each audit entry is exactly audit.creation_fact's."""
    messy = person(
        1,
        姓名=" 张一 ",
        联系电话="138 0000 0001",
        个人银行账号=" ".join(luhn_account()[i : i + 4] for i in range(0, 16, 4)),
    )
    messy["身份证号码"] = " " + messy["身份证号码"][:6] + " " + messy["身份证号码"][6:].lower()
    run(db, profile, write_xlsx(tmp_path / "m.xlsx", [messy]))
    columns = [c.key for c in BrokerApplication.__table__.columns if c.key not in ("id", "created_at", "updated_at")]
    with db.session("t", write=False) as s:
        imported = s.execute(select(*[BrokerApplication.__table__.c[k] for k in columns])).one()
        row_id = s.scalar(select(BrokerApplication.id))
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "create", AuditEntry.entity == "经纪人申请"))
        assert (
            entry.new_value
            == creation_fact(
                "经纪人申请",
                str(row_id),
                {
                    "id": row_id,
                    **{
                        k: v
                        for k, v in zip(columns, imported, strict=True)
                        if k not in ("created_by", "updated_by", "version")
                    },
                },
            ).new_value
        )
    other = open_database(tmp_path / "form.db").db
    try:
        with other.session("测试员") as s:
            center.initialise(s, center.SetupInput("测试中心", "510107", "sichuan", "admin", "管理员", "Abcdef12!"))
            create_application(
                s,
                profile,
                ApplicationInput(
                    name=messy["姓名"],
                    gender="男",
                    birth_month=messy["出生年月"],
                    id_number=messy["身份证号码"],
                    political_status="群众",
                    education="高中",
                    phone=messy["联系电话"],
                    employer="某某合作社",
                    bank_account=messy["个人银行账号"],
                    bank_name="农村信用社",
                    home_address="武侯区某街1号",
                    profile_text="组织劳务输出多年",
                    village_code=VILLAGE_CODE,
                    village_name=VILLAGE,
                    category="其他",
                    application_date=date(2024, 5, 20),
                    declarations=DECLARATIONS,
                ),
            )
        with other.session("t", write=False) as s:
            by_form = s.execute(select(*[BrokerApplication.__table__.c[k] for k in columns])).one()
    finally:
        other.dispose()
    assert dict(zip(columns, imported, strict=True)) == dict(zip(columns, by_form, strict=True))


def test_cell_forms_in_import(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    full_width = person(1)["身份证号码"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    header = [*HEADER, "户籍已核实"]
    rows = [
        person(1, 身份证号码=full_width, 出生年月=datetime(1971, 2, 1), 申请日期=45432),  # row 2: fine
        person(2, 申请日期="2024年5月"),  # row 3: month only
        person(3, 承诺事项="身体健康、诚信守法"),  # row 4: one declaration not checked
        person(4, 承诺事项="会开车"),  # row 5: not a declaration
        person(5, 户籍已核实="也许"),  # row 6
        person(6, 申请日期="2024-06-02"),  # row 7: after today (2024-06-01)
    ]
    report = run(db, profile, write_xlsx(tmp_path / "f.xlsx", rows, header=header), dry_run=True)
    assert problems(report) == {(3, "申请日期"), (5, "承诺事项"), (6, "户籍已核实"), (7, "申请日期")}
    by_row = {p.row: p.reason for p in report.bad_rows}
    assert "写到日" in by_row[3] and "会开车" in by_row[5]
    # A declaration not yet checked is a warning, as on the form.
    assert [(p.row, p.column) for p in report.warnings] == [(4, "承诺事项")]
    assert "具备电脑和智能手机使用操作能力" in report.warnings[0].reason


def test_without_declarations_column_one_warning(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "承诺事项"]
    report = run(db, profile, write_xlsx(tmp_path / "d.xlsx", [person(1), person(2)], header=header))
    assert report.imported == 2 and report.bad_rows == []
    assert [(p.row, p.column) for p in report.warnings] == [(0, "承诺事项")]
    assert report.lines()[0].startswith("文件【承诺事项】（提醒）表格没有这一列")
    with db.session("t", write=False) as s:
        assert s.scalars(select(BrokerApplication.declarations)).all() == ["", ""]


def test_header_only_and_missing_column_summaries(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    empty = run(db, profile, write_xlsx(tmp_path / "e.xlsx", [None, None]))
    assert empty.lines() == [
        "文件：表头（第 1 行）下面没有任何数据行。",
        "没有导入任何数据：请按上面的提示改正文件后重新导入。",
    ]
    header = [h for h in HEADER if h not in ("申请日期", "学历")]
    missing = run(db, profile, write_xlsx(tmp_path / "m.xlsx", [person(1)], header=header))
    assert [p.column for p in missing.bad_rows] == ["学历", "申请日期"]
    assert missing.lines()[-1].startswith("没有导入任何数据")


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


@pytest.mark.parametrize("fast", [True, False])
def test_many_blank_rows_are_skipped_fast(tmp_path: Path, fast: bool) -> None:
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
    with read_table(tmp_path / "blank.xlsx", specs, fast=fast) as table:
        got = list(table.rows())
    assert got == [(2, ("甲", "1")), (100_003, ("乙", "2"))]
    assert time.perf_counter() - started < 20  # generous: the machine may be busy; ~1 s normally


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


def rewrite(src: Path, dst: Path, edit: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None) -> Path:
    """Copy an .xlsx, passing every member through ``edit(name, data)``; add ``extra`` members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, edit(item.filename, zin.read(item.filename)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


_INLINE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>'
)


def shared_strings(src: Path, dst: Path, rich: str = "") -> Path:
    """The same workbook with its plain inline strings moved to a shared-string table, as Excel
    saves text; the string starting with ``rich`` becomes rich text with a phonetic guide."""
    table: dict[bytes, int] = {}

    def edit(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/"):
            return _INLINE.sub(
                lambda m: (
                    b'<c r="%s"%s t="s"><v>%d</v></c>'
                    % (m.group(1), m.group(2), table.setdefault(m.group(3), len(table)))
                ),
                data,
            )
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
            )
        return data

    tmp = rewrite(src, dst.with_suffix(".tmp"), edit)
    items = [b'<si><t>%s</t><phoneticPr fontId="1" type="noConversion"/></si>' % t for t in table]
    for i, text in enumerate(table):
        if rich and text.startswith(rich.encode()):
            items[i] = (
                b'<si><r><rPr><b/><sz val="11"/></rPr><t>%s</t></r><r><t xml:space="preserve"> &amp; x</t></r>'
                b'<rPh sb="0" eb="1"><t>\xe3\x83\x95</t></rPh></si>' % text
            )
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"".join(items)
        + b"</sst>"
    )
    rewrite(tmp, dst, lambda _n, d: d, {"xl/sharedStrings.xml": sst})
    tmp.unlink()
    return dst


def sample_workbook(path: Path, *, mac_epoch: bool = False) -> Path:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = Workbook()
    if mac_epoch:
        from openpyxl.utils.datetime import MAC_EPOCH

        wb.epoch = MAC_EPOCH
    ws = wb.active
    ws.title = "名单"
    ws.append(["某县申请人汇总"])
    ws.append([])
    ws.append(["姓名", "电话", "日期", "数字", "布尔", "公式", "备注"])
    ws.append(["张&三<>", 13812345678, datetime(2024, 3, 5), 2.5, True, "=1+1", "  有空格  "])
    ws.append(["李四", "028-1234567", date(1990, 1, 1), 5.10107199001011e17, False, None, "第二行"])
    ws.append([])
    ws.append(
        ["王五", None, dt_time(10, 30), -3, None, None, CellRichText(["富", TextBlock(InlineFont(b=True), "文本")])]
    )
    ws["D7"].number_format = "0.00"
    ws.append([None, None, timedelta(hours=30), None, None, None, "仅备注"])
    ws.cell(row=40, column=1, value="远处")
    ws.cell(row=40, column=9, value="表格外")
    wb.create_sheet("隐藏").sheet_state = "hidden"
    wb.save(path)
    return path


SAMPLE_SPECS = [ColumnSpec(t) for t in ("姓名", "电话", "日期", "数字", "布尔", "公式", "备注")]


def table_rows(path: Path, fast: bool, scan_rows: int = 30) -> tuple[int, list[tuple[int, tuple[Any, ...]]]]:
    with read_table(path, SAMPLE_SPECS, fast=fast, scan_rows=scan_rows) as table:
        return table.header.row, list(table.rows())


@pytest.mark.parametrize("variant", ["inline", "shared", "rich", "mac"])
def test_fast_reader_gives_what_openpyxl_gives(tmp_path: Path, variant: str) -> None:
    path = sample_workbook(tmp_path / "s.xlsx", mac_epoch=variant == "mac")
    if variant in ("shared", "rich"):
        path = shared_strings(path, tmp_path / "ss.xlsx", rich="张" if variant == "rich" else "")
        assert b't="s"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    book = reading._FastBook(path)  # the file is in the form the fast reader handles: no fallback
    try:
        assert len(list(book.sheets()[0].rows())) == 7
    finally:
        book.close()
    fast, slow = table_rows(path, True), table_rows(path, False)
    assert fast == slow
    header_row, rows = fast
    assert header_row == 3 and [r[0] for r in rows] == [4, 5, 7, 8, 40]
    first = rows[0][1]
    assert first[2] == datetime(2024, 3, 5) and first[3] == 2.5 and first[4] is True and first[5] is None
    assert rows[2][1][3] == -3 and rows[3][1][2] == timedelta(hours=30)
    if variant == "rich":
        assert first[0] == "张&三<> & x"
    else:
        assert first[0] == "张&三<>" and rows[2][1][6] == "富文本"


def test_unusual_cells_fall_back_to_openpyxl_even_midway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = sample_workbook(tmp_path / "s.xlsx")
    expected = table_rows(path, False)

    def late(name: str, data: bytes) -> bytes:  # a cell written with single quotes in row 7
        return data.replace(b'<c r="A7"', b"<c r='A7'") if name == "xl/worksheets/sheet1.xml" else data

    def early(name: str, data: bytes) -> bytes:  # … in the title row
        return data.replace(b'<c r="A1"', b"<c r='A1'") if name == "xl/worksheets/sheet1.xml" else data

    def pretty(name: str, data: bytes) -> bytes:  # indented XML: still the fast reader's
        return data.replace(b"<row ", b"\n  <row ").replace(b"<c ", b"\n    <c ") if "sheet1" in name else data

    opened: list[Path] = []

    class Counted(reading._OpenpyxlBook):
        def __init__(self, path: Path) -> None:
            opened.append(path)
            super().__init__(path)

    monkeypatch.setattr(reading, "_OpenpyxlBook", Counted)
    monkeypatch.setattr(xlsx_fast, "_CHUNK_CHARS", 200)  # several pieces even in a small sheet
    for edit, falls_back in ((late, True), (early, True), (pretty, False)):
        opened.clear()
        odd = rewrite(path, tmp_path / f"{edit.__name__}.xlsx", edit)
        assert table_rows(odd, True, scan_rows=3) == expected  # so row 7 is read after the header scan
        assert bool(opened) is falls_back, edit.__name__


def test_chinese_date_formats_are_dates(tmp_path: Path) -> None:
    """Excel's zh-CN built-in format 31 (yyyy"年"m"月"d"日") has no code in the file."""
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "日期"])
    ws.append(["甲", 45356])
    wb.save(tmp_path / "n.xlsx")

    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/styles.xml":
            return re.sub(
                rb'(<cellXfs count=")1(">.*?)</cellXfs>',
                rb'\g<1>2\g<2><xf numFmtId="31" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>',
                data,
                flags=re.S,
            )
        if name == "xl/worksheets/sheet1.xml":
            return data.replace(b'<c r="B2" t="n">', b'<c r="B2" s="1" t="n">')
        return data

    path = rewrite(tmp_path / "n.xlsx", tmp_path / "zh.xlsx", edit)
    specs = [ColumnSpec("姓名"), ColumnSpec("日期")]
    for fast in (True, False):
        with read_table(path, specs, fast=fast) as table:
            ((_, (_, when)),) = list(table.rows())
        assert cell_date(when).value == date(2024, 3, 5)  # a datetime (fast) or the serial (openpyxl)


def test_wrong_dimension_does_not_drop_rows(tmp_path: Path) -> None:
    """Some programs write <dimension ref="A1"/>; openpyxl then stops early unless told not to."""
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "电话"])
    for i in range(5):
        ws.append([f"人{i}", str(i)])
    wb.save(tmp_path / "ok.xlsx")

    def edit(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        data, n = re.subn(rb'<dimension ref="A1:B6"\s*/>', b'<dimension ref="A1"/>', data)
        assert n == 1
        return data

    path = rewrite(tmp_path / "ok.xlsx", tmp_path / "dim.xlsx", edit)
    for fast in (True, False):
        with read_table(path, [ColumnSpec("姓名"), ColumnSpec("电话")], fast=fast) as table:
            assert len(list(table.rows())) == 5


def test_absent_optional_column_ignores_stray_cells(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "电话"])
    ws.append(["甲", "1", "表格外的字"])  # column C has no title
    ws.append(["乙"])
    wb.save(tmp_path / "stray.xlsx")
    specs = [ColumnSpec("姓名"), ColumnSpec("电话"), ColumnSpec("住址", required=False)]
    for fast in (True, False):
        with read_table(tmp_path / "stray.xlsx", specs, fast=fast) as table:
            assert list(table.rows()) == [(2, ("甲", "1", None)), (3, ("乙", None, None))]


def test_excel_error_values_are_refused() -> None:
    with pytest.raises(CellError, match="#N/A"):
        cell_text("#N/A")
    assert cell_text("#3 号楼") == "#3 号楼"
