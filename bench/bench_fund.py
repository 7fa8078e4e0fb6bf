"""Cooperation-fund ledger at scale: posting, balance, the entry page, statement PDF/xlsx.

    .venv/bin/python bench/bench_fund.py --entries 5000

Builds a honghe centre in a temporary folder, one agreement with its joint account, 200 workers
with a trip each, then ``--entries`` entries through the services (income, advances with both
sign-offs, repayments), and times the operations the counter repeats.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core import clock
from desktop.core.app import open_database
from desktop.core.idcard import check_digit
from desktop.core.models.account import Role
from desktop.core.rules.profile import load_profile
from desktop.core.services import (
    accounts,
    center,
    fund_documents,
    fund_ledger,
    fund_partners,
    fund_requests,
    fund_workers,
)
from desktop.core.services.fund_queries import EntryQuery, count_entries, search_entries

PASSWORD = "Bench@2026x"


def timed(fn, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=5000)
    n = parser.parse_args().entries
    work = Path(tempfile.mkdtemp(prefix="labordesk-bench-fund-"))
    start = date(2024, 1, 2)
    clock.pin(datetime(2024, 1, 2, 9, 0))
    db = open_database(work / "fund.db").db
    profile = load_profile("honghe")
    with db.session("admin") as s:
        center.initialise(s, center.SetupInput("建水县就业服务中心", "532524", "honghe", "admin", "管理员", PASSWORD))
        for name in ("coop", "firm"):
            accounts.create_user(s, profile, username=name, display_name=name, role=Role.REVIEWER, password=PASSWORD,
                                 must_change_password=False)
        users = {u: accounts.sign_in(s, profile, u, PASSWORD).user for u in ("admin", "coop", "firm")}
    admin, coop, firm = users["admin"], users["coop"], users["firm"]
    with db.session("admin") as s:
        county = fund_partners.create_cooperative(s, admin, profile, fund_partners.CooperativeInput("county", "532524"))
        town = fund_partners.create_cooperative(s, admin, profile, fund_partners.CooperativeInput(
            "township", "532524102000", parent_id=county))
        village = fund_partners.create_cooperative(s, admin, profile, fund_partners.CooperativeInput(
            "village", "532524102201", parent_id=town))
        company = fund_partners.create_company(s, admin, fund_partners.CompanyInput("测试劳务公司"))
        agreement = fund_partners.create_agreement(s, admin, profile, fund_partners.AgreementInput(
            "B-1", county, company, start, start, start + timedelta(days=3000), 10_000, 50_000_000, 3000, 4000))
        account = fund_ledger.open_account(s, admin, profile, fund_ledger.AccountInput(agreement, "测试账户", "", "", start))
        fund_ledger.set_signatory(s, admin, profile, account, "县级劳务合作社", coop.id)
        fund_ledger.set_signatory(s, admin, profile, account, "人力资源服务企业", firm.id)
        trips = []
        for i in range(200):
            body = f"532524{1980 + i % 20}0101{i:03d}"
            worker = fund_workers.register_worker(s, admin, profile, fund_workers.WorkerInput(
                body + check_digit(body), f"工人{i}", village))
            trips.append((worker, fund_workers.record_dispatch(s, admin, fund_workers.DispatchInput(worker, agreement, start))))
    rng = random.Random(1)
    build = time.perf_counter()
    day, made, used = start, 0, set()
    while made < n:
        day += timedelta(days=1)
        clock.pin(datetime(day.year, day.month, day.day, 10))
        with db.session("admin") as s:
            for _ in range(8):
                kind = rng.random()
                if kind < 0.3:
                    fund_ledger.record_income(s, admin, profile, fund_ledger.IncomeInput(account, "企业补助", 50_000, day))
                    made += 1
                elif kind < 0.75:
                    worker, trip = rng.choice(trips)
                    item = rng.choice(profile.fund.advance_items)
                    if (trip, item) in used:
                        continue
                    used.add((trip, item))
                    rid = fund_requests.create_request(s, admin, profile, fund_requests.RequestInput(
                        account, "advance", rng.randrange(5_000, 80_000), item, dispatch_id=trip))
                    fund_requests.sign_request(s, coop, profile, rid, party="县级劳务合作社", approve=True)
                    fund_requests.sign_request(s, firm, profile, rid, party="人力资源服务企业", approve=True)
                    made += 1
                else:
                    worker, _trip = rng.choice(trips)
                    owed = sum(a.outstanding_fen for a in fund_ledger.advances(s, account_id=account, worker_id=worker))
                    if owed:
                        fund_ledger.record_repayment(s, admin, profile, fund_ledger.RepaymentInput(
                            account, worker, owed, day, "企业代为归还"))
                        made += 1
    built = time.perf_counter() - build
    print(f"{made} entries through the services in {built:.1f} s ({built / made * 1000:.1f} ms per entry incl. requests)")
    with db.session("admin") as s:
        print(f"post one income at {made} entries: {timed(lambda: fund_ledger.record_income(s, admin, profile, fund_ledger.IncomeInput(account, '企业补助', 100, day))):.1f} ms")
    with db.session("x", write=False) as s:
        print(f"balance: {timed(lambda: fund_ledger.balance(s, account)):.2f} ms")
        print(f"entry page (count + first 200 with running balance): "
              f"{timed(lambda: (count_entries(s, EntryQuery(account)), search_entries(s, profile, EntryQuery(account)))):.1f} ms")
        print(f"outstanding advances of the account: {timed(lambda: fund_ledger.advances(s, account_id=account)):.1f} ms")
        report = fund_documents.statement_report(s, profile, account, start, day)
        print(f"statement data: {timed(lambda: fund_documents.statement_report(s, profile, account, start, day), 3):.0f} ms")
    with db.session("admin") as s:
        t = time.perf_counter()
        fund_documents.write_report(s, report, work / "statement.pdf")
        pdf = time.perf_counter() - t
        t = time.perf_counter()
        fund_documents.write_report(s, report, work / "statement.xlsx")
        xlsx = time.perf_counter() - t
    print(f"statement PDF ({len(report.sections[0].rows)} rows): {pdf:.2f} s; .xlsx: {xlsx:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
