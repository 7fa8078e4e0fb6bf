"""The 账号管理 page: only administrators see it; create, disable, unlock, reset through the dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop.core.models.account import Role
from desktop.core.services import account_admin as svc
from desktop.ui.accounts.dialogs import DisableDialog, NewAccountDialog, ResetPasswordDialog
from desktop.ui.accounts.page import AccountsPage
from desktop.ui.main_window import MainWindow
from tests.ui_helpers import signed_in_state, type_text


def nav_titles(window: MainWindow) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


@pytest.mark.parametrize(("who", "visible"), [("admin", True), ("clerk", False), ("reviewer", False)])
def test_only_admins_see_account_management(qtbot, db, profile, who, visible) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(signed_in_state(db, profile, who))
    qtbot.addWidget(window)
    assert ("账号管理" in nav_titles(window)) is visible
    menu_texts = [a.text() for m in window.menuBar().actions() for a in m.menu().actions()]
    assert ("账号管理(&M)" in menu_texts) is visible


def test_admin_creates_disables_and_resets_through_the_page(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: pytest.fail(f"{title}: {text}"))
    state = signed_in_state(db, profile, "admin")
    page = AccountsPage(state)
    qtbot.addWidget(page)
    assert [a.username for a in page.rows] == ["admin", "clerk", "reviewer"]
    assert not page.disable_button.isEnabled() and not page.reset_button.isEnabled()  # admin itself is selected

    dialog = NewAccountDialog(state, page)
    qtbot.addWidget(dialog)
    type_text(dialog.username, "shenji")
    type_text(dialog.display_name, "赵审计")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.AUDITOR.value))
    dialog.submit()
    assert "请" in dialog.message.text() or "密码" in dialog.message.text()  # no password yet: refused in place
    next(b for b in dialog.findChildren(QPushButton) if b.text() == "生成").click()
    assert svc.generate_temporary_password and len(dialog.password.text()) >= 10
    dialog.submit()
    assert dialog.created is not None and dialog.created.role is Role.AUDITOR
    page.reload(dialog.created.id)
    assert page.current().username == "shenji" and "须改密码" in page.table.item(page.table.currentRow(), 3).text()
    assert page.disable_button.isEnabled() and not page.unlock_button.isEnabled()

    disable = DisableDialog(state, page.current(), page)
    qtbot.addWidget(disable)
    disable.submit()
    assert "停用原因" in disable.message.text()
    type_text(disable.reason, "试用结束")
    disable.submit()
    page.reload()
    assert page.current().disabled and page.disable_button.text() == "启用"
    page.toggle_disabled()  # enabling needs no reason
    assert not page.current().disabled

    reset = ResetPasswordDialog(state, page.current(), page)
    qtbot.addWidget(reset)
    type_text(reset.password, "Another9!x")
    reset.submit()
    assert reset.result() == reset.DialogCode.Accepted
