"""Dialogs of the publicity page: a new batch, an objection, and its verdict."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.services import publicity
from desktop.ui.session import AppState
from desktop.ui.widgets import FormDialog, date_edit, pydate


class NewBatchDialog(FormDialog):
    """Pick the applicants who passed the exam, the start day; the end day follows the calendar."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.batch_id: int | None = None
        self.setWindowTitle("新建公示")
        self.resize(640, 600)
        eligible = state.read(publicity.eligible_applications)
        last = state.read(lambda s: publicity.list_batches(s)[:1])
        self.people = QListWidget()
        for app_id, name, village in eligible:
            item = QListWidgetItem(f"{name}　{village}")
            item.setData(Qt.ItemDataRole.UserRole, app_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.people.addItem(item)
        select_all, select_none = QPushButton("全选"), QPushButton("全不选")
        select_all.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        select_none.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        picks = QHBoxLayout()
        picks.addWidget(QLabel(f"考试合格、待公示的申请人共 {len(eligible)} 名："))
        picks.addStretch(1)
        picks.addWidget(select_all)
        picks.addWidget(select_none)

        self.start = date_edit(clock.today())
        self.end_label = QLabel()
        self.end_label.setWordWrap(True)
        self.phone = QLineEdit()
        self.address = QLineEdit()
        self.issuer = QLineEdit(state.center.center_name)
        if last:
            detail = state.read(lambda s: _contact_of(s, last[0].id))
            self.phone.setText(detail[0])
            self.address.setText(detail[1])
            self.issuer.setText(detail[2] or state.center.center_name)
        self.phone.setPlaceholderText("受理异议的电话，如 0825-1234567")
        self.address.setPlaceholderText("受理异议的地址，如 ××县人社局二楼农民工服务中心")
        form = QFormLayout()
        form.addRow("公示开始日期：", self.start)
        form.addRow("公示结束日期：", self.end_label)
        form.addRow("异议受理电话：", self.phone)
        form.addRow("异议受理地址：", self.address)
        form.addRow("发布单位（落款）：", self.issuer)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(picks)
        body_layout.addWidget(self.people, 1)
        self.set_body(body, form, ok_text="生成公示")
        self.start.dateChanged.connect(self._preview)
        self._preview()

    def _check_all(self, state: Qt.CheckState) -> None:
        for i in range(self.people.count()):
            self.people.item(i).setCheckState(state)

    def _preview(self) -> None:
        start = pydate(self.start.date())
        result = self.state.read(lambda s: publicity.preview_end_date(s, self.state.profile, start))
        days = self.state.profile.publicity.working_days
        self.end_label.setText(f"<b>{result.end:%Y-%m-%d}</b>（{days}个工作日）<br>"
                               f"<span style='color:#555'>{result.rule}</span>")

    def selected_ids(self) -> tuple[int, ...]:
        return tuple(
            int(self.people.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.people.count())
            if self.people.item(i).checkState() == Qt.CheckState.Checked
        )

    def submit(self) -> None:
        data = publicity.BatchInput(self.selected_ids(), pydate(self.start.date()), self.phone.text(),
                                    self.address.text(), self.issuer.text())
        user, profile = self.state.user, self.state.profile
        self.batch_id = self.attempt(lambda: self.state.write(lambda s: publicity.create_batch(s, user, profile, data)))


def _contact_of(session, batch_id: int) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    from desktop.core.models.certification import PublicityBatch

    batch = session.get(PublicityBatch, batch_id)
    return batch.objection_phone, batch.objection_address, batch.issuer


class ObjectionDialog(FormDialog):
    """登记异议: who it is about, when and how it came in, what it says."""

    def __init__(self, state: AppState, batch_id: int, people: list[publicity.BatchPerson],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.batch_id = state, batch_id
        self.setWindowTitle("登记异议")
        self.resize(520, 380)
        self.person = QComboBox()
        for p in people:
            self.person.addItem(f"{p.seq}. {p.name}（{p.village}）", p.application_id)
        self.received = date_edit(clock.today(), maximum=clock.today())
        self.channel = QComboBox()
        self.channel.addItems(publicity.CHANNELS)
        self.content = QPlainTextEdit()
        self.content.setTabChangesFocus(True)
        self.content.setPlaceholderText("反映人反映的具体内容（可写反映人姓名、联系方式）")
        form = QFormLayout()
        form.addRow("被反映人：", self.person)
        form.addRow("收到日期：", self.received)
        form.addRow("反映方式：", self.channel)
        form.addRow("异议内容：", self.content)
        self.set_body(form, ok_text="登记")

    def submit(self) -> None:
        app_id = int(self.person.currentData())
        received, channel, content = pydate(self.received.date()), self.channel.currentText(), self.content.toPlainText()
        user = self.state.user
        self.attempt(lambda: self.state.write(lambda s: publicity.record_objection(
            s, user, self.batch_id, app_id, received_on=received, channel=channel, content=content)))


class VerdictDialog(FormDialog):
    """核实异议: upheld or not, with the finding."""

    def __init__(self, state: AppState, objection: publicity.ObjectionRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.objection = state, objection
        self.setWindowTitle(f"核实异议 — {objection.person}")
        self.resize(520, 360)
        summary = QLabel(f"{objection.received_on:%Y-%m-%d} {objection.channel}：{objection.content}")
        summary.setWordWrap(True)
        self.upheld, self.not_upheld = QRadioButton("异议成立（不予认定）"), QRadioButton("异议不成立")
        self.not_upheld.setChecked(True)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("核实经过和结论（必填）")
        choice = QHBoxLayout()
        choice.addWidget(self.not_upheld)
        choice.addWidget(self.upheld)
        choice.addStretch(1)
        form = QFormLayout()
        form.addRow("异议：", summary)
        form.addRow("结论：", choice)
        form.addRow("核实情况：", self.reason)
        self.set_body(form)

    def submit(self) -> None:
        upheld, reason, user = self.upheld.isChecked(), self.reason.toPlainText(), self.state.user
        self.attempt(lambda: self.state.write(lambda s: publicity.decide_objection(
            s, user, self.objection.id, upheld=upheld, reason=reason)))
