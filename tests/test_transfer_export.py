"""附件2 export per broker and period: .xlsx read back cell by cell, the PDF, the round trip."""

from __future__ import annotations

import shutil
from datetime import date

import pypdfium2 as pdfium
from openpyxl import load_workbook
from sqlalchemy import select

from desktop.core.app import open_database
from desktop.core.documents.excel.transfer_import import import_transfers
from desktop.core.documents.transfer_layout import TITLES
from desktop.core.models.audit import AuditEntry
from desktop.core.models.transfer import TransferRecord
from desktop.core.services.transfer_documents import export_transfer_sheet
from tests.transfer_factories import add_broker, add_transfer, signed_in, worker_id


def _records(db, broker_id):  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        add_transfer(s, broker_id, seq=1, hire_date=date(2025, 3, 1), remarks="夜班")
        add_transfer(s, broker_id, seq=2, hire_date=date(2025, 8, 15), poverty_alleviated=False, social_insurance=False,
                     contract_term="无固定期限", contract_kind="open", contract_months=None, education="大专",
                     ethnicity="彝族", worker_name="阿说木呷", phone="0838-1234567")
        add_transfer(s, broker_id, seq=3, hire_date=date(2024, 12, 31))  # another year: not exported


def test_xlsx_read_back_cell_by_cell(db, profile, tmp_path, template_db) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        broker = add_broker(s, "王经纪", 1)
    _records(db, broker.id)
    with db.session("reviewer") as s:
        result = export_transfer_sheet(s, signed_in("reviewer"), profile, broker.id, date(2025, 1, 1),
                                       date(2025, 12, 31), tmp_path, full=True)
    assert result.rows == 2 and result.xlsx.name == "转移就业人员信息表_王经纪_2025年.xlsx"
    ws = load_workbook(result.xlsx).active
    assert ws["A1"].value == "附件2"
    assert ws["A2"].value == "四川省劳务经纪人组织转移就业人员信息表"
    assert "A2:N2" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A3"].value == "劳务经纪人姓名：王经纪"
    assert ws["H3"].value == "填表日期：2026年11月22日"
    assert [c.value for c in ws[4]] == list(TITLES)
    first = [c.value for c in ws[5]]
    assert first == [1, "劳动力1", "男", worker_id(1), 34, "初中", "汉族", "遂宁某某电子有限公司", "广东省东莞市长安镇", "1年",
                     "普工", "是", "13912345678", "入职日期：2025-03-01；脱贫人口；夜班"]
    second = [c.value for c in ws[6]]
    assert second == [2, "阿说木呷", "男", worker_id(2), 35, "大专", "彝族", "遂宁某某电子有限公司", "广东省东莞市长安镇",
                      "无固定期限", "普工", "否", "0838-1234567", "入职日期：2025-08-15"]
    assert ws["D5"].number_format == "@" and ws["D5"].data_type == "s"
    assert ws.freeze_panes == "A5" and ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.max_row == 6

    pdf = pdfium.PdfDocument(str(result.pdf))
    width, height = pdf[0].get_size()
    text = pdf[0].get_textpage().get_text_range()
    assert width > height  # A4 landscape
    assert "组织转移就业人员信息表" in text and "阿说木呷" in text and worker_id(2) in text
    pdf.close()

    # The exported sheet imports again unchanged into another database.
    other = tmp_path / "other.db"
    shutil.copy(template_db, other)
    copy = open_database(other).db
    try:
        with copy.session("clerk") as s:
            add_broker(s, "王经纪", 1)
        report = import_transfers(copy, profile, result.xlsx, user=signed_in("clerk"))
        assert report.imported == 2 and not report.bad_rows, report.lines()
        keys = ("worker_name", "id_number", "hire_date", "employer_name", "contract_term", "contract_kind",
                "social_insurance", "poverty_alleviated", "education", "ethnicity", "phone", "remarks", "age")
        with db.session("clerk", write=False) as s, copy.session("clerk", write=False) as t:
            def rows(session):  # type: ignore[no-untyped-def]
                found = session.scalars(select(TransferRecord).where(TransferRecord.hire_date >= date(2025, 1, 1))
                                        .order_by(TransferRecord.hire_date))
                return [tuple(getattr(r, k) for k in keys) for r in found]
            assert rows(s) == rows(t)
    finally:
        copy.dispose()


def test_default_export_masks_ids_and_is_audited(db, profile, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        broker = add_broker(s, "王经纪", 1)
    _records(db, broker.id)
    with db.session("clerk") as s:
        result = export_transfer_sheet(s, signed_in("clerk"), profile, broker.id, date(2025, 1, 1),
                                       date(2025, 6, 30), tmp_path)
    ws = load_workbook(result.xlsx).active
    assert ws["D5"].value == worker_id(1)[:6] + "*" * 8 + worker_id(1)[-4:]
    assert ws["M5"].value == "139****5678" and ws.max_row == 5
    with db.session("clerk", write=False) as s:
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "导出"))
    assert "身份证号码已遮盖" in detail and result.xlsx.name in detail
