"""The broker registry page (劳务经纪人名册): search, filter, import existing brokers."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models.account import Role
from desktop.core.models.registry import BrokerStatus
from desktop.core.services import registry
from desktop.ui.paged_model import Column, PagedTableModel, service_model
from desktop.ui.reveal import reveal_button, show_full_numbers
from desktop.ui.roles import COUNTER_ROLES, allow
from desktop.ui.session import AppState
from desktop.ui.widgets import paged_table_view, search_box

COLUMNS: list[Column[registry.BrokerRow]] = [
    Column("姓名", lambda r: r.name, "name"),
    Column("性别", lambda r: r.gender),
    Column("身份证号码", lambda r: r.id_number_masked, "id_number"),
    Column("联系电话", lambda r: r.phone_masked),
    Column("主要服务区域", lambda r: r.service_area, "service_area"),
    Column("参加培训", lambda r: r.training_month),
    Column("合格证编号", lambda r: r.certificate_no),
    Column("认定时间", lambda r: f"{r.certified_on:%Y-%m-%d}", "certified_on"),
    Column("来源", lambda r: r.source),
    Column("状态", lambda r: r.status_label, "status"),
]


def make_model(state: AppState) -> PagedTableModel[registry.BrokerRow, registry.BrokerQuery]:
    return service_model(state, COLUMNS, registry.count_brokers, registry.search_brokers,
                         registry.BrokerQuery(status=BrokerStatus.ACTIVE.value))


class RegistryPage(QWidget):
    title = "经纪人名册"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        heading = QLabel("劳务经纪人名册")
        heading.setProperty("role", "pageTitle")
        self.search = search_box("查找：姓名，或身份证号码前几位", self.apply_filters, self)
        self.status = QComboBox()
        self.status.addItem("在册", BrokerStatus.ACTIVE.value)
        self.status.addItem("已取消资格", BrokerStatus.REVOKED.value)
        self.status.addItem("全部", "")
        self.import_brokers = QPushButton("导入已认定的经纪人…")
        self.import_training = QPushButton("导入培训考试结果…")
        allow(self.import_brokers, state.user, Role.REVIEWER, Role.ADMIN, action="导入已认定的经纪人")
        allow(self.import_training, state.user, *COUNTER_ROLES, action="导入培训考试结果")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(QLabel("状态："))
        bar.addWidget(self.status)
        bar.addStretch(1)
        self.reveal_button = reveal_button(state)
        self.reveal_button.clicked.connect(lambda: show_full_numbers(self.state, self, "劳务经纪人", self.selected_id()))
        bar.addWidget(self.reveal_button)
        bar.addWidget(self.import_training)
        bar.addWidget(self.import_brokers)
        self.model = make_model(state)
        self.table = paged_table_view(self.model, (80, 45, 165, 115, 220, 80, 120, 95, 50))
        self.count_label = QLabel()
        self.count_label.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.status.currentIndexChanged.connect(self.apply_filters)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.import_brokers.clicked.connect(self.open_broker_import)
        self.import_training.clicked.connect(self.open_training_import)
        self.apply_filters()

    def reload(self) -> None:
        self.apply_filters()

    def apply_filters(self) -> None:
        self.model.set_query(replace(self.model.query, text=self.search.text(), status=self.status.currentData() or "",
                                     offset=0))

    def _update_count(self) -> None:
        self.count_label.setText(f"共 {self.model.total} 人，已显示 {self.model.rowCount()} 人。身份证号、电话已部分隐藏。")

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).id if rows else None

    def open_broker_import(self) -> None:
        from desktop.ui.imports import broker_import_dialog

        broker_import_dialog(self.state, self).exec()
        self.reload()

    def open_training_import(self) -> None:
        from desktop.ui.imports import training_import_dialog

        training_import_dialog(self.state, self).exec()
        self.reload()
