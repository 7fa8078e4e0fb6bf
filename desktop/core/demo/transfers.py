"""Demo transfer records (组织转移就业): about 21 placements per broker-year over the last three
years (≈ 300 000 for the city demo's 9 700 brokers), written with the importers' bulk insert and
one audit entry per record, a chunk per transaction.

What makes them realistic: workers from the broker's own village and township, with ID numbers,
ages and genders that agree; each broker works mostly with a few partner employers in the usual
destinations (the Pearl and Yangtze river deltas, Fujian, Xinjiang, the home province's cities);
hiring peaks after the Spring Festival; a sixth of placements are workers the broker placed
before. Some brokers are weak — fewer than the review's minimum in every calendar year — so the
biennial review flags them, and a few workers are logged again by a second broker weeks after a
first placement that qualifies for the service subsidy: double-claim attempts the claim check
must refuse.
"""

from __future__ import annotations

import itertools
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import append_facts
from desktop.core.db.database import Database
from desktop.core.db.sqlite import bulk_insert
from desktop.core.demo import transfer_words as tw
from desktop.core.demo.people import PeopleMaker, Place, places_of, years_before
from desktop.core.documents.excel.importing import FactMaker, gc_paused, stamps
from desktop.core.errors import UserError
from desktop.core.idcard import age_on
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.models.transfer import TransferRecord
from desktop.core.rules.profile import PolicyProfile

PER_BROKER_YEAR = 21  # placements per broker per year in the window: ≈ 300 000 for the city demo
WINDOW_YEARS = 3
WEAK_SHARE = 0.12  # brokers below the review minimum every year
STAR_SHARE = 0.05  # brokers who place three to five times as many
REPEAT_SHARE = 0.16  # placements of a worker the same broker placed before
DOUBLE_CLAIM_SHARE = 0.004  # of subsidy-qualifying placements, logged again by another broker
EMPLOYERS = 600  # the pool of employers
CHUNK = 25_000  # rows per transaction
DEMO_ACTOR = "演示数据"


@dataclass(frozen=True)
class Employer:
    name: str
    address: str
    kind: str  # 单位类型
    jobs: tuple[str, ...]


@dataclass(frozen=True)
class TransferDemoResult:
    records: int
    brokers: int
    weak_brokers: int
    double_claims: int
    seconds: float
    claim_batches: int = 0
    claimed: int = 0
    refused: int = 0  # double claims the subsidy check refused


def _employers(rng: random.Random) -> list[Employer]:
    dest_w = [d[3] for d in tw.DESTINATIONS]
    ind_w = [i[4] for i in tw.INDUSTRIES]
    out: dict[str, Employer] = {}
    while len(out) < EMPLOYERS:
        city, districts, streets, _ = rng.choices(tw.DESTINATIONS, dest_w)[0]
        word, suffix, jobs, kind, _ = rng.choices(tw.INDUSTRIES, ind_w)[0]
        district = rng.choice(districts)
        short = city.removesuffix("市").split("省")[-1].split("自治区")[-1].removesuffix("地区")
        firm = rng.choice(tw.FIRM_WORDS)
        if kind == "企业":
            name = f"{short}{firm}{word}{suffix}"
        elif kind == "个体工商户":
            name = f"{district}{firm}{word}"
        else:
            name = f"{short}{district}{word}"
        address = f"{city}{district}{rng.choice(streets)}{rng.randint(1, 999)}号"
        out.setdefault(name, Employer(name, address, kind, jobs))
    return list(out.values())


def _table(items: list[Any], weights: list[int]) -> tuple[list[Any], list[float]]:
    return items, list(itertools.accumulate(weights))


def _pick(rng: random.Random, table: tuple[list[Any], list[float]]) -> Any:
    return rng.choices(table[0], cum_weights=table[1])[0]


class TransferMaker:
    """Makes the rows; pure apart from ``rng`` (no database)."""

    def __init__(self, rng: random.Random, profile: PolicyProfile, places: list[Place], used_ids: set[str],
                 today: date) -> None:
        self.rng = rng
        self.today = today
        self.first_day = years_before(today, WINDOW_YEARS)
        self.people = PeopleMaker(rng, profile, places, used_ids, today)
        self.places = places
        self.by_code = {p.village_code: p for p in places if p.village_code}
        self.by_town: dict[str, list[Place]] = defaultdict(list)
        for p in places:
            self.by_town[p.county_code + p.township].append(p)
        self.employers = _employers(rng)
        levels = set(profile.broker.education_levels)
        edu = {k: v for k, v in tw.EDUCATION_WEIGHTS.items() if k in levels} or {profile.broker.education_levels[0]: 1}
        self.education = _table(list(edu), list(edu.values()))
        self.ethnicity = _table(list(tw.ETHNICITY_WEIGHTS), list(tw.ETHNICITY_WEIGHTS.values()))
        self.terms = _table(list(tw.CONTRACT_TERMS), [t[3] for t in tw.CONTRACT_TERMS])
        self.peak = max(tw.MONTH_WEIGHTS)
        self.min_transfers = profile.review.min_transfers_per_year if profile.review else 10

    # ---- dates ----------------------------------------------------------------------------
    def hire_date(self, start: date, end: date) -> date:
        span = (end - start).days
        while True:
            d = start + timedelta(days=self.rng.randint(0, span))
            if self.rng.random() * self.peak < tw.MONTH_WEIGHTS[d.month - 1]:
                return d

    def plan(self, certified_on: date, weak: bool, weight: float) -> list[tuple[date, date, float]]:
        """(from, to, n) per calendar year of the broker's window: a weak broker's count (below the
        review minimum), or else minus a weight that ``make_rows`` scales into a count."""
        start = max(self.first_day, certified_on + timedelta(days=1))
        out = []
        for year in range(start.year, self.today.year + 1):
            a, b = max(start, date(year, 1, 1)), min(self.today, date(year, 12, 31))
            if a > b:
                continue
            share = ((b - a).days + 1) / 365
            # A good year and a bad one: each year's pace varies around the broker's own.
            n = int(self.rng.randint(0, self.min_transfers - 1) * share) if weak else (
                -share * weight * self.rng.uniform(0.85, 1.2))
            out.append((a, b, n))
        return out

    # ---- one worker and one placement -------------------------------------------------------
    def worker(self, home: Place | None, hire: date) -> dict[str, Any]:
        rng = self.rng
        place = home or rng.choice(self.places)
        r = rng.random()
        if r > 0.7 and (town := self.by_town.get(place.county_code + place.township)):
            place = rng.choice(town)
        if r > 0.92:
            place = rng.choice(self.places)
        male = rng.random() < 0.62
        age = min(58, 18 + int(abs(rng.gauss(0, 1)) * 14) + rng.randint(0, 6))
        birth = years_before(hire, age) - timedelta(days=rng.randint(1, 360))
        region, _ = self.people.id_region(place)
        return {
            "worker_name": self.people.name(male), "gender": "男" if male else "女",
            "id_number": self.people.id_number(region, birth, male), "birth": birth,
            "education": _pick(rng, self.education), "ethnicity": _pick(rng, self.ethnicity),
            "phone": rng.choice(("13", "15", "18", "19")) + f"{rng.randrange(10**9):09d}",
            "village_code": place.village_code, "village_name": place.village_label,
            "poverty_alleviated": rng.random() < 0.28,
        }

    def placement(self, broker_id: int, worker: dict[str, Any], hire: date, employer: Employer) -> dict[str, Any]:
        rng = self.rng
        text, kind, months, _ = _pick(rng, self.terms)
        start = end = None
        if text == "range":
            start, end = hire, _next_year(hire) - timedelta(days=1)
            text = f"{start.year}.{start.month}.{start.day}-{end.year}.{end.month}.{end.day}"
        row = {k: worker[k] for k in ("worker_name", "gender", "id_number", "education", "ethnicity", "phone",
                                      "village_code", "village_name", "poverty_alleviated")}
        row.update(
            broker_id=broker_id, age=age_on(worker["birth"], hire), employer_name=employer.name,
            work_address=employer.address, contract_term=text, job=rng.choice(employer.jobs),
            social_insurance=rng.random() < (0.82 if employer.kind == "企业" else 0.35), remarks="",
            hire_date=hire, employer_type=employer.kind, contract_kind=kind, contract_months=months,
            contract_start=start, contract_end=end, status="current", root_id=None, supersedes_id=None,
            change_reason="", source="demo", import_id=None,
        )
        return row

    def broker_rows(self, broker_id: int, village_code: str, dates: list[date]) -> list[dict[str, Any]]:
        rng = self.rng
        home = self.by_code.get(village_code)
        partners = rng.sample(self.employers, rng.randint(2, 6))
        workers: list[dict[str, Any]] = []
        seen: set[tuple[str, date]] = set()
        rows = []
        for hire in sorted(dates):
            worker = rng.choice(workers) if workers and rng.random() < REPEAT_SHARE else None
            if worker is None or (worker["id_number"], hire) in seen or age_on(worker["birth"], hire) > 60:
                worker = self.worker(home, hire)
                workers.append(worker)
            seen.add((worker["id_number"], hire))
            employer = rng.choice(partners) if rng.random() < 0.8 else rng.choice(self.employers)
            rows.append(self.placement(broker_id, worker, hire, employer))
        return rows


def _next_year(d: date) -> date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return date(d.year + 1, 3, 1)


def qualifies(row: dict[str, Any]) -> bool:
    """Would obviously earn the sichuan service subsidy (used only to pick double-claim attempts)."""
    long_enough = row["contract_kind"] == "open" or (row["contract_months"] or 0) >= 12
    return row["poverty_alleviated"] and row["employer_type"] == "企业" and row["social_insurance"] and long_enough


class TransferPlan:
    """How many placements each broker gets, and the rows made chunk by chunk (bounded memory).

    Every broker is weak (``WEAK_SHARE``: a count below the review minimum in each calendar year),
    a star (``STAR_SHARE``: a weight of 3–5) or ordinary (1.0–1.8), each year's pace −15 % to +20 %; the weights
    are scaled so that the total is ``per_year`` placements per broker-year in the window.
    """

    def __init__(self, maker: TransferMaker, brokers: list[tuple[int, date, str]], per_year: float) -> None:
        rng = maker.rng
        self.maker = maker
        self.brokers = brokers
        self.plans = []
        self.weak = 0
        self.doubles = 0
        years = 0.0
        for broker_id, certified_on, village in brokers:
            r = rng.random()
            weak = r < WEAK_SHARE
            weight = 0.0 if weak else rng.uniform(3.0, 5.0) if r > 1 - STAR_SHARE else rng.uniform(1.0, 1.8)
            self.weak += weak
            plan = maker.plan(certified_on, weak, weight)
            years += sum((b - a).days + 1 for a, b, _ in plan) / 365
            self.plans.append((broker_id, village, plan))
        self.target = round(per_year * years)
        fixed = sum(n for *_, plan in self.plans for _, _, n in plan if n >= 0)
        weights = sum(-n for *_, plan in self.plans for _, _, n in plan if n < 0)
        self.scale = max(0, self.target - fixed) / weights if weights else 0.0

    def chunks(self, size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
        """The rows, about ``size`` at a time, each chunk with its double-claim attempts."""
        rng, maker = self.maker.rng, self.maker
        rows: list[dict[str, Any]] = []
        for broker_id, village, plan in self.plans:
            dates = []
            for a, b, n in plan:
                count = int(n) if n >= 0 else int(-n * self.scale + rng.random())
                dates += [maker.hire_date(a, b) for _ in range(count)]
            rows += maker.broker_rows(broker_id, village, dates)
            if len(rows) >= size:
                yield self._finish(rows)
                rows = []
        if rows:
            yield self._finish(rows)

    def _finish(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        doubles = _double_claims(self.maker, rows, self.brokers)
        self.doubles += len(doubles)
        rows += doubles
        rows.sort(key=lambda r: r["hire_date"])  # entered over time, as a county would have
        return rows


def _double_claims(maker: TransferMaker, rows: list[dict[str, Any]], brokers: list[tuple[int, date, str]]) -> list:
    rng = maker.rng
    eligible = [r for r in rows if qualifies(r) and (maker.today - r["hire_date"]).days > 100]
    picks = rng.sample(eligible, min(len(eligible), round(len(eligible) * DOUBLE_CLAIM_SHARE)))
    taken = {(r["id_number"], r["hire_date"]) for r in rows}
    out = []
    for first in picks:
        hire = first["hire_date"] + timedelta(days=rng.randint(10, 90))
        others = [b for b in brokers if b[0] != first["broker_id"] and b[1] < hire]
        if not others or (first["id_number"], hire) in taken:
            continue
        other = rng.choice(others)
        employer = rng.choice([e for e in maker.employers if e.kind == "企业"])
        row = dict(first, broker_id=other[0], hire_date=hire, employer_name=employer.name,
                   work_address=employer.address, job=rng.choice(employer.jobs), contract_term="1年",
                   contract_kind="fixed", contract_months=12, contract_start=None, contract_end=None,
                   age=age_on(birth_of(first["id_number"]), hire))
        taken.add((row["id_number"], hire))
        out.append(row)
    return out


def birth_of(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def insert_rows(session: Session, table: Any, values: list[dict[str, Any]]) -> Sequence[int]:
    """Insert ``values`` (no unique key among them) and return their new ids in order: on SQLite
    one executemany under the write lock (ids follow the old maximum one by one), elsewhere
    INSERT … RETURNING."""
    if session.get_bind().dialect.name == "sqlite":
        before = session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        bulk_insert(session.connection(), table, values)
        return range(before + 1, before + 1 + len(values))
    return session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), values).scalars().all()


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` with one creation entry each in the audit chain."""
    stamp = stamps(DEMO_ACTOR, clock.now())
    values = [r | stamp for r in rows]
    ids = insert_rows(session, TransferRecord.__table__, values)
    make = FactMaker(TransferRecord).make
    append_facts(session, [make(i, v) for i, v in zip(ids, values, strict=True)])


def add_transfers(db: Database, profile: PolicyProfile, counties: list[str], *, seed: str,
                  per_year: float = PER_BROKER_YEAR, progress: Callable[[str], None] | None = None
                  ) -> TransferDemoResult:
    """Transfer records for every active broker that has none yet, over the last three years."""
    say = progress or (lambda _text: None)
    started = time.perf_counter()
    with db.session(DEMO_ACTOR, write=False) as s:
        has = select(TransferRecord.broker_id).distinct()
        brokers = [(i, c, v) for i, c, v in s.execute(
            select(Broker.id, Broker.certified_on, Broker.service_village_code)
            .where(Broker.status == BrokerStatus.ACTIVE.value, Broker.id.not_in(has)).order_by(Broker.id))]
        used = set(s.scalars(select(TransferRecord.id_number).distinct())) | set(s.scalars(select(Broker.id_number)))
    if not brokers:
        return TransferDemoResult(0, 0, 0, 0, 0.0)
    maker = TransferMaker(random.Random(f"{seed}:transfers"), profile, places_of(counties), used, clock.today())
    plan = TransferPlan(maker, brokers, per_year)
    say(f"正在生成约 {plan.target} 条转移就业记录（{len(brokers)} 名经纪人，近 {WINDOW_YEARS} 年）……")
    written = 0
    with gc_paused():
        for rows in plan.chunks():
            with db.session(DEMO_ACTOR) as s:
                _insert(s, rows)
            written += len(rows)
            say(f"已写入 {written} 条转移就业记录……")
    return TransferDemoResult(written, len(brokers), plan.weak, plan.doubles, time.perf_counter() - started)


def half_years(first: date, today: date) -> list[tuple[date, date]]:
    """Whole half-years (1–6, 7–12) from ``first`` that ended at least a month before ``today``."""
    out = []
    for year in range(first.year, today.year + 1):
        for a, b in ((date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31))):
            if a >= first and b + timedelta(days=31) <= today:
                out.append((a, b))
    return out


def add_claim_batches(db: Database, profile: PolicyProfile, reviewer: str,
                      progress: Callable[[str], None] | None = None) -> tuple[int, int, int]:
    """Service-subsidy claim batches (服务补助申领) for each past half-year without one, built by the
    subsidy service as the reviewer would: (batches, workers claimed, double claims refused)."""
    from desktop.core.models.account import Role, User
    from desktop.core.services import subsidy
    from desktop.core.services.accounts import SignedInUser

    say = progress or (lambda _text: None)
    batches = claimed = refused = 0
    with db.session(reviewer, write=False) as s:
        account = s.scalar(select(User).where(User.username == reviewer))
    if account is None:
        return 0, 0, 0
    user = SignedInUser(account.id, account.username, account.display_name, Role(account.role), False)
    first = years_before(clock.today(), WINDOW_YEARS)
    for a, b in half_years(first, clock.today()):
        with db.session(reviewer) as s:
            if subsidy.find_batch(s, a, b) is not None:
                continue
            try:
                result = subsidy.build_batch(s, user, profile, a, b)
            except UserError:
                continue  # nothing qualifies in that half-year
        batches += 1
        claimed += result.claimed
        refused += len(result.refused)
        say(f"已生成{a:%Y年%m月}至{b:%Y年%m月}的服务补助申领名册：{result.claimed} 人。")
    return batches, claimed, refused
