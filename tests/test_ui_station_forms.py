"""Printing a station's forms from the GUI: 附件1 from the 档案 tab (filled and blank) and the 附件2
roster dialog from the 输送名册 tab (PDF and .xlsx, full ID numbers only for 审核/管理员)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from desktop.core.models.audit import AuditEntry
from desktop.ui.stations.forms import RosterPrintDialog
from desktop.ui.stations.page import StationsPage
from tests.station_helpers import JINDONG, established_station, make_jindong
from tests.ui_helpers import signed_in_state, type_text


def _text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "".join("".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))
    finally:
        pdf.close()


def _save_to(monkeypatch, path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: shown.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    return shown


def test_the_file_tab_saves_the_application_form_and_a_blank_one(qtbot, db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_jindong(db)
    sid = established_station(db)
    page = StationsPage(signed_in_state(db, JINDONG, "clerk"))
    qtbot.addWidget(page)
    page.reload(sid)
    menu = page.file_tab.application_form
    assert page.file_tab.application_form.button.isEnabled() and menu.actions["save"].isEnabled()
    shown = _save_to(monkeypatch, tmp_path / "申请表")
    menu.actions["save"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert shown == [f"已保存到：\n{tmp_path / '申请表.pdf'}"]
    text = _text(tmp_path / "申请表.pdf")
    assert "金东区劳务协作工作站设立申请表" in text and "金华市金才人力资源有限公司" in text
    shown = _save_to(monkeypatch, tmp_path / "空白.pdf")
    menu.actions["blank_save"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "金华市金才" not in _text(tmp_path / "空白.pdf")
    page.file_tab.show_station(None)
    assert not menu.actions["save"].isEnabled() and menu.actions["blank_save"].isEnabled()


def test_the_roster_dialog_prints_masked_and_only_a_reviewer_exports_full_numbers(qtbot, db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_jindong(db)
    sid = established_station(db)
    clerk = StationsPage(signed_in_state(db, JINDONG, "clerk"))
    qtbot.addWidget(clerk)
    clerk.reload(sid)
    clerk.tabs.setCurrentIndex(1)
    assert clerk.roster_tab.print_button.isEnabled()
    opened: list[RosterPrintDialog] = []
    monkeypatch.setattr(RosterPrintDialog, "exec", lambda self: opened.append(self) or 0)
    clerk.roster_tab.print_button.click()
    (dialog,) = opened
    qtbot.addWidget(dialog)
    assert dialog.rows == 50 and dialog.filler.text() == "陈立新" and not dialog.full.isEnabled()
    dialog.filler.clear()
    type_text(dialog.filler, "王小红")
    shown = _save_to(monkeypatch, tmp_path / "名册.pdf")
    dialog.pdf.save_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    text = _text(tmp_path / "名册.pdf")
    assert "填表人：王小红" in text and "522632*" in text and "第1页共3页" in text

    reviewer = signed_in_state(db, JINDONG, "reviewer")
    dialog = RosterPrintDialog(reviewer, sid, "贵州榕江劳务协作工作站")
    qtbot.addWidget(dialog)
    assert dialog.full.isEnabled() and not dialog.full.isChecked()
    dialog.full.setChecked(True)
    assert dialog._pdf_name() == "贵州榕江劳务协作工作站_累计输送劳动力名册（完整号码）.pdf"
    shown = _save_to(monkeypatch, tmp_path / "名册完整")
    dialog.xlsx_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert shown[0].startswith("已导出 50 行（完整身份证号码（已记入审计日志））")
    ws = load_workbook(tmp_path / "名册完整.xlsx").active
    assert len(ws["C5"].value) == 18 and "*" not in ws["C5"].value
    with db.session("t", write=False) as s:
        events = list(s.scalars(select(AuditEntry.actor + ":" + AuditEntry.action + ":" + AuditEntry.detail)
                                .where(AuditEntry.action.in_(("打印", "导出"))).order_by(AuditEntry.id)))
    assert events[0].startswith("clerk:打印:累计输送劳动力名册 贵州榕江劳务协作工作站，50 行，身份证号码已遮盖")
    assert events[1] == "reviewer:导出:累计输送劳动力名册 贵州榕江劳务协作工作站，50 行，完整身份证号码 → 名册完整.xlsx"
