"""The biennial review page (两年复核): every broker's transfers for the reviewed years, the flag,
and the reviewer's decisions — revoke or keep, each with a reason; fraud revokes at once.
Nothing is revoked without a reviewer saying so."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.services import review
from desktop.ui.paged_model import Column, PagedTableModel, service_model
from desktop.ui.session import AppState
from desktop.ui.transfers.widgets import ReasonDialog
from desktop.ui.widgets import FormDialog, paged_table_view, search_box

CENTRE = Qt.AlignmentFlag.AlignCenter


def columns(years: tuple[int, ...]) -> list[Column[review.ReviewRow]]:
    per_year = [Column(f"{y}年人次", lambda r, i=i: r.counts[i], "counts", align=CENTRE) for i, y in enumerate(years)]
    return [
        Column("姓名", lambda r: r.name, "name"),
        Column("身份证号码", lambda r: r.id_number_masked),
        Column("主要服务区域", lambda r: r.service_area),
        Column("认定时间", lambda r: f"{r.certified_on:%Y-%m-%d}", "certified_on"),
        *per_year,
        Column("列入取消名单", lambda r: "是" if r.flagged else "否", align=CENTRE),
        Column("状态", lambda r: r.status_label),
        Column("复核决定 / 说明", lambda r: r.decision or r.note or ("待决定" if r.flagged else "")),
    ]


class ReviewPage(QWidget):
    title = "两年复核"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        rules = state.profile.review
        assert rules is not None
        heading = QLabel("劳务经纪人两年复核")
        heading.setProperty("role", "pageTitle")
        rule = QLabel(f"规则：复核年度及上一年度组织转移就业人次每年都低于 {rules.min_transfers_per_year} 人次的，列入取消资格名单"
                      f"（恰好 {rules.min_transfers_per_year} 人次不列入）；由审核人员逐人填写理由后取消或保留，系统不会自动取消。"
                      "查实提供虚假信息、骗取补贴的，即时取消。")
        rule.setWordWrap(True)
        rule.setProperty("role", "hint")
        self.year = QSpinBox()
        self.year.setRange(2000, clock.today().year)
        self.year.setValue(clock.today().year)
        self.year.setSuffix(" 年度")
        self.flagged_only = QCheckBox("只看列入取消名单的")
        self.flagged_only.setChecked(True)
        self.search = search_box("经纪人姓名，或身份证号码前几位", self.apply_filters, self)
        self.summary = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("复核年度："))
        bar.addWidget(self.year)
        bar.addWidget(self.flagged_only)
        bar.addWidget(self.search, 1)

        self.revoke_button = QPushButton("取消资格…")
        self.revoke_button.setProperty("role", "primary")
        self.keep_button = QPushButton("保留资格…")
        self.fraud_button = QPushButton("查实弄虚作假…")
        self.history_button = QPushButton("状态记录…")
        can_decide = state.user.role.value in ("reviewer", "admin")
        for b in (self.revoke_button, self.keep_button, self.fraud_button):
            b.setEnabled(can_decide)
            b.setToolTip("" if can_decide else "复核决定需要审核或管理员角色。")
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        for b in (self.history_button, self.fraud_button, self.keep_button, self.revoke_button):
            actions.addWidget(b)

        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(heading)
        self.layout_.addWidget(rule)
        self.layout_.addLayout(bar)
        self.layout_.addLayout(actions)
        self.table = None
        self.model: PagedTableModel | None = None
        self._build_model()

        self.year.valueChanged.connect(self._build_model)
        self.flagged_only.toggled.connect(self.apply_filters)
        self.revoke_button.clicked.connect(lambda: self.decide("revoked"))
        self.keep_button.clicked.connect(lambda: self.decide("kept"))
        self.fraud_button.clicked.connect(self.fraud)
        self.history_button.clicked.connect(self.show_history)

    def _build_model(self) -> None:
        """A year's columns are its own (2025年人次, 2026年人次…): a new model per year."""
        rules = self.state.profile.review
        assert rules is not None
        years = review.review_years(self.year.value(), rules)
        query = review.ReviewQuery(self.year.value(), flagged_only=self.flagged_only.isChecked(),
                                   text=self.search.text())
        self.model = service_model(self.state, columns(years), lambda s, q: review.count_review_rows(s, self.state.profile, q),
                                   review.review_rows, query)
        table = paged_table_view(self.model, (80, 172, 200, 90, *(80 for _ in years), 90, 90))
        table.doubleClicked.connect(lambda _i: self.show_history())
        if self.table is not None:
            self.layout_.replaceWidget(self.table, table)
            self.table.deleteLater()
        else:
            self.layout_.addWidget(table, 1)
        self.table = table
        self.model.set_query(query)
        self._update_summary()

    def reload(self) -> None:
        assert self.model is not None
        self.model.refresh()
        self._update_summary()

    def apply_filters(self) -> None:
        assert self.model is not None
        self.model.set_query(replace(self.model.query, flagged_only=self.flagged_only.isChecked(),
                                     text=self.search.text(), offset=0))

    def _update_summary(self) -> None:
        year = self.year.value()
        s = self.state.read(lambda session: review.review_summary(session, self.state.profile, year))
        years = "、".join(str(y) for y in s.years)
        self.summary.setText(f"{years}年每年都低于 {s.threshold} 人次：<b>{s.flagged}</b> 人（在册 {s.active} 人，"
                             f"本年度已作出决定 {s.decided} 人）")

    def selected(self) -> review.ReviewRow | None:
        assert self.table is not None and self.model is not None
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "请先选择", "请先在列表中点选一位经纪人。")
            return None
        return self.model.row_at(rows[0].row())

    def decide(self, outcome: str) -> None:
        row = self.selected()
        if row is None:
            return
        revoke = outcome == "revoked"
        title = "取消劳务经纪人资格" if revoke else "保留劳务经纪人资格"
        text = (f"{row.name}（{row.id_number_masked}）：{row.counts_text}。\n"
                + ("取消后其状态为“已取消资格”，保留在名册中，并记入状态记录。此操作不能撤销。" if revoke
                   else "保留资格须写明依据（如因病无法开展工作并有证明），记录会长期保存。"))
        dialog = ReasonDialog(title, text, "理由：", "取消资格" if revoke else "保留资格", self)
        if dialog.exec() != ReasonDialog.DialogCode.Accepted:
            return
        user, profile, year, broker_id, reason = self.state.user, self.state.profile, self.year.value(), \
            row.broker_id, dialog.text()
        self.state.in_background(lambda s: review.decide(s, user, profile, broker_id, year, outcome, reason),
                                 on_done=self._decided, parent=self, label="正在保存复核决定……")

    def fraud(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ReasonDialog("查实弄虚作假，取消资格",
                              f"{row.name}（{row.id_number_masked}）：经查实提供虚假用工信息或材料、骗取套取补贴资金的，"
                              "一经查实即取消劳务经纪人资格（不论转移人次多少）。此操作不能撤销。",
                              "查实的事实：", "取消资格", self, min_chars=4)
        if dialog.exec() != ReasonDialog.DialogCode.Accepted:
            return
        user, profile, broker_id, reason = self.state.user, self.state.profile, row.broker_id, dialog.text()
        self.state.in_background(lambda s: review.revoke_for_fraud(s, user, profile, broker_id, reason),
                                 on_done=self._decided, parent=self, label="正在保存……")

    def _decided(self, result: review.DecisionResult) -> None:
        QMessageBox.information(self, "已记录", result.message)
        self.reload()

    def show_history(self) -> None:
        row = self.selected()
        if row is None:
            return
        StatusHistoryDialog(self.state, row, self).exec()


class StatusHistoryDialog(FormDialog):
    """A broker's dated status changes (认定、取消资格…)."""

    def __init__(self, state: AppState, row: review.ReviewRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{row.name} 的状态记录")
        self.resize(760, 300)
        entries = state.read(lambda s: review.status_history(s, row.broker_id))
        table = QTableWidget(len(entries), 4)
        table.setHorizontalHeaderLabels(["日期", "状态", "原因", "经办"])
        table.verticalHeader().setVisible(False)
        for r, e in enumerate(entries):
            for c, value in enumerate((f"{e.changed_on:%Y-%m-%d}", e.status_label, e.reason, e.by)):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        self.set_body(table, ok_text="关闭")

    def submit(self) -> None:
        self.accept()
