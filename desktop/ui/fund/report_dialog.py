"""The fund's reports from the GUI: pick the report, its account or agreement and period, then
print, save as PDF or export to Excel (the same files as ``labordesk fund …``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.services import fund_documents, fund_partners, fund_queries
from desktop.core.services.fund_reports import default_period
from desktop.ui.printing import PdfActions
from desktop.ui.session import AppState
from desktop.ui.widgets import date_edit, pydate

REPORTS = (
    ("statement", "共管账户对账单"),
    ("outstanding", "垫支未收回明细（按劳动力、按村）"),
    ("safety", "劳务合作金安全情况表"),
    ("distribution", "劳务经济收益金分配表"),
)


class ReportDialog(QDialog):
    def __init__(self, state: AppState, kind: str = "statement", account_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("合作金报表")
        self.resize(560, 320)
        self.kind = QComboBox()
        for key, label in REPORTS:
            self.kind.addItem(label, key)
        self.accounts = state.read(lambda s: fund_queries.account_summaries(s, state.profile))
        self.account = QComboBox()
        for a in self.accounts:
            self.account.addItem(a.label, a.id)
        self.agreement = QComboBox()
        for row in state.read(fund_partners.list_agreements):
            self.agreement.addItem(f"{row.number}（{row.company}）", row.id)
        start, end = default_period()
        self.date_from = date_edit(start, maximum=clock.today())
        self.date_to = date_edit(end, maximum=clock.today())
        self.form = QFormLayout()
        self.form.addRow("报表：", self.kind)
        self.form.addRow("账户：", self.account)
        self.form.addRow("合作协议：", self.agreement)
        self.form.addRow("开始日期：", self.date_from)
        self.form.addRow("结束日期（截至）：", self.date_to)
        self.pdf = PdfActions(self, self._job, self._name)
        self.xlsx = QPushButton("导出Excel…")
        self.xlsx.clicked.connect(self.export_xlsx)
        actions = QHBoxLayout()
        for b in (self.pdf.print_button, self.pdf.save_button, self.xlsx):
            actions.addWidget(b)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        hint = QLabel("报表中的身份证号码、银行账号已隐去中间位数；生成的文件会记入审计日志。")
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(hint)
        layout.addLayout(actions)
        layout.addWidget(close)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        if account_id is not None:
            self.account.setCurrentIndex(max(0, self.account.findData(account_id)))
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        shown = {
            self.account: kind in ("statement", "outstanding"),
            self.agreement: kind == "distribution",
            self.date_from: kind in ("statement", "distribution"),
        }
        for widget, visible in shown.items():
            widget.setVisible(visible)
            self.form.labelForField(widget).setVisible(visible)
        ready = bool(self.accounts) if kind != "distribution" else self.agreement.count() > 0
        self.pdf.set_enabled(ready, "" if ready else "还没有开立合作金账户或登记合作协议。")
        self.xlsx.setEnabled(ready)

    def _params(self) -> tuple[str, int | None, int | None, date, date]:
        return (self.kind.currentData(), self.account.currentData(), self.agreement.currentData(),
                pydate(self.date_from.date()), pydate(self.date_to.date()))

    def _build(self):  # type: ignore[no-untyped-def]
        kind, account, agreement, start, end = self._params()
        profile = self.state.profile

        def build(s):  # type: ignore[no-untyped-def]
            if kind == "statement":
                return fund_documents.statement_report(s, profile, account, start, end)
            if kind == "outstanding":
                return fund_documents.outstanding_report(s, profile, end, account)
            if kind == "safety":
                return fund_documents.safety_report(s, profile, end)
            return fund_documents.distribution_report(s, profile, agreement, start, end)

        return build

    def _job(self):  # type: ignore[no-untyped-def]
        build = self._build()
        return lambda s, out: fund_documents.write_report(s, build(s), out)

    def _name(self, suffix: str = ".pdf") -> str:
        kind, _account, _agreement, start, end = self._params()
        label = dict(REPORTS)[kind].split("（")[0]
        period = f"{start:%Y%m%d}-{end:%Y%m%d}" if kind in ("statement", "distribution") else f"{end:%Y%m%d}"
        return fund_documents.safe_file_name(f"{label}_{period}") + suffix

    def export_xlsx(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出Excel", self._name(".xlsx"), "Excel 文件 (*.xlsx)")
        if not path:
            return
        out = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        job = self._job()
        self.state.in_background(lambda s: job(s, out), parent=self, label="正在导出……",
                                 on_done=lambda _r: QMessageBox.information(self, "已导出", f"已保存到：\n{out}"))
