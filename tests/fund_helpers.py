"""Builders for fund tests: a 红河 (建水县) cooperative tree, a company, an agreement and its joint
account with one signatory per party, and workers with a trip each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from desktop.core.db.database import Database
from desktop.core.models.account import Role, User
from desktop.core.rules.profile import PolicyProfile, load_profile
from desktop.core.services import accounts, fund_ledger, fund_partners, fund_workers
from desktop.core.services.accounts import SignedInUser
from tests.conftest import ADMIN_PASSWORD
from tests.factories import make_id

COUNTY, TOWNSHIP = "532524", "532524102000"
VILLAGES = ("532524102201", "532524102202")  # 官厅村委会, 板井村委会
COOP, COMPANY = "县级劳务合作社", "人力资源服务企业"
FUND_FEN = 20_000_000  # 200 000.00 元


def honghe() -> PolicyProfile:
    return load_profile("honghe")


def user(db: Database, username: str) -> SignedInUser:
    """The signed-in form of an account (without re-checking its password: argon2 is slow on purpose)."""
    with db.session(username, write=False) as s:
        row = s.scalar(select(User).where(User.username == username))
    assert row is not None, username
    return SignedInUser(row.id, row.username, row.display_name, Role(row.role), False)


@dataclass
class Fund:
    account_id: int
    agreement_id: int
    county_id: int
    villages: tuple[int, ...]
    workers: tuple[int, ...]
    trips: tuple[int, ...]
    admin: SignedInUser
    clerk: SignedInUser
    reviewer: SignedInUser  # signs for the cooperative
    company: SignedInUser  # signs for the company


def setup_fund(db: Database, *, fund_fen: int = FUND_FEN, workers: int = 2) -> Fund:
    profile = honghe()
    with db.session("admin") as s:
        accounts.create_user(s, profile, username="qiye", display_name="赵企业", role=Role.REVIEWER,
                             password=ADMIN_PASSWORD, must_change_password=False)
    admin, clerk, reviewer, company = (user(db, n) for n in ("admin", "clerk", "reviewer", "qiye"))
    with db.session("admin") as s:
        county = fund_partners.create_cooperative(s, admin, profile, fund_partners.CooperativeInput("county", COUNTY))
        town = fund_partners.create_cooperative(s, admin, profile,
                                                fund_partners.CooperativeInput("township", TOWNSHIP, parent_id=county))
        villages = tuple(fund_partners.create_cooperative(s, admin, profile, fund_partners.CooperativeInput(
            "village", code, parent_id=town)) for code in VILLAGES)
        firm = fund_partners.create_company(s, admin, fund_partners.CompanyInput("红河劳务派遣服务有限公司"))
        agreement = fund_partners.create_agreement(s, admin, profile, fund_partners.AgreementInput(
            "JS-2026-01", county, firm, date(2026, 1, 5), date(2026, 1, 10), date(2027, 1, 9),
            rate_per_worker_fen=20_000, fund_amount_fen=fund_fen, reward_bp=3000, public_works_bp=4000))
        account = fund_ledger.open_account(s, admin, profile, fund_ledger.AccountInput(
            agreement, "建水县劳务合作金共管账户", "农业银行建水县支行", "6228480000012345678", date(2026, 1, 10)))
        fund_ledger.set_signatory(s, admin, profile, account, COOP, reviewer.id)
        fund_ledger.set_signatory(s, admin, profile, account, COMPANY, company.id)
        people, trips = [], []
        for i in range(workers):
            wid = fund_workers.register_worker(s, clerk, profile, fund_workers.WorkerInput(
                make_id(date(1990, 1, 1 + i), county=COUNTY, seq=i), f"工人{i + 1}", villages[i % 2],
                poverty_status="脱贫劳动力" if i % 2 == 0 else ""))
            people.append(wid)
            trips.append(fund_workers.record_dispatch(s, clerk, fund_workers.DispatchInput(
                wid, agreement, date(2026, 2, 20), employer="广东某电子厂")))
    return Fund(account, agreement, county, villages, tuple(people), tuple(trips), admin, clerk, reviewer, company)
