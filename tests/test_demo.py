"""Demo data: a set-up centre with working accounts, valid applicants, an intact audit chain."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop import cli
from desktop.core import clock
from desktop.core.app import open_database
from desktop.core.audit import verify_chain
from desktop.core.contact import bank_account_problem, luhn_ok, phone_problem
from desktop.core.db.database import Database
from desktop.core.demo import DEMO_ACCOUNTS, DEMO_CENTER_NAME, DEMO_PASSWORD, SIZES, generate_demo
from desktop.core.demo.people import years_before
from desktop.core.idcard import age_on, parse_id_number
from desktop.core.models.audit import AuditEntry
from desktop.core.models.broker import OPEN_STATUSES, ApplicationStatus, BrokerApplication
from desktop.core.rules.profile import load_profile
from desktop.core.services import accounts
from desktop.core.services import center as center_service

TODAY = datetime(2026, 6, 15, 10, 30)
table = BrokerApplication.__table__


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    clock.pin(TODAY)
    yield
    clock.pin(None)


def _open(path: Path) -> Database:
    return open_database(path).db


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = _open(tmp_path / "d.db")
    yield database
    database.dispose()


def _rows(db: Database) -> list:
    cols = [c for c in table.c if c.name != "photo"]
    with db.session("测试", write=False) as s:
        return list(s.execute(select(*cols, table.c.photo.is_not(None).label("has_photo")).order_by(table.c.id)))


def test_small_demo_sets_up_the_centre_and_accounts_that_can_sign_in(db: Database) -> None:
    summary = generate_demo(db, size="small")
    assert "60" in summary and DEMO_PASSWORD in summary
    with db.session("测试") as s:
        info = center_service.load_center(s)
        assert info is not None
        assert (info.center_name, info.county_code, info.profile_name) == (DEMO_CENTER_NAME, "510923", "sichuan")
        profile = info.profile()
        for account in DEMO_ACCOUNTS:
            result = accounts.sign_in(s, profile, account.username, DEMO_PASSWORD)
            assert result.user is not None, result.message
            assert result.user.role is account.role
            assert not result.user.must_change_password
    assert {a.username for a in DEMO_ACCOUNTS} == {"admin", "jingban", "shenhe", "shenji"}


def test_every_applicant_is_valid_and_consistent(db: Database) -> None:
    generate_demo(db, size="small")
    rows = _rows(db)
    assert len(rows) == SIZES["small"]
    profile = load_profile("sichuan")
    declarations = "、".join(profile.broker.declarations)
    first_day = years_before(TODAY.date(), 3)
    for r in rows:
        parsed = parse_id_number(r.id_number, TODAY.date())
        assert parsed.value == r.id_number
        assert (parsed.gender, parsed.birth_date) == (r.gender, r.birth_date)
        assert 18 <= age_on(r.birth_date, r.application_date) <= 65, r
        assert first_day <= r.application_date <= TODAY.date()
        assert r.village_code.startswith("510923") and len(r.village_code) == 12
        assert r.village_name and r.name and r.employer and r.home_address.startswith("四川省遂宁市大英县")
        assert phone_problem(r.phone) is None
        assert bank_account_problem(r.bank_account) is None and r.bank_name
        assert r.declarations == declarations
        assert r.education in profile.broker.education_levels
        assert r.political_status in profile.broker.political_statuses
        assert r.category in profile.broker.categories
        assert r.status in {s.value for s in ApplicationStatus}
        assert r.hukou_province_code == "51"
        assert r.hukou_confirmed == (r.id_number[:2] != "51")
    assert sum(luhn_ok(r.bank_account) for r in rows) >= 0.8 * len(rows)
    assert sum(r.id_number.startswith("510923") for r in rows) >= 0.6 * len(rows)
    assert [r.has_photo for r in rows[:3]] == [True, True, True]
    assert not any(r.has_photo for r in rows[3:])


def test_some_applicants_were_rejected_and_applied_again(db: Database) -> None:
    generate_demo(db, size="small")
    by_id: dict[str, list] = {}
    for r in _rows(db):
        by_id.setdefault(r.id_number, []).append(r)
    again = [rs for rs in by_id.values() if len(rs) > 1]
    assert len(again) >= 2
    for first, later in again:
        assert first.status == "rejected" and later.status in OPEN_STATUSES
        assert first.application_date < later.application_date
        assert 18 <= age_on(first.birth_date, first.application_date)


def test_audit_chain_verifies_with_one_entry_per_application(db: Database) -> None:
    generate_demo(db, size="small")
    with db.session("测试", write=False) as s:
        assert verify_chain(s) is None
        created = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity == BrokerApplication.__audit_entity__, AuditEntry.action == "create")
        )
    assert created == SIZES["small"]


def test_running_twice_adds_new_people_without_duplicate_open_ids(db: Database) -> None:
    generate_demo(db, size="small")
    second = generate_demo(db, size="small")
    assert DEMO_PASSWORD not in second  # the accounts were made the first time
    rows = _rows(db)
    assert len(rows) == 2 * SIZES["small"]
    open_ids = Counter(r.id_number for r in rows if r.status in OPEN_STATUSES)
    assert max(open_ids.values()) == 1
    with db.session("测试", write=False) as s:
        assert verify_chain(s) is None


def test_same_seed_same_people(tmp_path: Path) -> None:
    people = []
    for name in ("a.db", "b.db"):
        database = _open(tmp_path / name)
        generate_demo(database, count=40)
        people.append([(r.name, r.id_number, r.application_date) for r in _rows(database)])
        database.dispose()
    assert people[0] == people[1]


@pytest.mark.parametrize(("profile_name", "prefix"), [("chongqing", "50"), ("honghe", "5325"), ("jindong", "330703")])
def test_other_profiles_get_a_county_of_their_own_area(tmp_path: Path, profile_name: str, prefix: str) -> None:
    database = _open(tmp_path / "d.db")
    generate_demo(database, profile_name=profile_name, count=30)
    with database.session("测试", write=False) as s:
        info = center_service.load_center(s)
    assert info is not None and info.profile_name == profile_name and info.county_code.startswith(prefix)
    home = load_profile(profile_name).broker.home_province_codes[0]
    for r in _rows(database):
        assert r.village_code.startswith(info.county_code)
        assert r.hukou_province_code == home
        parse_id_number(r.id_number, TODAY.date())
    database.dispose()


def test_city_size_spreads_over_the_counties_of_the_city(db: Database) -> None:
    generate_demo(db, size="city", count=400)
    rows = _rows(db)
    assert len(rows) == 400
    assert {r.village_code[:6] for r in rows} == {"510903", "510904", "510921", "510923", "510981"}


def test_unknown_size_is_refused(db: Database) -> None:
    with pytest.raises(ValueError):
        generate_demo(db, size="huge")


def test_cli_demo_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.db"
    assert cli.main(["--db", str(path), "demo", "--size", "small"]) == 0
    assert "演示数据已生成" in capsys.readouterr().out
    database = _open(path)
    assert len(_rows(database)) == SIZES["small"]
    database.dispose()


def test_birth_dates_on_leap_days_keep_ages_exact() -> None:
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert age_on(years_before(date(2024, 2, 29), 30), date(2024, 2, 29)) == 30
