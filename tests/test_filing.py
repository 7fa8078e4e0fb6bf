"""The annual filing (备案信息表): who is on it, the .xlsx read back cell by cell, the reminder."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.core.app import open_database
from desktop.core.db.database import Database
from desktop.core.documents.excel.broker_import import import_brokers
from desktop.core.documents.excel.filing import write_filing_xlsx
from desktop.core.documents.filing_layout import HEADERS
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.account import Role
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.rules.profile import PolicyProfile, load_profile
from desktop.core.services import center as center_service
from desktop.core.services import filing
from desktop.core.services.accounts import SignedInUser
from tests.factories import make_id

CLERK = SignedInUser(2, "clerk", "张经办", Role.CLERK, False)
X_ID = next(i for i in (make_id(date(1980, 1, 2), seq=s) for s in range(200)) if i.endswith("X"))


def add_broker(db: Database, name: str, id_number: str, certified: date, **over: object) -> None:
    values: dict[str, object] = dict(
        id_number=id_number, name=name, gender="男" if int(id_number[16]) % 2 else "女",
        birth_date=date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])), education="高中",
        phone="13908251234", service_village_code="", service_area="蓬莱镇白衣村", training_month="2021-06",
        certified_on=certified, source="import")
    values.update(over)
    with db.session("admin") as s:
        s.add(Broker(**values))


@pytest.fixture
def registry(db: Database) -> Database:
    add_broker(db, "王镕䶮", X_ID, date(2021, 7, 18), service_area="玉峰镇三叉口村", remarks="村支书")
    add_broker(db, "=HYPERLINK(\"x\")", make_id(date(1985, 3, 15), seq=3), date(2026, 3, 1), training_month="")
    add_broker(db, "李取消", make_id(date(1979, 5, 6), seq=5), date(2022, 5, 6), status=BrokerStatus.REVOKED.value,
               revoked_on=date(2026, 6, 30), revoke_reason="两年连续低于10人次")
    add_broker(db, "赵早退", make_id(date(1979, 5, 7), seq=7), date(2022, 5, 6), status=BrokerStatus.REVOKED.value,
               revoked_on=date(2025, 12, 31), revoke_reason="本人申请")
    add_broker(db, "钱明年", make_id(date(1990, 1, 1), seq=9), date(2027, 1, 2))
    return db


def center(db: Database) -> center_service.CenterInfo:
    with db.session("t", write=False) as s:
        info = center_service.load_center(s)
    assert info is not None
    return info


def document(db: Database, profile: PolicyProfile, scope: str = "all"):  # type: ignore[no-untyped-def]
    with db.session("clerk", write=False) as s:
        return filing.filing_document(s, CLERK, profile, center(db), filing.FilingQuery(2026, scope),
                                      reviewed_by="李审核")


def test_who_is_on_the_filing(registry: Database, profile: PolicyProfile) -> None:
    doc = document(registry, profile)
    names = [r.name for r in doc.rows]
    # certified by year end, not revoked before the year; the one revoked in 2026 stays, noted
    assert sorted(names) == sorted(["王镕䶮", "=HYPERLINK(\"x\")", "李取消"])
    revoked = next(r for r in doc.rows if r.name == "李取消")
    assert revoked.remarks == "2026年6月30日取消资格：两年连续低于10人次"
    assert [r.seq for r in doc.rows] == [1, 2, 3]
    assert (doc.city, doc.reporter, doc.unit_label) == ("遂宁市", "大英县农民工服务中心", "填报市（州）")
    new = document(registry, profile, "new")
    assert [r.name for r in new.rows] == ["=HYPERLINK(\"x\")"]
    with registry.session("clerk", write=False) as s:
        assert filing.count_filing(s, filing.FilingQuery(2026)) == 3
        preview = filing.preview_filing(s, profile, filing.FilingQuery(2026))
    shown = next(p for p in preview if p.name == "王镕䶮")
    assert shown.id_number_masked == X_ID[:6] + "********" + X_ID[-4:]
    assert shown.phone_masked == "139****1234" and shown.training == "2021年6月"


def test_nobody_to_file_and_wrong_role(registry: Database, profile: PolicyProfile) -> None:
    with registry.session("clerk", write=False) as s, pytest.raises(UserError, match="2019年没有需要备案"):
        filing.filing_document(s, CLERK, profile, center(registry), filing.FilingQuery(2019))
    auditor = SignedInUser(9, "audit", "审计员", Role.AUDITOR, False)
    with registry.session("audit", write=False) as s, pytest.raises(PermissionDenied):
        filing.filing_document(s, auditor, profile, center(registry), filing.FilingQuery(2026))


def test_xlsx_read_back_cell_by_cell(registry: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    doc = document(registry, profile)
    out = tmp_path / "备案.xlsx"
    write_filing_xlsx(doc, out)
    wb = load_workbook(out)
    ws = wb.active
    assert ws.title == "备案信息表"
    assert ws["A1"].value == "四川省劳务经纪人备案信息表" and "A1:J1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "填报市（州）：遂宁市"
    assert ws["F2"].value == "填报单位：大英县农民工服务中心\u3000\u3000年度：2026年"
    assert [str(ws.cell(3, c).value).replace("\n", "") for c in range(1, 11)] == list(HEADERS)
    for row, expected in zip(ws.iter_rows(min_row=4, max_row=3 + len(doc.rows)), doc.rows, strict=True):
        seq, name, gender, idn, edu, train, cert, area, phone, remarks = row
        assert seq.value == expected.seq
        assert (name.value, gender.value, edu.value, area.value) == (
            expected.name, expected.gender, expected.education, expected.service_area)
        assert idn.data_type == "s" and idn.value == expected.id_number and len(idn.value) == 18
        assert idn.number_format == "@" and phone.data_type == "s" and phone.value == expected.phone
        assert cert.value == datetime.combine(expected.certified_on, datetime.min.time())
        assert cert.number_format == 'yyyy"年"m"月"d"日"'
        if expected.training_month:
            assert train.value == datetime(2021, 6, 1) and train.number_format == 'yyyy"年"m"月"'
        else:
            assert train.value is None
        assert (remarks.value or "") == expected.remarks
    assert any(r.id_number.endswith("X") for r in doc.rows)
    formulas = [c.coordinate for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []  # the name that starts with "=" is text
    last = 3 + len(doc.rows)
    assert ws.cell(last + 2, 1).value == "填报人：张经办"
    assert ws.cell(last + 2, 4).value == "审核人：李审核"
    assert ws.cell(last + 2, 8).value == "填报日期：2026年11月22日"
    assert ws.cell(last + 3, 1).value == "备注：此表由各市（州）每年更新汇总后报省农民工办"
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.column_dimensions["D"].width >= 18 * 1.05 + 2  # the 18 digits fit


def test_filing_imports_back_into_an_empty_registry(registry: Database, profile: PolicyProfile, tmp_path: Path,
                                                    template_db: Path) -> None:
    """A LaborDesk filing is last year's filing for the next county database: it reads back clean."""
    out = tmp_path / "备案.xlsx"
    write_filing_xlsx(document(registry, profile), out)
    fresh_path = tmp_path / "fresh.db"
    shutil.copy(template_db, fresh_path)
    fresh = open_database(fresh_path).db
    try:
        admin = SignedInUser(1, "admin", "管理员", Role.ADMIN, False)
        report = import_brokers(fresh, out, user=admin, dry_run=True, county_code="510923")
    finally:
        fresh.dispose()
    assert report.bad_rows == [] and report.total_rows == 3


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 11, 30), None),
    (date(2026, 12, 1), "还有 24 天截止"),
    (date(2026, 12, 24), "还有 1 天截止"),
    (date(2026, 12, 25), "今天截止"),
    (date(2026, 12, 26), "已过截止日 1 天"),  # until the deadline's month ends
    (date(2026, 12, 31), "已过截止日 6 天"),
    (date(2027, 1, 5), None),
])
def test_filing_reminder_window(profile: PolicyProfile, today: date, expected: str | None) -> None:
    text = filing.filing_reminder(today, profile)
    if expected is None:
        assert text is None
    else:
        assert text is not None and expected in text and "四川省劳务经纪人备案信息表" in text
        assert f"{today.year}年度" in text and "12月25日前" in text and "年度备案" in text


def test_reminder_follows_the_profile() -> None:
    assert filing.filing_reminder(date(2026, 12, 10), load_profile("chongqing")) is None  # no filing module
    moved = load_profile("sichuan", {"filing.remind_from_day": 15})
    assert filing.filing_reminder(date(2026, 12, 14), moved) is None
    assert filing.filing_reminder(date(2026, 12, 15), moved) is not None


def test_pdf_matches_the_sheet(registry: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    from dataclasses import replace

    from pypdf import PdfReader

    from desktop.core.documents.pdf.filing import paginate, render_filing_pdf

    doc = document(registry, profile)
    many = replace(doc, rows=[replace(doc.rows[i % 3], seq=i + 1) for i in range(60)])
    out = tmp_path / "备案.pdf"
    render_filing_pdf(many, out)
    reader = PdfReader(out)
    assert len(reader.pages) == len(paginate(60)) >= 3
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    first = page.extract_text()
    assert "四川省劳务经纪人备案信息表" in first and "填报市（州）：遂宁市" in first
    assert X_ID in first and "王镕䶮" in first and "2021年7月18日" in first and "2021年6月" in first
    for p in reader.pages:
        text = p.extract_text()
        assert "身份证号码" in text and "联系电话" in text  # the header on every page
    last = reader.pages[-1].extract_text()
    assert "填报人：张经办" in last and "审核人：李审核" in last and "填报日期：2026年11月22日" in last
    assert "备注：此表由各市（州）每年更新汇总后报省农民工办" in last
    fonts = {f["/BaseFont"] for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert fonts and all("+" in str(f) for f in fonts if "Helvetica" not in str(f))  # subsets: embedded
    seqs = [int(line.split()[0]) for p in reader.pages for line in p.extract_text().splitlines()
            if line.split() and line.split()[0].isdigit() and len(line.split()[0]) <= 2]
    assert sorted(set(seqs)) == list(range(1, 61))
