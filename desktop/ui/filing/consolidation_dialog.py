"""Merging the counties' filings (合并各县备案表): read, decide each conflict, write the city's filing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.documents.delivery import deliver
from desktop.core.errors import UserError
from desktop.core.idcard import mask
from desktop.core.services import filing
from desktop.core.services.city_filing import city_filing, record_consolidation
from desktop.core.services.consolidation import Consolidation, merged_rows, read_filings, value_text
from desktop.ui.filing.export_dialog import ExportDialog
from desktop.ui.session import AppState

UNDECIDED = "（请选择）"


class ConsolidationDialog(QDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.result: Consolidation | None = None
        self.setWindowTitle("合并各县备案表（市州汇总）")
        self.resize(1180, 680)
        heading = QLabel("合并各县备案表")
        heading.setProperty("role", "pageTitle")
        hint = QLabel("添加各县（市、区）报来的备案信息表（.xlsx，LaborDesk 导出的或按附件3格式手工填写的）。"
                      "同一身份证号码内容相同的自动合并；内容不同的列在“待决定”中，由您逐人决定采用哪一份。")
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        self.files = QListWidget()
        self.files.setMaximumHeight(96)
        add = QPushButton("添加文件(&A)…")
        remove = QPushButton("移除")
        add.clicked.connect(self.choose_files)
        remove.clicked.connect(self.remove_selected)
        side = QVBoxLayout()
        side.addWidget(add)
        side.addWidget(remove)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.files, 1)
        top.addLayout(side)
        self.summary = QLabel("尚未添加文件。")
        self.summary.setWordWrap(True)

        self.conflicts = QTableWidget(0, 5)
        self.conflicts.setHorizontalHeaderLabels(["身份证号码", "姓名", "不一致的项目", "各文件的内容", "决定"])
        self.conflicts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflicts.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for col, width in enumerate((172, 70, 110, 560)):
            self.conflicts.setColumnWidth(col, width)
        self.conflicts.verticalHeader().setVisible(False)
        self.conflicts.setWordWrap(True)
        self.conflicts.horizontalHeader().setStretchLastSection(True)
        self.problems = QTableWidget(0, 4)
        self.problems.setHorizontalHeaderLabels(["文件", "Excel行号", "列", "问题"])
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for col, width in enumerate((220, 75, 130)):
            self.problems.setColumnWidth(col, width)
        self.problems.verticalHeader().setVisible(False)
        self.problems.setWordWrap(True)
        self.problems.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.conflicts, "待决定（0）")
        self.tabs.addTab(self.problems, "有问题的行（0）")

        self.skip_bad = QCheckBox("只合并正确的行（有问题的行不进入汇总表，列在“合并说明”中）")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.city = QLineEdit(filing.city_of(state.center.county_code))
        self.city.setMaximumWidth(120)
        options = QHBoxLayout()
        options.addWidget(self.skip_bad)
        options.addStretch(1)
        for label, widget in (("年度：", self.year), ("填报市（州）：", self.city)):
            options.addWidget(QLabel(label))
            options.addWidget(widget)
        self.skip_bad.toggled.connect(self._update_write)
        self.message = QLabel()
        self.message.setProperty("role", "fieldError")
        self.message.setWordWrap(True)
        self.write_button = QPushButton("生成汇总表并写入(&W)…")
        self.write_button.setProperty("role", "primary")
        self.write_button.setEnabled(False)
        self.write_button.clicked.connect(self.open_export)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.write_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        for part in (heading, hint):
            layout.addWidget(part)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(options)
        layout.addLayout(buttons)

    # --- files -----------------------------------------------------------------------------------
    def paths(self) -> list[Path]:
        return [Path(self.files.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.files.count())]

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "选择各县的备案信息表", "", "Excel 文件 (*.xlsx *.xlsm)")
        if names:
            self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path]) -> None:
        known = {str(p) for p in self.paths()}
        for path in paths:
            if str(path) not in known:
                self.files.addItem(path.name)
                self.files.item(self.files.count() - 1).setData(Qt.ItemDataRole.UserRole, str(path))
                self.files.item(self.files.count() - 1).setToolTip(str(path))
        self.read()

    def remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self.read()

    def read(self) -> None:
        paths = self.paths()
        self.write_button.setEnabled(False)
        if not paths:
            self.result = None
            self._show(None)
            return
        self.summary.setText("正在读取……")
        self.state.tasks.run(lambda progress: read_filings(paths, progress=progress.update, cancel=lambda: progress.cancelled),
                             on_done=self._show, parent=self, label="正在读取各县的备案表……", cancellable=True)

    # --- showing and deciding --------------------------------------------------------------------
    def _show(self, cons: Consolidation | None) -> None:
        self.result = cons
        self.summary.setText(cons.summary() if cons else "尚未添加文件。")
        m = self.state.profile.masking
        conflicts = cons.conflicts if cons else ()
        self.conflicts.setRowCount(len(conflicts))
        for r, c in enumerate(conflicts):
            shown = "\n".join(f"第{k}份（{v.where()}）：" + "，".join(f"{t}={value_text(v.record, t) or '空'}"
                                                                  for t in c.fields) for k, v in enumerate(c.versions, 1))
            for col, text in enumerate((mask(c.id_number, m.id_head, m.id_tail, m.mask_char), c.name,
                                        "、".join(c.fields), shown)):
                self.conflicts.setItem(r, col, QTableWidgetItem(text))
            box = QComboBox()
            box.addItem(UNDECIDED, -2)
            for k, v in enumerate(c.versions):
                box.addItem(f"采用第{k + 1}份（{v.sources[0][0]}）", k)
            box.addItem("暂不上报（待核实）", -1)
            box.currentIndexChanged.connect(self._update_write)
            self.conflicts.setCellWidget(r, 4, box)
        problems = cons.problems if cons else ()
        self.problems.setRowCount(len(problems))
        for r, p in enumerate(problems):
            for col, text in enumerate((p.file, str(p.row) if p.row else "（整个文件）", p.column, p.reason)):
                self.problems.setItem(r, col, QTableWidgetItem(text))
        self.tabs.setTabText(0, f"待决定（{len(conflicts)}）")
        self.tabs.setTabText(1, f"有问题的行（{len(problems)}）")
        if cons is not None:
            if cons.year:
                self.year.setValue(cons.year)
            if cons.city:
                self.city.setText(cons.city)
            self.tabs.setCurrentIndex(0 if conflicts or not problems else 1)
        self._update_write()

    def decisions(self) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for r, c in enumerate(self.result.conflicts if self.result else ()):
            box = self.conflicts.cellWidget(r, 4)
            value = box.currentData() if isinstance(box, QComboBox) else -2
            if value != -2:
                out[c.id_number] = None if value == -1 else int(value)
        return out

    def choose(self, row: int, version: int | None) -> None:
        """Pick a version (0-based) or leave out (None) for conflict ``row`` — as the combo box does."""
        box = self.conflicts.cellWidget(row, 4)
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData(-1 if version is None else version))

    def _update_write(self, *_args: object) -> None:
        self.message.setText("")
        if self.result is None:
            self.write_button.setEnabled(False)
            return
        try:
            merged_rows(self.result, self.decisions(), skip_bad=self.skip_bad.isChecked())
        except UserError as exc:
            self.message.setText(str(exc))
            self.write_button.setEnabled(False)
            return
        self.write_button.setEnabled(bool(self.result.people))

    # --- writing ---------------------------------------------------------------------------------
    def export_dialog(self) -> ExportDialog | None:
        cons, decisions = self.result, self.decisions()
        if cons is None:
            return None
        state = self.state
        try:
            preview = city_filing(cons, decisions, user=state.user, profile=state.profile, center=state.center,
                                  year=self.year.value(), city=self.city.text(), skip_bad=self.skip_bad.isChecked())
        except UserError as exc:
            self.message.setText(str(exc))
            return None

        def job(folder: Path, progress, cancelled):  # type: ignore[no-untyped-def]
            delivery = deliver(folder, preview.files(), manifest_name=f"{preview.stem}.sha256.txt",
                               progress=progress, cancel=cancelled)
            record_consolidation(state.db, state.user, cons, preview, str(folder))
            return [f"汇总 {len(preview.document.rows)} 人（决定冲突 {preview.decided} 人）。", *delivery.lines()]

        names = [f"{preview.stem}.xlsx（含“合并说明”工作表）", f"{preview.stem}.pdf", f"{preview.stem}.sha256.txt"]
        return ExportDialog(state, "汇总表写入U盘", names, job, self)

    def open_export(self) -> None:
        dialog = self.export_dialog()
        if dialog is not None:
            dialog.exec()
