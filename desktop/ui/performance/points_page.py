"""积分排名 (chongqing): every active broker's points for the year with the profile's weights, the
bottom of the ranking as the replacement-candidate list (never a removal), and the entry of the
work that earns points (data updates, platform tasks)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop.core import clock
from desktop.core.models.performance import WorkKind
from desktop.core.services import broker_work
from desktop.core.services.rankings import PointsRanking, PointsRow, points_ranking
from desktop.ui.paged_model import Column
from desktop.ui.performance.common import (
    RIGHT,
    BrokerSearch,
    EntryDialog,
    alive,
    frame_page,
    hint_label,
    ranked_broker_columns,
    ranking_table,
    summary_label,
    year_combo,
)
from desktop.ui.session import AppState
from desktop.ui.widgets import date_edit, pydate

COLUMNS: list[Column[PointsRow]] = [
    *ranked_broker_columns(lambda r: r.rank, lambda r: r.broker),
    Column("转移人次", lambda r: r.transfers, align=RIGHT),
    Column("信息更新", lambda r: r.data_updates, align=RIGHT),
    Column("平台任务", lambda r: r.tasks, align=RIGHT),
    Column("积分", lambda r: r.points, align=RIGHT),
    Column("备注", lambda r: "补充替换候选" + ("（并列）" if r.tied else "") if r.candidate else ("并列" if r.tied else "")),
]


class PointsPage(QWidget):
    title = "积分排名"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        rules = state.profile.points
        assert rules is not None
        self.ranking: PointsRanking | None = None
        self.year = year_combo()
        self.candidates_only = QCheckBox("只看补充替换候选")
        self.record = QPushButton("登记工作量(&N)…")
        self.record.setEnabled(state.user.role.value in ("clerk", "reviewer", "admin"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year)
        bar.addWidget(self.candidates_only)
        bar.addStretch(1)
        bar.addWidget(self.record)
        self.summary = summary_label()
        self.model, self.table = ranking_table(COLUMNS, (50, 80, 165, 220, 95, 70, 70, 70, 60))
        rule = hint_label(
            f"积分 = 转移就业人次 × {rules.weight_transfers} + 人力资源信息更新 × {rules.weight_data_updates} + "
            f"完成平台任务 × {rules.weight_tasks_completed}。积分相同的，依次比较转移人次、平台任务、信息更新（多者在前）、"
            f"认定时间（早者在前）。排名后 {rules.replacement_candidate_percent}%（至少 {rules.replacement_candidate_min} 名，"
            "与最后一名并列的一并列入）为补充替换候选名单，只作为研究补充、替换的参考，不会自动取消任何人的资格。")
        frame_page(self, "积分排名", bar, self.summary, body=self.table, rule=rule)
        self.year.currentIndexChanged.connect(self.reload)
        self.candidates_only.toggled.connect(self._show_rows)
        self.record.clicked.connect(self.open_work)

    def reload(self) -> None:
        year, profile = int(self.year.currentData()), self.state.profile
        self.summary.setText("正在计算积分……")
        self.state.in_background(lambda s: points_ranking(s, profile, year), write=False, on_done=self.show_ranking,
                                 parent=self, label="正在计算积分……")

    def show_ranking(self, ranking: PointsRanking) -> None:
        if not alive(self):
            return
        self.ranking = ranking
        self.summary.setText(f"{ranking.year}年：在册经纪人 {len(ranking.rows):,} 名参加排名，"
                             f"补充替换候选 {len(ranking.candidates)} 名。")
        self._show_rows()

    def _show_rows(self) -> None:
        if self.ranking is not None:
            rows = self.ranking.candidates if self.candidates_only.isChecked() else self.ranking.rows
            self.model.set_items(rows)

    def open_work(self) -> None:
        if WorkDialog(self.state, self).exec():
            self.reload()


class WorkDialog(EntryDialog):
    """One work entry for one broker; a negative number corrects an earlier entry (with a note)."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("登记积分工作量")
        self.resize(560, 560)
        self.picker = BrokerSearch(state)
        today = clock.today()
        self.on = date_edit(today, maximum=today)
        self.kind = QComboBox()
        for kind in WorkKind:
            self.kind.addItem(kind.label, kind.value)
        self.quantity = QSpinBox()
        self.quantity.setRange(-broker_work.MAX_QUANTITY, broker_work.MAX_QUANTITY)
        self.quantity.setValue(1)
        self.note = QLineEdit()
        self.note.setPlaceholderText("更正（填负数）时必须写明原因")
        form = QFormLayout()
        form.addRow("日期：", self.on)
        form.addRow("类别：", self.kind)
        form.addRow("数量：", self.quantity)
        form.addRow("备注：", self.note)
        self.set_body(self.picker, form, ok_text="保存")
        self.watch(self.quantity, self.note)
        self.picker.box.setFocus()

    def submit(self) -> None:
        from desktop.core.errors import UserError

        state = self.state

        def save() -> int:
            broker_id = self.picker.selected_id()
            if broker_id is None:
                raise UserError("请先查找并选中一名经纪人。")
            data = broker_work.WorkInput(broker_id, pydate(self.on.date()), str(self.kind.currentData()),
                                         self.quantity.value(), self.note.text())
            return state.write(lambda s: broker_work.record_work(s, state.user, state.profile, data))

        self.attempt(save)
