"""Demo data for the cooperation fund (红河 "一金三保" model): a county/township/village cooperative
tree with the demo brokers, two HR companies with agreements and joint accounts, workers with
their trips, advances that went through both sign-offs, income, repayments, a reversal, a payout
to a village, requests still waiting (one signed by the cooperative only), a rejected and a
withdrawn one, and 四清 checks — some older than a year.

Everything goes through the same services the counter uses, day by day with the clock set to
that day (services date payments "today"), so the ledger, the audit trail and the sign-off rules
are exactly what real use produces.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from desktop.core import clock, regions
from desktop.core.db.database import Database
from desktop.core.demo.people import PeopleMaker, places_of
from desktop.core.errors import UserError
from desktop.core.models.account import Role, User
from desktop.core.models.cooperative import Cooperative
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services import accounts, fund_ledger, fund_partners, fund_requests, fund_workers
from desktop.core.services.accounts import SignedInUser
from desktop.core.services.center import CenterInfo

COMPANY_SIGNER = ("qiye", "演示企业签批人")  # signs for the company (人力资源服务企业)
COOP_SIGNER = "shenhe"  # the demo reviewer signs for the county cooperative
CLERK = "jingban"
ADMIN = "admin"
ACTOR = "演示数据"
VILLAGES, TOWNSHIPS = 10, 3
WORKERS = 64
COMPANIES = (
    ("红河州人力资源服务有限公司", "李明", "红河州蒙自市天马路 18 号", 20_000, 30_000_000),
    ("云南滇南劳务服务有限公司", "赵丽", "昆明市官渡区春城路 265 号", 15_000, 15_000_000),
)
EMPLOYERS = ("东莞市长盛电子有限公司", "宁波市甬江服饰有限公司", "昆明市滇池建设工程有限公司", "苏州市恒达精密机械有限公司",
             "厦门市海沧物流有限公司", "深圳市宝安区新港电子厂")
PLACES = ("广东省东莞市", "浙江省宁波市", "云南省昆明市", "江苏省苏州市", "福建省厦门市", "广东省深圳市")
ADVANCE_AMOUNTS = {"交通费": (28_000, 85_000), "体检费": (8_000, 16_000), "培训费": (20_000, 60_000),
                   "途中伙食费": (5_000, 15_000)}

Progress = Callable[[str], None]


@contextmanager
def _on(day: date) -> Iterator[None]:
    """Services date payments and sign-offs "today": set the clock to ``day`` while making them."""
    previous = clock._fixed  # demo data may pin the clock (see clock.pin) and must put it back as it was
    clock.pin(datetime.combine(day, time(10, 0)))
    try:
        yield
    finally:
        clock.pin(previous)


def _user(db: Database, username: str) -> SignedInUser:
    with db.session(ACTOR, write=False) as s:
        row = s.scalar(select(User).where(User.username == username))
    assert row is not None, username
    return SignedInUser(row.id, row.username, row.display_name, Role(row.role), False)


def _credit_code(rng: random.Random) -> str:
    body = "91532500" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + chars[(31 - total % 31) % 31]


def add_fund_demo(db: Database, profile: PolicyProfile, info: CenterInfo, *, seed: int, password: str,
                  progress: Progress | None = None) -> str:
    """Add the fund demo once (nothing when cooperatives exist already); returns a summary line."""
    say = progress or (lambda _t: None)
    with db.session(ACTOR, write=False) as s:
        if s.scalar(select(Cooperative.id).limit(1)) is not None:
            return ""
    say("正在生成劳务合作社、合作协议与劳务合作金台账……")
    rng = random.Random(f"{seed}:fund")
    today = clock.today()
    with db.session(ACTOR) as s:
        if s.scalar(select(User.id).where(User.username == COMPANY_SIGNER[0])) is None:
            accounts.create_user(s, profile, username=COMPANY_SIGNER[0], display_name=COMPANY_SIGNER[1],
                                 role=Role.REVIEWER, password=password, must_change_password=False)
    admin, clerk, coop_signer, company_signer = (_user(db, n) for n in (ADMIN, CLERK, COOP_SIGNER, COMPANY_SIGNER[0]))
    demo = _Builder(db, profile, rng, today, admin, clerk, coop_signer, company_signer)
    demo.tree(info.county_code)
    demo.partners()
    demo.people(info.county_code)
    demo.history()
    return (f"劳务合作金演示：合作社 {len(demo.villages) + len(demo.townships) + 1} 个、合作协议 {len(demo.agreements)} 份、"
            f"登记劳动力 {len(demo.workers)} 名、垫支 {demo.paid} 笔（待签批 {demo.pending} 笔）；"
            f"企业签批人账号 {COMPANY_SIGNER[0]}。")


class _Builder:
    def __init__(self, db: Database, profile: PolicyProfile, rng: random.Random, today: date, admin: SignedInUser,
                 clerk: SignedInUser, coop_signer: SignedInUser, company_signer: SignedInUser) -> None:
        self.db, self.profile, self.rng, self.today = db, profile, rng, today
        self.admin, self.clerk, self.coop_signer, self.company_signer = admin, clerk, coop_signer, company_signer
        self.rules = profile.fund
        assert self.rules is not None
        self.county_id = 0
        self.townships: list[int] = []
        self.villages: list[tuple[int, str]] = []  # (cooperative id, region code)
        self.agreements: list[tuple[int, int, date, date]] = []  # (agreement id, account id, start, end)
        self.workers: list[tuple[int, int, bool]] = []  # (worker id, village cooperative id, poor)
        self.brokers: dict[int, list[int]] = {}  # village cooperative id → broker ids
        self.paid = self.pending = 0

    def tree(self, county: str) -> None:
        """The county cooperative, townships and villages — villages with demo brokers first."""
        with self.db.session(ACTOR, write=False) as s:
            served = {code for code, in s.execute(select(Broker.service_village_code).where(
                Broker.status == BrokerStatus.ACTIVE.value, Broker.service_village_code.startswith(county)))}
        towns = [t for t in regions.children(county) if regions.children(t.code)]
        towns.sort(key=lambda t: -sum(v.code in served for v in regions.children(t.code)))
        with self.db.session(CLERK) as s:
            self.county_id = fund_partners.create_cooperative(s, self.admin, self.profile, fund_partners.CooperativeInput(
                "county", county, leader="杨志华", phone="0873-7652318"))
            per_town = VILLAGES // TOWNSHIPS + 1
            for town in towns[:TOWNSHIPS]:
                tid = fund_partners.create_cooperative(s, self.clerk, self.profile, fund_partners.CooperativeInput(
                    "township", town.code, parent_id=self.county_id, leader="普建国"))
                self.townships.append(tid)
                villages = sorted(regions.children(town.code), key=lambda v: v.code not in served)
                for village in villages[:per_town]:
                    if len(self.villages) >= VILLAGES:
                        break
                    vid = fund_partners.create_cooperative(s, self.clerk, self.profile, fund_partners.CooperativeInput(
                        "village", village.code, parent_id=tid))
                    self.villages.append((vid, village.code))
            for vid, code in self.villages:
                ids = list(s.scalars(select(Broker.id).where(Broker.service_village_code == code,
                                                             Broker.status == BrokerStatus.ACTIVE.value).limit(2)))
                for broker_id in ids:
                    fund_partners.add_broker(s, self.clerk, vid, broker_id, self.today - timedelta(days=420))
                self.brokers[vid] = ids

    def partners(self) -> None:
        """Two companies, each with an agreement and a joint account with its two signatories."""
        starts = (self.today - timedelta(days=400), self.today - timedelta(days=150))
        with self.db.session(ADMIN) as s:
            for i, ((name, contact, address, rate, fund), start) in enumerate(zip(COMPANIES, starts, strict=True)):
                company = fund_partners.create_company(s, self.admin, fund_partners.CompanyInput(
                    name, _credit_code(self.rng), f"532500{self.rng.randrange(10**6):06d}", contact,
                    f"0873-{self.rng.randrange(2, 9)}{self.rng.randrange(10**6):06d}", address))
                end = start.replace(year=start.year + 2) - timedelta(days=1)
                number = f"JS-{start.year}-{i + 1:02d}"
                agreement = fund_partners.create_agreement(s, self.admin, self.profile, fund_partners.AgreementInput(
                    number, self.county_id, company, start - timedelta(days=5), start, end, rate, fund,
                    3000, 4000, "按《红河州进一步提高劳务输出组织化程度的指导意见》签订"))
                account = fund_ledger.open_account(s, self.admin, self.profile, fund_ledger.AccountInput(
                    agreement, f"{name}劳务合作金共管账户", "中国农业银行建水县支行",
                    f"62284800{self.rng.randrange(10**11):011d}", start))
                fund_ledger.set_signatory(s, self.admin, self.profile, account, self.rules.signoff_parties[0],
                                          self.coop_signer.id)
                fund_ledger.set_signatory(s, self.admin, self.profile, account, self.rules.signoff_parties[1],
                                          self.company_signer.id)
                self.agreements.append((agreement, account, start, end))

    def people(self, county: str) -> None:
        with self.db.session(ACTOR, write=False) as s:
            used = set(s.scalars(select(Broker.id_number)))
        maker = PeopleMaker(self.rng, self.profile, places_of([county]), used, self.today)
        with self.db.session(CLERK) as s:
            for n in range(WORKERS):
                vid, _code = self.villages[n % len(self.villages)]
                male = self.rng.random() < 0.62
                birth = maker.birth_date(self.today, 18, 52)
                poor = self.rng.random() < 0.45
                status = self.rng.choice(self.rules.poverty_statuses[:2]) if poor else ""
                phone = f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}"
                wid = fund_workers.register_worker(s, self.clerk, self.profile, fund_workers.WorkerInput(
                    maker.id_number(county, birth, male), maker.name(male), vid, phone, status))
                self.workers.append((wid, vid, poor))

    def history(self) -> None:
        """Trips with advances, income, repayments, a reversal and a payout, in date order."""
        self.events: list[tuple[date, int, int, Callable[[], None]]] = []
        for i, (wid, vid, poor) in enumerate(self.workers):
            agreement, account, start, _end = self.agreements[0 if i % 3 else 1]
            departed = start + timedelta(days=self.rng.randint(10, max(11, (self.today - start).days - 3)))
            self._later(departed, 0, lambda w=wid, v=vid, a=agreement, acc=account, d=departed, i=i:
                        self._trip(w, v, a, acc, d, i))
            if poor:
                for months_ago in sorted(self.rng.sample(range(1, 22), 2), reverse=True):
                    if i % 7 == 3 and months_ago < 13:
                        continue  # some have not been checked within the year
                    on = self.today - timedelta(days=30 * months_ago + self.rng.randint(0, 20))
                    self._later(on, 1, lambda w=wid, on=on: self._four_clear(w, on))
        for agreement, account, start, _end in self.agreements:
            quarter = start + timedelta(days=95)
            while quarter < self.today - timedelta(days=5):
                self._later(quarter, 2, lambda a=agreement, acc=account, q=quarter: self._revenue(a, acc, q))
                quarter += timedelta(days=91)
        while self.events:  # events may add later ones (a repayment after a trip)
            day, _order, _n, make = heapq.heappop(self.events)
            with _on(day):
                make()
        self._final_touches()

    def _later(self, day: date, order: int, make: Callable[[], None]) -> None:
        heapq.heappush(self.events, (day, order, len(self.events) + self.rng.random(), make))  # type: ignore[arg-type]

    def _sign(self, s, request_id: int, both: bool = True) -> None:  # type: ignore[no-untyped-def]
        fund_requests.sign_request(s, self.coop_signer, self.profile, request_id, party=self.rules.signoff_parties[0],
                                   approve=True, opinion="同意")
        if both:
            fund_requests.sign_request(s, self.company_signer, self.profile, request_id,
                                       party=self.rules.signoff_parties[1], approve=True, opinion="同意垫支")

    def _trip(self, wid: int, vid: int, agreement: int, account: int, day: date, i: int) -> None:
        brokers = self.brokers.get(vid) or []
        k = self.rng.randrange(len(EMPLOYERS))
        recent = (self.today - day).days < 4  # the trips of the last few days still wait for sign-offs
        with self.db.session(CLERK) as s:
            trip = fund_workers.record_dispatch(s, self.clerk, fund_workers.DispatchInput(
                wid, agreement, day, brokers[i % len(brokers)] if brokers and i % 4 else None, EMPLOYERS[k], PLACES[k]))
            items = ["交通费"] + [x for x in ("体检费", "途中伙食费", "培训费") if self.rng.random() < 0.45]
            asked = []
            for item in items:
                lo, hi = ADVANCE_AMOUNTS[item]
                asked.append(fund_requests.create_request(s, self.clerk, self.profile, fund_requests.RequestInput(
                    account, "advance", self.rng.randrange(lo, hi, 50), item, dispatch_id=trip,
                    purpose=f"赴{PLACES[k]}务工")))
        for rid in asked:
            if recent:
                self.pending += 1
                continue
            try:
                with self.db.session(COOP_SIGNER) as s:  # one transaction per payment, as at the counter
                    self._sign(s, rid)
                self.paid += 1
            except UserError:
                self.pending += 1
        back = day + timedelta(days=self.rng.randint(40, 120))
        if not recent and self.rng.random() < 0.7 and back < self.today:
            self._later(back, 3, lambda: self._repay(account, wid, back))

    def _repay(self, account: int, wid: int, on: date) -> None:
        with self.db.session(CLERK) as s:
            owed = sum(a.outstanding_fen for a in fund_ledger.advances(s, account_id=account, worker_id=wid))
            if owed:
                part = owed if self.rng.random() < 0.75 else owed // 2
                fund_ledger.record_repayment(s, self.clerk, self.profile, fund_ledger.RepaymentInput(
                    account, wid, part, on, self.rules.repayment_sources[0]))

    def _four_clear(self, wid: int, on: date) -> None:
        r = self.rules
        with self.db.session(CLERK) as s:
            fund_workers.record_four_clear(s, self.clerk, self.profile, fund_workers.FourClearInput(
                wid, on, self.rng.choice(r.employment_situations), self.rng.choice(("无", "电焊（初级）", "砌筑", "厨师")),
                self.rng.choice(r.employment_intentions[:2]), self.rng.choice(r.training_intentions),
                "村干部 " + self.rng.choice(("普", "李", "杨", "马")) + "某"))

    def _revenue(self, agreement: int, account: int, on: date) -> None:
        with self.db.session(CLERK) as s:
            sent = len(fund_workers.trips(s, agreement_id=agreement, limit=10_000))
            rate = next(a.rate_per_worker_fen for a in fund_partners.list_agreements(s) if a.id == agreement)
            if sent:
                fund_ledger.record_income(s, self.clerk, self.profile, fund_ledger.IncomeInput(
                    account, self.rules.revenue_income_kind, rate * max(1, sent // 2), on, summary="季度劳务经济收益金"))
            fund_ledger.record_income(s, self.clerk, self.profile, fund_ledger.IncomeInput(
                account, "政策性补贴", 50_000, on, payer="建水县人力资源和社会保障局", summary="一次性求职创业补贴"))

    def _final_touches(self) -> None:
        """A duplicate income reversed, a payout to a village, a rejected and a withdrawn request,
        and one request signed by the cooperative only (waiting for the company)."""
        _agreement, account, _start, _end = self.agreements[0]
        day = self.today - timedelta(days=2)
        with _on(day), self.db.session(CLERK) as s:
            twice = fund_ledger.record_income(s, self.clerk, self.profile, fund_ledger.IncomeInput(
                account, "企业补助", 120_000, day, payer=COMPANIES[0][0], summary="企业稳岗补助（银行回单重复登记）"))
            fund_ledger.reverse_entry(s, self.coop_signer, twice, "同一张银行回单登记了两次")
            vid = self.villages[0][0]
            rid = fund_requests.create_request(s, self.clerk, self.profile, fund_requests.RequestInput(
                account, "payout", 300_000, self.rules.payout_purposes[0], cooperative_id=vid,
                purpose="拨付上半年村级劳务经济收益金"))
            self._sign(s, rid)
            trips = fund_workers.trips(s, agreement_id=self.agreements[0][0], limit=6)
            rejected = self._ask(s, account, trips[-1].id, 180_000, "岗前培训", "培训费")
            fund_requests.sign_request(s, self.company_signer, self.profile, rejected,
                                       party=self.rules.signoff_parties[1], approve=False,
                                       opinion="培训费超过协议约定标准，请按实际票据重新申请")
            withdrawn = self._ask(s, account, trips[-2].id, 9_000, "途中伙食", "途中伙食费")
            fund_requests.cancel_request(s, self.clerk, withdrawn, "务工人员改乘包车，不再需要伙食费")
        with _on(self.today), self.db.session(CLERK) as s:
            waiting = self._ask(s, account, trips[0].id, 65_000, "补充垫支，票据附后", "体检费")
            self._sign(s, waiting, both=False)
            self.pending += 1

    def _ask(self, s, account: int, trip: int, amount: int, purpose: str, preferred: str) -> int:  # type: ignore[no-untyped-def]
        """A request for the preferred item, or another one this trip has not had (one per trip and item)."""
        items = [preferred] + [i for i in self.rules.advance_items if i != preferred]
        for item in items:
            try:
                return fund_requests.create_request(s, self.clerk, self.profile, fund_requests.RequestInput(
                    account, "advance", amount, item, dispatch_id=trip, purpose=purpose))
            except UserError:
                continue
        raise UserError("演示数据：这次外出的各项垫支都已申请过。")
