"""The 审计日志 page (审计 and 管理员 roles): filter the trail, page through it lazily, export, verify."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.audit import verify_chain
from desktop.core.services import audit_log
from desktop.ui.paged_model import Column, PagedTableModel
from desktop.ui.session import AppState
from desktop.ui.widgets import paged_table_view, pydate, qdate

ANY = "全部"
NO_DATE = date(2000, 1, 1)  # the date boxes' minimum, shown as 不限

COLUMNS: list[Column[audit_log.AuditRow]] = [
    Column("时间", lambda r: f"{r.at:%Y-%m-%d %H:%M:%S}"),
    Column("用户", lambda r: r.actor),
    Column("事件", lambda r: r.event),
    Column("对象", lambda r: r.entity),
    Column("编号", lambda r: r.entity_id),
    Column("字段", lambda r: r.field),
    Column("原值", lambda r: r.old_value),
    Column("新值", lambda r: r.new_value),
    Column("结果", lambda r: r.outcome),
    Column("说明", lambda r: r.detail),
]


def _date_box() -> QDateEdit:
    box = QDateEdit()
    box.setCalendarPopup(True)
    box.setDisplayFormat("yyyy-MM-dd")
    box.setMinimumDate(qdate(NO_DATE))
    box.setSpecialValueText("不限")
    box.setDate(qdate(NO_DATE))
    return box


def _combo(items: list[str], editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.addItem(ANY)
    box.addItems(items)
    box.setEditable(editable)
    return box


class AuditLogPage(QWidget):
    title = "审计日志"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        heading = QLabel("审计日志")
        heading.setProperty("role", "pageTitle")
        choices = state.read(audit_log.filter_choices)
        self.date_from, self.date_to = _date_box(), _date_box()
        self.actor = _combo(choices.actors, editable=True)
        self.event_box = _combo(choices.events)
        self.entity = _combo(choices.entities)
        self.entity_id = QLineEdit()
        self.entity_id.setPlaceholderText("记录编号或用户名")
        self.entity_id.setClearButtonEnabled(True)
        self.outcome = _combo(["成功", "失败"])
        self.clear_button = QPushButton("清除筛选")
        self.export_button = QPushButton("导出Excel…")
        self.verify_button = QPushButton("校验完整性")
        self.verify_button.setToolTip("逐条核对哈希链，指出第一条被改动或删除的记录")

        filters = QGridLayout()
        filters.setHorizontalSpacing(6)
        # Parented at once: they go into layouts not yet installed on the page.
        today = QPushButton("今天", self)
        month = QPushButton("近30天", self)
        today.clicked.connect(lambda: self._set_range(0))
        month.clicked.connect(lambda: self._set_range(29))
        cells: list[tuple[str, QWidget]] = [("日期从", self.date_from), ("到", self.date_to), ("用户", self.actor),
                                            ("事件", self.event_box), ("对象", self.entity), ("编号", self.entity_id),
                                            ("结果", self.outcome)]
        for i, (label, widget) in enumerate(cells):
            lab = QLabel(label + "：", self)
            lab.setBuddy(widget)
            filters.addWidget(lab, i // 4, (i % 4) * 2, Qt.AlignmentFlag.AlignRight)
            filters.addWidget(widget, i // 4, (i % 4) * 2 + 1)
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        for b in (today, month, self.clear_button):
            actions.addWidget(b)
        actions.addStretch(1)
        for b in (self.verify_button, self.export_button):
            actions.addWidget(b)
        filters.addLayout(actions, 1, 6, 1, 2)
        for col in (1, 3, 5, 7):
            filters.setColumnStretch(col, 1)

        self.model = PagedTableModel(COLUMNS, self._count, self._fetch, audit_log.AuditQuery())
        self.table = paged_table_view(self.model, (150, 70, 104, 90, 70, 90, 150, 150, 42))
        self.table.setSortingEnabled(False)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setProperty("role", "hint")
        self.count_label = QLabel()
        self.count_label.setProperty("role", "hint")

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.count_label)

        for box in (self.date_from, self.date_to):
            box.dateChanged.connect(self.apply_filters)
        for combo in (self.actor, self.event_box, self.entity, self.outcome):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.actor.lineEdit().returnPressed.connect(self.apply_filters)
        self.entity_id.returnPressed.connect(self.apply_filters)
        self.entity_id.editingFinished.connect(self.apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        self.export_button.clicked.connect(self.export_xlsx)
        self.verify_button.clicked.connect(self.verify)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.selection = self.table.selectionModel()  # kept: a temporary wrapper may be collected
        self.selection.currentRowChanged.connect(self._show_detail)
        self.apply_filters()

    # --- loading ---------------------------------------------------------------------------
    def _count(self, q: audit_log.AuditQuery) -> int:
        user = self.state.user
        return self.state.read(lambda s: audit_log.count_entries(s, user, q))

    def _fetch(self, q: audit_log.AuditQuery, offset: int, limit: int) -> list[audit_log.AuditRow]:
        before = self.model.row_at(offset - 1).id if offset else None
        user, profile, page = self.state.user, self.state.profile, replace(q, before_id=before, limit=limit)
        return self.state.read(lambda s: audit_log.search_entries(s, user, profile, page))

    def query(self) -> audit_log.AuditQuery:
        def text(combo: QComboBox) -> str:
            value = combo.currentText().strip()
            return "" if value == ANY else value

        def day(box: QDateEdit) -> date | None:
            value = pydate(box.date())
            return None if value == NO_DATE else value

        return audit_log.AuditQuery(date_from=day(self.date_from), date_to=day(self.date_to), actor=text(self.actor),
                                    action=text(self.event_box), entity=text(self.entity),
                                    entity_id=self.entity_id.text().strip(), outcome=text(self.outcome))

    def reload(self) -> None:
        self.model.refresh()

    def apply_filters(self) -> None:
        query = self.query()
        if query.date_from and query.date_to and query.date_from > query.date_to:
            self.count_label.setText("起始日期晚于截止日期，请调整日期范围。")
            return
        if query != self.model.query or not self.model.rowCount():
            self.model.set_query(query)

    def clear_filters(self) -> None:
        for box in (self.date_from, self.date_to):
            box.blockSignals(True)
            box.setDate(qdate(NO_DATE))
            box.blockSignals(False)
        for combo in (self.actor, self.event_box, self.entity, self.outcome):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.setEditText(ANY) if combo.isEditable() else None
            combo.blockSignals(False)
        self.entity_id.clear()
        self.apply_filters()

    def _set_range(self, days_back: int) -> None:
        today = clock.today()
        self.date_to.blockSignals(True)
        self.date_to.setDate(qdate(today))
        self.date_to.blockSignals(False)
        self.date_from.setDate(QDate(today.year, today.month, today.day).addDays(-days_back))

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        more = "（向下滚动加载更多）" if shown < total else ""
        self.count_label.setText(f"共 {total} 条，已显示 {shown} 条{more}。最新的在最上面；身份证号、银行账号、电话已部分隐藏。"
                                 "审计日志只能追加，不能修改或删除。")

    def _show_detail(self, *_args: object) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.detail.setText("")
            return
        r = self.model.row_at(index.row())
        parts = [f"第 {r.id} 条　{r.at:%Y-%m-%d %H:%M:%S}　{r.actor}　{r.event}　{r.entity} {r.entity_id}　{r.outcome}"]
        if r.old_value or r.new_value:
            parts.append(f"{r.field}：{r.old_value or '（空）'} → {r.new_value or '（空）'}")
        elif r.field:
            parts.append(f"字段：{r.field}")
        if r.detail:
            parts.append(r.detail)
        self.detail.setText("\n".join(parts))

    # --- actions ---------------------------------------------------------------------------
    def export_xlsx(self) -> None:
        query = self.query()
        name = f"审计日志_{clock.today():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出审计日志", name, "Excel 文件 (*.xlsx)")
        if not path:
            return
        out = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        db, user, profile = self.state.db, self.state.user, self.state.profile

        def job(progress: Any) -> int:
            def report(done: int, total: int) -> None:
                progress.check()
                progress.update(done, total, f"正在导出审计日志……{done}/{total}")

            return audit_log.export_entries(db, user, profile, query, out, progress=report)

        self.state.tasks.run(
            job, parent=self, label="正在导出审计日志……", cancellable=True,
            on_done=lambda n: (QMessageBox.information(self, "已导出", f"已导出 {n} 条到：\n{out}"), self.reload()),
        )

    def verify(self) -> None:
        def job(_progress: Any) -> Any:
            with self.state.db.session(self.state.user.username, write=False) as s:
                return verify_chain(s)

        def done(problem: Any) -> None:
            if problem is None:
                QMessageBox.information(self, "校验完整性", "审计日志完整：每一条都与前一条的哈希衔接，没有被改动或删除的记录。")
            else:
                QMessageBox.warning(self, "审计日志被改动", problem.message)

        self.state.tasks.run(job, on_done=done, parent=self, label="正在校验审计日志……")
