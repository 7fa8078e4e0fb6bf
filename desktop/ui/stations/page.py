"""The 工作站 page (劳务协作工作站): the station list on the left; the selected station's file,
roster and yearly evaluation on the right; the yearly results list and subsidy summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.models.account import Role
from desktop.core.services import station_documents as docs
from desktop.core.services import stations as svc
from desktop.ui.session import AppState
from desktop.ui.stations.dialogs import StationDialog
from desktop.ui.stations.evaluation_tab import EvaluationTab
from desktop.ui.stations.file_tab import StationFileTab, fill, table
from desktop.ui.stations.roster_tab import RosterTab

FILTERS = (("全部工作站", ""), ("已设立", "active"), ("申请中", "applying"), ("已取消资格", "revoked"),
           ("申请未通过", "rejected"))
STATUS_COLOURS = {"active": "#1b7f3b", "revoked": "#b3261e", "rejected": "#777777"}


class StationsPage(QWidget):
    title = "工作站"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.rows: list[svc.StationRow] = []
        heading = QLabel("劳务协作工作站")
        heading.setProperty("role", "pageTitle")
        self.new_button = QPushButton("新建申请(&N)…")
        self.new_button.setProperty("role", "primary")
        self.new_button.setEnabled(state.user.role is not Role.AUDITOR)
        self.docs_button = QPushButton("年度名单与补贴…")
        menu = QMenu(self)
        for text, kind in (("评估结果公示名单（PDF）…", "results"), ("补贴汇总表（PDF）…", "subsidy_pdf"),
                           ("补贴汇总表（Excel）…", "subsidy_xlsx")):
            action = QAction(text, self)
            action.triggered.connect(lambda _c=False, k=kind: self.export_year(k))
            menu.addAction(action)
        self.docs_button.setMenu(menu)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.docs_button)
        top.addWidget(self.new_button)

        self.filter = QComboBox()
        for label, value in FILTERS:
            self.filter.addItem(label, value)
        self.list = table(["工作站", "状态"], (140, 86), stretch=0)
        self.list.setMinimumWidth(220)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.filter)
        ll.addWidget(self.list, 1)

        self.file_tab = StationFileTab(state)
        self.roster_tab = RosterTab(state)
        self.evaluation_tab = EvaluationTab(state)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.file_tab, "档案")
        self.tabs.addTab(self.roster_tab, "输送名册")
        self.tabs.addTab(self.evaluation_tab, "年度评估")
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([255, 960])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.new_button.clicked.connect(self.new_station)
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.list.itemSelectionChanged.connect(self._selected)
        for tab in (self.file_tab, self.roster_tab, self.evaluation_tab):
            tab.changed.connect(self._changed)
        self.current_id: int | None = None
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        keep = select_id or self.current_id
        self.rows = self.state.read(lambda s: svc.list_stations(s, self.filter.currentData()))
        self.list.blockSignals(True)
        fill(self.list, [[r.name, r.status_label] for r in self.rows])
        for i, r in enumerate(self.rows):
            self.list.item(i, 1).setForeground(QColor(STATUS_COLOURS.get(r.status, "#1f4e99")))
        index = next((i for i, r in enumerate(self.rows) if r.id == keep), 0 if self.rows else -1)
        if index >= 0:
            self.list.selectRow(index)
        self.list.blockSignals(False)
        self._show(self.rows[index].id if index >= 0 else None)

    def _selected(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        station_id = self.rows[rows[0].row()].id if rows and rows[0].row() < len(self.rows) else None
        if station_id == self.current_id:
            return
        if not self.evaluation_tab.maybe_save():
            self.list.blockSignals(True)
            index = next((i for i, r in enumerate(self.rows) if r.id == self.current_id), -1)
            if index >= 0:
                self.list.selectRow(index)
            self.list.blockSignals(False)
            return
        self._show(station_id)

    def _show(self, station_id: int | None) -> None:
        self.current_id = station_id
        row = next((r for r in self.rows if r.id == station_id), None)
        self.file_tab.show_station(station_id)
        self.roster_tab.show_station(station_id, row.name if row else "",
                                     editable=row is not None and row.status not in ("rejected", "revoked"))
        self.evaluation_tab.show_station(station_id)

    def _changed(self) -> None:
        self.reload()  # every tab shows the station afresh; the evaluation keeps its year and edits

    def new_station(self) -> None:
        dialog = StationDialog(self.state, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.new_id:
            self.filter.setCurrentIndex(0)
            self.reload(dialog.new_id)
            self.tabs.setCurrentIndex(0)

    def export_year(self, kind: str) -> None:
        year, ok = QInputDialog.getInt(self, "选择年度", "评估年度：", clock.today().year - 1, 2000, clock.today().year)
        if not ok:
            return
        names = {"results": (f"{year}年度劳务协作工作站评估结果公示.pdf", "PDF 文件 (*.pdf)"),
                 "subsidy_pdf": (f"{year}年度劳务协作工作站补贴汇总表.pdf", "PDF 文件 (*.pdf)"),
                 "subsidy_xlsx": (f"{year}年度劳务协作工作站补贴汇总表.xlsx", "Excel 文件 (*.xlsx)")}
        name, pattern = names[kind]
        path, _ = QFileDialog.getSaveFileName(self, "保存", name, pattern)
        if not path:
            return
        suffix = Path(name).suffix
        out = Path(path if path.lower().endswith(suffix) else path + suffix)
        profile, issuer = self.state.profile, self.state.center.center_name
        jobs = {
            "results": lambda s: docs.write_results_pdf(s, profile, year, out, issuer=issuer),
            "subsidy_pdf": lambda s: docs.write_subsidy_pdf(s, profile, year, out, issuer=issuer),
            "subsidy_xlsx": lambda s: docs.write_subsidy_xlsx(s, profile, year, out, issuer=issuer),
        }
        self.state.in_background(jobs[kind], on_done=lambda _r: QMessageBox.information(self, "已保存", f"已保存到：\n{out}"),
                                 parent=self, label="正在生成……")
