"""Property: over a year of random entries — income, advances with two sign-offs, repayments,
payouts, reversals, some refused — the balance is always the sum of the entries, on every day of
the year, in the running balance of the list, and never below zero (no override is used)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.services import fund_ledger as ledger
from desktop.core.services import fund_partners, fund_requests, fund_workers
from desktop.core.services.fund_queries import EntryQuery, search_entries
from tests.fund_helpers import COMPANY, COOP, Fund, honghe, setup_fund

P = honghe()
YEAR_START = date(2025, 1, 1)
KINDS = ("income", "advance", "repay", "payout", "reverse")
OP = st.tuples(st.integers(0, 364), st.sampled_from(KINDS), st.integers(1, 300_000), st.integers(0, 10**6))
OPS = st.lists(OP, min_size=5, max_size=40)
# Refusals the random walk runs into; anything else is a bug and fails the test.
EXPECTED = ("不够支付", "只垫支一次", "不能重复冲正", "先冲正对应的收回", "不能再冲正")


@pytest.fixture
def base(db) -> tuple:  # type: ignore[no-untyped-def]
    return db, setup_fund(db, workers=3)  # people and the cooperative tree; each example opens its own account


class Year:
    """One fresh agreement and account per example, driven day by day; ``expected`` is the model."""

    def __init__(self, db, fund: Fund, n: int, opening: int) -> None:  # type: ignore[no-untyped-def]
        self.db, self.fund = db, fund
        clock.pin(datetime(2025, 1, 1, 9, 0))
        with db.session("admin") as s:
            agreement = fund_partners.create_agreement(s, fund.admin, P, fund_partners.AgreementInput(
                f"P-{n}", fund.county_id, 1, YEAR_START, YEAR_START, date(2025, 12, 31), 10_000, opening, 3000, 4000))
            self.account = ledger.open_account(s, fund.admin, P, ledger.AccountInput(
                agreement, f"账户{n}", "", "", YEAR_START))
            ledger.set_signatory(s, fund.admin, P, self.account, COOP, fund.reviewer.id)
            ledger.set_signatory(s, fund.admin, P, self.account, COMPANY, fund.company.id)
            self.trips = [fund_workers.record_dispatch(s, fund.clerk, fund_workers.DispatchInput(w, agreement, YEAR_START))
                          for w in fund.workers]
        self.entries: dict[int, tuple[date, int]] = {}  # entry id → (date, signed amount), as we posted them
        opening_id = self._ids()[0]
        self.entries[opening_id] = (YEAR_START, opening)
        self.reversed: set[int] = set()

    def _ids(self) -> list[int]:
        with self.db.session("x", write=False) as s:
            return [r.id for r in search_entries(s, P, EntryQuery(self.account, order="date"))]

    def run(self, day: int, kind: str, amount: int, pick: int) -> None:
        today = YEAR_START + timedelta(days=day)
        clock.pin(datetime(today.year, today.month, today.day, 10, 0))
        f = self.fund
        try:
            with self.db.session("clerk") as s:
                if kind == "income":
                    on = max(YEAR_START, today - timedelta(days=pick % 15))  # income may be entered late
                    eid = ledger.record_income(s, f.clerk, P, ledger.IncomeInput(self.account, "企业补助", amount, on))
                    self.entries[eid] = (on, amount)
                elif kind in ("advance", "payout"):
                    items = P.fund.advance_items if kind == "advance" else P.fund.payout_purposes
                    rid = fund_requests.create_request(s, f.clerk, P, fund_requests.RequestInput(
                        self.account, kind, amount, items[pick % len(items)], dispatch_id=self.trips[pick % 3],
                        payee="某村劳务合作社"))
                    fund_requests.sign_request(s, f.reviewer, P, rid, party=COOP, approve=True)
                    out = fund_requests.sign_request(s, f.company, P, rid, party=COMPANY, approve=True)
                    assert out.entry_id is not None
                    self.entries[out.entry_id] = (today, -amount)
                elif kind == "repay":
                    worker = f.workers[pick % 3]
                    owed = sum(a.outstanding_fen for a in ledger.advances(s, account_id=self.account, worker_id=worker))
                    if owed:
                        fen = 1 + amount % owed
                        eid = ledger.record_repayment(s, f.clerk, P, ledger.RepaymentInput(
                            self.account, worker, fen, today, "企业代为归还"))
                        self.entries[eid] = (today, fen)
                else:
                    ids = sorted(self.entries)
                    target = ids[pick % len(ids)]
                    eid = ledger.reverse_entry(s, f.reviewer, target, "随机冲正")
                    self.entries[eid] = (today, -self.entries[target][1])
                    self.reversed.add(target)
        except UserError as exc:
            assert any(text in str(exc) for text in EXPECTED), str(exc)

    def check(self) -> None:
        total = sum(a for _, a in self.entries.values())
        with self.db.session("x", write=False) as s:
            assert ledger.balance(s, self.account) == total
            rows = search_entries(s, P, EntryQuery(self.account, order="date", limit=10_000))
            assert {r.id for r in rows} == set(self.entries)  # nothing posted that we did not ask for
            assert rows[-1].balance_fen == total
            for day in sorted({d for d, _ in self.entries.values()}):
                expected = sum(a for d, a in self.entries.values() if d <= day)
                assert ledger.balance(s, self.account, through=day) == expected
                assert expected >= 0, f"balance below zero on {day}"
        assert all(r.balance_fen >= 0 for r in rows)


def _walk(base: tuple, ops: list[tuple[int, str, int, int]], opening: int) -> None:
    db, fund = base
    year = Year(db, fund, len(_walk.seen), opening)  # type: ignore[attr-defined]
    _walk.seen.append(1)  # type: ignore[attr-defined]
    for op in sorted(ops, key=lambda o: o[0]):
        year.run(*op)
    year.check()


_walk.seen = []  # type: ignore[attr-defined]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, opening=st.integers(1, 2_000_000))
def test_balance_over_a_year_equals_the_sum_of_entries(base: tuple, ops: list, opening: int) -> None:
    _walk(base, ops, opening)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OP, min_size=1, max_size=300), opening=st.integers(1, 5_000_000))
def test_balance_over_a_year_equals_the_sum_of_entries_long(base: tuple, ops: list, opening: int) -> None:
    _walk(base, ops, opening)
