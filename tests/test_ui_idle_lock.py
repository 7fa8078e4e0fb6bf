"""The screen locks after the idle time, keeps the work underneath, and unlocks only with the password."""

from __future__ import annotations

from desktop.ui.applications.form import ApplicationForm
from desktop.ui.idle_lock import IdleLock
from tests.conftest import ADMIN_PASSWORD
from tests.ui_helpers import signed_in_state, type_text


def test_idle_lock_and_unlock(qtbot, db, profile) -> None:  # type: ignore[no-untyped-def]
    state = signed_in_state(db, profile)
    form = ApplicationForm(state)
    qtbot.addWidget(form)
    form.show()
    type_text(form.name, "未保存的姓名")
    assert profile.security.idle_lock_minutes == 10
    lock = IdleLock(state, form, idle_ms=50)
    with qtbot.waitSignal(lock.locked, timeout=2_000):
        pass
    assert lock.dialog is not None and lock.dialog.isVisible()
    lock.dialog.reject()  # Esc does not unlock
    assert lock.dialog is not None
    lock.dialog.password.setText("wrong-password")
    lock.dialog.try_unlock()
    assert lock.dialog is not None and "不正确" in lock.dialog.message.text()
    lock.dialog.password.setText(ADMIN_PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=2_000):
        lock.dialog.try_unlock()
    assert lock.dialog is None
    assert form.name.text() == "未保存的姓名"  # the work in progress is kept
    form.dirty = False
