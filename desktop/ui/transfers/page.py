"""The transfer page (转移就业台账): the county-wide list, per broker, with search and filters.

Every filter is answered by the database through an index (see core transfer_search), a count and
one page at a time; the list shows whether each placement earns the service subsidy and, if not,
which condition fails.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.services import transfer_search as search
from desktop.core.services import transfers as svc
from desktop.ui.applications.village_picker import VillagePicker
from desktop.ui.paged_model import Column
from desktop.ui.session import AppState
from desktop.ui.transfers.widgets import BrokerPicker, ReasonDialog, transfer_model
from desktop.ui.widgets import paged_table_view, search_box

R = search.TransferRow
CENTRE = Qt.AlignmentFlag.AlignCenter
COLUMNS: list[Column[R]] = [
    Column("转移日期", lambda r: f"{r.hire_date:%Y-%m-%d}", "hire_date"),
    Column("劳务经纪人", lambda r: r.broker_name),
    Column("姓名", lambda r: r.worker_name, "worker_name"),
    Column("性别", lambda r: r.gender, align=CENTRE),
    Column("年龄", lambda r: r.age, "age", align=CENTRE),
    Column("身份证号码", lambda r: r.id_number_masked),
    Column("文化程度", lambda r: r.education),
    Column("民族", lambda r: r.ethnicity),
    Column("就业单位", lambda r: r.employer_name, "employer_name"),
    Column("合同期限", lambda r: r.contract_term),
    Column("社保", lambda r: "是" if r.social_insurance else "否", align=CENTRE),
    Column("脱贫", lambda r: "是" if r.poverty_alleviated else "否", align=CENTRE),
    Column("服务补助", lambda r: r.subsidy_text),
    Column("岗位", lambda r: r.job),
    Column("就业地", lambda r: r.work_address),
    Column("村（社区）", lambda r: r.village_name),
    Column("联系电话", lambda r: r.phone_masked),
    Column("状态", lambda r: r.status_label),
]
WIDTHS = (92, 70, 62, 38, 38, 172, 70, 48, 170, 80, 38, 38, 230, 60, 180, 110, 100)


class TransfersPage(QWidget):
    title = "转移就业"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        heading = QLabel(f"转移就业台账（{state.profile.transfer.form_title if state.profile.transfer else '附件2'}）")
        heading.setProperty("role", "pageTitle")
        self.search = search_box("姓名，或身份证号码前几位", self.apply_filters, self)
        self.broker = BrokerPicker(state, allow_all=True, active_only=False)
        self.year = QComboBox()
        self.year.addItem("全部年度", None)
        years = state.read(search.transfer_years) or [clock.today().year]
        for y in range(max(max(years), clock.today().year), min(years) - 1, -1):
            self.year.addItem(f"{y}年", y)
        self.village = VillagePicker(state.center.county_code)
        self.village.lineEdit().setPlaceholderText("全部村（社区）")
        self.employer = search_box("就业单位名称中的字", self.apply_filters, self)
        self.history = QCheckBox("含已更正/作废的版本")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.broker, 3)
        filters.addWidget(self.year, 1)
        filters.addWidget(self.village, 2)
        filters.addWidget(self.employer, 2)
        filters.addWidget(self.history)

        self.new_button = QPushButton("登记转移(&N)…")
        self.new_button.setProperty("role", "primary")
        self.correct_button = QPushButton("更正(&E)…")
        self.void_button = QPushButton("作废…")
        self.history_button = QPushButton("历史版本…")
        self.import_button = QPushButton("导入Excel(&I)…")
        self.export_button = QPushButton("导出附件2…")
        writer = state.user.role.value in ("clerk", "reviewer", "admin")
        for b in (self.new_button, self.correct_button, self.import_button, self.export_button):
            b.setEnabled(writer)
        self.void_button.setEnabled(state.user.role.value in ("reviewer", "admin"))
        actions = QHBoxLayout()
        for b in (self.new_button, self.correct_button, self.void_button, self.history_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)

        self.model = transfer_model(state, COLUMNS, search.TransferQuery())
        self.loaded = False  # the first apply_filters loads the first page
        self.table = paged_table_view(self.model, WIDTHS)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.broker.changed.connect(self.apply_filters)
        self.year.currentIndexChanged.connect(self.apply_filters)
        self.village.changed.connect(self.apply_filters)
        self.history.toggled.connect(self.apply_filters)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.new_button.clicked.connect(self.new_transfer)
        self.correct_button.clicked.connect(self.correct_selected)
        self.void_button.clicked.connect(self.void_selected)
        self.history_button.clicked.connect(self.show_history)
        self.import_button.clicked.connect(self.open_import)
        self.export_button.clicked.connect(self.open_export)
        self.table.doubleClicked.connect(lambda _i: self.correct_selected())
        self.apply_filters()

    def reload(self) -> None:
        self.model.refresh()

    def apply_filters(self) -> None:
        code, _name = self.village.value()  # a listed village (or none): its code filters
        query = replace(self.model.query, text=self.search.text(), broker_id=self.broker.value(),
                        year=self.year.currentData(), village_code=code,
                        employer=self.employer.text(), include_history=self.history.isChecked(), offset=0)
        if query != self.model.query or not self.loaded:
            self.loaded = True
            self.model.set_query(query)

    def _update_count(self) -> None:
        self.count_label.setText(f"共 {self.model.total:,} 人次，已显示 {self.model.rowCount():,} 条。身份证号、电话已部分隐藏；"
                                 "“服务补助”列说明每条是否符合补助条件、不符合的是哪一条。")

    def selected(self) -> search.TransferRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            QMessageBox.information(self, "请先选择", "请先在列表中点选一条转移就业记录。")
            return None
        return self.model.row_at(rows[0].row())

    def new_transfer(self) -> None:
        from desktop.ui.transfers.form import TransferForm

        form = TransferForm(self.state, parent=self, broker_id=self.broker.value())
        form.saved.connect(lambda _id: self.reload())
        form.exec()

    def correct_selected(self) -> None:
        row = self.selected()
        if row is None or not self.correct_button.isEnabled():
            return
        if row.status_label != "有效":
            QMessageBox.information(self, "不能更正", f"这是{row.status_label}的历史版本，只能更正当前有效的版本。")
            return
        from desktop.ui.transfers.form import TransferForm

        form = TransferForm(self.state, row.id, parent=self)
        form.saved.connect(lambda _id: self.reload())
        form.exec()

    def void_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ReasonDialog(
            "作废转移就业记录",
            f"作废 {row.worker_name} {row.hire_date:%Y-%m-%d} 的转移记录（经纪人{row.broker_name}）。"
            "作废后不再计入人次、复核和补助；原内容保留，可在“历史版本”中查看。",
            "作废原因：", "作废", self)
        if dialog.exec() != ReasonDialog.DialogCode.Accepted:
            return
        user, reason, record_id = self.state.user, dialog.text(), row.id
        self.state.in_background(lambda s: svc.void_transfer(s, user, record_id, reason),
                                 on_done=lambda _r: self.reload(), parent=self, label="正在作废……")

    def show_history(self) -> None:
        row = self.selected()
        if row is None:
            return
        from desktop.ui.transfers.dialogs import HistoryDialog

        HistoryDialog(self.state, row.id, self).exec()

    def open_import(self) -> None:
        from desktop.ui.transfers.dialogs import import_dialog

        import_dialog(self.state, self).exec()
        self.reload()

    def open_export(self) -> None:
        from desktop.ui.transfers.dialogs import ExportDialog

        ExportDialog(self.state, self.broker.value(), self).exec()
