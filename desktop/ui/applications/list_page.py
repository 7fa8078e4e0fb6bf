"""The application list (申请列表): search by name or ID prefix, filter, open, print."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models.broker import STATUS_LABELS
from desktop.core.services import applications as svc
from desktop.ui.applications.form import ApplicationForm
from desktop.ui.paged_model import Column, PagedTableModel, service_model
from desktop.ui.reveal import reveal_button, show_full_numbers
from desktop.ui.roles import COUNTER_ROLES, allow
from desktop.ui.session import AppState
from desktop.ui.widgets import paged_table_view, search_box

COLUMNS: list[Column[svc.ApplicationRow]] = [
    Column("姓名", lambda r: r.name, "name"),
    Column("性别", lambda r: r.gender, "gender"),
    Column("身份证号码", lambda r: r.id_number_masked, "id_number"),
    Column("联系电话", lambda r: r.phone_masked),
    Column("常住村（社区）", lambda r: r.village_name, "village"),
    Column("申请人类别", lambda r: r.category, "category"),
    Column("申请日期", lambda r: f"{r.application_date:%Y-%m-%d}", "date"),
    Column("状态", lambda r: r.status_label, "status"),
]


def make_model(state: AppState) -> PagedTableModel[svc.ApplicationRow, svc.ApplicationQuery]:
    return service_model(state, COLUMNS, svc.count_applications, svc.search_applications, svc.ApplicationQuery())


class ApplicationListPage(QWidget):
    title = "经纪人申请"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        heading = QLabel("劳务经纪人认定申请")
        heading.setProperty("role", "pageTitle")

        self.search = search_box("查找：姓名，或身份证号码前几位（Ctrl+F）", self.apply_filters, self)
        self.status = QComboBox()
        self.status.addItem("全部状态", "")
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.village = QComboBox()
        self.village.setMinimumWidth(160)
        self.new_button = QPushButton("新建申请(&N)")
        self.new_button.setProperty("role", "primary")
        self.open_button = QPushButton("打开(&O)")
        self.import_button = QPushButton("从Excel导入…")
        self.count_label = QLabel()
        self.count_label.setProperty("role", "hint")
        allow(self.new_button, state.user, *COUNTER_ROLES, action="新建申请")
        allow(self.import_button, state.user, *COUNTER_ROLES, action="从Excel导入")

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(QLabel("状态："))
        bar.addWidget(self.status)
        bar.addWidget(QLabel("村（社区）："))
        bar.addWidget(self.village, 1)
        bar.addWidget(self.open_button)
        self.reveal_button = reveal_button(state)
        self.reveal_button.clicked.connect(
            lambda: show_full_numbers(self.state, self, "经纪人申请", self.selected_id()))
        bar.addWidget(self.reveal_button)
        bar.addWidget(self.import_button)
        bar.addWidget(self.new_button)

        self.model = make_model(state)
        self.table = paged_table_view(self.model, (90, 50, 170, 120, 200, 110, 100))

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.status.currentIndexChanged.connect(self.apply_filters)
        self.village.currentIndexChanged.connect(self.apply_filters)
        self.new_button.clicked.connect(self.new_application)
        self.open_button.clicked.connect(self.open_selected)
        self.import_button.clicked.connect(self.open_import)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_application)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, activated=self.open_selected)
        self.reload()

    def reload(self) -> None:
        current = self.village.currentData()
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem("全部", "")
        for code, name in self.state.read(svc.village_choices):
            self.village.addItem(name, code or name)
        idx = self.village.findData(current) if current else 0
        self.village.setCurrentIndex(max(idx, 0))
        self.village.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        village = self.village.currentData() or ""
        query = replace(
            self.model.query,
            text=self.search.text(),
            status=self.status.currentData() or "",
            village_code=village if village.isdigit() else "",
            village_name=village if village and not village.isdigit() else "",
            offset=0,
        )
        self.model.set_query(query)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        more = "（向下滚动加载更多）" if shown < total else ""
        self.count_label.setText(f"共 {total} 条，已显示 {shown} 条{more}。身份证号、电话已部分隐藏。")

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(rows[0].row()).id

    def open_selected(self) -> None:
        app_id = self.selected_id()
        if app_id is not None:
            self.open_application(app_id)

    def open_import(self) -> None:
        from desktop.ui.imports import application_import_dialog

        application_import_dialog(self.state, self).exec()
        self.reload()

    def new_application(self) -> None:
        if not self.new_button.isEnabled():  # Ctrl+N reaches here too
            return
        self._show_form(ApplicationForm(self.state, None, self))

    def open_application(self, application_id: int) -> None:
        self._show_form(ApplicationForm(self.state, application_id, self))

    def _show_form(self, form: ApplicationForm) -> None:
        form.saved.connect(lambda _id: self.reload())
        form.open_existing.connect(lambda existing: QTimer.singleShot(0, lambda: self.open_application(existing)))
        form.setModal(True)
        form.show()
        self.current_form = form
