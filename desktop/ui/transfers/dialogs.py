"""Dialogs of the transfer page: import a 附件2 sheet, export one, and a record's history."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.services import transfer_documents as documents
from desktop.core.services import transfers as svc
from desktop.ui.import_dialog import ImportDialog
from desktop.ui.session import AppState
from desktop.ui.transfers.widgets import BrokerPicker
from desktop.ui.widgets import FormDialog, date_edit, pydate

COLUMNS_HINT = ("组织劳动力姓名、性别、身份证号码、年龄、文化程度、民族、就业单位名称、就业地详细地址、劳动合同期限、"
                "从事岗位、是否参加社保、联系电话、备注（附件2格式，可带标题行和“劳务经纪人姓名/填表日期”行；"
                "入职日期写在备注“入职日期：2025-03-01”或加一列“入职日期”）")


def import_dialog(state: AppState, parent: QWidget | None = None) -> ImportDialog:
    """The shared import dialog with a broker picker above it (empty: the sheet's 劳务经纪人姓名)."""
    from desktop.core.documents.excel.transfer_import import import_transfers

    picker = BrokerPicker(state)
    picker.lineEdit().setPlaceholderText("不选则按表上的“劳务经纪人姓名”匹配在册经纪人")
    chosen: list[int | None] = [None]  # read on the GUI thread; the import runs on the worker

    def run(path: Path, dry_run: bool, skip_bad: bool, progress, cancel):  # type: ignore[no-untyped-def]
        return import_transfers(state.db, state.profile, path, user=state.user, broker_id=chosen[0],
                                dry_run=dry_run, skip_bad=skip_bad, progress=progress, cancel=cancel)

    dialog = ImportDialog(state, "导入转移就业人员信息表（附件2）", COLUMNS_HINT, run, parent)

    def picked() -> None:
        chosen[0] = picker.value()
        if dialog.path is not None:
            dialog.check(dialog.path)  # the broker decides the checks: check the file again

    picker.changed.connect(picked)
    row = QHBoxLayout()
    row.addWidget(QLabel("劳务经纪人："))
    row.addWidget(picker, 1)
    layout = dialog.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertLayout(1, row)
    dialog.broker_picker = picker  # type: ignore[attr-defined]
    return dialog


class ExportDialog(FormDialog):
    """附件2 of one broker for a year or a period, .xlsx and PDF into a folder (a USB drive)."""

    def __init__(self, state: AppState, broker_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.result: documents.ExportResult | None = None
        self.setWindowTitle("导出转移就业人员信息表（附件2）")
        self.resize(560, 300)
        self.broker = BrokerPicker(state, active_only=False)
        if broker_id is not None:
            self.broker.set_broker(broker_id)
        this_year = clock.today().year
        self.period = QComboBox()
        for year in range(this_year, this_year - 6, -1):
            self.period.addItem(f"{year}年", year)
        self.period.addItem("指定起止日期", None)
        self.date_from = date_edit(clock.today().replace(month=1, day=1), maximum=clock.today())
        self.date_to = date_edit(clock.today(), maximum=clock.today())
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.date_to)
        self.folder = QLineEdit()
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.full = QCheckBox("显示完整身份证号码和电话（报送上级复核用，需审核或管理员账号）")
        self.full.setEnabled(state.user.role.value in ("reviewer", "admin"))
        form = QFormLayout()
        form.addRow("劳务经纪人：", self.broker)
        form.addRow("期间：", self.period)
        form.addRow("", dates)
        form.addRow("保存到文件夹：", folder_row)
        form.addRow("", self.full)
        self.set_body(form, ok_text="导出")
        self.period.currentIndexChanged.connect(self._period_changed)
        self._period_changed()

    def _period_changed(self) -> None:
        custom = self.period.currentData() is None
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择保存的文件夹（如U盘）", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def submit(self) -> None:
        broker_id = self.broker.value()
        if broker_id is None:
            self.message.setText("请选择劳务经纪人。")
            return
        if not self.folder.text().strip():
            self.message.setText("请选择保存的文件夹。")
            return
        year = self.period.currentData()
        start, end = documents.period_of(year, pydate(self.date_from.date()), pydate(self.date_to.date()))
        folder, full, user, profile = Path(self.folder.text().strip()), self.full.isChecked(), self.state.user, \
            self.state.profile

        def work(s):  # type: ignore[no-untyped-def]
            return documents.export_transfer_sheet(s, user, profile, broker_id, start, end, folder, full=full)

        self.state.in_background(work, on_done=self._done, parent=self, label="正在导出……")

    def _done(self, result: documents.ExportResult) -> None:
        self.result = result
        QMessageBox.information(self, "已导出", f"已导出 {result.rows} 人次（PDF {result.pages} 页）：\n{result.xlsx}\n{result.pdf}")
        self.accept()


class HistoryDialog(FormDialog):
    """Every version of a placement, oldest first: what was logged, each correction and why."""

    def __init__(self, state: AppState, record_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("记录历史（每次更正都保留原内容）")
        self.resize(980, 360)
        versions = state.read(lambda s: svc.transfer_history(s, state.profile, record_id))
        table = QTableWidget(len(versions), 6)
        table.setHorizontalHeaderLabels(["版本", "操作", "时间", "经办人", "原因", "内容"])
        table.verticalHeader().setVisible(False)
        for r, v in enumerate(versions):
            values = [v.status_label, v.kind, f"{v.created_at:%Y-%m-%d %H:%M}", v.created_by, v.reason, v.summary]
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        self.set_body(table, ok_text="关闭")

    def submit(self) -> None:
        self.accept()
