"""The 中心设置 page: administrators only; a change is confirmed, saved and audited; a refused value
is explained next to its field and nothing is saved; Enter saves, Esc asks before discarding."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from desktop.core.models import AuditEntry
from desktop.core.services import center as center_service
from desktop.ui.main_window import MainWindow
from desktop.ui.settings.page import SettingsPage
from tests.ui_helpers import signed_in_state, type_text

IDLE = "security.idle_lock_minutes"
RETENTION = "security.audit_retention_months"


class Asked:
    """Stands in for QMessageBox.question: records each question, answers as told."""

    def __init__(self, answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes) -> None:
        self.answer = answer
        self.texts: list[str] = []

    def __call__(self, _parent, _title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        self.texts.append(text)
        return self.answer


@pytest.fixture
def asked(monkeypatch) -> Asked:  # type: ignore[no-untyped-def]
    a = Asked()
    monkeypatch.setattr(QMessageBox, "question", a)
    return a


@pytest.fixture
def page(qtbot, db, profile) -> SettingsPage:  # type: ignore[no-untyped-def]
    p = SettingsPage(signed_in_state(db, profile, "admin"))
    qtbot.addWidget(p)
    p.show()
    return p


def stored(db) -> center_service.CenterInfo:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        return center_service.load_center(s)


def settings_events(db) -> list[tuple[str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        rows = s.execute(select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value)
                         .where(AuditEntry.action == "修改设置", AuditEntry.actor == "admin")).all()
    return [tuple(r) for r in rows]


def retype(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.selectAll()
    widget.del_()
    type_text(widget, text)


@pytest.mark.parametrize(("who", "visible"), [("admin", True), ("clerk", False), ("reviewer", False)])
def test_only_admins_see_centre_settings(qtbot, db, profile, who, visible) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(signed_in_state(db, profile, who))
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert ("中心设置" in titles) is visible
    if visible:
        assert titles.index("中心设置") == titles.index("账号管理") + 1
    menu_texts = [a.text() for m in window.menuBar().actions() for a in m.menu().actions()]
    assert ("中心设置(&S)" in menu_texts) is visible
    window.state.tasks.wait_idle()  # the dashboard loads in the background; let it finish here


def test_shows_current_value_default_and_meaning(page) -> None:  # type: ignore[no-untyped-def]
    assert page.center_name.text() == "大英县农民工服务中心"
    assert page.profile_box.currentData() == "sichuan" and "510923" in page.county.text()
    assert page.grid.raw(IDLE) == "10" and page.grid.params[IDLE].default == 10
    assert not page.save_button.isEnabled() and not page.dirty()
    texts = [w.text() for w in page.grid.findChildren(type(page.county))]
    assert "默认 10 分钟" in texts and any(t.startswith("多久没有操作就锁定屏幕") for t in texts)


def test_a_change_is_confirmed_saved_and_audited(page, db, asked) -> None:  # type: ignore[no-untyped-def]
    retype(page.grid.editors[IDLE], "5")
    page.grid.editors["publicity.allow_early_close"].setChecked(True)
    retype(page.center_name, "大英县就业服务中心")
    assert page.dirty() and page.save_button.isEnabled()
    page.save()
    assert len(asked.texts) == 1
    question = asked.texts[0]
    assert "服务中心名称：大英县农民工服务中心 → 大英县就业服务中心" in question
    assert "无操作锁屏：10 分钟 → 5 分钟" in question and "允许提前结束公示：否 → 是" in question
    info = stored(db)
    assert info.center_name == "大英县就业服务中心"
    assert info.profile_overrides == {IDLE: 5, "publicity.allow_early_close": True}
    assert settings_events(db) == [("服务中心名称", "大英县农民工服务中心", "大英县就业服务中心"),
                                   (f"政策参数 {IDLE}", "10", "5"), ("政策参数 publicity.allow_early_close", "否", "是")]
    assert page.state.profile.security.idle_lock_minutes == 5 and page.state.center.center_name == "大英县就业服务中心"
    assert page.message.text().startswith("已保存 3 项修改") and not page.dirty()
    assert page.grid.defaults[IDLE].text() == "默认 10 分钟（本中心已改）" and page.grid.raw(IDLE) == "5"


def test_emptied_value_returns_to_the_default(page, db, asked) -> None:  # type: ignore[no-untyped-def]
    retype(page.grid.editors[IDLE], "5")
    page.save()
    page.grid.editors[IDLE].clear()
    page.grid.changed.emit()
    page.save()
    assert "无操作锁屏：5 分钟 → 10 分钟（恢复默认）" in asked.texts[-1]
    assert stored(db).profile_overrides == {} and page.grid.raw(IDLE) == "10"


def test_a_value_below_the_national_floor_is_refused_next_to_its_field(page, db, asked) -> None:  # type: ignore[no-untyped-def]
    retype(page.grid.editors[IDLE], "5")
    retype(page.grid.editors[RETENTION], "3")
    page.save()
    assert len(asked.texts) == 1  # confirmed, then the service refused it
    error = page.grid.errors[RETENTION]
    assert error.isVisible() and error.text().startswith("“审计日志保留”应在 6 到 1200 之间，现为 3。")
    assert "网络安全法" in error.text() and "没有保存" in page.message.text()
    assert not page.grid.errors[IDLE].isVisible()
    assert stored(db).profile_overrides == {} and settings_events(db) == []
    assert page.grid.raw(RETENTION) == "3" and page.dirty()  # the typing stays to be corrected
    assert QApplication.focusWidget() is page.grid.editors[RETENTION]


def test_words_instead_of_a_number_are_refused_before_asking(page, db, asked) -> None:  # type: ignore[no-untyped-def]
    retype(page.grid.editors["security.lockout_minutes"], "半小时")
    page.save()
    assert asked.texts == []
    assert page.grid.errors["security.lockout_minutes"].text().startswith("“锁定时长”应填写整数，如 15")
    retype(page.center_name, " ")
    retype(page.grid.editors["security.lockout_minutes"], "20")
    page.save()
    assert page.name_error.text() == "请填写服务中心名称。" and stored(db).profile_overrides == {}


def test_saying_no_saves_nothing(page, db, asked) -> None:  # type: ignore[no-untyped-def]
    asked.answer = QMessageBox.StandardButton.No
    retype(page.grid.editors[IDLE], "5")
    page.save()
    assert len(asked.texts) == 1 and stored(db).profile_overrides == {} and page.dirty()


def test_enter_saves_and_escape_asks_before_discarding(qtbot, page, db, asked) -> None:  # type: ignore[no-untyped-def]
    editor = page.grid.editors[IDLE]
    retype(editor, "8")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert len(asked.texts) == 1 and stored(db).profile_overrides == {IDLE: 8}

    retype(page.grid.editors[IDLE], "7")
    asked.answer = QMessageBox.StandardButton.No
    qtbot.keyClick(page.grid.editors[IDLE], Qt.Key.Key_Escape)
    assert "确定要放弃" in asked.texts[-1] and page.grid.raw(IDLE) == "7"  # kept
    asked.answer = QMessageBox.StandardButton.Yes
    qtbot.keyClick(page.grid.editors[IDLE], Qt.Key.Key_Escape)
    assert page.grid.raw(IDLE) == "8" and not page.dirty() and stored(db).profile_overrides == {IDLE: 8}
    count = len(asked.texts)
    qtbot.keyClick(page.grid.editors[IDLE], Qt.Key.Key_Escape)  # nothing to discard: no question
    assert len(asked.texts) == count


def test_tab_goes_from_name_to_profile_to_each_parameter_then_the_buttons(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    type_text(page.center_name, "（新）")  # something to save: the buttons take part
    expected = [page.profile_box, *page.grid.focus_order(), page.revert_button, page.save_button, page.center_name]
    seen = []
    for _ in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected
    assert page.scroll.verticalScrollBar().value() > 0 or page.scroll.verticalScrollBar().maximum() == 0


def test_switching_profile_shows_its_parameters_and_keeps_typing(page, db, asked) -> None:  # type: ignore[no-untyped-def]
    retype(page.grid.editors[IDLE], "5")
    page.profile_box.setCurrentIndex(page.profile_box.findData("chongqing"))
    assert "coverage.population_per_broker" in page.grid.editors and "review.min_transfers_per_year" not in (
        page.grid.editors)
    assert page.grid.raw(IDLE) == "5"
    page.save()
    assert "政策配置：四川省 → 重庆市" in asked.texts[-1]
    info = stored(db)
    assert info.profile_name == "chongqing" and info.profile_overrides == {IDLE: 5}
    assert "重新打开程序" in page.message.text()


def test_the_window_title_status_bar_and_idle_lock_follow_a_save(qtbot, db, profile, asked) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.idle_lock import IdleLock

    window = MainWindow(signed_in_state(db, profile, "admin"))
    qtbot.addWidget(window)
    window.idle_lock = IdleLock(window.state, window)  # as app.py attaches it
    assert window.idle_lock.timer.interval() == 10 * 60_000
    page = window.settings_page
    retype(page.center_name, "大英县就业服务中心")
    retype(page.grid.editors[IDLE], "5")
    page.save()
    assert window.windowTitle() == "劳务服务管理台 — 大英县就业服务中心"
    assert window.center_label.text().strip() == "大英县就业服务中心（四川省遂宁市大英县）"
    assert window.idle_lock.timer.interval() == 5 * 60_000
    window.idle_lock.timer.stop()
    window.state.tasks.wait_idle()


def test_emptying_a_value_already_at_its_default_is_no_change(page, asked) -> None:  # type: ignore[no-untyped-def]
    page.grid.editors[IDLE].clear()
    page.grid.changed.emit()
    assert not page.dirty()
    page.save()
    assert asked.texts == [] and page.message.text() == "没有需要保存的修改。"
