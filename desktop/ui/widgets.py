"""Small shared pieces of the UI: date conversion, and the form dialog every step dialog uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import UserError


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(d: date, maximum: date | None = None) -> QDateEdit:
    edit = QDateEdit(qdate(d))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if maximum is not None:
        edit.setMaximumDate(qdate(maximum))
    return edit


class FormDialog(QDialog):
    """A dialog of fields, a red message line, and OK/取消; ``submit`` is the OK action.

    Subclasses build their fields, call ``set_body(layout_or_widget, ok_text)`` and implement
    ``submit``, which usually ends in ``self.attempt(lambda: …)``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel()
        self.message.setProperty("role", "fieldError")
        self.message.setWordWrap(True)

    def set_body(self, *parts: QLayout | QWidget, ok_text: str = "确定") -> None:
        buttons = QDialogButtonBox()
        ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self) -> None:
        raise NotImplementedError

    def attempt(self, action: Callable[[], Any]) -> Any:
        """Run ``action``; a UserError stays in the dialog as its message, success closes it."""
        try:
            result = action()
        except UserError as exc:
            self.message.setText(str(exc))
            return None
        self.accept()
        return result


def paged_table_view(model: Any, widths: tuple[int, ...]) -> Any:
    """The list view every register page uses: whole-row selection, server-side sorting, lazy rows.
    Making it queries nothing: the page sets the model's query (its first page) itself."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView, QTableView

    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    # No indicator before sorting is switched on: enabling it sorts by the indicator's column at
    # once, which would load the list a first time in an order nobody chose. The page loads it.
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setDefaultSectionSize(26)
    for col, width in enumerate(widths):
        table.setColumnWidth(col, width)
    return table


def text_table(headers: Sequence[str], widths: Sequence[int] = ()) -> QTableWidget:
    """A short read-only list filled at once (batches, signatures, a person's trips): whole-row
    selection, no row numbers, the last column taking the spare width."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setStretchLastSection(True)
    for col, width in enumerate(widths):
        table.setColumnWidth(col, width)
    return table


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def fill(table: QTableWidget, rows: Sequence[Sequence[str]], right: Sequence[int] = (), *, fit: bool = False) -> None:
    """Replace a ``text_table``'s rows; columns in ``right`` (numbers, money) are right-aligned;
    ``fit`` sizes the columns to what they now hold."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c in right:
                item.setTextAlignment(RIGHT)
            table.setItem(r, c, item)
    if fit:
        table.resizeColumnsToContents()


def on_user_edit(widget: QWidget, handler: Callable[..., None]) -> None:
    """Call ``handler`` whenever the user changes this field (typing, a date, a choice, a tick):
    what a live-checked form listens to. Text set by the program does not count for line edits."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(handler)
    elif isinstance(widget, QDateEdit):
        widget.dateChanged.connect(handler)
    elif isinstance(widget, QComboBox):
        widget.currentTextChanged.connect(handler)
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(handler)
    elif isinstance(widget, QCheckBox):
        widget.toggled.connect(handler)


def search_box(placeholder: str, on_change: Callable[[], None], parent: QWidget) -> Any:
    """A search field that re-queries 200 ms after the last keystroke (and at once on Enter)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLineEdit

    box = QLineEdit()
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(200)
    timer.timeout.connect(on_change)
    box.textChanged.connect(lambda _t: timer.start())
    box.returnPressed.connect(on_change)
    return box
