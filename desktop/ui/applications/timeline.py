"""The 办理进度 tab of an application: its dated steps, and the actions valid right now."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.services import workflow
from desktop.ui.session import AppState
from desktop.ui.widgets import FormDialog, date_edit, pydate


class TimelineWidget(QWidget):
    """Shows the timeline and offers the workflow buttons; emits ``changed`` after an action."""

    changed = Signal()

    def __init__(self, state: AppState, application_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.application_id = application_id
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["日期", "环节", "意见 / 原因", "办理人", "录入时间"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 100), (1, 150), (3, 90), (4, 140)):
            self.tree.setColumnWidth(col, width)
        self.hint = QLabel()
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.hint)
        layout.addLayout(self.buttons)
        self.refresh()

    def refresh(self) -> None:
        app_id = self.application_id
        entries, detail = self.state.read(
            lambda s: (workflow.timeline(s, app_id), _status_and_creator(s, app_id))
        )
        self.tree.clear()
        for e in entries:
            item = QTreeWidgetItem([f"{e.on:%Y-%m-%d}", e.label, e.opinion, e.actor, f"{e.recorded_at:%Y-%m-%d %H:%M}"])
            if not e.passed:
                for col in range(5):
                    item.setForeground(col, QBrush(QColor("#c62828")))
            item.setToolTip(2, e.opinion)
            self.tree.addTopLevelItem(item)
        while self.buttons.count():
            widget = self.buttons.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        status, created_by, status_label = detail
        actions = workflow.available_actions(status, created_by, self.state.user, self.state.profile)
        self.hint.setText(f"当前状态：{status_label}。" + ("" if actions else "没有需要办理的环节。"))
        self.buttons.addStretch(1)
        for action in actions:
            button = QPushButton(action.label)
            button.setEnabled(action.allowed)
            button.setToolTip(action.why_not)
            button.setObjectName(f"action_{action.key}")
            button.clicked.connect(lambda _c=False, key=action.key: self.run_action(key))
            self.buttons.addWidget(button)

    def run_action(self, key: str) -> None:
        dialog: QDialog
        if key == "training":
            dialog = TrainingDialog(self.state, self.application_id, self)
        else:
            dialog = StepDialog(self.state, self.application_id, key, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.changed.emit()


def _status_and_creator(session, application_id: int) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    from desktop.core.models.broker import BrokerApplication

    row = session.get(BrokerApplication, application_id)
    return row.status, row.created_by, row.status_enum.label


STEP_TEXT = {
    "recommend": ("录入村（社区）推荐意见", "推荐", "不推荐", "推荐日期（推荐表上的日期）："),
    "review": ("县级初审", "初审通过", "初审不通过", "初审日期："),
    "reject": ("不予认定", "", "", "日期："),
}


class StepDialog(FormDialog):
    """Recommendation, county review or rejection: date, pass/fail, opinion."""

    def __init__(self, state: AppState, application_id: int, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.application_id, self.key = state, application_id, key
        title, yes, no, date_label = STEP_TEXT[key]
        self.setWindowTitle(title)
        self.on = date_edit(clock.today(), maximum=clock.today())
        self.yes, self.no = QRadioButton(yes), QRadioButton(no)
        self.yes.setChecked(True)
        self.opinion = QPlainTextEdit()
        self.opinion.setTabChangesFocus(True)
        self.opinion.setPlaceholderText("意见；不通过时必须写明原因" if key != "reject" else "不予认定的原因（必填）")
        self.opinion.setMaximumHeight(110)
        form = QFormLayout()
        form.addRow(date_label, self.on)
        if key != "reject":
            choice = QHBoxLayout()
            choice.addWidget(self.yes)
            choice.addWidget(self.no)
            choice.addStretch(1)
            form.addRow("结论：", choice)
        form.addRow("意见：" if key != "reject" else "原因：", self.opinion)
        self.set_body(form)

    def submit(self) -> None:
        on, opinion, passed = pydate(self.on.date()), self.opinion.toPlainText(), self.yes.isChecked()
        user, profile, app_id = self.state.user, self.state.profile, self.application_id
        if self.key == "recommend":
            self.attempt(lambda: self.state.write(lambda s: workflow.record_recommendation(
                s, user, app_id, recommended=passed, on=on, opinion=opinion)))
        elif self.key == "review":
            self.attempt(lambda: self.state.write(lambda s: workflow.county_review(
                s, user, profile, app_id, passed=passed, on=on, opinion=opinion)))
        else:
            self.attempt(lambda: self.state.write(lambda s: workflow.reject(s, user, app_id, on=on, reason=opinion)))


class TrainingDialog(FormDialog):
    """线上培训与考试 result entered by hand."""

    def __init__(self, state: AppState, application_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.application_id = state, application_id
        self.setWindowTitle("录入培训考试结果")
        self.month = QLineEdit(f"{clock.today():%Y-%m}")
        self.month.setInputMask("0000-00")
        self.score = QLineEdit()
        self.score.setPlaceholderText("0—100，可不填")
        self.outcome = QComboBox()
        self.outcome.addItems(["合格", "不合格"])
        self.certificate = QLineEdit()
        self.certificate.setPlaceholderText("考试合格时必填")
        self.sure = QCheckBox("已与平台上的电子合格证核对")
        form = QFormLayout()
        form.addRow("培训完成时间（年-月）：", self.month)
        form.addRow("考试成绩：", self.score)
        form.addRow("考试结果：", self.outcome)
        form.addRow("电子合格证编号：", self.certificate)
        form.addRow("", self.sure)
        self.set_body(form)

    def submit(self) -> None:
        text = self.score.text().strip()
        try:
            score = Decimal(text) if text else None
        except InvalidOperation:
            self.message.setText("考试成绩应是数字，例如 86 或 86.5。")
            return
        passed = self.outcome.currentText() == "合格"
        if passed and not self.sure.isChecked():
            self.message.setText("请先与平台上的电子合格证核对，并勾选“已核对”。")
            return
        result = workflow.TrainingInput(self.month.text(), score, passed, self.certificate.text())
        user, app_id = self.state.user, self.application_id
        self.attempt(lambda: self.state.write(lambda s: workflow.record_training(s, user, app_id, result)))
