"""The export dialog (写入U盘): pick a plugged-in USB stick or any folder, write, verify, report.

The drive list refreshes itself every two seconds, so a stick plugged in after the dialog opened
appears. Writing runs on the database worker with progress in the dialog and a 取消 button; core
(documents/delivery.py) guarantees that a pulled, full or read-only stick leaves no half-written
file under a final name, and the dialog says so in plain words.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import drives
from desktop.core.errors import UserError
from desktop.ui.session import AppState
from desktop.ui.tasks import show_error

# (target folder, progress(done, total, label), cancelled()) -> lines describing what was written
ExportJob = Callable[[Path, Callable[[int, int, str], None], Callable[[], bool]], Sequence[str]]
REFRESH_MS = 2000


class ExportDialog(QDialog):
    progressed = Signal(int, int, str)

    def __init__(self, state: AppState, title: str, file_names: Sequence[str], job: ExportJob,
                 parent: QWidget | None = None, *, intro: str = "") -> None:
        super().__init__(parent)
        self.state, self.job = state, job
        self.folder: Path | None = None
        self.running = False
        self.result_lines: list[str] = []
        self._cancel = threading.Event()
        self.setWindowTitle(title)
        self.resize(680, 430)

        heading = QLabel(title)
        heading.setProperty("role", "pageTitle")
        files = QLabel("要写入的文件：\n" + "\n".join(f"　• {n}" for n in file_names))
        files.setWordWrap(True)
        self.extra = QVBoxLayout()  # subclasses add fields here (backup passphrase)
        self.use_drive = QRadioButton("U盘(&U)：")
        self.use_folder = QRadioButton("其他文件夹(&D)：")
        group = QButtonGroup(self)
        group.addButton(self.use_drive)
        group.addButton(self.use_folder)
        self.drive_box = QComboBox()
        self.drive_box.setMinimumWidth(380)
        self.folder_label = QLabel("（尚未选择）")
        self.folder_label.setWordWrap(True)
        choose = QPushButton("选择文件夹(&F)…")
        choose.clicked.connect(self.choose_folder)
        grid = QGridLayout()
        grid.addWidget(QLabel("写入位置："), 0, 0, 1, 3)
        grid.addWidget(self.use_drive, 1, 0)
        grid.addWidget(self.drive_box, 1, 1)
        grid.addWidget(self.use_folder, 2, 0)
        grid.addWidget(self.folder_label, 2, 1)
        grid.addWidget(choose, 2, 2)
        grid.setColumnStretch(1, 1)

        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        self.status = QLabel(intro or "写入后会从U盘读回每个文件逐字节核对，并在旁边放一份 SHA-256 校验值清单。")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(60)
        self.start_button = QPushButton("开始写入(&S)")
        self.start_button.setProperty("role", "primary")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(files)
        layout.addLayout(self.extra)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self.progressed.connect(self._on_progress)
        self.use_drive.toggled.connect(self._update_start)
        self.drive_box.currentIndexChanged.connect(self._update_start)
        self.refresh_drives()
        self.use_drive.setChecked(self.drive_box.isEnabled())
        self.use_folder.setChecked(not self.drive_box.isEnabled())
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh_drives)
        self._timer.start(REFRESH_MS)

    # --- target ----------------------------------------------------------------------------------
    def refresh_drives(self, found: list[drives.Drive] | None = None) -> None:
        if self.running:
            return
        found = drives.removable_drives() if found is None else found
        current = self.drive_box.currentData()
        self.drive_box.blockSignals(True)
        self.drive_box.clear()
        for d in found:
            self.drive_box.addItem(d.describe(), str(d.path))
        if not found:
            self.drive_box.addItem("（没有找到U盘：请插入U盘，稍等片刻会出现在这里）", None)
        self.drive_box.setEnabled(bool(found))
        if current is not None and (index := self.drive_box.findData(current)) >= 0:
            self.drive_box.setCurrentIndex(index)
        self.drive_box.blockSignals(False)
        if found and self.folder is None:
            self.use_drive.setChecked(True)  # a stick was plugged in and no folder was chosen
        self._update_start()

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择写入的文件夹", str(self.folder or Path.home()))
        if path:
            self.set_folder(Path(path))

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        self.folder_label.setText(str(folder))
        self.use_folder.setChecked(True)
        self._update_start()

    def target(self) -> Path | None:
        if self.use_drive.isChecked():
            data = self.drive_box.currentData()
            return Path(data) if data else None
        return self.folder

    def _update_start(self, *_args: Any) -> None:
        self.start_button.setEnabled(not self.running and self.target() is not None)

    # --- writing ---------------------------------------------------------------------------------
    def check_inputs(self) -> str | None:
        """A reason not to start yet (subclasses check their own fields)."""
        return None

    def start(self) -> None:
        folder = self.target()
        if folder is None or self.running:
            return
        problem = self.check_inputs()
        if problem:
            self._say(problem, error=True)
            return
        self.running = True
        self._cancel.clear()
        self._update_start()
        self.close_button.setText("取消")
        self.bar.setValue(0)
        self._say(f"正在写入“{folder}”……")
        job = self.job
        emit, cancelled = self.progressed.emit, self._cancel.is_set
        self.state.tasks.run(lambda _p: list(job(folder, emit, cancelled)), on_done=self._done,
                             on_error=self._failed, parent=self, quiet=True)

    def _on_progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.bar.setValue(int(done * 100 / total))
        if label:
            self.status.setText(label)

    def _finish(self) -> None:
        self.running = False
        self.close_button.setText("关闭")
        self._update_start()

    def _done(self, lines: list[str]) -> None:
        self._finish()
        self.result_lines = lines
        self.bar.setValue(100)
        self._say("完成：文件已从U盘读回逐一核对无误。拔出前请先在任务栏“安全删除硬件”中弹出U盘。\n" + "\n".join(lines))
        self.start_button.setEnabled(False)
        self.close_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.bar.setValue(0)
        if isinstance(exc, UserError):
            self._say(str(exc), error=True)
        else:
            show_error(self, exc)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def reject(self) -> None:
        if self.running:
            if QMessageBox.question(self, "取消写入", "正在写入，要取消吗？已开始写的文件不会留在U盘上。") == \
                    QMessageBox.StandardButton.Yes:
                self._cancel.set()
                self._say("正在取消……")
            return
        super().reject()
