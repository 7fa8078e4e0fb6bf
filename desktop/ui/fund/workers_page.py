"""The workers page (劳动力与四清): the cooperatives' workers with their trips, and the 四清 registry
of poor workers with the list of those not checked within the year."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models.account import Role
from desktop.core.services import fund_partners, fund_workers
from desktop.ui.fund.common import selected_row
from desktop.ui.paged_model import Column, service_model
from desktop.ui.session import AppState
from desktop.ui.widgets import fill, paged_table_view, search_box, text_table

WORKER_COLUMNS: list[Column[fund_workers.WorkerRow]] = [
    Column("姓名", lambda r: r.name, "name"),
    Column("性别", lambda r: r.gender),
    Column("身份证号码", lambda r: r.id_number_masked, "id_number"),
    Column("联系电话", lambda r: r.phone_masked),
    Column("村级合作社", lambda r: r.village),
    Column("帮扶类别", lambda r: r.poverty_status),
    Column("外出次数", lambda r: r.trips),
]


class WorkersPage(QWidget):
    title = "劳动力与四清"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.registry: list[fund_workers.FourClearRow] = []
        can_edit = state.user.role in (Role.CLERK, Role.REVIEWER, Role.ADMIN)
        heading = QLabel("劳动力登记与“四清”台账")
        heading.setProperty("role", "pageTitle")

        self.search = search_box("查找：姓名，或身份证号码前几位", self.apply_filters, self)
        self.village = QComboBox()
        self.poor_only = QCheckBox("只看建档立卡（脱贫）劳动力")
        self.new_worker = QPushButton("登记劳动力(&N)…")
        self.new_trip = QPushButton("登记外出…")
        self.check_button = QPushButton("四清核实…")
        for b in (self.new_worker, self.new_trip, self.check_button):
            b.setEnabled(can_edit)
        self.new_worker.setProperty("role", "primary")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(QLabel("村级合作社："))
        bar.addWidget(self.village, 1)
        bar.addWidget(self.poor_only)
        bar.addWidget(self.new_worker)
        bar.addWidget(self.new_trip)
        bar.addWidget(self.check_button)
        self.model = service_model(state, WORKER_COLUMNS, fund_workers.count_workers, fund_workers.search_workers,
                                   fund_workers.WorkerQuery())
        self.table = paged_table_view(self.model, (80, 45, 165, 115, 190, 160))
        self.trips = text_table(["外出日期", "合作协议", "用工企业", "务工地", "动员经纪人"], (90, 110, 200, 150))
        self.trips.setMaximumHeight(150)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "hint")
        workers_tab = QWidget()
        wl = QVBoxLayout(workers_tab)
        wl.addLayout(bar)
        wl.addWidget(self.table, 1)
        wl.addWidget(self.count_label)
        wl.addWidget(QLabel("选中劳动力的外出记录（垫支按人、按次办理）："))
        wl.addWidget(self.trips)

        self.due_only = QCheckBox("只看一年内未核实的")
        self.due_only.setChecked(True)
        self.registry_check = QPushButton("四清核实…")
        self.registry_check.setEnabled(can_edit)
        labels = state.profile.fund.four_clear_items if state.profile.fund else ("", "", "", "")
        self.registry_table = text_table(["村级合作社", "姓名", "身份证号码", "帮扶类别", "最近核实", *labels, "状态"],
                                         (150, 70, 160, 120, 90, 100, 130, 110, 100))
        self.registry_label = QLabel()
        self.registry_label.setProperty("role", "hint")
        rbar = QHBoxLayout()
        rbar.addWidget(self.due_only)
        rbar.addStretch(1)
        rbar.addWidget(self.registry_check)
        registry_tab = QWidget()
        rl = QVBoxLayout(registry_tab)
        rl.addLayout(rbar)
        rl.addWidget(self.registry_table, 1)
        rl.addWidget(self.registry_label)

        self.tabs = QTabWidget()
        self.tabs.addTab(workers_tab, "劳动力")
        self.tabs.addTab(registry_tab, "四清台账")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

        self.village.currentIndexChanged.connect(self.apply_filters)
        self.poor_only.toggled.connect(self.apply_filters)
        self.model.modelReset.connect(self._count)
        self.model.rowsInserted.connect(self._count)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_trips())
        self.due_only.toggled.connect(self.load_registry)
        self.new_worker.clicked.connect(self.add_worker)
        self.new_trip.clicked.connect(self.add_trip)
        self.check_button.clicked.connect(self.check_selected_worker)
        self.registry_check.clicked.connect(self.check_registry_row)
        self.reload()

    def reload(self) -> None:
        current = self.village.currentData()
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem("全部", None)
        for coop_id, name in self.state.read(lambda s: fund_partners.cooperatives_of_level(s, "village")):
            self.village.addItem(name, coop_id)
        self.village.setCurrentIndex(max(0, self.village.findData(current)))
        self.village.blockSignals(False)
        self.apply_filters()
        self.load_registry()

    def apply_filters(self) -> None:
        self.model.set_query(replace(self.model.query, text=self.search.text(), village_coop_id=self.village.currentData(),
                                     poor_only=self.poor_only.isChecked(), offset=0))
        if self.model.rowCount():
            self.table.selectRow(0)
        self.show_trips()

    def _count(self) -> None:
        self.count_label.setText(f"共 {self.model.total} 人，已显示 {self.model.rowCount()} 人。身份证号、电话已部分隐藏。")

    def selected_worker(self) -> fund_workers.WorkerRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() and index.row() < self.model.rowCount() else None

    def show_trips(self) -> None:
        worker = self.selected_worker()
        rows = self.state.read(lambda s: fund_workers.trips(s, worker_id=worker.id)) if worker else []
        fill(self.trips, [[f"{t.departed_on:%Y-%m-%d}", t.agreement, t.employer, t.workplace, t.broker] for t in rows])

    def load_registry(self) -> None:
        profile = self.state.profile
        self.registry = self.state.read(lambda s: fund_workers.four_clear_registry(s, profile,
                                                                                  due_only=self.due_only.isChecked()))
        fill(self.registry_table, [
            [r.village, r.name, r.id_number_masked, r.poverty_status,
             f"{r.checked_on:%Y-%m-%d}" if r.checked_on else "从未核实", r.employment, r.skills,
             r.employment_intention, r.training_intention, "待核实" if r.due else "已核实"] for r in self.registry])
        cutoff = self.state.read(lambda s: fund_workers.recheck_cutoff(profile))
        what = "一年内未核实" if self.due_only.isChecked() else "建档立卡（脱贫）劳动力"
        self.registry_label.setText(f"{what}共 {len(self.registry)} 人（{cutoff:%Y-%m-%d} 及以后核实的算作一年内已核实）。")

    # --- actions ---------------------------------------------------------------------------------
    def add_worker(self) -> None:
        from desktop.ui.fund.worker_dialogs import WorkerDialog

        if WorkerDialog(self.state, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def add_trip(self) -> None:
        from desktop.ui.fund.worker_dialogs import TripDialog

        worker = self.selected_worker()
        if worker is None:
            QMessageBox.information(self, "登记外出", "请先在列表中选中外出的劳动力。")
            return
        if TripDialog(self.state, worker, self).exec() == QDialog.DialogCode.Accepted:
            self.model.refresh()
            self.show_trips()

    def check_selected_worker(self) -> None:
        worker = self.selected_worker()
        if worker is None or not worker.poverty_status:
            QMessageBox.information(self, "四清核实", "请先选中一名建档立卡（脱贫）劳动力。")
            return
        latest = next((r for r in self.state.read(lambda s: fund_workers.four_clear_registry(s, self.state.profile))
                       if r.worker_id == worker.id), None)
        self._check(worker.id, worker.name, latest)

    def check_registry_row(self) -> None:
        row = selected_row(self.registry_table)
        if not 0 <= row < len(self.registry):
            QMessageBox.information(self, "四清核实", "请先在台账中选中要核实的人。")
            return
        r = self.registry[row]
        self._check(r.worker_id, r.name, r)

    def _check(self, worker_id: int, name: str, latest: fund_workers.FourClearRow | None) -> None:
        from desktop.ui.fund.worker_dialogs import FourClearDialog

        if FourClearDialog(self.state, worker_id, name, latest, self).exec() == QDialog.DialogCode.Accepted:
            self.load_registry()
