"""节假日安排: holidays and make-up working days the admin enters for years chinesecalendar lacks."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
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
from desktop.core.errors import UserError
from desktop.core.rules.workdays import covered_years
from desktop.core.services import publicity
from desktop.ui.session import AppState
from desktop.ui.widgets import pydate, qdate

KINDS = {"holiday": "放假", "workday": "调休上班"}


class CalendarDialog(QDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.rows: list[publicity.CalendarDayRow] = []
        self.setWindowTitle("节假日安排（未内置的年份）")
        self.resize(560, 460)
        years = covered_years()
        hint = QLabel(
            f"{min(years)}—{max(years)}年的节假日和调休已按国务院办公厅公布的安排内置。"
            "以后年份的安排公布后，请在这里逐天录入放假日和调休上班日；未录入时按周一至周五计算工作日。"
        )
        hint.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["日期", "类别", "说明"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.day = QDateEdit(qdate(clock.today()))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.note = QLineEdit()
        self.note.setPlaceholderText("如 春节")
        add, remove = QPushButton("录入"), QPushButton("删除选中")
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)
        entry = QHBoxLayout()
        for w in (self.day, self.kind, self.note, add):
            entry.addWidget(w)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(remove)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(entry)
        layout.addLayout(bottom)
        self.reload()

    def reload(self) -> None:
        self.rows = self.state.read(publicity.list_calendar_days)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, value in enumerate((f"{row.day:%Y-%m-%d}", KINDS.get(row.kind, row.kind), row.note)):
                self.table.setItem(r, c, QTableWidgetItem(value))

    def add(self) -> None:
        day, kind, note, user = pydate(self.day.date()), self.kind.currentData(), self.note.text(), self.state.user
        try:
            self.state.write(lambda s: publicity.add_calendar_day(s, user, day, kind, note))
        except UserError as exc:
            QMessageBox.warning(self, "不能录入", str(exc))
            return
        self.note.clear()
        self.reload()

    def remove(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            return
        row = self.rows[selected[0].row()]
        user = self.state.user
        self.state.write(lambda s: publicity.remove_calendar_day(s, user, row.id))
        self.reload()
