"""The 工作站 page through the GUI: application, roster entry, the evaluation's live lines, 审核."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.core.services import station_evaluations as ev
from desktop.ui.main_window import MainWindow
from desktop.ui.stations.dialogs import StationDialog, WorkerDialog
from desktop.ui.stations.page import StationsPage
from tests.factories import make_id
from tests.station_helpers import JINDONG, add_workers, established_station, full_marks, make_jindong, users
from tests.ui_helpers import signed_in_state, type_text

OLD = {"established_on": date(2024, 5, 10), "applied_on": date(2024, 4, 1), "hired_on": date(2024, 1, 2)}


@pytest.fixture
def boxes(monkeypatch):  # type: ignore[no-untyped-def]
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: seen.append(f"{title}:{text}"))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: seen.append(f"{title}:{text}"))
    return seen


def test_the_page_appears_only_with_the_station_module(qtbot, db, profile) -> None:  # type: ignore[no-untyped-def]
    sichuan = MainWindow(signed_in_state(db, profile, "clerk"))
    qtbot.addWidget(sichuan)
    assert not hasattr(sichuan, "stations")
    make_jindong(db)
    jindong = MainWindow(signed_in_state(db, JINDONG, "clerk"))
    qtbot.addWidget(jindong)
    assert [jindong.nav.item(i).text() for i in range(jindong.nav.count())][-1] == "工作站"


def test_a_new_application_is_typed_and_saved_with_enter(qtbot, db, boxes) -> None:  # type: ignore[no-untyped-def]
    make_jindong(db)
    state = signed_in_state(db, JINDONG, "clerk")
    page = StationsPage(state)
    qtbot.addWidget(page)
    dialog = StationDialog(state, None, page)
    qtbot.addWidget(dialog)
    dialog.show()
    for widget, text in ((dialog.name, "四川大英劳务协作工作站"), (dialog.builder, "金华市某人力资源有限公司"),
                         (dialog.partner_region, "四川省遂宁市大英县"), (dialog.head_name, "王强"),
                         (dialog.address, "金东区多湖街道 1 号")):
        type_text(widget, text)
    qtbot.keyClicks(dialog.head_phone, "1390579")
    qtbot.keyClick(dialog.head_phone, Qt.Key.Key_Return)
    assert "手机号码" in dialog.message.text() and dialog.result() == 0  # stays open, says what is wrong
    qtbot.keyClicks(dialog.head_phone, "1234")
    qtbot.keyClick(dialog.head_phone, Qt.Key.Key_Return)
    assert dialog.result() == StationDialog.DialogCode.Accepted and dialog.new_id
    page.reload(dialog.new_id)
    assert page.file_tab.title.text() == "四川大英劳务协作工作站"
    assert "已申请（待初审）" in page.file_tab.status.text()
    assert "不满足" in page.file_tab.field_labels["condition"].text()
    assert not page.file_tab.action_button.isEnabled()  # 初审 needs the reviewer


def test_escape_asks_before_discarding(qtbot, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, title, *a, **k: asked.append(title) or QMessageBox.StandardButton.No)
    state = signed_in_state(db, JINDONG, "clerk")
    dialog = StationDialog(state, None)
    qtbot.addWidget(dialog)
    type_text(dialog.name, "某站")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert (asked == ["放弃填写？"] and dialog.isVisible() is False) or dialog.result() == 0


def test_roster_entry_shows_the_delivered_check(qtbot, qtmodeltester, db, boxes) -> None:  # type: ignore[no-untyped-def]
    make_jindong(db)
    station_id = established_station(db)
    state = signed_in_state(db, JINDONG, "clerk")
    page = StationsPage(state)
    qtbot.addWidget(page)
    page.tabs.setCurrentIndex(1)
    tab = page.roster_tab
    assert tab.model.total == 50 and "计入输送劳动力 50 人" in tab.summary.text()
    qtmodeltester.check(tab.model)
    dialog = WorkerDialog(state, station_id, None, tab)
    qtbot.addWidget(dialog)
    type_text(dialog.name, "金东人")
    qtbot.keyClicks(dialog.id_number, make_id(date(1990, 1, 1), "330703"))
    type_text(dialog.hukou, "浙江省金华市金东区")
    type_text(dialog.employer, "某厂")
    dialog.si_months.setValue(5)
    dialog.submit()
    assert dialog.result() == WorkerDialog.DialogCode.Accepted, dialog.message.text()
    tab._after(dialog)
    type_text(tab.search, "金东人")
    tab.refresh()
    row = tab.model.row_at(0)
    assert row.name == "金东人" and not row.counts and "户籍在浙江省" in row.check_text
    assert "不计入 1 行" in tab.summary.text()


def test_evaluation_lines_follow_the_form_and_signing_freezes_them(qtbot, db, boxes) -> None:  # type: ignore[no-untyped-def]
    make_jindong(db)
    station_id = established_station(db, **OLD)
    u = users(db)
    add_workers(db, u["clerk"], station_id, 150, start=100, hired_on=date(2025, 3, 1), retained=True)
    clerk = signed_in_state(db, JINDONG, "clerk")
    page = StationsPage(clerk)
    qtbot.addWidget(page)
    tab = page.evaluation_tab
    page.tabs.setCurrentIndex(2)
    tab.year.setCurrentIndex(tab.year.findData(2025))
    assert tab.year.currentData() == 2025, [tab.year.itemText(i) for i in range(tab.year.count())]
    assert tab.station_id == station_id, (tab.station_id, page.current_id, page.rows)
    tab.start()
    assert tab.view is not None and tab.view.editable, boxes
    tab.form.load(full_marks(2025))
    tab.form.events_held.setValue(1)  # a user edit: dirty, recomputed after the debounce
    qtbot.waitUntil(lambda: "全年组织劳务对接活动 1 场，得 5 分" in tab.lines.item(9, 4).text(), timeout=3000)
    assert tab.save_button.isEnabled() and not tab.pdf.print_button.isEnabled()
    assert tab.lines.item(10, 4).text().startswith("全年输送（计入）150 人")
    assert tab.save()
    assert not tab.dirty and tab.pdf.print_button.isEnabled()
    assert "总分 81 分" in tab.total.text() and "合格" in tab.total.text()

    reviewer = signed_in_state(db, JINDONG, "reviewer")
    page2 = StationsPage(reviewer)
    qtbot.addWidget(page2)
    tab2 = page2.evaluation_tab
    tab2.year.setCurrentIndex(tab2.year.findData(2025))
    assert tab2.sign_button.isEnabled()
    tab2.sign_off()
    assert tab2.view.status == "signed" and not tab2.save_button.isEnabled()
    assert tab2.correct_button.isEnabled() and "只能查看" in tab2.status.text()
    with db.session("clerk", write=False) as s:
        assert ev.results(s, 2025)[0].total == Decimal(81)
    assert "已审核" in page2.file_tab.years.item(0, 1).text()


def test_two_failing_years_show_the_revocation_prompt(qtbot, db, boxes) -> None:  # type: ignore[no-untyped-def]
    make_jindong(db)
    station_id = established_station(db, **OLD)
    u = users(db)
    weak = {"management_system": False, "onsite_office": False, "work_plan": False, "events_held": 0,
            "innovation": Decimal(0), "innovation_reason": ""}
    with db.session("clerk") as s:
        first = ev.start_evaluation(s, u["clerk"], JINDONG, station_id, 2025)
        ev.save(s, u["clerk"], JINDONG, first, full_marks(2025, **weak))
        second = ev.start_evaluation(s, u["clerk"], JINDONG, station_id, 2026)
        ev.save(s, u["clerk"], JINDONG, second, full_marks(2026, **weak))
    with db.session("reviewer") as s:
        ev.sign_off(s, u["reviewer"], JINDONG, first)
    reviewer = signed_in_state(db, JINDONG, "reviewer")
    page = StationsPage(reviewer)
    qtbot.addWidget(page)
    tab = page.evaluation_tab
    tab.year.setCurrentIndex(tab.year.findData(2026))
    tab.sign_off()
    assert any("连续两个年度不合格" in b for b in boxes)
    assert "2025、2026 年度连续评估不合格" in page.file_tab.notices.text()
    assert page.file_tab.action_button.text() == "取消资格…" and page.file_tab.action_button.isEnabled()


def test_the_reviewer_passes_the_review_from_the_file_tab(qtbot, db, boxes) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.services.station_materials import MaterialInput, add_material
    from desktop.core.services.stations import apply
    from desktop.ui.stations.dialogs import StepDialog
    from tests.station_helpers import station_input

    make_jindong(db)
    u = users(db)
    with db.session("clerk") as s:
        station_id = apply(s, u["clerk"], JINDONG, station_input(applied_on=date(2026, 11, 2)))
        for no in range(1, 8):
            add_material(s, u["clerk"], JINDONG, station_id, MaterialInput(no, date(2026, 11, 2), 2))
    add_workers(db, u["clerk"], station_id, 50, hired_on=date(2026, 10, 1))
    reviewer = signed_in_state(db, JINDONG, "reviewer")
    page = StationsPage(reviewer)
    qtbot.addWidget(page)
    tab = page.file_tab
    assert tab.action_button.text() == "就业服务中心初审…" and tab.action_button.isEnabled()
    assert "满足" in tab.field_labels["condition"].text() and "不满足" not in tab.field_labels["condition"].text()
    dialog = StepDialog(reviewer, station_id, "center_review", page)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert dialog.result() == StepDialog.DialogCode.Accepted, dialog.message.text()
    page.reload()
    assert "待人社局审核" in tab.status.text() and tab.action_button.text() == "录入人社局审核…"
    assert tab.steps.item(1, 1).text() == "就业服务中心初审：通过" and tab.steps.item(1, 3).text() == "李审核"
