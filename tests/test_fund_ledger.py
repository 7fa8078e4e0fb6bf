"""The joint account end to end in core: two sign-offs before money moves, refusals, history kept,
reversals instead of edits, the balance floor and the audited override, repayments matched."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop.core.audit import verify_chain
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.audit import AuditEntry
from desktop.core.models.fund import FundEntry, LedgerIsHistory, PaymentSignoff, RepaymentMatch
from desktop.core.services import fund_ledger as ledger
from desktop.core.services import fund_requests as requests
from desktop.core.services.fund_queries import EntryQuery, account_summaries, count_entries, search_entries
from tests.fund_helpers import COMPANY, COOP, FUND_FEN, Fund, honghe, setup_fund

P = honghe()


@pytest.fixture
def fund(db) -> Fund:  # type: ignore[no-untyped-def]
    return setup_fund(db)


def ask(db, fund: Fund, amount: int = 35_000, item: str = "交通费", trip: int = 0, who=None) -> int:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        return requests.create_request(s, who or fund.clerk, P, requests.RequestInput(
            fund.account_id, "advance", amount, item, dispatch_id=fund.trips[trip]))


def sign(db, fund: Fund, request_id: int, signer, party: str, approve: bool = True, opinion: str = ""):  # type: ignore[no-untyped-def]
    with db.session(signer.username) as s:
        return requests.sign_request(s, signer, P, request_id, party=party, approve=approve, opinion=opinion)


def bal(db, fund: Fund) -> int:  # type: ignore[no-untyped-def]
    with db.session("x", write=False) as s:
        return ledger.balance(s, fund.account_id)


def test_opening_entry_is_the_entrusted_fund(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    assert bal(db, fund) == FUND_FEN
    with db.session("x", write=False) as s:
        [summary] = account_summaries(s, P)
        rows = search_entries(s, P, EntryQuery(fund.account_id))
    assert summary.fund_amount_fen == summary.balance_fen == FUND_FEN
    assert summary.account_no_masked == "6228***********5678"
    assert [(r.seq, r.kind_label, r.amount_fen, r.balance_fen) for r in rows] == [(1, "合作金拨入", FUND_FEN, FUND_FEN)]


def test_a_payment_with_one_approval_does_not_move_the_balance(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    rid = ask(db, fund)
    outcome = sign(db, fund, rid, fund.reviewer, COOP)
    assert outcome.status == "pending" and outcome.entry_id is None and "人力资源服务企业" in outcome.message
    assert bal(db, fund) == FUND_FEN
    outcome = sign(db, fund, rid, fund.company, COMPANY)
    assert outcome.status == "paid" and outcome.entry_id is not None
    assert bal(db, fund) == FUND_FEN - 35_000
    with db.session("x", write=False) as s:
        row = requests.request_detail(s, rid)
        [advance] = ledger.advances(s, account_id=fund.account_id)
    assert row.entry_seq == 2 and row.status_label == "已支付"
    assert (advance.worker, advance.item, advance.outstanding_fen) == ("工人1", "交通费", 35_000)


def test_self_approval_and_double_signing_are_refused(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    rid = ask(db, fund, who=fund.reviewer)  # the cooperative's signatory asks for it himself
    with pytest.raises(UserError, match="本人提出"):
        sign(db, fund, rid, fund.reviewer, COOP)
    rid = ask(db, fund, item="体检费")
    sign(db, fund, rid, fund.reviewer, COOP)
    with pytest.raises(UserError, match="不能签两次"):
        sign(db, fund, rid, fund.reviewer, COMPANY)
    with pytest.raises(UserError, match="已由李审核签批"):
        sign(db, fund, rid, fund.admin, COOP)
    with pytest.raises(UserError, match="登记的签批人"):  # the admin is no registered signatory
        sign(db, fund, rid, fund.admin, COMPANY)
    with pytest.raises(PermissionDenied):
        sign(db, fund, rid, fund.clerk, COMPANY)
    with db.session("x", write=False) as s:
        assert len(s.scalars(select(PaymentSignoff).where(PaymentSignoff.request_id == rid)).all()) == 1
    assert bal(db, fund) == FUND_FEN


def test_rejected_and_cancelled_requests_keep_their_history(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    rejected = ask(db, fund)
    sign(db, fund, rejected, fund.reviewer, COOP)
    with pytest.raises(UserError, match="写明理由"):
        sign(db, fund, rejected, fund.company, COMPANY, approve=False)
    sign(db, fund, rejected, fund.company, COMPANY, approve=False, opinion="票据不全")
    with pytest.raises(UserError, match="已未同意"):
        sign(db, fund, rejected, fund.company, COMPANY)
    cancelled = ask(db, fund, item="培训费")
    with db.session("reviewer") as s, pytest.raises(UserError, match="只有申请人"):
        requests.cancel_request(s, fund.reviewer, cancelled, "不需要了")
    with db.session("clerk") as s:
        requests.cancel_request(s, fund.clerk, cancelled, "工人改期外出")
    with db.session("x", write=False) as s:
        rows = {r.id: r for r in requests.list_requests(s, fund.account_id)}
    assert rows[rejected].status_label == "未同意" and "票据不全" in rows[rejected].closing_reason
    assert len(rows[rejected].signatures) == 2 and "李审核" in rows[rejected].opinions[0]
    assert rows[cancelled].status_label == "已撤回" and "改期" in rows[cancelled].closing_reason
    assert bal(db, fund) == FUND_FEN
    # a rejected advance does not block asking again for the same trip and item; a paid one does
    again = ask(db, fund)
    sign(db, fund, again, fund.reviewer, COOP)
    sign(db, fund, again, fund.company, COMPANY)
    with pytest.raises(UserError, match="同一次外出同一项目只垫支一次"):
        ask(db, fund)


def test_entries_are_never_edited_a_reversal_corrects_them(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        income = ledger.record_income(s, fund.clerk, P, ledger.IncomeInput(
            fund.account_id, "企业补助", 123_450, date(2026, 3, 1), payer="红河劳务派遣服务有限公司"))
    with pytest.raises(LedgerIsHistory), db.session("clerk") as s:
        s.get(FundEntry, income).amount_fen = 1
        s.flush()
    with db.session("clerk") as s, pytest.raises(PermissionDenied):
        ledger.reverse_entry(s, fund.clerk, income, "金额录错")
    with db.session("reviewer") as s, pytest.raises(UserError, match="原因"):
        ledger.reverse_entry(s, fund.reviewer, income, " ")
    with db.session("reviewer") as s:
        reversal = ledger.reverse_entry(s, fund.reviewer, income, "金额录错，应为 1 234.00 元")
    with db.session("reviewer") as s, pytest.raises(UserError, match="不能重复冲正"):
        ledger.reverse_entry(s, fund.reviewer, income, "再冲一次")
    with db.session("reviewer") as s, pytest.raises(UserError, match="不能再冲正"):
        ledger.reverse_entry(s, fund.reviewer, reversal, "冲正冲正")
    assert bal(db, fund) == FUND_FEN
    with db.session("x", write=False) as s:
        rows = search_entries(s, P, EntryQuery(fund.account_id))
        original = s.get(FundEntry, income)
    assert original.amount_fen == 123_450  # the original stays as it was
    assert [(r.seq, r.kind_label, r.amount_fen, r.reverses_seq, r.reversed_by_seq) for r in rows[:2]] == [
        (3, "冲正", -123_450, 2, None), (2, "收入", 123_450, None, 3)]
    assert "金额录错" in rows[0].summary


def test_balance_cannot_go_negative_without_the_admins_audited_override(db) -> None:  # type: ignore[no-untyped-def]
    fund = setup_fund(db, fund_fen=30_000)  # 300.00 元
    rid = ask(db, fund, amount=35_000)
    sign(db, fund, rid, fund.reviewer, COOP)
    with pytest.raises(UserError, match="不够支付"):
        sign(db, fund, rid, fund.company, COMPANY)
    with db.session("x", write=False) as s:  # the refused signature was not kept
        assert len(s.scalars(select(PaymentSignoff).where(PaymentSignoff.request_id == rid)).all()) == 1
    with db.session("reviewer") as s, pytest.raises(PermissionDenied):
        requests.grant_override(s, fund.reviewer, rid, "急需")
    with db.session("admin") as s, pytest.raises(UserError, match="理由"):
        requests.grant_override(s, fund.admin, rid, "")
    with db.session("admin") as s:
        requests.grant_override(s, fund.admin, rid, "企业补助 2 000 元已确认三日内到账")
    sign(db, fund, rid, fund.company, COMPANY)
    assert bal(db, fund) == -5_000
    with db.session("x", write=False) as s:
        events = s.scalars(select(AuditEntry).where(AuditEntry.action == "透支特批")).all()
        assert len(events) == 2 and all("企业补助" in e.detail for e in events)
        assert verify_chain(s) is None
        [row] = [r for r in search_entries(s, P, EntryQuery(fund.account_id)) if r.kind == "advance"]
    assert row.override and row.balance_fen == -5_000


def test_repayments_are_matched_to_the_advances_they_repay(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    for item, amount in (("交通费", 35_000), ("体检费", 12_000)):
        rid = ask(db, fund, amount=amount, item=item)
        sign(db, fund, rid, fund.reviewer, COOP)
        sign(db, fund, rid, fund.company, COMPANY)
    worker = fund.workers[0]
    with db.session("clerk") as s, pytest.raises(UserError, match=r"共欠垫支 470\.00 元"):
        ledger.record_repayment(s, fund.clerk, P, ledger.RepaymentInput(
            fund.account_id, worker, 50_000, date(2026, 4, 1), "企业从工资中代扣"))
    with db.session("clerk") as s:
        first = ledger.record_repayment(s, fund.clerk, P, ledger.RepaymentInput(
            fund.account_id, worker, 40_000, date(2026, 11, 22), "企业从工资中代扣"))
    with db.session("x", write=False) as s:
        left = ledger.advances(s, account_id=fund.account_id, worker_id=worker)
        matches = s.scalars(select(RepaymentMatch).where(RepaymentMatch.repayment_entry_id == first)).all()
    assert [(a.item, a.outstanding_fen) for a in left] == [("体检费", 7_000)]
    assert sorted(m.amount_fen for m in matches) == [5_000, 35_000]
    with db.session("reviewer") as s, pytest.raises(UserError, match="先冲正对应的收回"):
        ledger.reverse_entry(s, fund.reviewer, left[0].entry_id, "录错")
    with db.session("reviewer") as s:
        ledger.reverse_entry(s, fund.reviewer, first, "工资代扣未实际到账")
    with db.session("x", write=False) as s:
        assert sum(a.outstanding_fen for a in ledger.advances(s, account_id=fund.account_id)) == 47_000
    assert bal(db, fund) == FUND_FEN - 47_000


def test_outgoing_entries_are_not_back_dated(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        ledger.record_income(s, fund.clerk, P, ledger.IncomeInput(fund.account_id, "政策性补贴", 100, date(2026, 11, 22)))
    with db.session("clerk") as s, pytest.raises(UserError, match="不能晚于今天"):
        ledger.record_income(s, fund.clerk, P, ledger.IncomeInput(fund.account_id, "政策性补贴", 100, date(2026, 11, 23)))
    with db.session("admin") as s, pytest.raises(UserError, match="不能早于账上最后一笔"):
        ledger.post_entry(s, fund.admin, fund.account_id, ledger.EntryKind.PAYOUT, -100, date(2026, 6, 1))


def test_request_rules(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    def make(**kw) -> None:  # type: ignore[no-untyped-def]
        base = dict(account_id=fund.account_id, kind="advance", amount_fen=100, item="交通费", dispatch_id=fund.trips[0])
        with db.session("clerk") as s:
            requests.create_request(s, fund.clerk, P, requests.RequestInput(**(base | kw)))

    with pytest.raises(UserError, match="垫支项目"):
        make(item="住宿费")
    with pytest.raises(UserError, match="输送记录"):
        make(dispatch_id=None)
    with pytest.raises(UserError, match="支出金额"):
        make(amount_fen=0)
    with pytest.raises(UserError, match="只能是垫支"):
        make(kind="income")
    with pytest.raises(UserError, match="支出用途"):
        make(kind="payout", item="吃饭")
    make(kind="return", amount_fen=FUND_FEN, item="")
    with db.session("x", write=False) as s:
        [row] = [r for r in requests.list_requests(s, fund.account_id) if r.kind == "return"]
    assert row.item == "返还劳务合作金" and row.payee == "建水县劳务合作联社"


def test_ledger_tables_refuse_deletes_and_the_audit_chain_holds(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LedgerIsHistory), db.session("admin") as s:
        s.delete(s.scalars(select(FundEntry)).first())
        s.flush()
    with db.session("x", write=False) as s:
        assert count_entries(s, EntryQuery(fund.account_id)) == 1
        assert verify_chain(s) is None


def test_running_balance_is_right_on_every_page_order_and_filter(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    for day, amount in ((date(2026, 5, 3), 500), (date(2026, 2, 1), 70), (date(2026, 5, 3), 9)):
        with db.session("clerk") as s:  # entered out of date order on purpose
            ledger.record_income(s, fund.clerk, P, ledger.IncomeInput(fund.account_id, "企业补助", amount, day))
    rid = ask(db, fund, amount=1_000)
    sign(db, fund, rid, fund.reviewer, COOP)
    sign(db, fund, rid, fund.company, COMPANY)
    with db.session("x", write=False) as s:
        everything = search_entries(s, P, EntryQuery(fund.account_id, order="date", limit=100))
        truth, total = {}, 0
        for row in everything:
            total += row.amount_fen
            truth[row.id] = total
        assert [r.entry_date for r in everything] == sorted(r.entry_date for r in everything)
        for query in (EntryQuery(fund.account_id, offset=1, limit=2), EntryQuery(fund.account_id, order="date", offset=2),
                      EntryQuery(fund.account_id, kind="income"), EntryQuery(fund.account_id, date_from=date(2026, 3, 1))):
            rows = search_entries(s, P, query)
            assert rows and all(r.balance_fen == truth[r.id] for r in rows), query
        assert count_entries(s, EntryQuery(fund.account_id, kind="income")) == 3
