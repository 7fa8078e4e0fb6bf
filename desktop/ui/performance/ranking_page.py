"""金牌劳务经纪人推荐 (sichuan): active brokers ranked by the year's transfers, the quota line, the
tie-break rule on screen, and the nomination list as PDF and .xlsx."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.core.services import performance_documents as documents
from desktop.core.services.rankings import GoldMedalRanking, NomineeRow, gold_medal_ranking
from desktop.ui.paged_model import Column
from desktop.ui.performance.common import (
    RIGHT,
    alive,
    export_to_folder,
    frame_page,
    hint_label,
    ranked_broker_columns,
    ranking_table,
    summary_label,
    year_combo,
)
from desktop.ui.session import AppState

COLUMNS: list[Column[NomineeRow]] = [
    *ranked_broker_columns(lambda r: r.rank, lambda r: r.broker),
    Column("本年人次", lambda r: r.transfers, align=RIGHT),
    Column("其中脱贫人口", lambda r: r.poverty, align=RIGHT),
    Column("上年人次", lambda r: r.previous_year, align=RIGHT),
    Column("推荐", lambda r: "推荐" if r.nominated else ("待定" if r.at_line else "")),
    Column("备注", lambda r: r.note),
]


class RankingPage(QWidget):
    title = "金牌推荐"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.ranking: GoldMedalRanking | None = None
        self.year = year_combo()
        self.only_nominated = QCheckBox("只看推荐名额内及并列的")
        self.only_nominated.setChecked(True)
        self.export = QPushButton("导出推荐名单（PDF、Excel）…")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year)
        bar.addWidget(self.only_nominated)
        bar.addStretch(1)
        bar.addWidget(self.export)
        self.summary = summary_label()
        self.model, self.table = ranking_table(COLUMNS, (50, 80, 165, 240, 95, 75, 95, 75, 50))
        frame_page(self, "金牌劳务经纪人推荐排名", bar, self.summary, body=self.table, rule=hint_label(documents.TIE_RULE))
        self.year.currentIndexChanged.connect(self.reload)
        self.only_nominated.toggled.connect(self._show_rows)
        self.export.clicked.connect(self.export_list)

    def reload(self) -> None:
        year = int(self.year.currentData())
        profile = self.state.profile
        self.summary.setText("正在排名……")
        self.state.in_background(lambda s: gold_medal_ranking(s, profile, year), write=False, on_done=self.show_ranking,
                                 parent=self, label="正在排名……")

    def show_ranking(self, ranking: GoldMedalRanking) -> None:
        if not alive(self):
            return
        self.ranking = ranking
        tie = f"；另有 {ranking.at_line} 名与名额线上的经纪人并列，需研究确定" if ranking.at_line else ""
        self.summary.setText(
            f"{ranking.year}年：在册经纪人 {len(ranking.rows):,} 名参加排名，推荐名额 {ranking.quota} 名"
            f"（省级每年选树 {ranking.quota} 名，每人奖励 {ranking.award_yuan:,} 元），名额内 {ranking.nominated} 名{tie}。")
        self._show_rows()

    def _show_rows(self) -> None:
        if self.ranking is None:
            return
        rows = self.ranking.rows
        if self.only_nominated.isChecked():
            rows = tuple(r for r in rows if r.nominated or r.at_line)
        self.model.set_items(rows)

    def export_list(self) -> None:
        year, user, profile = int(self.year.currentData()), self.state.user, self.state.profile
        center = self.state.center.center_name
        export_to_folder(self, self.state, "选择保存推荐名单的文件夹",
                         lambda s, folder: documents.write_nominations(s, user, profile, year, center, folder))
