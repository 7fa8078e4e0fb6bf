"""Dialogs for money out of the joint account: a new payment request, the sign-off (双签批),
withdrawing a request and the administrator's overdraft override."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.core.money import format_fen, parse_yuan
from desktop.core.rules.fund_ledger import EntryKind, RequestStatus
from desktop.core.services import fund_ledger, fund_requests, fund_workers
from desktop.core.services.fund_queries import AccountSummary
from desktop.ui.fund.common import FundForm, money_edit, read_money
from desktop.ui.session import AppState

KINDS = ((EntryKind.ADVANCE, "垫支（交通费、体检费等）"), (EntryKind.PAYOUT, "其他支出"), (EntryKind.RETURN, "返还劳务合作金"))


class NewRequestDialog(FundForm):
    """支出申请: what, for whom, how much; it moves no money until both sides sign."""

    def __init__(self, state: AppState, account: AccountSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.account = state, account
        self.request_id: int | None = None
        rules = state.profile.fund
        assert rules is not None
        self.setWindowTitle("新建合作金支出申请")
        self.resize(620, 460)
        self.kind = QComboBox()
        for kind, label in KINDS:
            self.kind.addItem(label, kind.value)
        trips = state.read(lambda s: fund_workers.trips(s, agreement_id=account.agreement_id, limit=5000))
        self.trip = QComboBox()
        self.trip.setEditable(True)
        self.trip.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for t in trips:
            self.trip.addItem(t.label, t.id)
        completer = self.trip.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.trip.lineEdit().setPlaceholderText("输入姓名查找这名劳动力的外出记录")
        self.trip.setCurrentIndex(-1)
        self.item = QComboBox()
        self.coops = state.read(lambda s: _villages(s))
        self.coop = QComboBox()
        self.coop.addItem("（不是拨付给合作社）", None)
        for coop_id, name in self.coops:
            self.coop.addItem(name, coop_id)
        self.payee = QLineEdit()
        self.payee.setPlaceholderText("垫支默认收款人为该劳动力；返还默认为县级劳务合作社")
        self.amount = money_edit()
        self.purpose = QPlainTextEdit()
        self.purpose.setPlaceholderText("用途说明，如：2026年春季输送广东务工人员往返车票")
        self.purpose.setMaximumHeight(80)
        self.balance_hint = QLabel()
        self.balance_hint.setProperty("role", "hint")
        self.balance_hint.setWordWrap(True)
        self.form = QFormLayout()
        shown = QLabel(account.label)
        shown.setWordWrap(True)
        self.form.addRow("账户：", shown)
        self.form.addRow("支出类别：", self.kind)
        self.form.addRow("劳动力与外出：", self.trip)
        self.form.addRow("项目/用途：", self.item)
        self.form.addRow("收款合作社：", self.coop)
        self.form.addRow("收款人：", self.payee)
        self.form.addRow("金额（元）：", self.amount)
        self.form.addRow("用途说明：", self.purpose)
        self.form.addRow("", self.balance_hint)
        self.set_body(self.form, ok_text="提交申请")
        self.watch(self.kind, self.trip, self.item, self.coop, self.payee, self.amount, self.purpose)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.amount.textChanged.connect(self._hint)
        self._kind_changed()

    def _kind_changed(self) -> None:
        rules = self.state.profile.fund
        assert rules is not None
        kind = EntryKind(self.kind.currentData())
        self.item.clear()
        items = {EntryKind.ADVANCE: rules.advance_items, EntryKind.PAYOUT: rules.payout_purposes}.get(
            kind, (fund_requests.RETURN_ITEM,))
        self.item.addItems(list(items))
        for widget, shown in ((self.trip, kind is EntryKind.ADVANCE), (self.coop, kind is EntryKind.PAYOUT)):
            widget.setVisible(shown)
            self.form.labelForField(widget).setVisible(shown)
        self.item.setEnabled(kind is not EntryKind.RETURN)
        if kind is EntryKind.RETURN and not self.amount.text():
            self.amount.setText(format_fen(self.account.fund_amount_fen, grouping=False))
        self._hint()

    def _hint(self) -> None:
        text = f"当前余额 {format_fen(self.account.balance_fen)} 元。申请提交后须经"
        parties = self.state.profile.fund.signoff_parties if self.state.profile.fund else ()
        text += "、".join(parties) + "双方签批才会支付。"
        try:
            if parse_yuan(self.amount.text()) > self.account.balance_fen:
                text += "<br><b style='color:#b36b00'>金额超过当前余额：签批时余额仍不足的，须管理员透支特批。</b>"
        except UserError:
            pass  # an unfinished amount is checked when the request is submitted
        self.balance_hint.setText(text)

    def submit(self) -> None:
        kind = EntryKind(self.kind.currentData())
        trip_id = self.trip.currentData() if kind is EntryKind.ADVANCE and self.trip.currentIndex() >= 0 else None
        if kind is EntryKind.ADVANCE and self.trip.currentText() and self.trip.findText(self.trip.currentText()) < 0:
            trip_id = None  # typed text that matches no trip

        def save() -> int:
            amount = read_money(self.amount, "支出金额")
            data = fund_requests.RequestInput(
                self.account.id, kind.value, amount, self.item.currentText(), dispatch_id=trip_id,
                cooperative_id=self.coop.currentData() if kind is EntryKind.PAYOUT else None,
                payee=self.payee.text(), purpose=self.purpose.toPlainText())
            user, profile = self.state.user, self.state.profile
            return self.state.write(lambda s: fund_requests.create_request(s, user, profile, data))

        self.request_id = self.attempt(save)


def _villages(session) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    from desktop.core.services.fund_partners import cooperatives_of_level

    return cooperatives_of_level(session, "village") + cooperatives_of_level(session, "township")


class ApprovalDialog(FundForm):
    """签批: the request in full, who has signed, and this signatory's decision for their party."""

    def __init__(self, state: AppState, request_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.request_id = state, request_id
        self.outcome: fund_requests.SignOutcome | None = None
        rules = state.profile.fund
        assert rules is not None
        row = state.read(lambda s: fund_requests.request_detail(s, request_id))
        mine = state.read(lambda s: fund_ledger.signing_parties(s, state.user.username, row.account_id))
        done = {s.party for s in row.signatures}
        self.setWindowTitle(f"签批支出申请 第 {row.id} 号")
        amount = QLabel(f"{format_fen(row.amount_fen)} 元")
        amount.setStyleSheet("font-size: 16pt; font-weight: bold; color: #1d4f91;")
        who = row.worker or row.payee
        details = QFormLayout()
        details.addRow("支出类别：", QLabel(f"{row.kind_label}　{row.item}"))
        details.addRow("金额：", amount)
        details.addRow("劳动力/收款人：", QLabel(who + (f"（收款人：{row.payee}）" if row.worker and row.payee != who else "")))
        purpose = QLabel(row.purpose or "（未填写）")
        purpose.setWordWrap(True)
        details.addRow("用途说明：", purpose)
        details.addRow("申请人：", QLabel(f"{row.requested_by_name}（{row.requested_on:%Y-%m-%d}）"))
        signed = QLabel(row.signed_text(rules.signoff_parties).replace("；", "<br>"))
        details.addRow("签批情况：", signed)
        if row.override_by:
            note = QLabel(f"管理员已透支特批：{row.override_reason}")
            note.setWordWrap(True)
            note.setProperty("role", "fieldWarning")
            details.addRow("", note)
        self.party = QComboBox()
        for party in rules.signoff_parties:
            if party in mine and party not in done:
                self.party.addItem(party)
        self.approve, self.refuse = QRadioButton("同意支付"), QRadioButton("不同意")
        self.approve.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.approve)
        group.addButton(self.refuse)
        choice = QHBoxLayout()
        choice.addWidget(self.approve)
        choice.addWidget(self.refuse)
        choice.addStretch(1)
        self.opinion = QPlainTextEdit()
        self.opinion.setPlaceholderText("签批意见（不同意时必须写明理由）")
        self.opinion.setMaximumHeight(90)
        decide = QFormLayout()
        decide.addRow("代表签批方：", self.party)
        decide.addRow("签批意见：", choice)
        decide.addRow("", self.opinion)
        shown, mine_box = QGroupBox("申请内容"), QGroupBox(f"本人签批（{state.user.display_name}）")
        shown.setLayout(details)
        mine_box.setLayout(decide)
        self.set_body(shown, mine_box, ok_text="签批")
        self.watch(self.opinion, self.party)
        why = ""
        if row.status != RequestStatus.PENDING:
            why = f"这笔申请{row.status_label}，只能查看。"
        elif row.requested_by == state.user.username:
            why = "这笔申请是您本人提出的，不能由您签批（双签批须由申请人以外的两人签字）。"
        elif self.party.count() == 0:
            why = "您不是本账户尚未签批一方的登记签批人，只能查看。"
        if why:
            self.message.setText(why)
            mine_box.setEnabled(False)
            ok = self.findChild(QDialogButtonBox).buttons()[0]
            ok.setEnabled(False)
        self.resize(600, self.sizeHint().height())

    def submit(self) -> None:
        party, approve, opinion = self.party.currentText(), self.approve.isChecked(), self.opinion.toPlainText()
        user, profile = self.state.user, self.state.profile
        self.outcome = self.attempt(lambda: self.state.write(lambda s: fund_requests.sign_request(
            s, user, profile, self.request_id, party=party, approve=approve, opinion=opinion)))


class ReasonDialog(FundForm):
    """One reason, then ``action(reason)`` — for withdrawing a request or an overdraft override."""

    def __init__(self, title: str, prompt: str, action, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.action = action
        self.setWindowTitle(title)
        self.resize(480, 260)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.reason = QPlainTextEdit()
        form = QFormLayout()
        form.addRow(label)
        form.addRow("原因：", self.reason)
        self.set_body(form)
        self.watch(self.reason)

    def submit(self) -> None:
        reason = self.reason.toPlainText()
        self.attempt(lambda: self.action(reason))
