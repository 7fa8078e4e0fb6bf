"""Dialogs for money into the joint account and for corrections: income, a repayment matched to
the advances it repays, and a reversal (冲正)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.money import format_fen, parse_yuan
from desktop.core.rules.fund_ledger import allocate_oldest_first
from desktop.core.services import fund_ledger
from desktop.core.services.fund_queries import AccountSummary, EntryRow
from desktop.ui.fund.common import FundForm, money_edit, read_money
from desktop.ui.session import AppState
from desktop.ui.widgets import date_edit, fill, pydate, text_table


class IncomeDialog(FundForm):
    """登记收入: company payments (劳务经济收益金), subsidies… into the joint account."""

    def __init__(self, state: AppState, account: AccountSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.account = state, account
        self.entry_id: int | None = None
        rules = state.profile.fund
        assert rules is not None
        self.setWindowTitle("登记合作金收入")
        self.resize(520, 340)
        self.kind = QComboBox()
        self.kind.addItems(list(rules.income_kinds))
        self.on = date_edit(clock.today(), maximum=clock.today())
        self.amount = money_edit()
        self.payer = QLineEdit(account.company)
        self.summary = QLineEdit()
        self.summary.setPlaceholderText("摘要，如：2026年第二季度劳务经济收益金（按银行回单）")
        form = QFormLayout()
        form.addRow("账户：", QLabel(account.label))
        form.addRow("收入类别：", self.kind)
        form.addRow("到账日期：", self.on)
        form.addRow("金额（元）：", self.amount)
        form.addRow("付款方：", self.payer)
        form.addRow("摘要：", self.summary)
        self.set_body(form, ok_text="登记")
        self.watch(self.kind, self.on, self.amount, self.payer, self.summary)

    def submit(self) -> None:
        def save() -> int:
            data = fund_ledger.IncomeInput(self.account.id, self.kind.currentText(), read_money(self.amount, "收入金额"),
                                           pydate(self.on.date()), self.payer.text(), self.summary.text())
            user, profile = self.state.user, self.state.profile
            return self.state.write(lambda s: fund_ledger.record_income(s, user, profile, data))

        self.entry_id = self.attempt(save)


class RepaymentDialog(FundForm):
    """登记垫支收回: the worker, the amount and how it came back; matched to the oldest advances,
    shown before saving so the clerk sees which advances it repays."""

    def __init__(self, state: AppState, account: AccountSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.account = state, account
        self.entry_id: int | None = None
        rules = state.profile.fund
        assert rules is not None
        self.setWindowTitle("登记垫支收回")
        self.resize(640, 480)
        self.open = state.read(lambda s: fund_ledger.advances(s, account_id=account.id))
        owed: dict[int, tuple[str, int]] = {}
        for a in self.open:
            name, total = owed.get(a.worker_id, (a.worker, 0))
            owed[a.worker_id] = (name, total + a.outstanding_fen)
        self.worker = QComboBox()
        for worker_id, (name, total) in sorted(owed.items(), key=lambda kv: kv[1][0]):
            self.worker.addItem(f"{name}（未收回 {format_fen(total)} 元）", worker_id)
        self.on = date_edit(clock.today(), maximum=clock.today())
        self.amount = money_edit()
        self.source = QComboBox()
        self.source.addItems(list(rules.repayment_sources))
        self.matches = text_table(["垫支日期", "凭证号", "项目", "未收回", "本次收回"], (90, 60, 90, 100))
        form = QFormLayout()
        form.addRow("账户：", QLabel(account.label))
        form.addRow("劳动力：", self.worker)
        form.addRow("收回日期：", self.on)
        form.addRow("金额（元）：", self.amount)
        form.addRow("收回方式：", self.source)
        form.addRow(QLabel("本次收回核销的垫支（先还最早的一笔）："))
        self.set_body(form, self.matches, ok_text="登记")
        self.watch(self.worker, self.on, self.amount, self.source)
        self.worker.currentIndexChanged.connect(self.preview)
        self.amount.textChanged.connect(self.preview)
        if not owed:
            self.message.setText("这个账户没有未收回的垫支。")
        self.preview()

    def preview(self) -> None:
        worker_id = self.worker.currentData()
        mine = [a for a in self.open if a.worker_id == worker_id]
        try:
            amount = parse_yuan(self.amount.text())
            taken = dict(allocate_oldest_first(amount, [(a.entry_id, a.outstanding_fen) for a in mine]))
        except (UserError, ValueError):
            taken = {}
        fill(self.matches, [[f"{a.entry_date:%Y-%m-%d}", str(a.seq), a.item, format_fen(a.outstanding_fen),
                             format_fen(taken[a.entry_id]) if a.entry_id in taken else ""] for a in mine], right=(3, 4))

    def submit(self) -> None:
        def save() -> int:
            worker_id = self.worker.currentData()
            if worker_id is None:
                raise UserError("这个账户没有未收回的垫支。")
            data = fund_ledger.RepaymentInput(self.account.id, worker_id, read_money(self.amount, "收回金额"),
                                              pydate(self.on.date()), self.source.currentText())
            user, profile = self.state.user, self.state.profile
            return self.state.write(lambda s: fund_ledger.record_repayment(s, user, profile, data))

        self.entry_id = self.attempt(save)


class ReversalDialog(FundForm):
    """冲正: the entry is shown as it stands; a new entry with the opposite amount and the reason."""

    def __init__(self, state: AppState, entry: EntryRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.entry = state, entry
        self.setWindowTitle(f"冲正第 {entry.seq} 号分录")
        self.resize(520, 320)
        shown = QLabel(f"{entry.entry_date:%Y-%m-%d}　第 {entry.seq} 号　{entry.kind_label}　{entry.summary}<br>"
                       f"金额：<b>{format_fen(entry.amount_fen)}</b> 元")
        shown.setWordWrap(True)
        note = QLabel(f"将于今天记一笔 {format_fen(-entry.amount_fen)} 元的冲正分录，原分录保留不改。")
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("冲正原因（必填），如：金额录错，应为 1 234.00 元")
        self.override = QLineEdit()
        self.override.setPlaceholderText("只在冲正会使余额为负、确需透支时填写（管理员），记入审计日志")
        form = QFormLayout()
        form.addRow("原分录：", shown)
        form.addRow("", note)
        form.addRow("冲正原因：", self.reason)
        if state.user.role is Role.ADMIN:
            form.addRow("透支特批理由：", self.override)
        self.set_body(form, ok_text="冲正")
        self.watch(self.reason, self.override)

    def submit(self) -> None:
        reason, override, user = self.reason.toPlainText(), self.override.text(), self.state.user
        self.attempt(lambda: self.state.write(lambda s: fund_ledger.reverse_entry(
            s, user, self.entry.id, reason, override_reason=override)))
