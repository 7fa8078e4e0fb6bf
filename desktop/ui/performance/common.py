"""Pieces the broker-performance pages share: the page frame (title, tool bar, summary, body, rule),
a year chooser, a ranking table over a computed list and its broker columns, the export-to-folder
action, and an entry dialog that asks before discarding what was typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QLayout, QMessageBox, QTableView, QVBoxLayout, QWidget

from desktop.core import clock
from desktop.ui.paged_model import Column, PagedTableModel
from desktop.ui.session import AppState
from desktop.ui.widgets import FormDialog, paged_table_view

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def alive(widget: QWidget) -> bool:
    """False once Qt has deleted the widget (a background result may arrive after its page closed)."""
    from shiboken6 import isValid

    return bool(isValid(widget))


def hint_label(text: str) -> QLabel:
    """A wrapped grey line under a table: the rule the page applies, in the profile's numbers."""
    label = QLabel(text)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


def summary_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    return label


def frame_page(page: QWidget, title: str, *parts: QWidget | QLayout, body: QWidget, rule: QWidget) -> None:
    """The performance pages' layout: the title, then ``parts`` (tool bar, rule, summary…) in
    order, the body taking the height that is left, the rule or hint at the bottom."""
    heading = QLabel(title)
    heading.setProperty("role", "pageTitle")
    layout = QVBoxLayout(page)
    layout.addWidget(heading)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addWidget(body, 1)
    layout.addWidget(rule)


def ranked_broker_columns(rank: Callable[[Any], Any], broker: Callable[[Any], Any]) -> list[Column[Any]]:
    """名次 and the broker's identity, the first columns of every ranking."""
    return [
        Column("名次", rank, align=RIGHT),
        Column("姓名", lambda r: broker(r).name),
        Column("身份证号码", lambda r: broker(r).id_number_masked),
        Column("主要服务区域", lambda r: broker(r).service_area),
        Column("认定时间", lambda r: f"{broker(r).certified_on:%Y-%m-%d}"),
    ]


def ranking_table(columns: Sequence[Column[Any]], widths: tuple[int, ...]) -> tuple[ListModel, QTableView]:
    """A ranking's table: in its computed order (no header sorting), 名次 instead of row numbers."""
    model = ListModel(columns)
    table = paged_table_view(model, widths)
    table.setSortingEnabled(False)
    table.verticalHeader().setVisible(False)
    return model, table


def year_combo(years_back: int = 4) -> QComboBox:
    """This year and the ones before it, this year selected."""
    combo = QComboBox()
    this = clock.today().year
    for year in range(this, this - years_back - 1, -1):
        combo.addItem(f"{year}年", year)
    return combo


class ListModel(PagedTableModel):  # type: ignore[type-arg]
    """A read-only table over rows already computed in core (a ranking), shown 200 at a time."""

    def __init__(self, columns: Sequence[Column[Any]]) -> None:
        self.items: list[Any] = []
        super().__init__(columns, lambda _q: len(self.items), lambda _q, off, n: self.items[off : off + n], None)

    def set_items(self, items: Sequence[Any]) -> None:
        self.items = list(items)
        self.refresh()


def export_to_folder(owner: QWidget, state: AppState, title: str, job: Callable[[Any, Path], Any]) -> None:
    """Ask for a folder (a USB drive), run ``job(session, folder)`` off the GUI thread, say where it went."""
    folder = QFileDialog.getExistingDirectory(owner, title)
    if not folder:
        return

    def done(written: Any) -> None:
        QMessageBox.information(owner, "已导出", f"已导出 {written.rows} 行：\n{written.xlsx}\n{written.pdf}")

    state.in_background(lambda s: job(s, Path(folder)), on_done=done, parent=owner, label="正在导出……")


class EntryDialog(FormDialog):
    """A FormDialog that asks before Esc or 取消 throws away what was typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dirty = False

    def watch(self, *widgets: QWidget) -> None:
        """Mark the dialog dirty when any of ``widgets`` changes."""
        for w in widgets:
            for signal in ("textChanged", "currentIndexChanged", "dateChanged", "valueChanged", "itemChanged"):
                if hasattr(w, signal):
                    getattr(w, signal).connect(self._touch)
                    break

    def _touch(self, *_args: Any) -> None:
        self.dirty = True

    def reject(self) -> None:
        if self.dirty:
            answer = QMessageBox.question(self, "放弃填写？", "填写的内容还没有保存，确定要关闭并放弃吗？",
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()


def int_or_none(text: str, what: str) -> int | None:
    """A whole number typed by the clerk ("" → None); a UserError says what is wrong."""
    from desktop.core.errors import UserError

    cleaned = "".join(text.split()).replace(",", "").replace("，", "")
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise UserError(f"{what}应填写整数（人数），现在是“{text.strip()}”。")
    return int(cleaned)


class BrokerSearch(QWidget):
    """Find active brokers by name or ID-number prefix; pick one, or tick several (``checkable``).

    Ticked brokers stay ticked while the clerk searches for the next one."""

    def __init__(self, state: AppState, *, checkable: bool = False, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout

        from desktop.ui.widgets import search_box

        super().__init__(parent)
        self.state = state
        self.checkable = checkable
        self.ticked: dict[int, str] = {}
        self.box = search_box("输入经纪人姓名，或身份证号码前几位", self.search, self)
        self.results = QListWidget()
        self.count = QLabel()
        self.count.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.count)
        self.results.itemChanged.connect(self._ticked)
        self.box.installEventFilter(self)  # Enter searches here; it must not press the dialog's OK
        self.search()

    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent, Qt

        if watched is self.box and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.search()
            return True
        return super().eventFilter(watched, event)

    def search(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QListWidgetItem

        from desktop.core.services.transfer_search import broker_options

        text, profile = self.box.text(), self.state.profile
        found = self.state.read(lambda s: broker_options(s, profile, text))
        self.results.blockSignals(True)
        self.results.clear()
        for b in found:
            item = QListWidgetItem(b.label)
            item.setData(Qt.ItemDataRole.UserRole, b.id)
            if self.checkable:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if b.id in self.ticked else Qt.CheckState.Unchecked)
            self.results.addItem(item)
        self.results.blockSignals(False)
        if found and not self.checkable:
            self.results.setCurrentRow(0)
        self._say(len(found))

    def _say(self, shown: int) -> None:
        more = "（只列出前 50 名，请输入更多字缩小范围）" if shown >= 50 else ""
        ticked = f"；已勾选 {len(self.ticked)} 名" if self.checkable else ""
        self.count.setText(f"找到 {shown} 名在册经纪人{more}{ticked}")

    def _ticked(self, item: Any) -> None:
        from PySide6.QtCore import Qt

        broker_id = int(item.data(Qt.ItemDataRole.UserRole))
        if item.checkState() == Qt.CheckState.Checked:
            self.ticked[broker_id] = item.text()
        else:
            self.ticked.pop(broker_id, None)
        self._say(self.results.count())

    def selected_id(self) -> int | None:
        from PySide6.QtCore import Qt

        item = self.results.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
