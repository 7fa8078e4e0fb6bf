"""Importing an Excel sheet from the GUI: check every row first, show the report, then write.

Works with every core importer that takes (path, dry_run, skip_bad, progress, cancel) and returns a
report with ``bad_rows``, ``warnings``, ``total_rows``, ``imported`` and ``lines()``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.session import AppState
from desktop.ui.tasks import Progress

# (path, dry_run, skip_bad, progress(done, total), cancel() -> bool) -> report
Importer = Callable[[Path, bool, bool, Callable[[int, int], None], Callable[[], bool]], Any]


class ImportDialog(QDialog):
    def __init__(self, state: AppState, title: str, columns_hint: str, importer: Importer,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.importer = state, importer
        self.path: Path | None = None
        self.report: Any = None
        self.imported = 0
        self.setWindowTitle(title)
        self.resize(860, 560)
        hint = QLabel(f"表头应包含：{columns_hint}。先检查每一行，确认没有问题再写入；有问题的行会列出Excel行号和原因。")
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        self.file_label = QLabel("尚未选择文件。")
        choose = QPushButton("选择Excel文件(&F)…")
        choose.clicked.connect(self.choose)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QTableWidget(0, 4)
        self.problems.setHorizontalHeaderLabels(["Excel行号", "列", "问题", "类别"])
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.horizontalHeader().setStretchLastSection(False)
        self.problems.setColumnWidth(0, 80)
        self.problems.setColumnWidth(1, 120)
        self.problems.setColumnWidth(2, 520)
        self.import_all = QPushButton("全部导入")
        self.import_all.setProperty("role", "primary")
        self.import_good = QPushButton("只导入正确的行")
        close = QPushButton("关闭")
        for b in (self.import_all, self.import_good):
            b.setEnabled(False)
        self.import_all.clicked.connect(lambda: self.run(skip_bad=False))
        self.import_good.clicked.connect(lambda: self.run(skip_bad=True))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_good)
        buttons.addWidget(self.import_all)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择Excel文件", "", "Excel 文件 (*.xlsx *.xlsm)")
        if path:
            self.check(Path(path))

    def _job(self, path: Path, dry_run: bool, skip_bad: bool):  # type: ignore[no-untyped-def]
        def job(progress: Progress) -> Any:
            return self.importer(path, dry_run, skip_bad, lambda d, t: progress.update(d, t), lambda: progress.cancelled)
        return job

    def check(self, path: Path) -> None:
        """Dry run: every row checked, nothing written."""
        self.path = path
        self.file_label.setText(str(path))
        self.summary.setText("正在检查……")
        for b in (self.import_all, self.import_good):
            b.setEnabled(False)
        self.state.tasks.run(self._job(path, True, False), on_done=self._checked, parent=self,
                             label=f"正在检查“{path.name}”……", cancellable=True)

    def _checked(self, report: Any) -> None:
        self.report = report
        self._show(report)
        bad = len({p.row for p in report.bad_rows})
        good = report.total_rows - bad
        self.import_all.setEnabled(bad == 0 and report.total_rows > 0)
        self.import_good.setEnabled(0 < bad and good > 0)
        self.import_good.setText(f"只导入正确的 {good} 行")
        if bad:
            self.summary.setText(f"共 {report.total_rows} 行，其中 {bad} 行有问题（见下表）。可以在Excel里改好后重新选择文件，"
                                 f"或只导入正确的 {good} 行。")
        elif report.total_rows:
            self.summary.setText(f"共 {report.total_rows} 行，检查全部通过。点“全部导入”写入。")

    def _show(self, report: Any) -> None:
        rows = [(p, "问题") for p in report.bad_rows] + [(p, "提醒") for p in report.warnings]
        self.problems.setRowCount(len(rows))
        for r, (p, kind) in enumerate(rows):
            for c, value in enumerate((str(p.row) if p.row else "", p.column, p.reason, kind)):
                self.problems.setItem(r, c, QTableWidgetItem(value))

    def run(self, skip_bad: bool) -> None:
        assert self.path is not None
        for b in (self.import_all, self.import_good):
            b.setEnabled(False)
        self.state.tasks.run(self._job(self.path, False, skip_bad), on_done=self._done, parent=self,
                             label=f"正在导入“{self.path.name}”……", cancellable=True)

    def _done(self, report: Any) -> None:
        self.report = report
        self.imported = report.imported
        self._show(report)
        self.summary.setText("\n".join(report.lines()[-2:]))
        self.import_all.setEnabled(False)
        self.import_good.setEnabled(False)
