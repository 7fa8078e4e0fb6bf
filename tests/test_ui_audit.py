"""The 审计日志 page: for auditor and admin only, lazy pages, filters, export, chain verification."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.core import audit_events
from desktop.core.audit import AuditFact, record_event
from desktop.ui.audit.page import AuditLogPage
from desktop.ui.main_window import MainWindow
from desktop.ui.widgets import qdate
from tests.test_roles import add_auditor
from tests.ui_helpers import signed_in_state


@pytest.mark.parametrize(("who", "visible"), [("auditor", True), ("admin", True), ("clerk", False),
                                              ("reviewer", False)])
def test_only_auditor_and_admin_see_the_audit_log(qtbot, db, profile, who, visible) -> None:  # type: ignore[no-untyped-def]
    add_auditor(db, profile)
    window = MainWindow(signed_in_state(db, profile, who))
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert ("审计日志" in titles) is visible
    assert ("账号管理" in titles) is (who == "admin")


def test_pages_load_lazily_filter_and_export(qtbot, qtmodeltester, db, profile, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             monkeypatch) -> None:
    add_auditor(db, profile)
    with db.session("clerk") as s:
        for i in range(450):
            record_event(s, AuditFact(audit_events.PRINT, "经纪人申请", str(i), detail=f"第{i}份"))
    state = signed_in_state(db, profile, "auditor")
    page = AuditLogPage(state)
    qtbot.addWidget(page)
    model = page.model
    assert model.rowCount() == 200 < model.total
    assert model.row_at(0).event == "登录" and model.row_at(0).actor == "auditor"  # newest first
    model.fetchMore()
    assert model.rowCount() == 400
    ids = [model.row_at(i).id for i in range(400)]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 400  # keyset pages: no gap, no repeat
    qtmodeltester.check(model)

    page.event_box.setCurrentText(audit_events.PRINT)
    page.actor.setCurrentText("clerk")
    page.apply_filters()
    assert model.total == 450 and {model.row_at(i).event for i in range(model.rowCount())} == {"打印"}
    page.table.selectRow(0)
    assert "第449份" in page.detail.text()
    page.date_from.setDate(qdate(date(2026, 11, 23)))
    assert model.total == 0
    page.clear_filters()
    assert page.query().actor == "" and page.query().date_from is None and model.total > 450

    page.event_box.setCurrentText(audit_events.PRINT)
    out = tmp_path / "审计日志.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: shown.append(text))
    page.export_xlsx()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "450" in shown[0]
    ws = load_workbook(out, read_only=True).active
    assert sum(1 for _ in ws.iter_rows(min_row=3)) == 450

    page.verify()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=20_000)
    assert "完整" in shown[1]
