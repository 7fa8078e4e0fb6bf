"""Shared pieces of the fund screens: a form dialog that asks before discarding typed work, money
fields read as integer 分, and read-only tables filled from rows of text."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.core.money import parse_yuan
from desktop.ui.widgets import RIGHT, FormDialog


class FundForm(FormDialog):
    """A FormDialog that remembers whether anything was typed and asks before Esc throws it away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dirty = False

    def watch(self, *widgets: QWidget) -> None:
        for w in widgets:
            if isinstance(w, QLineEdit):
                w.textEdited.connect(self._touched)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(self._touched)
                w.setTabChangesFocus(True)
            elif isinstance(w, QComboBox):
                w.activated.connect(self._touched)
            elif isinstance(w, QDateEdit):
                w.dateChanged.connect(self._touched)

    def _touched(self, *_args: object) -> None:
        self.dirty = True

    def reject(self) -> None:
        if self.dirty:
            answer = QMessageBox.question(
                self, "放弃填写？", "填写的内容还没有保存，确定要关闭并放弃吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()


def money_edit(placeholder: str = "单位：元，如 350.00") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setAlignment(RIGHT)
    edit.setMaximumWidth(220)
    return edit


def read_money(edit: QLineEdit, what: str) -> int:
    """The 分 typed in ``edit``; a UserError (shown in the dialog) when it is not an amount."""
    try:
        return parse_yuan(edit.text(), what=what)
    except UserError:
        edit.setFocus()
        edit.selectAll()
        raise


def selected_row(table: QTableWidget) -> int:
    model = table.selectionModel()
    rows = model.selectedRows() if model else []
    return rows[0].row() if rows else -1


def stretch(table: QTableWidget, column: int) -> None:
    table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
