"""Importing brokers certified before LaborDesk from the annual filing sheet (附件3)."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop import cli
from desktop.core.app import open_database
from desktop.core.audit import verify_chain
from desktop.core.db.database import Database
from desktop.core.documents.excel.broker_import import import_brokers
from desktop.core.documents.excel.importing import ImportReport
from desktop.core.errors import PermissionDenied
from desktop.core.models.audit import AuditEntry
from desktop.core.models.registry import Broker, BrokerStatusChange
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services import accounts
from desktop.core.services import applications as svc
from desktop.core.services.accounts import SignedInUser
from tests.conftest import ADMIN_PASSWORD
from tests.factories import application_input, make_id

TITLE = "四川省劳务经纪人备案信息表"
HEADER = ["序号", "姓名", "性别", "身份证号码", "学历水平", "参加培训时间（精确到年月）", "认定时间",
          "主要服务区域（精确到村）", "联系电话", "备注"]
TRAIN, AREA = "参加培训时间（精确到年月）", "主要服务区域（精确到村）"
FOOTER = [["填报人：", None, None, "审核人：", None, None, "填报日期：  年   月   日"],
          ["合计", "2 人"],
          ["备注：此表由各市（州）每年更新汇总后报省农民工办"]]


def sign_in(db: Database, profile: PolicyProfile, name: str = "admin") -> SignedInUser:
    with db.session(name) as s:
        signed = accounts.sign_in(s, profile, name, ADMIN_PASSWORD).user
    assert signed is not None
    return signed


def broker(i: int, **over: Any) -> dict[str, Any]:
    male = i % 2 == 0
    values = {
        "序号": i + 1, "姓名": f"李{'明华'[i % 2]}{i}", "性别": "男" if male else "女",
        "身份证号码": make_id(date(1975 + i % 20, 6, 1 + i % 27), seq=i, male=male), "学历水平": "高中",
        "参加培训时间（精确到年月）": "2021-06", "认定时间": "2021-07-18", "主要服务区域（精确到村）": "田坝子社区",
        "联系电话": f"1390825{i:04d}", "备注": "",
    }
    values.update(over)
    return values


def filing(path: Path, rows: list[dict[str, Any] | None], *, header: list[str] = HEADER, empty_numbered: int = 0,
           footer: bool = True) -> Path:
    """The 附件3 sheet as counties fill it: title, 填报市（州）, header, rows, numbered blanks, footer."""
    wb = Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["填报市（州）：遂宁市"])
    ws.append(header)
    keys = HEADER if len(header) == len(HEADER) else header
    for r in rows:
        ws.append([] if r is None else [r.get(k) for k in keys])
    for n in range(empty_numbered):
        ws.append([len(rows) + n + 1])
    if footer:
        for line in FOOTER:
            ws.append(line)
    wb.save(path)
    return path


def brokers(db: Database) -> list[Broker]:
    with db.session("t", write=False) as s:
        return list(s.scalars(select(Broker).order_by(Broker.id)))


def problems(report: ImportReport) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in report.bad_rows}


def test_filing_sheet_becomes_active_brokers(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    rows = [
        broker(0, 备注="注：2019年首批认定"),  # looks like a footer line, but the row has an ID number
        None,  # a blank line in the middle is skipped
        broker(1, 性别=None, 认定时间=datetime(2020, 8, 3), 备注="2020年第2批",
               **{TRAIN: datetime(2020, 5, 1), AREA: "蓬莱镇盘龙村"}),
        broker(2, 联系电话="0825-1234567", **{AREA: "盘龙村", TRAIN: None}),
        broker(3, **{AREA: "火星村、田坝子社区"}, 联系电话="12345"),
    ]
    path = filing(tmp_path / "备案表.xlsx", rows, empty_numbered=5)
    report = import_brokers(db, path, user=sign_in(db, profile))
    assert report.bad_rows == [] and (report.header_row, report.total_rows, report.imported) == (3, 4, 4)
    assert {(p.row, p.column) for p in report.warnings} == {
        (7, AREA),  # 盘龙村: two in 大英县
        (8, AREA), (8, "联系电话"),
    }
    saved = brokers(db)
    assert [b.name for b in saved] == ["李明0", "李华1", "李明2", "李华3"]
    first, second, third, fourth = saved
    assert (first.status, first.source, first.certified_on, first.training_month) == (
        "active", "import", date(2021, 7, 18), "2021-06")
    assert (first.service_area, first.service_village_code) == ("田坝子社区", "510923001002")
    assert (second.gender, second.certified_on, second.training_month) == ("女", date(2020, 8, 3), "2020-05")
    assert (second.service_area, second.service_village_code, second.remarks) == ("蓬莱镇盘龙村", "510923100265", "2020年第2批")
    assert (third.service_area, third.service_village_code, third.training_month, third.phone) == (
        "盘龙村", "", "", "0825-1234567")
    assert (fourth.service_area, fourth.service_village_code, fourth.phone) == ("火星村、田坝子社区", "", "12345")
    assert first.birth_date == date(1975, 6, 1) and first.application_id is None and first.created_by == "admin"
    assert first.remarks == "注：2019年首批认定"
    with db.session("t", write=False) as s:
        changes = s.scalars(select(BrokerStatusChange).order_by(BrokerStatusChange.id)).all()
        assert [(c.broker_id, c.status, c.changed_on) for c in changes] == [
            (b.id, "active", b.certified_on) for b in saved]
        assert "系统启用前已认定" in changes[0].reason
        entries = s.scalars(select(AuditEntry)).all()
        created = {(e.entity, e.entity_id) for e in entries if e.action == "create"}
        assert {("劳务经纪人", str(b.id)) for b in saved} | {("经纪人状态", str(c.id)) for c in changes} <= created
        assert [e.detail for e in entries if e.action == "导入"] == ["备案表.xlsx，4 行"]
        assert verify_chain(s) is None


def test_untidy_headers_and_a_wps_saved_file(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    header = ["序 号", "姓名", "性别", "身份证号码 ", "学历", "参加培训时间", "认定\n时间", "主要服务区域[精确到村]",
              "联系电话", "备注"]
    wb = Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.append(["填报市（州）：", None, "遂宁市"])
    ws.append([])
    ws.append(header)
    for i in range(3):
        b = broker(i)
        ws.append([b[k] for k in HEADER])
        ws.cell(ws.max_row, 4).quotePrefix = True  # WPS keeps typed numbers as text this way
        day = ws.cell(ws.max_row, 7, datetime(2021, 7, 18))
        day.number_format = 'yyyy"年"m"月"d"日"'
        month = ws.cell(ws.max_row, 6, datetime(2021, 6, 1))
        month.number_format = 'yyyy"年"m"月"'
    for line in FOOTER:
        ws.append(line)
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    wps = tmp_path / "wps.xlsx"
    _as_wps(plain, wps)
    report = import_brokers(db, wps, user=sign_in(db, profile), dry_run=True)
    assert report.bad_rows == [] and (report.header_row, report.total_rows) == (4, 3)
    report = import_brokers(db, wps, user=sign_in(db, profile))
    assert report.imported == 3
    assert {(b.training_month, b.certified_on) for b in brokers(db)} == {("2021-06", date(2021, 7, 18))}


def _as_wps(src: Path, dst: Path) -> None:
    """What WPS Office writes differently: a wrong <dimension>, its custom properties, app name."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[A-Z0-9:]+"\s*/>', b'<dimension ref="A1"/>', data)
                assert n == 1
            elif item.filename == "docProps/app.xml":
                data = re.sub(rb"<Application>[^<]*</Application>", b"<Application>WPS \xe8\xa1\xa8\xe6\xa0\xbc</Application>", data)
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
            zout.writestr(item, data)
        zout.writestr("docProps/custom.xml", (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
            b"<vt:lpwstr>2052-12.1.0.16120</vt:lpwstr></property></Properties>"))


def test_each_bad_row_is_reported(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    admin = sign_in(db, profile)
    import_brokers(db, filing(tmp_path / "first.xlsx", [broker(9)]), user=admin)
    with db.session("clerk") as s:  # someone in the workflow right now
        svc.create_application(s, profile, application_input(id_number=broker(10)["身份证号码"]))
    bad_id = broker(1)["身份证号码"][:17] + ("0" if broker(1)["身份证号码"][17] != "0" else "1")
    rows = [
        broker(0),                                              # 4: good
        broker(1, 身份证号码=bad_id),                              # 5: check digit
        broker(2, 性别="女"),                                      # 6: ID says 男
        broker(9),                                              # 7: already an active broker
        broker(3), broker(3, 姓名="李明三"),                         # 8, 9: twice in the file
        broker(4, 认定时间=None),                                   # 10: missing
        broker(5, 认定时间="2021年7月"),                             # 11: month only
        broker(6, 认定时间="2026-12-01"),                            # 12: future (today 2026-11-22)
        broker(7, **{TRAIN: "去年"}),                    # 13: not a month
        broker(8, **{TRAIN: "2021-13"}),                  # 14: no such month
        broker(11, **{TRAIN: "2027-01"}),                 # 15: after this month
        broker(10),                                             # 16: application in the workflow
        broker(12, 身份证号码=5.10923197506011e17),                   # 17: Excel turned it into a number
        broker(13, 认定时间="1960-01-01"),                           # 18: before birth
    ]
    report = import_brokers(db, filing(tmp_path / "bad.xlsx", rows), user=admin)
    t, c = "参加培训时间（精确到年月）", "认定时间"
    assert problems(report) == {
        (5, "身份证号码"), (6, "性别"), (7, "身份证号码"), (8, "身份证号码"), (9, "身份证号码"), (10, c), (11, c),
        (12, c), (13, t), (14, t), (15, t), (16, "身份证号码"), (17, "身份证号码"), (18, c),
    }
    why = {p.row: p.reason for p in report.bad_rows}
    assert "校验位" in why[5] and "男" in why[6]
    assert "已是在册劳务经纪人" in why[7] and "李华9" in why[7]
    assert "第 9 行" in why[8] and "第 8 行" in why[9]
    assert "请填写认定时间" in why[10] and "写到日" in why[11] and "晚于今天" in why[12]
    assert "去年" in why[13] and "2021-13" in why[14] and "晚于本月" in why[15]
    assert "正在办理" in why[16] and "待村推荐" in why[16]
    assert "15 位" in why[17] and "早于出生日期" in why[18]
    assert report.imported == 0 and len(brokers(db)) == 1
    assert report.lines()[-1].startswith("共 15 行，导入 0 行，有问题 14 行")


def test_skip_bad_dry_run_and_roles(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    admin = sign_in(db, profile)
    path = filing(tmp_path / "mixed.xlsx", [broker(0), broker(1, 性别="男"), broker(2)])
    dry = import_brokers(db, path, user=admin, dry_run=True, skip_bad=True)
    assert (dry.total_rows, dry.good_rows, dry.imported) == (3, 2, 0) and problems(dry) == {(5, "性别")}
    assert brokers(db) == []
    assert import_brokers(db, path, user=admin).imported == 0 and brokers(db) == []
    done = import_brokers(db, path, user=admin, skip_bad=True)
    assert (done.imported, done.bad_row_count) == (2, 1) and [b.name for b in brokers(db)] == ["李明0", "李明2"]
    again = import_brokers(db, path, user=admin, dry_run=True)
    assert problems(again) == {(4, "身份证号码"), (5, "性别"), (6, "身份证号码")}
    with pytest.raises(PermissionDenied):
        import_brokers(db, path, user=sign_in(db, profile, "clerk"))
    with db.session("t", write=False) as s:
        assert verify_chain(s) is None


def test_footer_only_and_header_problems(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    admin = sign_in(db, profile)
    report = import_brokers(db, filing(tmp_path / "empty.xlsx", [], empty_numbered=20), user=admin)
    assert report.total_rows == 0 and [p.row for p in report.bad_rows] == [0]
    assert "没有任何数据行" in report.bad_rows[0].reason
    header = [h for h in HEADER if h != "认定时间"]
    report = import_brokers(db, filing(tmp_path / "cols.xlsx", [broker(0)], header=header), user=admin)
    assert problems(report) == {(3, "认定时间")}


def test_cli_import_brokers(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = filing(tmp_path / "good.xlsx", [broker(0), broker(1)])
    bad = filing(tmp_path / "bad.xlsx", [broker(0), broker(1, 认定时间="明年")])
    base = ["--db", str(db_path), "import", "brokers"]
    assert cli.main([*base, str(bad)]) == 1
    assert "第 5 行【认定时间】" in capsys.readouterr().out
    assert cli.main([*base, str(good), "--user", "clerk"]) == 2  # a clerk may not
    assert "审核" in capsys.readouterr().err
    assert cli.main([*base, str(good), "--dry-run"]) == 0
    assert cli.main([*base, str(good), "--skip-bad"]) == 0
    out = capsys.readouterr().out
    assert "以账号 admin" in out and "共 2 行，导入 2 行" in out
    db = open_database(db_path).db
    try:
        assert len(brokers(db)) == 2
        with db.session("t", write=False) as s:
            assert s.scalar(select(func.count()).select_from(BrokerStatusChange)) == 2
    finally:
        db.dispose()
