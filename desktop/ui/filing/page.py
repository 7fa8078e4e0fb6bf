"""The annual filing page (年度备案): check the year's list on screen, write it onto a USB stick,
and — at a city office — merge the counties' files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.services import filing
from desktop.core.services.filing_export import export_filing
from desktop.ui.filing.export_dialog import ExportDialog
from desktop.ui.paged_model import Column, PagedTableModel, service_model
from desktop.ui.session import AppState
from desktop.ui.widgets import paged_table_view

COLUMNS: list[Column[filing.FilingPreviewRow]] = [
    Column("序号", lambda r: r.seq),
    Column("姓名", lambda r: r.name, "name"),
    Column("性别", lambda r: r.gender),
    Column("身份证号码", lambda r: r.id_number_masked),
    Column("学历水平", lambda r: r.education),
    Column("参加培训时间", lambda r: r.training),
    Column("认定时间", lambda r: f"{r.certified_on.year}年{r.certified_on.month}月{r.certified_on.day}日", "certified_on"),
    Column("主要服务区域（精确到村）", lambda r: r.service_area, "service_area"),
    Column("联系电话", lambda r: r.phone_masked),
    Column("备注", lambda r: r.remarks),
]
WIDTHS = (45, 72, 42, 178, 76, 95, 128, 196, 108)


class FilingPage(QWidget):
    title = "年度备案"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        rules = filing.filing_rules(state.profile)
        heading = QLabel(f"年度备案：{rules.form_title}")
        heading.setProperty("role", "pageTitle")
        self.reminder = QLabel()
        self.reminder.setWordWrap(True)
        self.reminder.setStyleSheet("color: #b36b00; font-weight: bold;")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(clock.today().year)
        self.year.setSuffix(" 年")
        self.scope = QComboBox()
        for key, label in filing.SCOPES.items():
            self.scope.addItem(label, key)
        self.reviewer = QLineEdit()
        self.reviewer.setPlaceholderText("审核人姓名（印在表尾）")
        self.reviewer.setMaximumWidth(160)
        self.export_button = QPushButton("写入U盘(&E)…")
        self.export_button.setProperty("role", "primary")
        self.merge_button = QPushButton("合并各县备案表(&M)…")
        can = state.user.can(*filing.EXPORT_ROLES)
        for b in (self.export_button, self.merge_button):
            b.setEnabled(can)
            b.setToolTip("" if can else "审计账号只能查看，不能导出。")
        bar = QHBoxLayout()
        for label, widget in (("年度：", self.year), ("范围：", self.scope), ("审核人：", self.reviewer)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.merge_button)
        bar.addWidget(self.export_button)
        self.model: PagedTableModel[filing.FilingPreviewRow, filing.FilingQuery] = service_model(
            state, COLUMNS, filing.count_filing, filing.preview_filing, filing.FilingQuery(self.year.value()))
        self.table = paged_table_view(self.model, WIDTHS)
        self.table.verticalHeader().setVisible(False)  # 序号 is the first column
        self.count_label = QLabel()
        self.count_label.setProperty("role", "hint")
        self.count_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.reminder)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.year.valueChanged.connect(self.apply)
        self.scope.currentIndexChanged.connect(self.apply)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.export_button.clicked.connect(self.open_export)
        self.merge_button.clicked.connect(self.open_consolidation)
        self.reload()

    def query(self) -> filing.FilingQuery:
        return filing.FilingQuery(self.year.value(), self.scope.currentData() or "all")

    def reload(self) -> None:
        text = filing.filing_reminder(clock.today(), self.state.profile)
        self.reminder.setText(f"⚠ {text}" if text else "")
        self.reminder.setVisible(bool(text))
        self.apply()

    def apply(self) -> None:
        q = self.query()
        self.model.set_query(replace(self.model.query, year=q.year, scope=q.scope, offset=0))

    def _update_count(self) -> None:
        total = self.model.total
        self.export_button.setEnabled(total > 0 and self.state.user.can(*filing.EXPORT_ROLES))
        self.count_label.setText(
            f"{self.year.value()}年备案共 {total} 人（已显示 {self.model.rowCount()} 人）。屏幕上的身份证号码和电话已部分隐藏；"
            "写入U盘的备案表是正式报表，列出完整号码，导出会记入审计日志。")

    def file_names(self) -> list[str]:
        rules = filing.filing_rules(self.state.profile)
        stem = f"{self.year.value()}年{rules.form_title}（{filing.place_of(self.state.center.county_code)}）"
        return [f"{stem}.xlsx", f"{stem}.pdf", f"{stem}.sha256.txt（校验值清单）"]

    def export_dialog(self) -> ExportDialog:
        state, query, reviewer = self.state, self.query(), self.reviewer.text()

        def job(folder: Path, progress, cancelled):  # type: ignore[no-untyped-def]
            prepared, delivery = export_filing(state.db, state.user, state.profile, state.center, query, folder,
                                               reviewed_by=reviewer, progress=progress, cancel=cancelled)
            return [f"{query.year}年度备案 {len(prepared.document.rows)} 人。", *delivery.lines()]

        return ExportDialog(state, "备案表写入U盘", self.file_names(), job, self)

    def open_export(self) -> None:
        self.export_dialog().exec()

    def open_consolidation(self) -> None:
        from desktop.ui.filing.consolidation_dialog import ConsolidationDialog

        ConsolidationDialog(self.state, self).exec()
