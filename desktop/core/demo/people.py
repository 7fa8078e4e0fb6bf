"""Fictitious applicants for the demo database: one ``random.Random`` in, plain column dicts out.

Everything here is pure (no database): given the same seed, places and "today" it makes the same
people. ID numbers carry real county codes and correct check digits; ages, genders and dates agree
with them, so every record passes the same checks a clerk's entry would.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from desktop.core import regions
from desktop.core.contact import luhn_ok
from desktop.core.demo import words
from desktop.core.idcard import age_on, check_digit
from desktop.core.models.broker import ApplicationStatus
from desktop.core.models.registry import BrokerStatus
from desktop.core.rules.profile import PolicyProfile

S = ApplicationStatus
HISTORY_YEARS = 3
# A later application after a rejection needs the applicant to stay within the age limits on
# both dates; the gap is at most this many days, under two years.
MAX_REAPPLY_GAP_DAYS = 400

EDUCATION_WEIGHTS = {
    "未上学": 1,
    "小学": 8,
    "初中": 34,
    "高中": 24,
    "中专/中技": 10,
    "大专": 14,
    "本科": 8,
    "研究生": 1,
}
POLITICAL_WEIGHTS = {"中共党员": 28, "中共预备党员": 2, "共青团员": 5, "民主党派": 1, "无党派人士": 2, "群众": 62}
# (lowest age, highest age, weight): brokers are mostly people in their middle years.
AGE_BANDS = ((18, 25, 4), (26, 35, 20), (36, 45, 31), (46, 55, 30), (56, 65, 15))
STREETS = ("人民路", "建设路", "新华街", "解放路", "中山街", "滨河路", "文化路", "育才街")
# The youngest an application can be to be listed in publicity now, and to be certified already:
# time for recommendation, review and exam before a batch that started (or closed) by today.
MIN_PUBLICITY_DAYS = 20
MIN_CERTIFIED_DAYS = 60
# Brokers certified before the system was used (imported): this many days before the history.
IMPORTED_DAYS = (30, 5 * 365)
# Labour-exporting provinces that out-of-province applicants come from.
OUTSIDE_PROVINCES = ("50", "51", "52", "53", "61", "42", "43", "36", "34", "41", "45", "62")


@dataclass(frozen=True)
class Place:
    """A village (or community) applicants live in, with the names the forms need."""

    county_code: str
    county_name: str  # 大英县
    county_full: str  # 四川省遂宁市大英县
    township: str  # 蓬莱镇
    village_code: str  # 12 digits, or "" when the county has no village table
    village_label: str  # 蓬莱镇梨子坝村委会: what the application form's village picker stores
    village_core: str  # 梨子坝村: for addresses and employer names


def _core_name(name: str) -> str:
    for suffix, keep in (
        ("村民委员会", ""),
        ("居民委员会", ""),
        ("社区居委会", "社区"),
        ("居委会", ""),
        ("村委会", "村"),
        ("委会", ""),
    ):
        if name.endswith(suffix):
            return name[: -len(suffix)] + keep
    return name


def places_of(county_codes: list[str]) -> list[Place]:
    """Every village of the counties, spread over their townships; a made-up few when none are on file."""
    out: list[Place] = []
    for code in county_codes:
        county = regions.lookup_division(code)
        if county is None:
            continue
        full = regions.full_name(code) or county.name
        found = False
        for town in regions.children(code):
            for village in regions.children(town.code):
                found = True
                out.append(
                    Place(
                        code,
                        county.name,
                        full,
                        town.name,
                        village.code,
                        town.name + village.name,
                        _core_name(village.name),
                    )
                )
        if not found:  # no village table for this county: plausible names, no codes
            for i, core in enumerate(("新华村", "红星村", "和平村", "团结村", "建设社区", "光明村")):
                town = f"第{i // 3 + 1}镇"
                out.append(Place(code, county.name, full, town, "", town + core, core))
    return out


def years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _weighted(rng: random.Random, items: tuple[str, ...], weights: dict[str, int], default: int = 3) -> str:
    return rng.choices(items, [weights.get(i, default) for i in items])[0]


def luhn_complete(body: str) -> str:
    """``body`` plus the Luhn check digit."""
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise AssertionError("unreachable")


class PeopleMaker:
    """Makes applicants and applications; keeps the set of ID numbers already used."""

    def __init__(
        self, rng: random.Random, profile: PolicyProfile, places: list[Place], used_ids: set[str], today: date
    ) -> None:
        self.rng = rng
        self.profile = profile
        self.places = places
        self.used_ids = used_ids
        self.today = today
        self.first_day = years_before(today, HISTORY_YEARS)
        home = profile.broker.home_province_codes or (profile.region.province_code,)
        self.home_province = home[0]
        in_province = regions.counties_of(self.home_province)
        self.in_province = [r.code for r in in_province]
        # Counties of the same city: the most common other place of first registration.
        self.neighbours: dict[str, list[str]] = {}
        for code in {p.county_code for p in places}:
            county = regions.lookup_division(code)
            parent = county.parent if county else None
            self.neighbours[code] = [r.code for r in in_province if parent and r.parent == parent and r.code != code]
        self.outside = [r.code for p in OUTSIDE_PROVINCES if p not in home for r in regions.counties_of(p)]
        # Zipf-like: 王、李、张 about 6 % each, the rarest about 0.3 %.
        self.surname_weights = list(itertools.accumulate(1 / (rank + 5) for rank in range(len(words.SURNAMES))))
        self.declarations = "、".join(profile.broker.declarations)
        self.banks = words.LOCAL_BANKS.get(self.home_province, ()) + words.NATIONAL_BANKS
        self.bank_weights = [6 if b in words.LOCAL_BANKS.get(self.home_province, ()) else 2 for b in self.banks]

    # ---- dates ----------------------------------------------------------------------------
    def application_date(self) -> date:
        # More applications in recent months, as a programme grows.
        span = (self.today - self.first_day).days
        return self.today - timedelta(days=int(span * self.rng.random() ** 1.8))

    def status_for(self, applied: date) -> str:
        days = (self.today - applied).days
        if days < MIN_PUBLICITY_DAYS:
            table = ((S.SUBMITTED, 60), (S.RECOMMENDED, 30), (S.REVIEWED, 5), (S.REJECTED, 5))
        elif days < MIN_CERTIFIED_DAYS:  # old enough to be in an open publicity (see history.py)
            table = (
                (S.SUBMITTED, 20),
                (S.RECOMMENDED, 28),
                (S.REVIEWED, 28),
                (S.TRAINED, 10),
                (S.IN_PUBLICITY, 6),
                (S.REJECTED, 10),
            )
        elif days < 180:  # old enough for a closed publicity
            table = (
                (S.RECOMMENDED, 10),
                (S.REVIEWED, 22),
                (S.TRAINED, 22),
                (S.IN_PUBLICITY, 4),
                (S.CERTIFIED, 32),
                (S.REJECTED, 10),
            )
        else:
            table = ((S.REVIEWED, 4), (S.TRAINED, 3), (S.CERTIFIED, 85), (S.REJECTED, 8))
        return self.rng.choices([s.value for s, _ in table], [w for _, w in table])[0]

    def birth_date(self, applied: date, min_age: int, max_age: int) -> date:
        bands = [(max(lo, min_age), min(hi, max_age), w) for lo, hi, w in AGE_BANDS if hi >= min_age and lo <= max_age]
        lo, hi, _ = self.rng.choices(bands, [w for *_, w in bands])[0]
        age = self.rng.randint(lo, hi)
        latest = years_before(applied, age)
        earliest = years_before(applied, age + 1) + timedelta(days=1)
        birth = earliest + timedelta(days=self.rng.randint(0, (latest - earliest).days))
        assert age_on(birth, applied) == age
        return birth

    # ---- person ---------------------------------------------------------------------------
    def name(self, male: bool) -> str:
        rng = self.rng
        if rng.random() < 0.003:
            surname = rng.choice(words.COMPOUND_SURNAMES)
        else:
            surname = rng.choices(words.SURNAMES, cum_weights=self.surname_weights)[0]
        pool = (words.MALE_CHARS if male else words.FEMALE_CHARS) + words.SHARED_CHARS
        given = [rng.choice(pool) for _ in range(1 if rng.random() < 0.3 else 2)]
        if rng.random() < 0.01:
            given[-1] = rng.choice(words.RARE_CHARS)
        return surname + "".join(given)

    def id_region(self, place: Place) -> tuple[str, bool]:
        """First six digits of the ID, and whether the clerk had to confirm 户籍 (out of province)."""
        r = self.rng.random()
        if r < 0.02 and self.outside:
            return self.rng.choice(self.outside), True
        if r < 0.10 and self.neighbours.get(place.county_code):
            return self.rng.choice(self.neighbours[place.county_code]), False
        if r < 0.13 and self.in_province:
            return self.rng.choice(self.in_province), False
        return place.county_code, False

    def id_number(self, region6: str, birth: date, male: bool) -> str:
        while True:
            seq = self.rng.randrange(500) * 2 + (1 if male else 0)
            body = f"{region6}{birth:%Y%m%d}{seq:03d}"
            value = body + check_digit(body)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def bank(self, place: Place) -> tuple[str, str]:
        rng = self.rng
        bank, bin6, length = rng.choices(self.banks, self.bank_weights)[0]
        town = place.township.removesuffix("街道").removesuffix("镇").removesuffix("乡") or place.township
        branch = f"{place.county_name}{town}支行" if rng.random() < 0.5 else f"{place.county_name}支行"
        if rng.random() < 0.04:  # 存折 (book account): 12 digits, no check digit
            return "".join(rng.choice("0123456789") for _ in range(12)), bank + branch
        if rng.random() < 0.3:
            length = rng.choice((16, 17, 18, 19))
        body = bin6 + "".join(rng.choice("0123456789") for _ in range(length - 7))
        return luhn_complete(body), bank + branch

    def employer(self, place: Place, cadre: bool) -> str:
        rng = self.rng
        pattern = (
            "{village}村民委员会"
            if cadre
            else rng.choices([p for p, _ in words.EMPLOYER_PATTERNS], [w for _, w in words.EMPLOYER_PATTERNS])[0]
        )
        if pattern.startswith("{village}") and place.village_core.endswith("社区"):
            pattern = "{village}居民委员会"
        return pattern.format(
            village=place.village_core,
            township=place.township,
            county=place.county_name,
            word=rng.choice(words.FIRM_WORDS),
        )

    def address(self, place: Place) -> str:
        rng = self.rng
        if place.village_core.endswith("社区"):
            tail = f"{rng.choice(STREETS)}{rng.randint(1, 260)}号"
        else:
            tail = f"{rng.randint(1, 12)}组{rng.randint(1, 90)}号"
        return f"{place.county_full}{place.township}{place.village_core}{tail}"

    def profile_text(self, cadre: bool) -> str:
        rng = self.rng
        template = words.PROFILE_TEMPLATES[1] if cadre else rng.choice(words.PROFILE_TEMPLATES)
        return template.format(
            years=rng.randint(3, 20),
            trade=rng.choice(words.TRADES),
            count=rng.choice((20, 30, 50, 80, 100, 150, 200)),
            dest=rng.choice(words.DESTINATIONS),
            post=rng.choice(words.POSTS),
            skill=rng.choice(words.SKILLS),
            small=rng.randint(3, 15),
        )

    def applicant(self, applied: date, *, min_age: int | None = None) -> dict[str, Any]:
        """Column values of one new applicant's application dated ``applied`` (status not set)."""
        rng, b = self.rng, self.profile.broker
        place = rng.choice(self.places)
        male = rng.random() < 0.66
        birth = self.birth_date(applied, max(b.age_min, min_age or b.age_min), b.age_max)
        region6, outside = self.id_region(place)
        categories = b.categories
        category = rng.choices(categories, [1 if c == "其他" else 3 for c in categories])[0]
        cadre = "干部" in category
        political = [p for p in b.political_statuses if p != "共青团员" or age_on(birth, applied) <= 28]
        account, bank_name = self.bank(place)
        return {
            "id_number": self.id_number(region6, birth, male),
            "name": self.name(male),
            "gender": "男" if male else "女",
            "birth_date": birth,
            "political_status": _weighted(rng, tuple(political), POLITICAL_WEIGHTS),
            "education": _weighted(rng, b.education_levels, EDUCATION_WEIGHTS),
            "phone": rng.choice(words.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            "employer": self.employer(place, cadre),
            "bank_account": account,
            "bank_name": bank_name,
            "home_address": self.address(place),
            "profile_text": self.profile_text(cadre),
            "village_code": place.village_code,
            "village_name": place.village_label,
            "hukou_province_code": self.home_province if outside else region6[:2],
            "hukou_confirmed": outside,
            "category": category,
            "declarations": self.declarations,
            "application_date": applied,
            "photo": None,
            "photo_type": "",
        }

    def applications(self, count: int, pairs: int = 0) -> list[dict[str, Any]]:
        """``count`` application rows, ``pairs`` of them an applicant rejected once and applying again."""
        rng = self.rng
        slots = set(rng.sample(range(count // 2), min(pairs, count // 2)))
        rows: list[dict[str, Any]] = []
        i = 0
        while len(rows) < count:
            applied = self.application_date()
            if i in slots and count - len(rows) >= 2:
                earlier = max(self.first_day, applied - timedelta(days=rng.randint(60, MAX_REAPPLY_GAP_DAYS)))
                if (applied - earlier).days < 30:
                    applied = earlier + timedelta(days=rng.randint(30, 90))
                # Two years above the minimum at the later date: old enough at the earlier one too.
                row = self.applicant(applied, min_age=self.profile.broker.age_min + 2)
                rows.append({**row, "application_date": earlier, "status": S.REJECTED.value})
                status = self.status_for(applied)
                rows.append({**row, "status": S.RECOMMENDED.value if status == S.REJECTED.value else status})
            else:
                row = self.applicant(applied)
                row["status"] = self.status_for(applied)
                rows.append(row)
            i += 1
        _ensure_publicity(rows, self.today)
        return rows

    def imported_broker(self) -> dict[str, Any]:
        """A broker certified before the system was used, as the registry import writes one."""
        rng = self.rng
        certified = self.first_day - timedelta(days=rng.randint(*IMPORTED_DAYS))
        while certified.isoweekday() > 5:
            certified -= timedelta(days=1)
        person = self.applicant(certified)
        trained = certified - timedelta(days=rng.randint(10, 80))
        return {
            "application_id": None,
            "id_number": person["id_number"],
            "name": person["name"],
            "gender": person["gender"],
            "birth_date": person["birth_date"],
            "education": person["education"],
            "phone": person["phone"],
            "service_village_code": person["village_code"],
            "service_area": person["village_name"],
            "training_month": f"{trained:%Y-%m}",
            "certificate_no": "",
            "certified_on": certified,
            "source": "import",
            "status": BrokerStatus.ACTIVE.value,
            "revoked_on": None,
            "revoke_reason": "",
            "remarks": "",
        }


def _ensure_publicity(rows: list[dict[str, Any]], today: date) -> None:
    """At least one application in publicity, so the demo always has an open batch: the most
    recent one old enough, if nobody drew that status."""
    if any(r["status"] == S.IN_PUBLICITY.value for r in rows):
        return
    movable = (S.REVIEWED.value, S.TRAINED.value, S.CERTIFIED.value)
    old_enough = [
        r for r in rows if r["status"] in movable and (today - r["application_date"]).days >= MIN_PUBLICITY_DAYS
    ]
    if old_enough:
        max(old_enough, key=lambda r: r["application_date"])["status"] = S.IN_PUBLICITY.value
