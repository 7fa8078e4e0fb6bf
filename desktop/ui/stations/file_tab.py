"""The 档案 tab of a workstation: application fields, flow, materials, years, subsidies, 优秀站点."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models.account import Role
from desktop.core.rules.station_scoring import points_text
from desktop.core.services import station_materials as materials
from desktop.core.services import stations as svc
from desktop.core.services.station_file import StationFile, station_file
from desktop.ui.session import AppState
from desktop.ui.stations.dialogs import MaterialDialog, StationDialog, StepDialog
from desktop.ui.stations.forms import ApplicationFormMenu


def table(headers: list[str], widths: tuple[int, ...] = (), stretch: int = -1) -> QTableWidget:
    """A read-only list; ``stretch`` is the column that takes the spare width (default: the last)."""
    from PySide6.QtWidgets import QHeaderView

    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    t.setWordWrap(True)
    t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    for i, w in enumerate(widths):
        t.setColumnWidth(i, w)
    # wrapped cells need their height again whenever a column's width changes (first layout too,
    # and when a scroll bar appears and narrows the stretched column)
    t.horizontalHeader().sectionResized.connect(lambda *_a: fit_rows(t))
    t.viewport().installEventFilter(_Refit(t))
    if stretch >= 0:
        t.horizontalHeader().setStretchLastSection(False)
        header = t.horizontalHeader()
        for i in range(len(headers)):
            mode = QHeaderView.ResizeMode.Stretch if i == stretch else QHeaderView.ResizeMode.Interactive
            header.setSectionResizeMode(i, mode)
    return t


def fill(t: QTableWidget, rows: list[list[str]]) -> None:
    t.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            t.setItem(r, c, item)
    fit_rows(t)
    # once more after the layout settles (a scroll bar appearing narrows the wrapped column)
    QTimer.singleShot(0, t, lambda: fit_rows(t))  # t as context: dropped if t is gone


class _Refit(QObject):
    def __init__(self, t: QTableWidget) -> None:
        super().__init__(t)
        self.t = t

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self.t, lambda: fit_rows(self.t))
        return False


def fit_rows(t: QTableWidget) -> None:
    """Row heights for the wrapped text of each cell, measured with a little room to spare (Qt's
    own size hint misjudges CJK lines that only just fit, which are then cut short with "…")."""
    if not t.wordWrap():
        t.resizeRowsToContents()
        return
    metrics = t.fontMetrics()
    flags = int(Qt.TextFlag.TextWordWrap)
    for r in range(t.rowCount()):
        height = metrics.height()
        for c in range(t.columnCount()):
            item = t.item(r, c)
            if item is not None and item.text():
                width = max(20, t.columnWidth(c) - 9)  # the delegate's text margins and the grid line
                height = max(height, metrics.boundingRect(0, 0, width, 10_000, flags, item.text()).height())
        t.setRowHeight(r, height + 8)


class StationFileTab(QWidget):
    changed = Signal()  # the station's status or data changed: the list should refresh

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.station_id: int | None = None
        self.file: StationFile | None = None
        self.title = QLabel()
        self.title.setProperty("role", "pageTitle")
        self.status = QLabel()
        self.edit_button = QPushButton("修改信息(&E)…")
        self.action_button = QPushButton()
        self.action_button.setProperty("role", "primary")
        self.excellent_button = QPushButton("优秀站点评选…")
        self.application_form = ApplicationFormMenu(self, state)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.status, 1)
        for b in (self.application_form.button, self.excellent_button, self.edit_button, self.action_button):
            head.addWidget(b)
        self.notices = QLabel()
        self.notices.setWordWrap(True)
        self.notices.setStyleSheet("color: #b3261e; font-weight: bold;")

        self.fields = QFormLayout()
        self.fields.setVerticalSpacing(3)
        self.field_labels: dict[str, QLabel] = {}
        for key, label in (("builder", "申请机构"), ("partner_region", "协作地区"), ("head", "负责人"),
                           ("partner", "合作机构"), ("address", "地址"), ("term", "经营期限"), ("dates", "日期"),
                           ("condition", "输送人数"), ("intro", "简介")):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.field_labels[key] = value
            self.fields.addRow(f"{label}：", value)
        info = QGroupBox("申请信息（附件1）")
        info.setLayout(self.fields)

        self.steps = table(["日期", "步骤", "意见", "办理人"], (84, 112, 200, 64), stretch=2)
        self.materials = table(["序号", "材料（第四条）", "收到情况", "附件"], (36, 200, 112, 90), stretch=1)
        self.materials.setWordWrap(False)  # seven short rows fit; the full name is in the tooltip
        self.material_button = QPushButton("登记材料…")
        self.open_button = QPushButton("另存附件…")
        self.years = table(["年度", "评估", "得分", "结论", "绩效奖励（元）"], (50, 130, 50, 90))
        self.money = QLabel()
        self.money.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(info, 0, 0)
        grid.addWidget(self._boxed("办理流程", self.steps), 1, 0)
        mats = QWidget()
        ml = QVBoxLayout(mats)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.materials, 1)
        mb = QHBoxLayout()
        mb.addStretch(1)
        mb.addWidget(self.material_button)
        mb.addWidget(self.open_button)
        ml.addLayout(mb)
        grid.addWidget(self._boxed("申请材料", mats), 0, 1)
        years = QWidget()
        yl = QVBoxLayout(years)
        yl.setContentsMargins(0, 0, 0, 0)
        yl.addWidget(self.years, 1)
        yl.addWidget(self.money)
        grid.addWidget(self._boxed("年度评估、补贴与优秀站点", years), 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.notices)
        layout.addLayout(grid, 1)

        self.edit_button.clicked.connect(self.edit)
        self.action_button.clicked.connect(self.run_action)
        self.material_button.clicked.connect(self.add_material)
        self.open_button.clicked.connect(self.save_attachment)
        self.excellent_button.clicked.connect(self.excellent)

    @staticmethod
    def _boxed(title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(widget)
        return box

    def show_station(self, station_id: int | None) -> None:
        self.station_id = station_id
        if station_id is None:
            self.application_form.show_station(None)
            self.file = None
            self.title.setText("请在左侧选择一个工作站，或点“新建申请”。")
            for w in (self.edit_button, self.action_button, self.material_button, self.open_button,
                      self.excellent_button):
                w.setEnabled(False)
            self.action_button.setText("办理")
            return
        f = self.file = self.state.read(lambda s: station_file(s, self.state.profile, station_id))
        d = f.station
        self.application_form.show_station(station_id, d.name)
        self.title.setText(d.name)
        self.status.setText(f"【{f.status_label}】")
        self.notices.setText("\n".join(f.notices))
        self.notices.setVisible(bool(f.notices))
        labels = self.field_labels
        labels["builder"].setText(d.builder)
        labels["partner_region"].setText(d.partner_region)
        labels["head"].setText(f"{d.head_name}  {d.head_phone}")
        labels["partner"].setText("  ".join(x for x in (d.partner_org, d.partner_head, d.partner_phone) if x) or "（未填写）")
        labels["address"].setText(d.address)
        labels["term"].setText(f"自申请之日起至 {d.term_end:%Y-%m-%d}" if d.term_end else "（未填写）")
        dates = f"{d.applied_on:%Y-%m-%d} 申请"
        if f.established_on:
            dates += f"；{f.established_on:%Y-%m-%d} 设立"
        if f.revoked_on:
            dates += f"；{f.revoked_on:%Y-%m-%d} 取消资格（{f.revoke_reason}）"
        labels["dates"].setText(dates)
        labels["condition"].setText(f.condition_text)
        labels["intro"].setText(d.intro or "（未填写）")
        fill(self.steps, [[f"{s.on:%Y-%m-%d}", s.label, s.opinion, s.actor] for s in f.steps])
        fill(self.materials, [[str(m.no), m.name, m.summary,
                               "、".join(e.file_name for e in m.entries if e.file_name)] for m in f.materials])
        fill(self.years, [[str(y.year), y.status_label + (f"（{y.versions} 版）" if y.versions > 1 else ""),
                           points_text(y.total) if y.total is not None else "",
                           "" if y.passed is None else ("合格" if y.passed else "不合格"),
                           f"{y.subsidy_yuan:,}" if y.passed else ("不予奖励" if y.passed is False else "")]
                          for y in f.years])
        money = [f"建站补贴：{f.establishment_yuan:,} 元（{f.established_on:%Y} 年设立）" if f.established_on
                 else "建站补贴：设立后发放"]
        money += list(f.awards) or ["优秀站点：尚未评选"]
        self.money.setText("\n".join(money))
        self._actions(f)

    def _actions(self, f: StationFile) -> None:
        open_ = f.status not in ("rejected", "revoked")
        counter = self.state.user.role is not Role.AUDITOR
        self.edit_button.setEnabled(open_ and counter)
        self.material_button.setEnabled(open_ and counter)
        self.open_button.setEnabled(any(e.file_name for m in f.materials for e in m.entries))
        self.excellent_button.setEnabled(f.status == "active")
        actions = svc.available_actions(_Status(f.status), self.state.user)
        self.action_button.setVisible(bool(actions))
        if actions:
            a = actions[0]
            self.action_button.setText(a.label)
            self.action_button.setEnabled(a.allowed)
            self.action_button.setToolTip(a.why_not)
            self.action_button.setProperty("key", a.key)

    # --- actions ---------------------------------------------------------------------------
    def edit(self) -> None:
        if self.station_id and StationDialog(self.state, self.station_id, self).exec() == QDialog.DialogCode.Accepted:
            self.changed.emit()

    def run_action(self, preset_reason: str = "") -> None:
        key = self.action_button.property("key")
        if not self.station_id or not key:
            return
        if not preset_reason and self.file and self.file.notices and key == "revoke":
            preset_reason = next((r for r in self.state.profile.station.revocation_reasons if "连续" in r), "")
        dialog = StepDialog(self.state, self.station_id, key, self, preset_reason=preset_reason)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.changed.emit()

    def add_material(self) -> None:
        if not self.station_id:
            return
        rows = self.materials.selectionModel().selectedRows()
        item = rows[0].row() + 1 if rows else next((m.no for m in (self.file.materials if self.file else ())
                                                    if not m.received), 1)
        if MaterialDialog(self.state, self.station_id, item, self).exec() == QDialog.DialogCode.Accepted:
            self.show_station(self.station_id)

    def save_attachment(self) -> None:
        if not self.file:
            return
        rows = self.materials.selectionModel().selectedRows()
        items = [self.file.materials[rows[0].row()]] if rows else list(self.file.materials)
        entries = [e for m in items for e in m.entries if e.file_name]
        if not entries:
            QMessageBox.information(self, "另存附件", "选中的材料没有附件文件。请先在表中选中有附件的一项。")
            return
        entry = entries[0]
        path, _ = QFileDialog.getSaveFileName(self, "另存附件", entry.file_name)
        if not path:
            return
        out = Path(path)
        self.state.in_background(
            lambda s: materials.save_material_file(s, entry.id, out),
            on_done=lambda _r: QMessageBox.information(self, "已保存", f"已保存到：\n{out}\n（已核对 SHA-256 校验值）"),
            parent=self, label="正在保存附件……",
        )

    def excellent(self) -> None:
        from desktop.ui.stations.excellent_dialog import ExcellentDialog

        if self.station_id and ExcellentDialog(self.state, self.station_id, self).exec() == QDialog.DialogCode.Accepted:
            self.show_station(self.station_id)


class _Status:
    def __init__(self, status: str) -> None:
        self.status = status
