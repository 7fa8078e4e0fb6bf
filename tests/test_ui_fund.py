"""The fund screens: the pages appear with the module, a payment goes from request to two
sign-offs through the dialogs, typed amounts are read as 分, Esc asks before discarding."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from desktop.core.services import center as center_service
from desktop.core.services import fund_ledger, fund_workers
from desktop.core.services.accounts import SignedInUser
from desktop.ui.fund.account_page import FundAccountPage
from desktop.ui.fund.coop_page import CooperativePage
from desktop.ui.fund.entry_dialogs import IncomeDialog, RepaymentDialog
from desktop.ui.fund.report_dialog import ReportDialog
from desktop.ui.fund.request_dialogs import ApprovalDialog, NewRequestDialog
from desktop.ui.fund.worker_dialogs import FourClearDialog, WorkerDialog
from desktop.ui.fund.workers_page import WorkersPage
from desktop.ui.main_window import MainWindow
from desktop.ui.session import AppState
from desktop.ui.tasks import TaskRunner
from tests.factories import make_id
from tests.fund_helpers import COUNTY, FUND_FEN, Fund, honghe, setup_fund
from tests.test_fund_reports import pay
from tests.ui_helpers import type_text


def state_for(db, user: SignedInUser, profile=None) -> AppState:  # type: ignore[no-untyped-def]
    with db.session("x", write=False) as s:
        center = center_service.load_center(s)
    return AppState(db, center, profile or honghe(), user, TaskRunner())


@pytest.fixture
def fund(db) -> Fund:  # type: ignore[no-untyped-def]
    return setup_fund(db)


@pytest.fixture(autouse=True)
def quiet(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: pytest.fail(f"{title}: {text}"))


def test_fund_pages_appear_only_with_the_fund_module(qtbot, db, profile, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with_fund = MainWindow(state_for(db, fund.clerk))
    qtbot.addWidget(with_fund)
    titles = [with_fund.nav.item(i).text() for i in range(with_fund.nav.count())]
    assert titles[-3:] == ["合作金台账", "劳务合作社", "劳动力与四清"]
    without = MainWindow(state_for(db, fund.clerk, profile))  # sichuan: no fund module
    qtbot.addWidget(without)
    assert "合作金台账" not in [without.nav.item(i).text() for i in range(without.nav.count())]


def test_a_payment_through_the_dialogs_moves_money_only_after_both_signatures(qtbot, db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    clerk = state_for(db, fund.clerk)
    page = FundAccountPage(clerk)
    qtbot.addWidget(page)
    assert page.figures["balance"].value.text() == "200,000.00"
    assert not page.sign_button.isEnabled()  # a clerk does not sign

    dialog = NewRequestDialog(clerk, page.current(), page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.trip.setCurrentIndex(dialog.trip.findText("工人1", Qt.MatchFlag.MatchStartsWith))
    qtbot.keyClicks(dialog.amount, "12.345")
    dialog.submit()
    assert "最多精确到分" in dialog.message.text() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "350.5")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # Enter saves
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()
    page.reload(dialog.request_id)
    assert page.requests[0].status_label == "待签批" and page.requests[0].amount_fen == 35_050
    assert page.figures["pending"].value.text() == "1 笔" and page.figures["balance"].value.text() == "200,000.00"

    for signer in (fund.reviewer, fund.company):
        state = state_for(db, signer)
        approval = ApprovalDialog(state, dialog.request_id)
        qtbot.addWidget(approval)
        assert approval.party.count() == 1
        approval.submit()
        assert approval.result() == QDialog.DialogCode.Accepted, approval.message.text()
        page.reload()
        if signer is fund.reviewer:
            assert page.figures["balance"].value.text() == "200,000.00"  # one signature moves nothing
    assert page.requests[0].status_label == "已支付"
    assert page.figures["balance"].value.text() == "199,649.50"
    assert page.model.total == 2 and page.model.row_at(0).kind_label == "垫支"


def test_the_requester_cannot_sign_in_the_dialog(qtbot, db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    reviewer = state_for(db, fund.reviewer)
    page = FundAccountPage(reviewer)
    qtbot.addWidget(page)
    dialog = NewRequestDialog(reviewer, page.current(), page)
    qtbot.addWidget(dialog)
    dialog.trip.setCurrentIndex(0)
    qtbot.keyClicks(dialog.amount, "80")
    dialog.submit()
    approval = ApprovalDialog(reviewer, dialog.request_id)
    qtbot.addWidget(approval)
    ok = approval.findChild(QDialogButtonBox).buttons()[0]
    assert "本人提出" in approval.message.text() and not ok.isEnabled() and not approval.party.isEnabled()


def test_escape_asks_before_discarding_typed_work(qtbot, db, fund: Fund, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clerk = state_for(db, fund.clerk)
    page = FundAccountPage(clerk)
    qtbot.addWidget(page)
    dialog = IncomeDialog(clerk, page.current(), page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.amount, "100")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(1) or QMessageBox.StandardButton.No)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_income_repayment_and_report_from_the_page(qtbot, db, fund: Fund, tmp_path: Path, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    clerk = state_for(db, fund.clerk)
    page = FundAccountPage(clerk)
    qtbot.addWidget(page)
    income = IncomeDialog(clerk, page.current(), page)
    qtbot.addWidget(income)
    income.kind.setCurrentText("劳务经济收益金")
    qtbot.keyClicks(income.amount, "1,000")
    income.submit()
    assert income.entry_id is not None
    pay(db, fund, 0, "交通费", 30_000)  # an advance to repay, paid through the services
    page.reload()
    repay = RepaymentDialog(clerk, page.current(), page)
    qtbot.addWidget(repay)
    qtbot.keyClicks(repay.amount, "120")
    assert repay.matches.item(0, 4).text() == "120.00"
    repay.submit()
    assert repay.entry_id is not None
    page.reload()
    qtmodeltester.check(page.model)
    assert page.figures["outstanding"].value.text() == "180.00"
    report = ReportDialog(clerk, "statement", page.current().id, page)
    qtbot.addWidget(report)
    out = tmp_path / "对账单.pdf"
    with db.session("clerk") as s:
        report._job()(s, out)
    assert out.stat().st_size > 5_000
    assert report._name().startswith("共管账户对账单_")
    report.kind.setCurrentIndex(report.kind.findData("distribution"))
    assert report.agreement.isVisibleTo(report) and not report.account.isVisibleTo(report)


def test_workers_page_registers_a_worker_and_a_four_clear_check(qtbot, db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    clerk = state_for(db, fund.clerk)
    page = WorkersPage(clerk)
    qtbot.addWidget(page)
    assert page.model.total == 2
    dialog = WorkerDialog(clerk, page)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.id_number, make_id(date(1992, 7, 7), county=COUNTY, seq=31, male=False))
    assert dialog.derived.text() == "女，1992年07月07日出生"
    type_text(dialog.name, "普秀英")
    dialog.poverty.setCurrentIndex(dialog.poverty.findData("脱贫劳动力"))
    dialog.submit()
    assert dialog.worker_id is not None
    page.reload()
    assert page.model.total == 3
    assert [r.name for r in page.registry] == ["工人1", "普秀英"]  # both poor, neither checked yet
    check = FourClearDialog(clerk, dialog.worker_id, "普秀英", None, page)
    qtbot.addWidget(check)
    check.employment.setCurrentText("未就业")
    type_text(check.skills, "刺绣")
    check.intention.setCurrentText("有外出务工意愿")
    check.training.setCurrentText("有培训意愿")
    check.submit()
    assert check.result() == QDialog.DialogCode.Accepted, check.message.text()
    page.load_registry()
    assert [r.name for r in page.registry] == ["工人1"]
    assert "一年内未核实共 1 人" in page.registry_label.text()
    with db.session("x", write=False) as s:
        assert fund_workers.four_clear_registry(s, honghe())[1].skills == "刺绣"


def test_cooperative_page_tree_and_agreements(qtbot, db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    admin = state_for(db, fund.admin)
    page = CooperativePage(admin)
    qtbot.addWidget(page)
    assert page.tree.topLevelItem(0).text(0) == "建水县劳务合作联社"
    assert page.tree.topLevelItem(0).child(0).childCount() == 2
    assert page.agreement_table.item(0, 6).text() == "已开立"
    page.agreement_table.selectRow(0)
    assert not page.open_account.isEnabled()  # the account exists already
    with db.session("x", write=False) as s:
        assert fund_ledger.balance(s, fund.account_id) == FUND_FEN


def test_admin_changes_a_signatory_and_reverses_with_an_override(qtbot, db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.fund.coop_dialogs import SignatoryDialog
    from desktop.ui.fund.entry_dialogs import ReversalDialog

    admin = state_for(db, fund.admin)
    page = CooperativePage(admin)
    qtbot.addWidget(page)
    page.agreement_table.selectRow(0)
    assert page.signatories.isEnabled()
    dialog = SignatoryDialog(admin, page.agreements[0], page)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    dialog.party.setCurrentText("县级劳务合作社")
    dialog.person.setCurrentIndex(dialog.person.findData(fund.reviewer.id))
    dialog.active.setCurrentIndex(1)  # stop
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()
    with db.session("x", write=False) as s:
        assert fund_ledger.signing_parties(s, "reviewer", fund.account_id) == set()

    # the opening entry reversed would empty the account below zero: only with the admin's override
    account_page = FundAccountPage(admin)
    qtbot.addWidget(account_page)
    with db.session("clerk") as s:
        fund_ledger.record_income(s, fund.clerk, honghe(), fund_ledger.IncomeInput(fund.account_id, "企业补助", 100,
                                                                                   date(2026, 11, 22)))
    account_page.reload()
    opening = account_page.model.row_at(account_page.model.rowCount() - 1)
    assert opening.kind_label == "合作金拨入"
    with db.session("admin") as s:  # spend some first so that the reversal would go negative
        fund_ledger.post_entry(s, fund.admin, fund.account_id, fund_ledger.EntryKind.PAYOUT, -200, date(2026, 11, 22))
    reversal = ReversalDialog(admin, opening, account_page)
    qtbot.addWidget(reversal)
    type_text(reversal.reason, "合作金拨入金额录错")
    reversal.submit()
    assert "不够支付" in reversal.message.text()
    type_text(reversal.override, "县财政已确认重新拨入")
    reversal.submit()
    assert reversal.result() == QDialog.DialogCode.Accepted, reversal.message.text()
    with db.session("x", write=False) as s:
        assert fund_ledger.balance(s, fund.account_id) == -100
