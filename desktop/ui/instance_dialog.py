"""When another LaborDesk has the database open: say who, then wait for it or open read-only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.core.db import instance


class InUseDialog(QDialog):
    """Result: ``FREE`` (the other program has exited: open normally), ``READ_ONLY``, or rejected."""

    FREE = 10
    READ_ONLY = 11
    POLL_MS = 1000

    def __init__(self, problem: instance.DatabaseInUse, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database: Path = problem.database
        self.setWindowTitle("数据库正在使用中")
        self.setMinimumWidth(520)
        text = QLabel(str(problem))
        text.setWordWrap(True)
        self.status = QLabel("")
        self.status.setProperty("role", "hint")
        self.wait_button = QPushButton("等待对方退出(&W)")
        self.wait_button.setDefault(True)
        self.read_only_button = QPushButton("只读打开(&R)")
        quit_button = QPushButton("退出")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.wait_button, self.read_only_button, quit_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.timer = QTimer(self)
        self.timer.setInterval(self.POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.wait_button.clicked.connect(self.start_waiting)
        self.read_only_button.clicked.connect(lambda: self.done(self.READ_ONLY))
        quit_button.clicked.connect(self.reject)

    def start_waiting(self) -> None:
        self.wait_button.setEnabled(False)
        self.status.setText("正在等待……对方退出后会自动打开（也可以改为只读打开，或退出）。")
        self.timer.start()
        self.poll()

    def poll(self) -> None:
        if instance.is_free(self.database):
            self.timer.stop()
            self.done(self.FREE)
