"""The joint account page (合作金台账): balance at a glance, payment requests with their sign-offs
(pending first), the entries with a running balance, and the buttons for each counter task."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models.account import Role
from desktop.core.money import format_fen
from desktop.core.services import fund_queries, fund_requests
from desktop.core.services.fund_queries import AccountSummary, EntryQuery
from desktop.ui.fund.common import selected_row
from desktop.ui.paged_model import Column, service_model
from desktop.ui.session import AppState
from desktop.ui.widgets import RIGHT, fill, paged_table_view, text_table

PENDING = QColor("#fff2c6")


def _money(fen: int) -> str:
    return format_fen(fen) if fen else ""


ENTRY_COLUMNS: list[Column[fund_queries.EntryRow]] = [
    Column("日期", lambda r: f"{r.entry_date:%Y-%m-%d}"),
    Column("凭证号", lambda r: r.seq),
    Column("类别", lambda r: r.kind_label),
    Column("摘要", lambda r: r.summary + ("【透支特批】" if r.override else "")
           + (f"（已由第 {r.reversed_by_seq} 号冲正）" if r.reversed_by_seq else "")),
    Column("劳动力/对方", lambda r: r.worker or r.counterparty),
    Column("收入", lambda r: _money(r.inflow_fen), align=RIGHT),
    Column("支出", lambda r: _money(r.outflow_fen), align=RIGHT),
    Column("余额", lambda r: format_fen(r.balance_fen), align=RIGHT),
    Column("经办", lambda r: r.recorded_by_name),
]


class _Figure(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("_Figure { background: #f4f7fb; border: 1px solid #c9d6e8; border-radius: 4px; }")
        self.title, self.value = QLabel(title), QLabel("—")
        self.title.setProperty("role", "hint")
        self.value.setStyleSheet("font-size: 14pt; font-weight: bold; color: #1d4f91;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.value)


class FundAccountPage(QWidget):
    title = "合作金台账"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.accounts: list[AccountSummary] = []
        self.requests: list[fund_requests.RequestRow] = []
        role = state.user.role
        heading = QLabel("劳务合作金共管账户")
        heading.setProperty("role", "pageTitle")
        self.account = QComboBox()
        self.account.setMinimumWidth(420)
        self.report_button = QPushButton("报表(&R)…")
        self.report_button.setToolTip("对账单、垫支未收回明细、合作金安全情况表、收益金分配表：打印、PDF、Excel")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addWidget(self.account, 1)
        top.addWidget(self.report_button)

        self.figures = {k: _Figure(t) for k, t in (("fund", "合作金本金（元）"), ("balance", "账户余额（元）"),
                                                   ("outstanding", "在外垫支（元）"), ("pending", "待签批支出"))}
        figures = QGridLayout()
        for i, f in enumerate(self.figures.values()):
            figures.addWidget(f, 0, i)
        self.account_info = QLabel()
        self.account_info.setProperty("role", "hint")
        self.account_info.setWordWrap(True)

        self.request_table = text_table(["编号", "申请日期", "类别", "项目", "劳动力/收款人", "金额（元）", "状态",
                                         "申请人", "签批情况 / 结果"], (46, 86, 56, 84, 150, 96, 70, 96))
        can_ask = role in (Role.CLERK, Role.REVIEWER, Role.ADMIN)
        self.new_request = self._button("新建支出申请(&Q)…", can_ask, "支出申请需要经办、审核或管理员角色。", primary=True)
        self.sign_button = self._button("签批(&S)…", role in (Role.REVIEWER, Role.ADMIN), "签批需要审核或管理员角色。")
        self.cancel_button = self._button("撤回申请…", can_ask, "")
        self.override_button = self._button("透支特批…", role is Role.ADMIN, "")
        self.override_button.setVisible(role is Role.ADMIN)
        req_bar = QHBoxLayout()
        req_bar.addWidget(QLabel("支出申请（双签批：县级劳务合作社、人力资源服务企业各一人签批后才支付）"), 1)
        for b in (self.new_request, self.sign_button, self.cancel_button, self.override_button):
            req_bar.addWidget(b)

        self.model = service_model(state, ENTRY_COLUMNS, fund_queries.count_entries, fund_queries.search_entries,
                                   EntryQuery(0))
        self.entry_table = paged_table_view(self.model, (86, 52, 70, 330, 150, 96, 96, 110))
        self.entry_table.setSortingEnabled(False)
        self.income_button = self._button("登记收入…", can_ask, "登记收入需要经办、审核或管理员角色。")
        self.repay_button = self._button("登记垫支收回…", can_ask, "登记收回需要经办、审核或管理员角色。")
        self.reverse_button = self._button("冲正…", role in (Role.REVIEWER, Role.ADMIN), "冲正需要审核或管理员角色。")
        entry_bar = QHBoxLayout()
        entry_bar.addWidget(QLabel("账户流水（分录只增不改，录错的用冲正更正）"), 1)
        for b in (self.income_button, self.repay_button, self.reverse_button):
            entry_bar.addWidget(b)

        upper, lower = QWidget(), QWidget()
        ul, ll = QVBoxLayout(upper), QVBoxLayout(lower)
        ul.setContentsMargins(0, 0, 0, 0)
        ll.setContentsMargins(0, 0, 0, 0)
        ul.addLayout(req_bar)
        ul.addWidget(self.request_table)
        ll.addLayout(entry_bar)
        ll.addWidget(self.entry_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setSizes([230, 330])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(figures)
        layout.addWidget(self.account_info)
        layout.addWidget(splitter, 1)

        self.account.currentIndexChanged.connect(self.show_account)
        self.request_table.itemSelectionChanged.connect(self._update_buttons)
        self.request_table.doubleClicked.connect(lambda _i: self.sign())
        self.report_button.clicked.connect(self.open_reports)
        self.new_request.clicked.connect(self.ask)
        self.sign_button.clicked.connect(self.sign)
        self.cancel_button.clicked.connect(self.cancel)
        self.override_button.clicked.connect(self.override)
        self.income_button.clicked.connect(self.add_income)
        self.repay_button.clicked.connect(self.add_repayment)
        self.reverse_button.clicked.connect(self.reverse)
        self.reload()

    def _button(self, text: str, allowed: bool, why_not: str, primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setProperty("allowed", allowed)
        if primary:
            button.setProperty("role", "primary")
        if not allowed:
            button.setToolTip(why_not)
        return button

    # --- loading ---------------------------------------------------------------------------------
    def reload(self, select_request: int | None = None) -> None:
        current = self.account.currentData()
        self.accounts = self.state.read(lambda s: fund_queries.account_summaries(s, self.state.profile))
        self.account.blockSignals(True)
        self.account.clear()
        for a in self.accounts:
            self.account.addItem(a.label, a.id)
        index = self.account.findData(current)
        if index < 0:  # first time: the account that has requests waiting, else the newest
            index = next((i for i, a in enumerate(self.accounts) if a.pending_requests), 0 if self.accounts else -1)
        self.account.setCurrentIndex(index)
        self.account.blockSignals(False)
        self.show_account(select_request=select_request)

    def current(self) -> AccountSummary | None:
        return next((a for a in self.accounts if a.id == self.account.currentData()), None)

    def show_account(self, *_args: object, select_request: int | None = None) -> None:
        account = self.current()
        if account is None:
            self.account_info.setText("还没有开立合作金共管账户。请管理员在“劳务合作社”页登记合作协议后开立账户。")
            for f in self.figures.values():
                f.value.setText("—")
            fill(self.request_table, [])
            self.requests = []
            self.model.set_query(EntryQuery(0))
            self._update_buttons()
            return
        self.figures["fund"].value.setText(format_fen(account.fund_amount_fen))
        self.figures["balance"].value.setText(format_fen(account.balance_fen))
        self.figures["outstanding"].value.setText(format_fen(account.outstanding_fen))
        self.figures["pending"].value.setText(f"{account.pending_requests} 笔")
        self.account_info.setText(
            f"{account.bank_name or '开户银行未填'}　账号 {account.account_no_masked or '未填'}　"
            f"合作期限 {account.starts_on:%Y-%m-%d} 至 {account.ends_on:%Y-%m-%d}　"
            f"县级合作社：{account.county_coop}　企业：{account.company}")
        parties = self.state.profile.fund.signoff_parties if self.state.profile.fund else ()
        self.requests = self.state.read(lambda s: fund_requests.list_requests(s, account.id))
        fill(self.request_table, [
            [str(r.id), f"{r.requested_on:%Y-%m-%d}", r.kind_label, r.item, r.worker or r.payee,
             format_fen(r.amount_fen), r.status_label + ("·特批" if r.override_by else ""), r.requested_by_name,
             r.signed_text(parties) if r.status in ("pending", "paid") else r.closing_reason]
            for r in self.requests], right=(5,))
        for i, r in enumerate(self.requests):
            if r.status == "pending":  # what still needs a signature stands out
                for c in range(self.request_table.columnCount()):
                    self.request_table.item(i, c).setBackground(PENDING)
        row = next((i for i, r in enumerate(self.requests) if r.id == select_request), 0 if self.requests else -1)
        if row >= 0:
            self.request_table.selectRow(row)
        self.model.set_query(replace(self.model.query, account_id=account.id, offset=0))
        self._update_buttons()

    def selected_request(self) -> fund_requests.RequestRow | None:
        row = selected_row(self.request_table)
        return self.requests[row] if 0 <= row < len(self.requests) else None

    def _update_buttons(self) -> None:
        has_account = self.current() is not None
        request = self.selected_request()
        pending = request is not None and request.status == "pending"
        for b in (self.new_request, self.income_button, self.repay_button, self.reverse_button):
            b.setEnabled(has_account and bool(b.property("allowed")))
        for b in (self.sign_button, self.cancel_button, self.override_button):
            b.setEnabled(pending and bool(b.property("allowed")))
        self.report_button.setEnabled(has_account)

    # --- actions ---------------------------------------------------------------------------------
    def _after(self, dialog: QDialog, select_request: int | None = None) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(select_request)

    def ask(self) -> None:
        from desktop.ui.fund.request_dialogs import NewRequestDialog

        account = self.current()
        if account is not None:
            dialog = NewRequestDialog(self.state, account, self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.reload(dialog.request_id)

    def sign(self) -> None:
        from desktop.ui.fund.request_dialogs import ApprovalDialog

        request = self.selected_request()
        if request is None or request.status != "pending":
            return
        dialog = ApprovalDialog(self.state, request.id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.outcome is not None:
            QMessageBox.information(self, "签批", dialog.outcome.message)
            self.reload(request.id)

    def cancel(self) -> None:
        from desktop.ui.fund.request_dialogs import ReasonDialog

        request, user = self.selected_request(), self.state.user
        if request is not None:
            self._after(ReasonDialog("撤回支出申请", f"撤回第 {request.id} 号申请（{request.item} {format_fen(request.amount_fen)} 元）。"
                                     "撤回后不能再签批，记录保留。", lambda reason: self.state.write(
                                         lambda s: fund_requests.cancel_request(s, user, request.id, reason)), self),
                        request.id)

    def override(self) -> None:
        from desktop.ui.fund.request_dialogs import ReasonDialog

        request, user = self.selected_request(), self.state.user
        if request is not None:
            prompt = (f"允许第 {request.id} 号申请在账户余额不足时支付（透支）。此操作记入审计日志，"
                      "仍须双方签批。请写明理由。")
            self._after(ReasonDialog("透支特批", prompt, lambda reason: self.state.write(
                lambda s: fund_requests.grant_override(s, user, request.id, reason)), self), request.id)

    def add_income(self) -> None:
        from desktop.ui.fund.entry_dialogs import IncomeDialog

        if (account := self.current()) is not None:
            self._after(IncomeDialog(self.state, account, self))

    def add_repayment(self) -> None:
        from desktop.ui.fund.entry_dialogs import RepaymentDialog

        if (account := self.current()) is not None:
            self._after(RepaymentDialog(self.state, account, self))

    def reverse(self) -> None:
        from desktop.ui.fund.entry_dialogs import ReversalDialog

        index = self.entry_table.currentIndex()
        if not index.isValid():
            QMessageBox.information(self, "冲正", "请先在账户流水中选中要冲正的一笔。")
            return
        self._after(ReversalDialog(self.state, self.model.row_at(index.row()), self))

    def open_reports(self) -> None:
        from desktop.ui.fund.report_dialog import ReportDialog

        account = self.current()
        ReportDialog(self.state, "statement", account.id if account else None, self).exec()
