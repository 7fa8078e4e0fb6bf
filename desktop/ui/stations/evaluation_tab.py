"""The 年度评估 tab: a station's evaluation for one year — the facts form on the left, the scored
lines with how each was reached on the right, recomputed as the clerk types; save, 审核 (sign-off),
correction as a new version, and the printable scorecard."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.rules.station_scoring import RosterFigures, Scorecard, points_text
from desktop.core.services import station_documents as docs
from desktop.core.services import station_evaluations as ev
from desktop.ui.printing import PdfActions
from desktop.ui.session import AppState
from desktop.ui.stations.dialogs import ReasonDialog
from desktop.ui.stations.evaluation_form import EvaluationForm
from desktop.ui.stations.file_tab import fill, table


class EvaluationTab(QWidget):
    changed = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.station_id: int | None = None
        self.view: ev.EvaluationView | None = None
        self.dirty = False
        self.year = QComboBox()
        self.year.setMinimumWidth(90)
        self.version = QComboBox()
        self.status = QLabel()
        self.start_button = QPushButton("开始评估")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("评估年度："))
        bar.addWidget(self.year)
        bar.addWidget(self.start_button)
        bar.addWidget(QLabel("版本："))
        bar.addWidget(self.version)
        bar.addWidget(self.status, 1)

        ledger = state.profile.station.score.ledger_items if state.profile.station else ()
        self.form = EvaluationForm(ledger, self._edited)
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(330)
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.figures.setProperty("role", "hint")
        self.lines = table(["类别", "指标", "满分", "得分", "得分依据"], (70, 100, 40, 44), stretch=4)
        self.total = QLabel()
        self.total.setWordWrap(True)
        self.total.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setProperty("role", "fieldWarning")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.figures)
        rl.addWidget(self.lines, 1)
        rl.addWidget(self.total)
        rl.addWidget(self.problems)
        split = QSplitter()
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([350, 620])

        self.save_button = QPushButton("保存(&S)")
        self.save_button.setProperty("role", "primary")
        self.sign_button = QPushButton("审核通过…")
        self.correct_button = QPushButton("更正（新版本）…")
        self.pdf = PdfActions(self, self._pdf_job, self._pdf_name)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.sign_button, self.correct_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf.print_button)
        buttons.addWidget(self.pdf.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self._preview)
        self.year.currentIndexChanged.connect(lambda _i: self._year_changed())
        self.version.currentIndexChanged.connect(lambda _i: self._version_changed())
        self.start_button.clicked.connect(self.start)
        self.save_button.clicked.connect(self.save)
        self.sign_button.clicked.connect(self.sign_off)
        self.correct_button.clicked.connect(self.correct)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)

    # --- loading ---------------------------------------------------------------------------
    def show_station(self, station_id: int | None) -> None:
        """Show ``station_id``; the same station keeps its year (and unsaved edits are kept)."""
        same = station_id == self.station_id
        if same and self.dirty:
            return
        keep = self.year.currentData() if same else None
        self.station_id = station_id
        years: list[int] = []
        if station_id is not None:
            years = sorted(set(self.state.read(lambda s: ev.evaluable_years(s, self.state.profile, station_id)))
                           | set(self.state.read(lambda s: list(ev.effective_results(s, station_id)))), reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y} 年", y)
        if keep is not None and keep in years:
            self.year.setCurrentIndex(years.index(keep))
        self.year.blockSignals(False)
        self._year_changed()

    def _year_changed(self) -> None:
        year = self.year.currentData()
        eid = None
        if self.station_id is not None and year is not None:
            eid = self.state.read(lambda s: ev.find_evaluation(s, self.station_id, year))
        self.load(eid)

    def _version_changed(self) -> None:
        eid = self.version.currentData()
        if eid is not None and (self.view is None or eid != self.view.id):
            self.load(eid)

    def load(self, evaluation_id: int | None) -> None:
        self.dirty = False
        counter = self.state.user.role is not Role.AUDITOR
        has_year = self.year.currentData() is not None
        self.start_button.setVisible(evaluation_id is None and has_year)
        self.start_button.setEnabled(counter)
        if evaluation_id is None:
            self.view = None
            self.form.set_editable(False)
            fill(self.lines, [])
            self.version.clear()
            msg = "这一年度还没有评估，点“开始评估”。" if has_year else "已设立满一年的工作站才能评估（办法第七条）。"
            self.status.setText(msg)
            self.figures.setText("")
            self.total.setText("")
            self.problems.setText("")
            self._buttons()
            return
        view = self.view = self.state.read(lambda s: ev.view(s, self.state.profile, evaluation_id))
        self.version.blockSignals(True)
        self.version.clear()
        for v in view.versions:
            self.version.addItem(f"第 {v.version_no} 版（{v.status_label}）", v.id)
        self.version.setCurrentIndex(next(i for i, v in enumerate(view.versions) if v.id == view.id))
        self.version.blockSignals(False)
        signed = f"，{view.signed_by} {view.signed_on:%Y-%m-%d} 审核，只能查看" if view.signed_on else ""
        correction = f"；更正原因：{view.correction_reason}" if view.correction_reason else ""
        self.status.setText(f"{view.status_label}{signed}{correction}")
        self.form.load(view.data)
        self.form.set_editable(view.editable and counter)
        self._show(view.figures, view.card)
        self._buttons()

    def _show(self, figures: RosterFigures, card: Scorecard) -> None:
        months = self.state.profile.station.retention_check_months if self.state.profile.station else 6
        self.figures.setText(
            f"按输送名册（截至评估日期）：计入输送劳动力 {figures.delivered} 人，其中技术技能人才 {figures.skilled} 人；"
            f"入职满 {months} 个月 {figures.retention_base} 人中仍在职 {figures.retained} 人"
            + (f"；{figures.duplicates} 人同年也被其他工作站计入" if figures.duplicates else "") + "。")
        fill(self.lines, [[line.category, line.name, str(line.full), points_text(line.points),
                           line.how + ("（评估人评分）" if line.by_evaluator else "")] for line in card.lines])
        for r, line in enumerate(card.lines):
            if line.points < line.full:
                self.lines.item(r, 3).setForeground(QColor("#b3261e"))
        tier = f"，年度绩效奖励 {card.subsidy_yuan:,} 元" if card.passed else "，不予年度绩效奖励"
        self.total.setText(f"总分 {points_text(card.total)} 分：{card.verdict}{tier}")
        self.total.setStyleSheet(f"font-size: 12pt; font-weight: bold; color: {'#1b7f3b' if card.passed else '#b3261e'};")
        self.problems.setText("\n".join(card.problems))

    def _buttons(self) -> None:
        view, role = self.view, self.state.user.role
        draft = view is not None and view.editable
        self.save_button.setEnabled(draft and role is not Role.AUDITOR and self.dirty)
        self.sign_button.setEnabled(draft and role is Role.REVIEWER and not self.dirty)
        self.sign_button.setToolTip("" if role is Role.REVIEWER else "审核需要审核角色。")
        latest = view is not None and view.versions and view.versions[-1].id == view.id
        self.correct_button.setEnabled(bool(view and not view.editable and latest and role is not Role.AUDITOR))
        self.pdf.set_enabled(view is not None and not self.dirty, "请先保存，再打印评估表。" if self.dirty else "")

    # --- editing ---------------------------------------------------------------------------
    def _edited(self) -> None:
        if self.view is None or not self.view.editable:
            return
        self.dirty = True
        self._buttons()
        self.timer.start()

    def _preview(self) -> None:
        if self.view is None:
            return
        data, eid = self.form.data(), self.view.id
        try:
            figures, card = self.state.read(lambda s: ev.preview(s, self.state.profile, eid, data))
        except UserError as exc:
            self.problems.setText(str(exc))
            return
        self._show(figures, card)

    def maybe_save(self) -> bool:
        """Before leaving a changed draft: save, discard or stay. True when it is fine to leave."""
        if not self.dirty:
            return True
        answer = QMessageBox.question(self, "保存评估？", "年度评估有修改还没有保存，要保存吗？",
                                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                                      | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        self.dirty = False
        return True

    def start(self) -> None:
        year, sid, user, profile = self.year.currentData(), self.station_id, self.state.user, self.state.profile
        if sid is None or year is None:
            return
        try:
            eid = self.state.write(lambda s: ev.start_evaluation(s, user, profile, sid, year))
        except UserError as exc:
            QMessageBox.warning(self, "不能开始评估", str(exc))
            return
        self.load(eid)
        self.changed.emit()

    def save(self) -> bool:
        if self.view is None or not self.view.editable or not self.dirty:
            return True
        data, eid, user, profile = self.form.data(), self.view.id, self.state.user, self.state.profile
        try:
            self.state.write(lambda s: ev.save(s, user, profile, eid, data))
        except UserError as exc:
            QMessageBox.warning(self, "不能保存", str(exc))
            return False
        self.load(eid)
        self.changed.emit()
        return True

    def sign_off(self) -> None:
        if self.view is None:
            return
        card = self.view.card
        answer = QMessageBox.question(
            self, "审核年度评估",
            f"{self.view.station_name} {self.view.year} 年度评估：总分 {points_text(card.total)} 分，{card.verdict}。\n\n"
            "审核后本版本不能再修改（需要时只能另起更正版本）。确定审核通过吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        eid, user, profile = self.view.id, self.state.user, self.state.profile
        try:
            signed = self.state.write(lambda s: ev.sign_off(s, user, profile, eid))
        except UserError as exc:
            QMessageBox.warning(self, "不能审核", str(exc))
            return
        self.load(eid)
        self.changed.emit()
        if signed.failing_years:
            QMessageBox.warning(self, "连续两个年度不合格",
                                f"{signed.station_name} {'、'.join(map(str, signed.failing_years))} 年度连续评估不合格，"
                                "按办法第八条应取消工作站资格。请在“档案”页办理“取消资格”。")

    def correct(self) -> None:
        if self.view is None or self.station_id is None:
            return
        dialog = ReasonDialog("更正年度评估", "为什么要更正（例如：名册补录了 3 名人员；投诉经复核不成立）", self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        sid, year, user, profile = self.station_id, self.view.year, self.state.user, self.state.profile
        try:
            eid = self.state.write(lambda s: ev.start_correction(s, user, profile, sid, year, dialog.value))
        except UserError as exc:
            QMessageBox.warning(self, "不能更正", str(exc))
            return
        self.load(eid)
        self.changed.emit()

    # --- printing --------------------------------------------------------------------------
    def _pdf_name(self) -> str:
        v = self.view
        return f"评估表_{v.station_name}_{v.year}年_第{v.version_no}版.pdf" if v else "评估表.pdf"

    def _pdf_job(self):  # type: ignore[no-untyped-def]
        eid, profile = self.view.id if self.view else 0, self.state.profile
        return lambda s, out: docs.write_scorecard_pdf(s, profile, eid, out)
