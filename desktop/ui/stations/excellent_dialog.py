"""优秀站点 check of one station: every condition with pass/fail and its figures, and the decision."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.services import station_awards as awards
from desktop.ui.stations.file_tab import fill, table


class ExcellentDialog(QDialog):
    def __init__(self, state, station_id: int, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.state, self.station_id = state, station_id
        self.check: awards.ExcellentCheck | None = None
        self.setWindowTitle("优秀站点评选 / 复核")
        self.resize(860, 440)
        ex = state.profile.station.excellent
        self.year = QSpinBox()
        self.year.setRange(2000, clock.today().year)
        self.year.setValue(clock.today().year - 1)
        self.year.setSuffix(" 年")
        hint = QLabel(f"按办法第十条，核对以所选年度为止的 {ex.cycle_years} 个年度（均以已审核的评估为准）；"
                      f"每 {ex.cycle_years} 年评选一次，已评为优秀站点的每 {ex.recheck_years} 年复核一次。")
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        top = QHBoxLayout()
        top.addWidget(QLabel("评选（复核）截至年度："))
        top.addWidget(self.year)
        top.addStretch(1)
        self.table = table(["条件", "结论", "依据（数字）"], (230, 60))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.decide_button = QPushButton("记录结论…")
        self.decide_button.setProperty("role", "primary")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.addButton(self.decide_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.year.valueChanged.connect(self.refresh)
        self.decide_button.clicked.connect(self.decide)
        self.refresh()

    def refresh(self) -> None:
        year = self.year.value()
        check = self.check = self.state.read(lambda s: awards.check_excellent(s, self.state.profile, self.station_id,
                                                                             year))
        fill(self.table, [[c.name, "符合" if c.passed else "不符合", c.figures] for c in check.conditions])
        for r, c in enumerate(check.conditions):
            self.table.item(r, 1).setForeground(QColor("#1b7f3b" if c.passed else "#b3261e"))
        verdict = "全部条件符合" if check.passed else f"{sum(not c.passed for c in check.conditions)} 项条件不符合"
        done = (f"；已于 {check.decided.decided_on:%Y-%m-%d} 记录结论（{'通过' if check.decided.passed else '未通过'}）"
                if check.decided else "")
        self.summary.setText(f"本次为优秀站点{check.kind_label}：{verdict}{done}。")
        reviewer = self.state.user.role is Role.REVIEWER
        self.decide_button.setEnabled(reviewer and check.decided is None)
        self.decide_button.setToolTip("" if reviewer else "记录评选结论需要审核角色。")

    def decide(self) -> None:
        check = self.check
        if check is None:
            return
        award = self.state.profile.station.excellent.award_yuan
        outcome = (f"评为区级优秀站点（一次性奖励 {award} 元）" if check.passed and check.kind == "award"
                   else "复核通过，保留优秀站点" if check.passed else "不符合条件，" +
                   ("不评为优秀站点" if check.kind == "award" else "不再保留优秀站点"))
        answer = QMessageBox.question(self, "记录结论", f"{check.station_name}：{outcome}。\n\n记录后不能修改，确定吗？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        user, profile, year = self.state.user, self.state.profile, check.check_year
        try:
            self.state.write(lambda s: awards.decide_excellent(s, user, profile, self.station_id, year))
        except UserError as exc:
            QMessageBox.warning(self, "不能记录", str(exc))
            return
        self.accept()
