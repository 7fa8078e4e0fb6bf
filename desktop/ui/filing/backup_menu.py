"""The 备份 menu and the automatic backups while the program runs (and at exit)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QApplication, QMainWindow, QMenuBar, QMessageBox

from desktop.core import clock
from desktop.core.backup import local
from desktop.core.models.account import Role
from desktop.ui.session import AppState

log = logging.getLogger(__name__)
CHECK_EVERY_MS = 5 * 60 * 1000  # how often to ask whether a backup is due (the interval is the profile's)


class BackupMenu(QObject):
    """Owns the menu actions and the timer; ``on_exit`` is called when the main window closes."""

    def __init__(self, window: QMainWindow, state: AppState, menubar: QMenuBar) -> None:
        super().__init__(window)
        self.window, self.state = window, state
        self.enabled = state.db.path is not None  # PostgreSQL: the server's backups
        self.last_message = ""
        menu = menubar.addMenu("备份(&B)")
        self.usb_action = QAction("备份到U盘(&U)（加密）…", self)
        self.now_action = QAction("立即备份到本机(&N)", self)
        self.folder_action = QAction("打开本机备份文件夹(&O)", self)
        self.restore_action = QAction("恢复备份(&R)…（管理员）", self)
        for action in (self.usb_action, self.now_action, self.folder_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.restore_action)
        can_backup = state.user.role != Role.AUDITOR and self.enabled
        self.usb_action.setEnabled(can_backup)
        self.now_action.setEnabled(can_backup)
        self.folder_action.setEnabled(self.enabled)
        self.restore_action.setEnabled(state.user.role == Role.ADMIN and self.enabled)
        self.usb_action.triggered.connect(self.backup_to_usb)
        self.now_action.triggered.connect(self.backup_now)
        self.folder_action.triggered.connect(self.open_folder)
        self.restore_action.triggered.connect(self.restore)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        if self.enabled:
            self.timer.start(CHECK_EVERY_MS)

    def _report(self, text: str) -> None:
        self.last_message = text
        self.window.statusBar().showMessage(text, 15_000)

    def tick(self) -> None:
        """A backup in the background when one is due; failures only show in the status bar."""
        state, rules = self.state, self.state.profile.backup
        self.state.tasks.run(lambda _p: local.auto_backup(state.db, rules, state.user.username), quiet=True,
                             on_done=lambda r: r and self._report(f"已自动备份（{clock.now():%H:%M}）：{r.made.path.name}"),
                             on_error=lambda e: self._report(f"⚠ 自动备份没有成功：{e}"))

    def backup_now(self) -> None:
        state, rules = self.state, self.state.profile.backup
        self.state.tasks.run(lambda _p: local.make_backup(state.db, rules, state.user.username, reason="手动"),
                             on_done=lambda r: self._report(f"已备份到本机：{r.made.path}"),
                             parent=self.window, label="正在备份……")

    def open_folder(self) -> None:
        path = self.state.db.path
        if path is not None:
            folder = local.auto_folder(path)
            folder.mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def backup_to_usb(self) -> None:
        from desktop.ui.filing.backup_dialogs import UsbBackupDialog

        UsbBackupDialog(self.state, self.window).exec()

    def restore(self) -> None:
        from desktop.ui.filing.backup_dialogs import RestoreDialog

        RestoreDialog(self.state, self._restored, self.window).exec()

    def _restored(self, message: str) -> None:
        self.enabled = False  # the database was replaced and closed: no exit backup of it
        self.timer.stop()
        QMessageBox.information(self.window, "已恢复", message)
        QApplication.quit()

    def on_exit(self) -> None:
        """The exit backup, when the data changed since the last copy (on the GUI thread: the worker is idle)."""
        if not self.enabled:
            return
        self.timer.stop()
        try:
            local.auto_backup(self.state.db, self.state.profile.backup, self.state.user.username, at_exit=True)
        except Exception:  # a failed exit backup must not stop the program from closing
            log.exception("exit backup failed")
