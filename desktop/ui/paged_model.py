"""A read-only table model that holds the total count and fetches rows page by page on demand.

Filtering and sorting are done by the database (the page functions take the query); the model
never holds more rows than the view has scrolled through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

R = TypeVar("R")
Q = TypeVar("Q")

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    value: Callable[[R], Any]
    sort_key: str = ""  # the query's order key; "" = not sortable
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class PagedTableModel(QAbstractTableModel, Generic[R, Q]):
    PAGE_SIZE = 200

    def __init__(
        self,
        columns: Sequence[Column[R]],
        count: Callable[[Q], int],
        fetch: Callable[[Q, int, int], list[R]],
        query: Q,
    ) -> None:
        super().__init__()
        self._columns = list(columns)
        self._count = count
        self._fetch = fetch
        self._query = query
        self._rows: list[R] = []
        self._total = 0
        self._resetting = False

    # --- loading -------------------------------------------------------------------------
    @property
    def query(self) -> Q:
        return self._query

    @property
    def total(self) -> int:
        return self._total

    def set_query(self, query: Q) -> None:
        self._resetting = True  # views ask canFetchMore while the reset signal is being delivered
        try:
            self.beginResetModel()
            self._query = query
            self._total = self._count(query)
            self._rows = self._fetch(query, 0, self.PAGE_SIZE) if self._total else []
            self.endResetModel()
        finally:
            self._resetting = False

    def refresh(self) -> None:
        self.set_query(self._query)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._resetting and len(self._rows) < self._total

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:
        if parent.isValid() or self._resetting:
            return
        more = self._fetch(self._query, len(self._rows), self.PAGE_SIZE)
        if not more:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # --- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._columns):
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(self._rows[index.row()])
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        return str(section + 1)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or not self._columns[column].sort_key:
            return
        query = replace(  # type: ignore[type-var]
            self._query,
            order=self._columns[column].sort_key,
            descending=order == Qt.SortOrder.DescendingOrder,
            offset=0,
        )
        self.set_query(query)


def service_model(
    state: Any,
    columns: Sequence[Column[R]],
    count: Callable[[Any, Q], int],
    search: Callable[[Any, Any, Q], list[R]],
    query: Q,
) -> PagedTableModel[R, Q]:
    """A paged model over a core service pair ``count(session, q)`` / ``search(session, profile, q)``."""
    profile = state.profile

    def fetch(q: Q, offset: int, limit: int) -> list[R]:
        page = replace(q, offset=offset, limit=limit)  # type: ignore[type-var]
        return state.read(lambda s: search(s, profile, page))

    return PagedTableModel(columns, lambda q: state.read(lambda s: count(s, q)), fetch, query)
