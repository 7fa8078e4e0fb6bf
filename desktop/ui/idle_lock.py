"""Locking the screen after the profile's idle minutes (等保: 会话锁定); unlock with the password.

Whatever the clerk had open stays open underneath: the lock is a modal dialog over everything.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.core.services import accounts
from desktop.ui.session import AppState

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}


class LockDialog(QDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("屏幕已锁定")
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        minutes = state.profile.security.idle_lock_minutes
        info = QLabel(f"超过 {minutes} 分钟没有操作，屏幕已锁定，未保存的内容仍然保留。\n"
                      f"请 {state.user.display_name}（{state.user.username}）输入密码解锁。")
        info.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setProperty("role", "fieldError")
        unlock = QPushButton("解锁")
        unlock.setDefault(True)
        unlock.clicked.connect(self.try_unlock)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addWidget(unlock)

    def try_unlock(self) -> None:
        user_id, password = self.state.user.id, self.password.text()
        with self.state.db.event_session(self.state.user.username) as s:
            ok = accounts.verify_password(s, user_id, password)
        if ok:
            self.accept()
            return
        self.password.clear()
        self.message.setText("密码不正确。")

    def reject(self) -> None:  # Esc must not unlock
        return


class IdleLock(QObject):
    """Watches user input application-wide and shows the lock after the idle time."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, state: AppState, window: QWidget, idle_ms: int | None = None) -> None:
        super().__init__(window)
        self.state = state
        self.window = window
        self.dialog: LockDialog | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(idle_ms or state.profile.security.idle_lock_minutes * 60_000)
        self.timer.timeout.connect(self.lock)
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.dialog is None and event.type() in _ACTIVITY:
            self.timer.start()
        return False

    def lock(self) -> None:
        if self.dialog is not None:
            return
        self.dialog = LockDialog(self.state, self.window)
        self.dialog.finished.connect(self._unlocked)
        self.dialog.open()
        self.locked.emit()

    def _unlocked(self) -> None:
        self.dialog = None
        self.timer.start()
        self.unlocked.emit()
