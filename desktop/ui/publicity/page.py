"""The publicity page (公示管理): batches, the people listed, objections, printing and closing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.services import publicity
from desktop.core.services import publicity_documents as documents
from desktop.ui.printing import PdfActions
from desktop.ui.publicity.dialogs import NewBatchDialog, ObjectionDialog, VerdictDialog
from desktop.ui.roles import COUNTER_ROLES, allow
from desktop.ui.session import AppState
from desktop.ui.widgets import fill, text_table


class PublicityPage(QWidget):
    title = "公示管理"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.batches: list[publicity.BatchSummary] = []
        self.people: list[publicity.BatchPerson] = []
        self.objections: list[publicity.ObjectionRow] = []

        heading = QLabel("公示管理（劳务经纪人拟认定人员名单）")
        heading.setProperty("role", "pageTitle")
        self.new_button = QPushButton("新建公示(&N)")
        self.new_button.setProperty("role", "primary")
        self.calendar_button = QPushButton("节假日安排…")
        self.calendar_button.setVisible(state.user.role is Role.ADMIN)
        allow(self.new_button, state.user, *COUNTER_ROLES, action="新建公示")
        self.calendar_button.clicked.connect(self.edit_calendar)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.calendar_button)
        top.addWidget(self.new_button)

        self.batch_table = text_table(["批次", "公示期", "人数", "异议", "状态"])
        self.batch_table.setMinimumWidth(390)

        self.detail_title = QLabel()
        self.detail_title.setProperty("role", "pageTitle")
        self.detail_title.setWordWrap(True)
        self.detail_info = QLabel()
        self.detail_info.setWordWrap(True)
        self.detail_info.setProperty("role", "hint")
        self.people_table = text_table(["序号", "姓名", "性别", "所在村（社区）", "身份证号码", "结果"])
        self.objection_table = text_table(["收到日期", "被反映人", "方式", "异议内容", "核实结论", "核实情况", "核实人"])
        self.objection_button = QPushButton("登记异议…")
        self.verdict_button = QPushButton("核实异议…")
        self.close_button = QPushButton("结束公示并认定…")
        self.xlsx_button = QPushButton("导出Excel…")
        self.pdf = PdfActions(self, self._notice_job, self._notice_name)
        actions = QHBoxLayout()
        for b in (self.objection_button, self.verdict_button):
            actions.addWidget(b)
        actions.addStretch(1)
        for b in (self.pdf.print_button, self.pdf.save_button, self.xlsx_button, self.close_button):
            actions.addWidget(b)

        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.detail_title)
        dl.addWidget(self.detail_info)
        dl.addWidget(QLabel("公示名单（身份证号码已按规定隐去中间位数）："))
        dl.addWidget(self.people_table, 3)
        dl.addWidget(QLabel("异议登记："))
        dl.addWidget(self.objection_table, 2)
        dl.addLayout(actions)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.batch_table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 960])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(self.new_batch)
        self.batch_table.itemSelectionChanged.connect(self.show_selected)
        self.objection_button.clicked.connect(self.add_objection)
        self.verdict_button.clicked.connect(self.decide_objection)
        self.close_button.clicked.connect(self.close_batch)
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.reload()

    # --- loading ---------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        current = select_id or self.current_id()
        self.batches = self.state.read(publicity.list_batches)
        fill(self.batch_table, [
            [b.short_name, f"{b.start_date:%m-%d}—{b.end_date:%m-%d}", str(b.people),
             f"{b.objections}" + (f"（{b.pending_objections}待核实）" if b.pending_objections else ""), b.status_label]
            for b in self.batches
        ], fit=True)
        self._size_batch_columns()
        row = next((i for i, b in enumerate(self.batches) if b.id == current), 0 if self.batches else -1)
        if row >= 0:
            self.batch_table.selectRow(row)
        self.show_selected()

    def _size_batch_columns(self) -> None:
        for col, width in enumerate((92, 100, 40, 92)):
            self.batch_table.setColumnWidth(col, width)

    def current_id(self) -> int | None:
        rows = self.batch_table.selectionModel().selectedRows() if self.batch_table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.batches):
            return None
        return self.batches[rows[0].row()].id

    def current(self) -> publicity.BatchSummary | None:
        batch_id = self.current_id()
        return next((b for b in self.batches if b.id == batch_id), None)

    def show_selected(self) -> None:
        batch = self.current()
        is_open = batch is not None and batch.status == "open"
        reviewer = self.state.user.role is Role.REVIEWER
        counter = self.state.user.role is not Role.AUDITOR
        self.objection_button.setEnabled(is_open and counter)
        self.verdict_button.setEnabled(is_open and reviewer)
        self.close_button.setEnabled(is_open and reviewer)
        self.close_button.setToolTip("" if reviewer else "结束公示并认定需要审核角色。")
        self.pdf.set_enabled(batch is not None)
        self.xlsx_button.setEnabled(batch is not None)
        if batch is None:
            self.detail_title.setText("还没有公示批次。考试合格的申请人可以点“新建公示”。")
            self.detail_info.setText("")
            fill(self.people_table, [], fit=True)
            fill(self.objection_table, [], fit=True)
            return
        self.detail_title.setText(batch.title)
        closed = f"；已于 {batch.closed_on:%Y-%m-%d} 结束，只能查看" if batch.closed_on else ""
        self.detail_info.setText(
            f"公示期：{batch.start_date:%Y-%m-%d} 至 {batch.end_date:%Y-%m-%d}（{batch.working_days}个工作日）{closed}。"
            f"<br>结束日期的算法：{batch.calendar_rule}"
        )
        profile = self.state.profile
        self.people, self.objections = self.state.read(
            lambda s: (publicity.batch_people(s, profile, batch.id), publicity.batch_objections(s, batch.id))
        )
        outcome = {"certified": "已认定", "rejected": "不予认定", "": "公示中"}
        fill(self.people_table, [[str(p.seq), p.name, p.gender, p.village, p.id_number_masked,
                                   outcome.get(p.outcome, p.outcome)] for p in self.people], fit=True)
        fill(self.objection_table, [[f"{o.received_on:%Y-%m-%d}", o.person, o.channel, o.content, o.verdict_label,
                                      o.verdict_reason, o.decided_by] for o in self.objections], fit=True)
        self.objection_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)

    # --- actions ---------------------------------------------------------------------------
    def new_batch(self) -> None:
        dialog = NewBatchDialog(self.state, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(dialog.batch_id)

    def edit_calendar(self) -> None:
        from desktop.ui.publicity.calendar_dialog import CalendarDialog

        CalendarDialog(self.state, self).exec()

    def add_objection(self) -> None:
        batch = self.current()
        if batch and ObjectionDialog(self.state, batch.id, self.people, self).exec() == QDialog.DialogCode.Accepted:
            self.reload(batch.id)

    def decide_objection(self) -> None:
        rows = self.objection_table.selectionModel().selectedRows()
        pending = [o for o in self.objections if o.verdict == "pending"]
        if rows and rows[0].row() < len(self.objections):
            objection = self.objections[rows[0].row()]
        elif len(pending) == 1:
            objection = pending[0]
        else:
            QMessageBox.information(self, "核实异议", "请先在异议登记表中选中要核实的一条。")
            return
        if VerdictDialog(self.state, objection, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def close_batch(self) -> None:
        batch = self.current()
        if batch is None:
            return
        upheld = sum(o.verdict == "upheld" for o in self.objections)
        answer = QMessageBox.question(
            self, "结束公示并认定",
            f"结束《{batch.title}》：\n\n无异议（或异议不成立）的 {batch.people - upheld} 人将于今天认定为劳务经纪人，"
            f"异议成立的 {upheld} 人不予认定。\n\n结束后公示只能查看、不能再修改。确定结束吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        user, profile = self.state.user, self.state.profile
        try:
            certified, rejected = self.state.write(lambda s: publicity.close_batch(s, user, profile, batch.id))
        except UserError as exc:
            QMessageBox.warning(self, "不能结束公示", str(exc))
            return
        QMessageBox.information(self, "公示已结束", f"已认定 {certified} 人，不予认定 {rejected} 人。")
        self.reload(batch.id)

    # --- documents -------------------------------------------------------------------------
    def _notice_name(self) -> str:
        batch = self.current()
        return f"{batch.title if batch else '公示'}.pdf"

    def _notice_job(self):  # type: ignore[no-untyped-def]
        batch_id, profile = self.current_id(), self.state.profile
        return lambda s, out: documents.write_notice_pdf(s, profile, batch_id, out)

    def export_xlsx(self) -> None:
        batch = self.current()
        if batch is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "导出公示名单", f"{batch.title}.xlsx", "Excel 文件 (*.xlsx)")
        if not path:
            return
        out = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        profile = self.state.profile
        self.state.in_background(
            lambda s: documents.write_notice_xlsx(s, profile, batch.id, out),
            on_done=lambda _r: QMessageBox.information(self, "已导出", f"已保存到：\n{out}"),
            parent=self, label="正在导出……",
        )
