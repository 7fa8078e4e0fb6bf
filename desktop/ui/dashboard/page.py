"""The dashboard (工作台): the first page after sign-in — a few figures, two charts, and what needs
doing, each to-do opening the page that does it. Everything is counted in core
(``services.dashboard``) on the worker thread, so opening it never freezes the window."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.money import yuan_text
from desktop.core.services.dashboard import Dashboard, build_dashboard
from desktop.ui.charts import BarChart, HBarChart
from desktop.ui.performance.common import alive
from desktop.ui.session import AppState

URGENT = QColor("#b42318")
TARGET_ROLE = Qt.ItemDataRole.UserRole


class Tile(QFrame):
    """A big number with a caption and a line of detail."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setStyleSheet("QFrame#tile { background: #f4f7fb; border: 1px solid #d8e0ea; border-radius: 6px; }")
        self.caption = QLabel(caption)
        self.caption.setProperty("role", "hint")
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size: 20pt; font-weight: bold; color: #1f3b63;")
        self.detail = QLabel("")
        self.detail.setProperty("role", "hint")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def show_figure(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class DashboardPage(QWidget):
    """``navigate`` carries the target of a to-do the clerk opened (see ``services.dashboard.Todo``)."""

    title = "工作台"
    navigate = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.targets: set[str] = set()  # to-do targets the main window can open
        self.data: Dashboard | None = None
        self._loading = False
        mods = state.profile.modules

        heading = QLabel("工作台")
        heading.setProperty("role", "pageTitle")
        self.as_of = QLabel()
        self.as_of.setProperty("role", "hint")
        self.refresh = QPushButton("刷新(&R)")
        self.refresh.setToolTip("重新统计全部数字")
        self.refresh.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.as_of)
        top.addWidget(self.refresh)

        self.brokers_tile = Tile("在册劳务经纪人")
        self.transfers_tile = Tile("今年组织转移就业")
        self.subsidy_tile = Tile("今年申领服务补助") if mods.subsidy else None
        self.coverage_tile = Tile("缺少劳务经纪人的村（社区）") if mods.coverage else None
        tiles = QHBoxLayout()
        for tile in (self.brokers_tile, self.transfers_tile, self.subsidy_tile, self.coverage_tile):
            if tile is not None:
                tiles.addWidget(tile, 1)

        self.months = BarChart("近 12 个月转移就业人次（按入职日期）")
        self.months.setVisible(mods.transfer)
        self.statuses = HBarChart("劳务经纪人状态")
        self.townships = HBarChart("缺少经纪人最多的乡镇（街道）：缺几名") if mods.coverage else None
        todo_title = QLabel("待办事项")
        todo_title.setStyleSheet("font-weight: bold;")
        self.todo = QListWidget()
        self.todo.setObjectName("todo")
        self.todo.setWordWrap(True)
        self.todo.setSpacing(2)
        self.todo.itemActivated.connect(self._open)
        self.todo.itemClicked.connect(self._open)
        self.todo_hint = QLabel("单击一项打开对应页面办理。")
        self.todo_hint.setProperty("role", "hint")

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        left = QVBoxLayout()
        left.addWidget(self.months, 3)
        if self.townships is not None:
            left.addWidget(self.townships, 2)
        right = QVBoxLayout()
        right.addWidget(todo_title)
        right.addWidget(self.todo, 3)
        right.addWidget(self.todo_hint)
        right.addWidget(self.statuses, 1)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addLayout(grid, 1)

    # --- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.refresh.setEnabled(False)
        self.as_of.setText("正在统计……")
        profile, county, today = self.state.profile, self.state.center.county_code, clock.today()
        self.state.in_background(lambda s: build_dashboard(s, profile, county, today), write=False,
                                 on_done=self.show_data, on_error=self._failed, parent=self,
                                 label="正在统计工作台数字……")

    def _failed(self, exc: BaseException) -> None:
        from desktop.ui.tasks import show_error

        if not alive(self):
            return
        self._loading = False
        self.refresh.setEnabled(True)
        self.as_of.setText("统计失败")
        show_error(self, exc)

    # --- showing ---------------------------------------------------------------------------
    def show_data(self, data: Dashboard) -> None:
        if not alive(self):
            return  # the window closed while the figures were being counted
        self._loading = False
        self.refresh.setEnabled(True)
        self.data = data
        self.as_of.setText(f"统计至 {data.today:%Y-%m-%d}  ")
        revoked = sum(s.count for s in data.brokers) - data.active_brokers
        self.brokers_tile.show_figure(f"{data.active_brokers:,} 名", f"已取消资格 {revoked:,} 名" if revoked else "")
        self.transfers_tile.show_figure(f"{data.transfers_this_year:,} 人次",
                                        f"去年全年 {data.transfers_last_year:,} 人次")
        if self.subsidy_tile is not None and data.subsidy is not None:
            sub = data.subsidy
            self.subsidy_tile.show_figure(f"{sub.workers:,} 人", f"{yuan_text(sub.amount_fen)} 元；累计 {sub.all_workers:,} 人、"
                                          f"{yuan_text(sub.all_amount_fen)} 元")
        if self.coverage_tile is not None and data.coverage is not None:
            gap = data.coverage
            detail = f"还缺 {gap.short_brokers} 名经纪人" + (
                f"；{gap.missing_population} 个村未录入人口" if gap.missing_population else "")
            self.coverage_tile.show_figure(f"{gap.short_villages} 个", detail)
            self.coverage_tile.setToolTip(f"全县共 {gap.villages} 个村（社区）")
        months = list(data.months)
        self.months.set_data([(m.label, m.count) for m in months], highlight=[len(months) - 1], unit=" 人次")
        self.statuses.set_data([(s.label, s.count) for s in data.brokers], unit=" 名")
        if self.townships is not None and data.coverage is not None:
            self.townships.set_data([(t.name, t.brokers) for t in data.coverage.townships], unit=" 名")
            self.townships.empty_text = "每个村（社区）的经纪人都已配足"
        self._show_todos(data)

    def _show_todos(self, data: Dashboard) -> None:
        self.todo.clear()
        if not data.todos:
            item = QListWidgetItem("暂时没有待办事项。")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.todo.addItem(item)
            return
        for todo in data.todos:
            item = QListWidgetItem(("⚠ " if todo.urgent else "• ") + todo.text)
            if todo.urgent:
                item.setForeground(QBrush(URGENT))
            if todo.target in self.targets:
                item.setData(TARGET_ROLE, todo.target)
                item.setToolTip("单击打开对应页面")
            else:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.todo.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if target:
            self.navigate.emit(str(target))
