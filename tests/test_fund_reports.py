"""The fund's reports: statement (opening, every entry, closing), outstanding advances per worker and
per village, the safety summary, the distribution — as data, as PDF text and as .xlsx cells; and
``labordesk fund statement``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from desktop import cli
from desktop.core import clock
from desktop.core.models.audit import AuditEntry
from desktop.core.models.center import CenterSettings
from desktop.core.models.registry import Broker
from desktop.core.services import fund_documents as docs
from desktop.core.services import fund_ledger as ledger
from desktop.core.services import fund_partners, fund_reports, fund_workers
from desktop.core.services import fund_requests as requests
from tests.factories import make_id
from tests.fund_helpers import COMPANY, COOP, COUNTY, FUND_FEN, VILLAGES, Fund, honghe, setup_fund

P = honghe()


def pay(db, fund: Fund, trip: int, item: str, amount: int) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        rid = requests.create_request(s, fund.clerk, P, requests.RequestInput(
            fund.account_id, "advance", amount, item, dispatch_id=fund.trips[trip]))
        requests.sign_request(s, fund.reviewer, P, rid, party=COOP, approve=True)
        requests.sign_request(s, fund.company, P, rid, party=COMPANY, approve=True)


@pytest.fixture
def fund(db) -> Fund:  # type: ignore[no-untyped-def]
    """Advances in March, income and a repayment in June, a reversal in September."""
    fund = setup_fund(db)
    clock.pin(datetime(2026, 3, 1, 9, 0))
    pay(db, fund, 0, "交通费", 35_000)
    pay(db, fund, 0, "体检费", 12_000)
    pay(db, fund, 1, "交通费", 41_050)
    clock.pin(datetime(2026, 6, 10, 9, 0))
    with db.session("clerk") as s:
        ledger.record_income(s, fund.clerk, P, ledger.IncomeInput(fund.account_id, "劳务经济收益金", 100_000,
                                                                   date(2026, 6, 10), payer="红河劳务派遣服务有限公司"))
        ledger.record_repayment(s, fund.clerk, P, ledger.RepaymentInput(fund.account_id, fund.workers[0], 20_000,
                                                                         date(2026, 6, 10), "企业从工资中代扣"))
        wrong = ledger.record_income(s, fund.clerk, P, ledger.IncomeInput(fund.account_id, "企业补助", 9_900,
                                                                           date(2026, 6, 10)))
    clock.pin(datetime(2026, 9, 1, 9, 0))
    with db.session("reviewer") as s:
        ledger.reverse_entry(s, fund.reviewer, wrong, "重复登记")
    clock.pin(datetime(2026, 11, 22, 9, 30))
    return fund


def test_statement_has_opening_every_entry_and_closing(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with db.session("x", write=False) as s:
        st = fund_reports.statement(s, P, fund.account_id, date(2026, 6, 1), date(2026, 11, 22))
        report = docs.statement_report(s, P, fund.account_id, date(2026, 6, 1), date(2026, 11, 22))
    opening = FUND_FEN - 35_000 - 12_000 - 41_050
    assert st.opening_fen == opening
    assert [e.kind_label for e in st.entries] == ["收入", "垫支收回", "收入", "冲正"]
    assert (st.inflow_fen, st.outflow_fen) == (129_900, 9_900)
    assert st.closing_fen == opening + 120_000
    text = report.all_text()
    assert "期初余额" in text and "199,119.50" in text and "200,319.50" in text  # opening, closing
    assert "已由第 8 号冲正" in text and "冲正第 7 号" in text


def test_statement_pdf_and_xlsx(db, fund: Fund, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        report = docs.statement_report(s, P, fund.account_id, date(2026, 1, 1), date(2026, 11, 22))
        pdf = docs.write_report(s, report, tmp_path / "对账单.pdf")
        xlsx = docs.write_report(s, report, tmp_path / "对账单.xlsx")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "劳务合作金共管账户对账单" in text and "期初余额" in text and "本期合计及期末余额" in text
    assert "6228***********5678" in text and "6228480000012345678" not in text
    ws = load_workbook(xlsx).active
    cells = {ws.cell(r, c).value: (r, c) for r in range(1, ws.max_row + 1) for c in range(1, 10)}
    assert ws["A1"].value == "劳务合作金共管账户对账单" and "A1:I1" in ws.merged_cells
    r, _ = cells["期初余额"]
    assert ws.cell(r, 8).value == 0 or ws.cell(r, 8).value is None  # the statement starts with the opening entry
    r, _ = cells["本期合计及期末余额"]
    assert Decimal(str(ws.cell(r, 8).value)) == Decimal("200319.50") and ws.cell(r, 8).number_format == "#,##0.00"
    assert ws.freeze_panes is not None and ws.page_setup.orientation == "landscape"
    with db.session("x", write=False) as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "合作金报表")).all()
    assert actions == ["打印", "导出"]


def test_outstanding_per_worker_and_village(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with db.session("x", write=False) as s:
        o = fund_reports.outstanding(s, P, date(2026, 11, 22))
        early = fund_reports.outstanding(s, P, date(2026, 5, 1))
        report = docs.outstanding_report(s, P, date(2026, 11, 22))
    assert [(w.name, w.advanced_fen, w.repaid_fen, w.outstanding_fen) for w in o.workers] == [
        ("工人1", 47_000, 20_000, 27_000), ("工人2", 41_050, 0, 41_050)]
    assert [(v.village, v.outstanding_fen) for v in o.villages] == [("官厅村劳务合作社", 27_000), ("板井村劳务合作社", 41_050)]
    assert all(w.overdue_fen == w.outstanding_fen for w in o.workers)  # March → November: over 180 days
    assert early.workers[0].repaid_fen == 0 and early.workers[0].overdue_fen == 0
    assert "6*" not in report.all_text() and "532524********" in report.all_text()


def test_safety_summary(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with db.session("x", write=False) as s:
        [sf] = fund_reports.safety(s, P, date(2026, 11, 22))
        text = docs.safety_report(s, P, date(2026, 11, 22)).all_text()
    assert sf.balance_fen + sf.outstanding_fen == FUND_FEN + 100_000  # the fund is whole, plus the income
    assert sf.covered_fen == 100_000 and sf.unsigned_payments == 0 and sf.reversals == 1 and sf.overrides == 0
    assert (sf.overdue_workers, sf.term_ended, sf.returned) == (2, False, False)
    assert "本金完整" in text and "全部双签" in text


def test_distribution_shares_the_periods_income(db, fund: Fund) -> None:  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        b = Broker(id_number=make_id(date(1980, 5, 5), county=COUNTY, seq=40), name="李经纪", gender="男",
                   birth_date=date(1980, 5, 5), certified_on=date(2025, 1, 1), service_village_code=VILLAGES[0])
        s.add(b)
        s.flush()
        fund_partners.add_broker(s, fund.clerk, fund.villages[0], b.id, date(2026, 1, 1))
        w = fund_workers.register_worker(s, fund.clerk, P, fund_workers.WorkerInput(
            make_id(date(1991, 2, 2), county=COUNTY, seq=9), "工人3", fund.villages[0]))
        fund_workers.record_dispatch(s, fund.clerk, fund_workers.DispatchInput(w, fund.agreement_id, date(2026, 4, 1),
                                                                               broker_id=b.id))
    with db.session("x", write=False) as s:
        d = fund_reports.distribution(s, P, fund.agreement_id, date(2026, 1, 1), date(2026, 11, 22))
        text = docs.distribution_report(s, P, fund.agreement_id, date(2026, 1, 1), date(2026, 11, 22)).all_text()
    # 1 000.00 元 over 官厅 2 trips (1 with a broker) and 板井 1 trip: 666.666… and 333.333…
    assert d.pool_fen == 100_000
    assert [(v.village, v.workers, v.entitled_fen, v.amount_fen) for v in d.villages] == [
        ("官厅村劳务合作社", 2, 40_000, 66_667), ("板井村劳务合作社", 1, 20_000, 33_333)]
    guanting = d.villages[0]
    assert (guanting.reward_fen, guanting.public_works_fen, guanting.work_funds_fen) == (20_000, 26_666, 20_001)
    assert [(b.broker, b.workers, b.reward_fen) for b in d.brokers] == [("李经纪", 1, 10_000)]
    assert guanting.reward_unallocated_fen == 10_000
    assert "最大余数法" in text and "劳务经纪人绩效奖励（30%）" in text


def test_cli_fund_statement(db, db_path: Path, fund: Fund, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        s.execute(update(CenterSettings).values(profile_name="honghe"))
    out = tmp_path / "U盘"
    code = cli.main(["--db", str(db_path), "fund", "statement", "--from", "2026-01-01", "--to", "2026-11-22",
                     "--out", str(out)])
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["对账单_建水县劳务合作金共管账户_20260101-20261122.pdf",
                     "对账单_建水县劳务合作金共管账户_20260101-20261122.xlsx"]
    assert "已生成" in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "fund", "statement", "--from", "2026-13-01", "--to", "2026-11-22",
                     "--out", str(out)]) == 2
    assert "不是日期" in capsys.readouterr().err
    assert cli.main(["--db", str(db_path), "fund", "safety", "--out", str(out), "--format", "pdf"]) == 0
    assert cli.main(["--db", str(db_path), "fund", "distribution", "--agreement", "JS-2026-01", "--from", "2026-01-01",
                     "--to", "2026-12-31", "--out", str(out), "--format", "xlsx"]) == 0
    assert cli.main(["--db", str(db_path), "fund", "accounts"]) == 0
    assert "建水县劳务合作金共管账户" in capsys.readouterr().out


def test_reports_refuse_a_backwards_period_and_an_unknown_format(db, fund: Fund, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.errors import UserError

    with db.session("x", write=False) as s, pytest.raises(UserError, match="早于开始日期"):
        fund_reports.statement(s, P, fund.account_id, date(2026, 6, 1), date(2026, 5, 1))
    with db.session("x") as s, pytest.raises(UserError, match="只能保存为"):
        docs.write_report(s, docs.safety_report(s, P, date(2026, 11, 22)), tmp_path / "a.doc")
