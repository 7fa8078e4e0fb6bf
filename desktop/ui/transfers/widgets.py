"""Pieces the transfer pages share: the broker picker, the list model, a reason dialog."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPlainTextEdit, QWidget

from desktop.core.services import transfer_search as search
from desktop.ui.paged_model import Column, PagedTableModel
from desktop.ui.session import AppState
from desktop.ui.widgets import FormDialog


class BrokerPicker(QComboBox):
    """Type a name or the first digits of an ID number; the matching brokers are offered.

    ``value()`` is the chosen broker's id (None when nothing is chosen). With ``allow_all`` the
    first entry is “全部经纪人” (for filters)."""

    changed = Signal()

    def __init__(self, state: AppState, *, allow_all: bool = False, active_only: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.allow_all, self.active_only = state, allow_all, active_only
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.setMinimumContentsLength(16)
        self.lineEdit().setPlaceholderText("全部经纪人（输入姓名或身份证号查找）" if allow_all else "输入经纪人姓名或身份证号查找")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._refresh)
        self._loading = False
        self._chosen: int | None = None
        self.lineEdit().textEdited.connect(lambda _t: self._timer.start())
        self.activated.connect(self._picked)
        self._fill(self._options(""))

    def _options(self, text: str) -> list[search.BrokerOption]:
        profile = self.state.profile
        return self.state.read(lambda s: search.broker_options(s, profile, text, active_only=self.active_only))

    def _fill(self, options: list[search.BrokerOption], keep_text: str | None = None) -> None:
        self._loading = True
        self.clear()
        if self.allow_all:
            self.addItem("全部经纪人", None)
        for option in options:
            self.addItem(option.label, option.id)
            self.setItemData(self.count() - 1, option.village_code, Qt.ItemDataRole.UserRole + 1)
        if keep_text is not None:
            self.setEditText(keep_text)
        elif not self.allow_all:
            self.setCurrentIndex(-1)
        self._loading = False

    def _refresh(self) -> None:
        text = self.currentText()
        self._fill(self._options(text), keep_text=text)
        if self.count() > (1 if self.allow_all else 0) and text.strip():
            self.showPopup()
        if not text.strip() and self._chosen is not None:
            self._chosen = None
            self.changed.emit()

    def _picked(self, index: int) -> None:
        if self._loading:
            return
        self._chosen = self.itemData(index)
        self.changed.emit()

    def value(self) -> int | None:
        index = self.findText(self.currentText(), Qt.MatchFlag.MatchExactly)
        if index >= 0:
            return self.itemData(index)
        return self._chosen if self.currentText().strip() else None

    def village_code(self) -> str:
        index = self.findText(self.currentText(), Qt.MatchFlag.MatchExactly)
        return str(self.itemData(index, Qt.ItemDataRole.UserRole + 1) or "") if index >= 0 else ""

    def set_broker(self, broker_id: int) -> None:
        profile = self.state.profile
        option = self.state.read(lambda s: search.broker_option(s, profile, broker_id))
        if option is None:
            return
        self._fill([option])
        self.setCurrentIndex(self.findData(broker_id))
        self._chosen = broker_id


def transfer_model(state: AppState, columns: list[Column[Any]], query: search.TransferQuery) -> PagedTableModel:
    """The paged list over ``search_page``: a search's count and first page come from one scan."""
    profile = state.profile
    first: dict[search.TransferQuery, list[search.TransferRow]] = {}
    size = PagedTableModel.PAGE_SIZE

    def count(q: search.TransferQuery) -> int:
        total, rows = state.read(lambda s: search.search_page(s, profile, replace(q, offset=0, limit=size)))
        first.clear()
        first[q] = rows
        return total

    def fetch(q: search.TransferQuery, offset: int, limit: int) -> list[search.TransferRow]:
        if offset == 0 and q in first:
            return first.pop(q)
        page = replace(q, offset=offset, limit=limit)
        return state.read(lambda s: search.search_transfers(s, profile, page))

    return _TipModel(columns, count, fetch, query)


class _TipModel(PagedTableModel):
    """Cells too long for their column show in full as a tooltip (服务补助 reasons, addresses)."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.ToolTipRole:
            text = super().data(index, Qt.ItemDataRole.DisplayRole)
            return text if text and len(text) > 8 else None
        return super().data(index, role)


class ReasonDialog(FormDialog):
    """Ask for the reason of an irreversible step (作废, 取消资格, 撤回…) and confirm it."""

    def __init__(self, title: str, explanation: str, label: str, ok_text: str, parent: QWidget | None = None,
                 *, min_chars: int = 2) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(520, 300)
        self.min_chars = min_chars
        intro = QLabel(explanation)
        intro.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow(intro)
        form.addRow(label, self.reason)
        self.set_body(form, ok_text=ok_text)
        self.reason.setFocus()

    def submit(self) -> None:
        if len(self.text().strip()) < self.min_chars:
            self.message.setText(f"请填写{'至少 ' + str(self.min_chars) + ' 个字的' if self.min_chars > 2 else ''}理由，记录会长期保存。")
            return
        self.accept()

    def text(self) -> str:
        return self.reason.toPlainText().strip()
