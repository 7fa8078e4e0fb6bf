"""The service-subsidy page (就业创业服务补助): claim batches per period, the claims of a batch,
withdrawing one, and the claim roster as PDF and .xlsx (totals in figures and 大写金额)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.money import amount_in_chinese_capitals, yuan_text
from desktop.core.services import subsidy
from desktop.core.services.subsidy_documents import write_claim_roster
from desktop.ui.paged_model import Column, service_model
from desktop.ui.printing import PdfActions
from desktop.ui.session import AppState
from desktop.ui.transfers.widgets import ReasonDialog
from desktop.ui.widgets import date_edit, fill, paged_table_view, pydate, text_table

CENTRE, RIGHT = Qt.AlignmentFlag.AlignCenter, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LINE_COLUMNS: list[Column[subsidy.ClaimLine]] = [
    Column("序号", lambda x: x.seq, align=CENTRE),
    Column("劳务经纪人", lambda x: x.broker_name),
    Column("劳动力", lambda x: x.worker_name),
    Column("身份证号码", lambda x: x.id_number),
    Column("入职日期", lambda x: f"{x.hire_date:%Y-%m-%d}"),
    Column("金额（元）", lambda x: yuan_text(x.amount_fen), align=RIGHT),
    Column("状态", lambda x: x.status_label + (f"（{x.withdraw_reason}）" if x.withdraw_reason else "")),
    Column("就业单位", lambda x: x.employer_name),
    Column("合同期限", lambda x: x.contract_term),
]


class SubsidyPage(QWidget):
    title = "服务补助"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        rules = state.profile.subsidy
        assert rules is not None
        self.batches: list[subsidy.BatchSummary] = []
        heading = QLabel("就业创业服务补助申领")
        heading.setProperty("role", "pageTitle")
        rule = QLabel(f"标准 {rules.amount_yuan} 元/人：组织脱贫人口到{'或'.join(rules.employer_types)}就业，签订"
                      f"{rules.min_contract_months}个月（含）以上劳动合同并参加社会保险。同一劳动力自入职当月起 "
                      f"{rules.min_contract_months} 个月内只能申领一次，无论由哪位经纪人申报；重复的会被拒绝并列出原申领。")
        rule.setWordWrap(True)
        rule.setProperty("role", "hint")
        today = clock.today()
        self.date_from = date_edit(today.replace(month=1, day=1), maximum=today)
        self.date_to = date_edit(today, maximum=today)
        self.create_button = QPushButton("生成申领批次(&G)…")
        self.create_button.setProperty("role", "primary")
        can_claim = state.user.role.value in ("reviewer", "admin")
        self.create_button.setEnabled(can_claim)
        self.create_button.setToolTip("" if can_claim else "申领补助需要审核或管理员角色。")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("入职日期："))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.create_button)
        bar.addStretch(1)

        self.batch_table = text_table(["批次", "入职期间", "人数", "金额（元）"])
        self.lines_model = service_model(state, LINE_COLUMNS, subsidy.count_batch_lines,
                                         subsidy.batch_line_page, subsidy.LineQuery(0))
        self.line_table = paged_table_view(self.lines_model, (44, 80, 70, 172, 90, 80, 70, 230, 90))
        self.line_table.setSortingEnabled(False)
        self.line_table.verticalHeader().setVisible(False)  # 序号 is a column
        self.total_label = QLabel()
        self.total_label.setWordWrap(True)
        self.withdraw_button = QPushButton("撤回这笔申领…")
        self.withdraw_button.setEnabled(can_claim)
        self.export_button = QPushButton("导出名册（PDF和Excel）…")
        self.full_ids = QCheckBox("完整身份证号码")
        self.full_ids.setEnabled(can_claim)
        self.full_ids.setToolTip("报送财政、人社部门的名册需要完整号码（需审核或管理员角色，导出会记入审计日志）。")
        self.pdf = PdfActions(self, self._roster_job, self._roster_name)
        actions = QHBoxLayout()
        actions.addWidget(self.withdraw_button)
        actions.addStretch(1)
        for w in (self.full_ids, self.pdf.print_button, self.pdf.save_button, self.export_button):
            actions.addWidget(w)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.line_table, 1)
        rl.addWidget(self.total_label)
        rl.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.batch_table)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([370, 830])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(rule)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        self.create_button.clicked.connect(self.create_batch)
        self.batch_table.itemSelectionChanged.connect(self.show_selected)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.export_button.clicked.connect(self.export)
        self.reload()

    # --- lists ---------------------------------------------------------------------------
    def reload(self) -> None:
        current = self.current_batch()
        self.batches = self.state.read(subsidy.list_batches)
        fill(self.batch_table, [[f"第 {b.id} 批", f"{b.period_from:%Y.%m.%d}–{b.period_to:%Y.%m.%d}", str(b.people),
                                  yuan_text(b.total_fen)] for b in self.batches], right=(2, 3))
        self.batch_table.resizeColumnsToContents()
        index = next((i for i, b in enumerate(self.batches) if current and b.id == current.id), 0)
        if self.batches:
            self.batch_table.selectRow(index)
        self.show_selected()

    def current_batch(self) -> subsidy.BatchSummary | None:
        rows = self.batch_table.selectionModel().selectedRows() if self.batch_table.selectionModel() else []
        return self.batches[rows[0].row()] if rows and rows[0].row() < len(self.batches) else None

    def show_selected(self) -> None:
        batch = self.current_batch()
        has = batch is not None
        self.pdf.set_enabled(has, "" if has else "请先生成或选择一个申领批次。")
        self.export_button.setEnabled(has)
        self.lines_model.set_query(subsidy.LineQuery(batch.id if batch else 0))  # a page at a time
        if batch is None:
            self.total_label.setText("还没有申领批次。选择入职日期范围，点“生成申领批次”。")
            return
        self.total_label.setText(f"第 {batch.id} 批合计：{batch.people} 人，{yuan_text(batch.total_fen)} 元"
                                 f"（人民币大写：{amount_in_chinese_capitals(batch.total_fen)}）"
                                 + (f"；已撤回 {batch.withdrawn} 笔" if batch.withdrawn else ""))

    # --- actions -------------------------------------------------------------------------
    def create_batch(self) -> None:
        start, end = pydate(self.date_from.date()), pydate(self.date_to.date())
        user, profile = self.state.user, self.state.profile
        self.state.in_background(lambda s: subsidy.build_batch(s, user, profile, start, end, preview=True),
                                 write=False, on_done=self._confirm, parent=self, label="正在核对补助条件……")

    def _confirm(self, preview: subsidy.BatchResult) -> None:
        lines = [f"入职期间 {preview.period_from:%Y-%m-%d} 至 {preview.period_to:%Y-%m-%d}：",
                 f"符合条件、可以申领 {preview.claimed} 人，合计 {yuan_text(preview.total_fen)} 元"
                 f"（{amount_in_chinese_capitals(preview.total_fen)}）；",
                 f"不符合补助条件 {preview.not_qualifying} 人次（原因见“转移就业”页面的“服务补助”列）。"]
        if preview.refused:
            lines.append(f"\n重复申领，不予受理 {len(preview.refused)} 人：")
            lines += [f"· {r.worker_name}（{r.id_number_masked}，经纪人{r.broker_name}）：{r.reason}"
                      for r in preview.refused[:10]]
            if len(preview.refused) > 10:
                lines.append(f"……另有 {len(preview.refused) - 10} 人，生成后可在审计日志中查看。")
        if not preview.claimed:
            QMessageBox.information(self, "没有可申领的人员", "\n".join(lines))
            return
        answer = QMessageBox.question(self, "生成申领批次", "\n".join(lines) + "\n\n确定生成这一批申领吗？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        user, profile = self.state.user, self.state.profile
        start, end = preview.period_from, preview.period_to
        self.state.in_background(lambda s: subsidy.build_batch(s, user, profile, start, end),
                                 on_done=lambda _r: self.reload(), parent=self, label="正在生成申领批次……")

    def withdraw(self) -> None:
        rows = self.line_table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "请先选择", "请先在右侧名单中点选一笔申领。")
            return
        line = self.lines_model.row_at(rows[0].row())
        if line.status != "claimed":
            QMessageBox.information(self, "已撤回", f"这笔申领已撤回（{line.withdraw_reason}）。")
            return
        dialog = ReasonDialog("撤回服务补助申领",
                              f"撤回 {line.worker_name}（{line.id_number}，经纪人{line.broker_name}）的申领。"
                              "撤回后这笔不再计入名册，该劳动力可以再次申领；原记录保留。", "撤回原因：", "撤回", self)
        if dialog.exec() != ReasonDialog.DialogCode.Accepted:
            return
        user, reason, claim_id = self.state.user, dialog.text(), line.id
        self.state.in_background(lambda s: subsidy.withdraw_claim(s, user, claim_id, reason),
                                 on_done=lambda _r: self.reload(), parent=self, label="正在撤回……")

    def export(self) -> None:
        batch = self.current_batch()
        if batch is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "选择保存名册的文件夹（如U盘）")
        if not folder:
            return
        user, profile, full, centre = self.state.user, self.state.profile, self.full_ids.isChecked(), \
            self.state.center.center_name
        self.state.in_background(
            lambda s: write_claim_roster(s, user, profile, batch.id, Path(folder), centre, full=full),
            on_done=lambda r: QMessageBox.information(self, "已导出", f"{r.people} 人，{yuan_text(r.total_fen)} 元"
                                                      f"（{r.capitals}）：\n{r.xlsx}\n{r.pdf}"),
            parent=self, label="正在导出名册……")

    def _roster_name(self) -> str:
        batch = self.current_batch()
        return f"服务补助申领名册_第{batch.id if batch else 0}批.pdf"

    def _roster_job(self):  # type: ignore[no-untyped-def]
        from desktop.core.services.subsidy_documents import print_roster_pdf

        batch = self.current_batch()
        assert batch is not None
        user, profile, centre, full = self.state.user, self.state.profile, self.state.center.center_name, \
            self.full_ids.isChecked()
        return lambda s, out: print_roster_pdf(s, user, profile, batch.id, out, centre, full=full)
