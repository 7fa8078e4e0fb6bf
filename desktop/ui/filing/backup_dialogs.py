"""备份到U盘 (an encrypted copy, through the export dialog) and 恢复备份 (administrators only)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.backup.restore import CheckedBackup
from desktop.core.backup.sealed import BackupRefused, is_sealed, read_meta
from desktop.core.errors import UserError
from desktop.core.services import backups
from desktop.core.services.filing import place_of
from desktop.ui.filing.export_dialog import ExportDialog
from desktop.ui.session import AppState
from desktop.ui.tasks import show_error


def _password_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class UsbBackupDialog(ExportDialog):
    """The export dialog with a passphrase (typed twice); the file is sealed before it is written."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        self.passphrase = _password_field("至少 8 位，忘了就无法恢复")
        self.again = _password_field("再输入一次")
        place = place_of(state.center.county_code) or "本中心"
        names = [f"劳务服务管理台备份-{place}-<日期时间>.ldbackup（加密）", "同名 .sha256.txt（校验值清单）"]

        def job(folder: Path, progress, cancelled):  # type: ignore[no-untyped-def]
            result = backups.backup_to_folder(state.db, state.user, state.profile, state.center, folder,
                                              self.passphrase.text(), progress=progress, cancel=cancelled)
            return result.delivery.lines()

        super().__init__(state, "备份到U盘（加密）", names, job, parent,
                         intro="备份含全部身份证号、银行账号，用口令加密后写入；写后读回核对。恢复时需要同一个口令。")
        form = QFormLayout()
        form.addRow("备份口令(&P)：", self.passphrase)
        form.addRow("确认口令：", self.again)
        self.extra.addLayout(form)
        self.passphrase.setFocus()

    def check_inputs(self) -> str | None:
        if self.passphrase.text() != self.again.text():
            return "两次输入的口令不一致，请重新输入。"
        return backups.passphrase_problem(self.passphrase.text(), self.state.profile)


class RestoreDialog(QDialog):
    """Pick a backup, check it completely, then — after a confirmation — replace the database."""

    def __init__(self, state: AppState, on_restored: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.on_restored = state, on_restored
        self.path: Path | None = None
        self.checked: CheckedBackup | None = None
        self.setWindowTitle("恢复备份")
        self.resize(640, 360)
        heading = QLabel("恢复备份（管理员）")
        heading.setProperty("role", "pageTitle")
        warn = QLabel("恢复会用备份中的数据替换当前的全部数据。恢复前会先检查备份（口令、完整性、版本），"
                      "并把当前数据库另存一份；恢复后程序会关闭，请重新打开。")
        warn.setWordWrap(True)
        self.file_label = QLabel("尚未选择备份文件。")
        self.file_label.setWordWrap(True)
        choose = QPushButton("选择备份文件(&F)…")
        choose.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.file_label, 1)
        row.addWidget(choose)
        self.passphrase = _password_field("加密备份的口令")
        form = QFormLayout()
        form.addRow("备份口令(&P)：", self.passphrase)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.check_button = QPushButton("检查备份(&C)")
        self.check_button.setDefault(True)
        self.check_button.setEnabled(False)
        self.check_button.clicked.connect(self.check)
        self.restore_button = QPushButton("恢复(&R)…")
        self.restore_button.setProperty("role", "danger")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.check_button, self.restore_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        for w in (heading, warn):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(self.status, 1)
        layout.addLayout(buttons)
        self.passphrase.textChanged.connect(self._forget)

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", "", "劳务服务管理台备份 (*.ldbackup *.db)")
        if path:
            self.set_file(Path(path))

    def set_file(self, path: Path) -> None:
        self._forget()
        self.path = path
        text = str(path)
        if is_sealed(path):
            try:
                meta = read_meta(path)
                text += f"\n加密备份，{meta.get('center', '')}，备份时间 {meta.get('created_at', '')}"
            except (BackupRefused, OSError) as exc:
                text += f"\n{exc}"
        self.passphrase.setEnabled(is_sealed(path))
        self.file_label.setText(text)
        self.check_button.setEnabled(True)

    def _forget(self, *_args: object) -> None:
        if self.checked is not None:
            self.checked.discard()
        self.checked = None
        self.restore_button.setEnabled(False)

    def check(self) -> None:
        if self.path is None:
            return
        self._forget()
        path, passphrase, state = self.path, self.passphrase.text(), self.state
        self.status.setText("正在解密并检查……")
        self.state.tasks.run(
            lambda p: backups.check_for_restore(state.db, state.user, path, passphrase, progress=p.update),
            on_done=self._checked, on_error=self._failed, parent=self, label="正在检查备份……")

    def _checked(self, checked: CheckedBackup) -> None:
        self.checked = checked
        self.status.setStyleSheet("")
        self.status.setText(f"检查通过：{checked.describe()}\n可以恢复。")
        self.restore_button.setEnabled(True)
        self.restore_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.status.setStyleSheet("color: #b00020;")
            self.status.setText(f"{exc}\n没有替换任何数据。")
        else:
            show_error(self, exc)

    def restore(self) -> None:
        checked = self.checked
        if checked is None:
            return
        answer = QMessageBox.question(
            self, "确认恢复", f"用{checked.describe()}\n\n替换当前的全部数据吗？当前数据库会先另存一份，恢复后程序将关闭。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.checked = None  # handed over: restore() discards it on failure
        state = self.state
        self.state.tasks.run(lambda _p: backups.restore(state.db, state.user, checked), on_done=self._restored,
                             on_error=self._failed, parent=self, label="正在恢复……")

    def _restored(self, result: backups.RestoreResult) -> None:
        self.accept()
        self.on_restored(f"已从备份恢复。恢复前的数据库已另存为：\n{result.kept_copy}\n\n程序将关闭，请重新打开并登录。")

    def reject(self) -> None:
        self._forget()
        super().reject()
