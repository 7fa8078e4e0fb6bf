"""The 输送名册 tab: the station's delivered-worker roster, page by page, with each worker's delivered
check (计入 or why not) and cross-station duplicates; entry, correction and Excel import."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.models.account import Role
from desktop.core.services import station_roster as roster
from desktop.ui.paged_model import Column, service_model
from desktop.ui.session import AppState
from desktop.ui.stations.dialogs import WorkerDialog
from desktop.ui.widgets import paged_table_view, search_box

R = roster.WorkerRow
CENTRE = Qt.AlignmentFlag.AlignCenter
COLUMNS = [
    Column[R]("姓名", lambda r: r.name, "name"),
    Column[R]("身份证号", lambda r: r.id_number_masked),
    Column[R]("入职时间", lambda r: f"{r.hired_on:%Y-%m-%d}", "hired_on"),
    Column[R]("是否计入", lambda r: "计入" if r.counts else "不计入", align=CENTRE),
    Column[R]("说明", lambda r: "；".join(x for x in (
        r.check_text.removeprefix("不计入：") if not r.counts else "",
        f"同年也被“{r.duplicate_with}”计入，请核实" if r.duplicate_with else "") if x)),
    Column[R]("户籍", lambda r: r.hukou, "hukou"),
    Column[R]("入职企业", lambda r: r.employer, "employer"),
    Column[R]("社保月数", lambda r: r.si_months, align=CENTRE),
    Column[R]("派遣", lambda r: "是" if r.dispatched else "", align=CENTRE),
    Column[R]("技能人才", lambda r: "是" if r.skilled else "", align=CENTRE),
    Column[R]("6个月后在职", lambda r: r.retained_label, align=CENTRE),
]
WIDTHS = (70, 168, 84, 60, 300, 140, 150, 60, 40, 60, 84)


class RosterTab(QWidget):
    changed = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.station_id: int | None = None
        self.station_name = ""
        self.search = search_box("姓名或身份证号开头", self.refresh, self)
        self.year = QComboBox()
        self.year.addItem("全部年度", None)
        this_year = clock.today().year
        for y in range(this_year, this_year - 8, -1):
            self.year.addItem(f"{y} 年入职", y)
        self.add_button = QPushButton("录入(&A)…")
        self.edit_button = QPushButton("修改…")
        self.import_button = QPushButton("导入Excel…")
        self.print_button = QPushButton("打印/导出名册（附件2）…")
        self.print_button.setToolTip("整本名册（全部年度）：打印、另存为PDF或导出Excel。")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.year)
        for b in (self.add_button, self.edit_button, self.import_button, self.print_button):
            bar.addWidget(b)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = service_model(state, COLUMNS, roster.count_workers, roster.search_workers, roster.RosterQuery(0))
        self.view = paged_table_view(self.model, WIDTHS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.import_button.clicked.connect(self.import_excel)
        self.print_button.clicked.connect(self.print_roster)
        self.view.doubleClicked.connect(lambda _i: self.edit())

    def show_station(self, station_id: int | None, name: str = "", editable: bool = False) -> None:
        self.station_id, self.station_name = station_id, name
        can = editable and self.state.user.role is not Role.AUDITOR
        for b in (self.add_button, self.edit_button, self.import_button):
            b.setEnabled(station_id is not None and can)
        self.print_button.setEnabled(station_id is not None)
        self.refresh()

    def refresh(self) -> None:
        sid = self.station_id or 0
        self.model.set_query(roster.RosterQuery(sid, self.search.text(), self.year.currentData()))
        if not self.station_id:
            self.summary.setText("")
            return
        s = self.state.read(lambda session: roster.roster_summary(session, self.state.profile, sid))
        years = "，".join(f"{y} 年 {n} 人" for y, n in s.by_year[::-1][:4])
        self.summary.setText(f"名册共 {s.rows} 行；计入输送劳动力 {s.delivered} 人（{years or '无'}）；"
                             f"不计入 {s.not_counted} 行（原因见“说明”列）。当前列表 {self.model.total} 行。")

    def selected(self) -> roster.WorkerRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _after(self, dialog: WorkerDialog) -> None:
        if dialog.warnings:
            QMessageBox.information(self, "已保存（请留意）", "\n".join(dialog.warnings))
        self.refresh()
        self.changed.emit()

    def add(self) -> None:
        if self.station_id is None:
            return
        dialog = WorkerDialog(self.state, self.station_id, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after(dialog)

    def edit(self) -> None:
        row = self.selected()
        if row is None or self.station_id is None or not self.edit_button.isEnabled():
            return
        dialog = WorkerDialog(self.state, self.station_id, row.id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after(dialog)

    def import_excel(self) -> None:
        from desktop.ui.imports import roster_import_dialog

        if self.station_id is None:
            return
        dialog = roster_import_dialog(self.state, self.station_id, self.station_name, self)
        dialog.exec()
        if dialog.imported:
            self.refresh()
            self.changed.emit()

    def print_roster(self) -> None:
        from desktop.ui.stations.forms import RosterPrintDialog

        if self.station_id is not None:
            RosterPrintDialog(self.state, self.station_id, self.station_name, self).exec()
