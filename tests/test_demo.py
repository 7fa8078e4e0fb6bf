"""Demo data: a set-up centre with working accounts, valid applicants with a believable
certification history (steps, training, publicity, registry), an intact audit chain."""

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
from desktop.core.models.certification import (
    ApplicationStep,
    Objection,
    PublicityBatch,
    PublicityEntry,
    TrainingResult,
)
from desktop.core.models.registry import Broker, BrokerStatusChange
from desktop.core.rules.profile import load_profile
from desktop.core.services import accounts, publicity, workflow
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


HISTORY_MODELS = (
    BrokerApplication,
    ApplicationStep,
    TrainingResult,
    PublicityBatch,
    PublicityEntry,
    Objection,
    Broker,
    BrokerStatusChange,
)


def test_audit_chain_verifies_with_one_creation_entry_per_row(db: Database) -> None:
    generate_demo(db, size="small")
    with db.session("测试", write=False) as s:
        assert verify_chain(s) is None
        for model in HISTORY_MODELS:
            rows = s.scalar(select(func.count()).select_from(model))
            created = s.execute(
                select(func.count(), func.count(func.distinct(AuditEntry.entity_id))).where(
                    AuditEntry.entity == model.__audit_entity__, AuditEntry.action == "create"
                )
            ).one()
            assert rows and tuple(created) == (rows, rows), model.__name__
        assert s.scalar(select(func.count()).select_from(BrokerApplication)) == SIZES["small"]


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
        # The second run's batches are numbered on, its brokers are new people.
        batches = s.execute(select(PublicityBatch.year, PublicityBatch.seq)).all()
        for year in {y for y, _ in batches}:
            seqs = sorted(q for y, q in batches if y == year)
            assert seqs == list(range(1, len(seqs) + 1))
        ids = list(s.scalars(select(Broker.id_number)))
        assert len(ids) == len(set(ids))
        assert s.scalar(select(func.count()).where(PublicityBatch.status == "open")) >= 2


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


# ---- the certification history --------------------------------------------------------------

REJECTION_PREFIXES = ("村（社区）不予推荐：", "县级初审不通过：", "公示期间异议成立：")
LAST_STEP = {
    "submitted": {"申请"},
    "recommended": {"村（社区）推荐：通过"},
    "reviewed": {"县级初审：通过", "培训考试：未通过"},
    "trained": {"培训考试：通过"},
    "in_publicity": {"公示"},
    "certified": {"认定"},
    "rejected": {"不予认定"},
}


@pytest.fixture
def small(db: Database) -> Database:
    generate_demo(db, size="small")
    return db


def test_every_timeline_agrees_with_its_status(small: Database) -> None:
    today = TODAY.date()
    with small.session("测试", write=False) as s:
        apps = s.scalars(select(BrokerApplication)).all()
        brokers = {b.application_id: b for b in s.scalars(select(Broker).where(Broker.application_id.is_not(None)))}
        batches = {b.id: b for b in s.scalars(select(PublicityBatch))}
        entries = {e.application_id: e for e in s.scalars(select(PublicityEntry))}
        upheld = {o.application_id: o for o in s.scalars(select(Objection).where(Objection.verdict == "upheld"))}
        reapplied = Counter(a.id_number for a in apps)
        seen = Counter()
        for app in apps:
            steps = workflow.timeline(s, app.id)
            labels = [e.label for e in steps]
            assert labels[-1] in LAST_STEP[app.status], (app.status, labels)
            days = [e.on for e in steps]
            assert days == sorted(days) and app.application_date <= days[0] and days[-1] <= today, labels
            assert all(e.actor for e in steps)
            if len(steps) > 1:
                assert labels[1].startswith("村（社区）推荐")
            training = workflow.latest_training(s, app.id)
            entry = entries.get(app.id)
            seen[app.status] += 1
            if app.status in ("trained", "in_publicity", "certified"):
                assert training is not None and training.passed and 60 <= training.score <= 100
                assert training.certificate_no.startswith(f"SC{training.completed_month[:4]}")
                assert len(training.certificate_no) == 12 and training.certificate_no[2:].isdigit()
                assert training.completed_month <= f"{steps[labels.index('培训考试：通过')].on:%Y-%m}"
            if app.status == "in_publicity":
                assert entry is not None and batches[entry.batch_id].status == "open" and entry.outcome == ""
            if app.status == "certified":
                broker = brokers[app.id]
                batch = batches[entry.batch_id]
                assert batch.status == "closed" and entry.outcome == "certified"
                assert broker.certified_on == steps[-1].on == batch.closed_on == batch.end_date
                assert labels[-2] == "公示" and steps[-2].on == batch.start_date
                assert (broker.id_number, broker.name, broker.source) == (app.id_number, app.name, "workflow")
                assert (broker.service_village_code, broker.service_area) == (app.village_code, app.village_name)
                assert (broker.training_month, broker.certificate_no) == (
                    training.completed_month,
                    training.certificate_no,
                )
                assert steps[-1].actor == "演示审核员" and steps[-2].actor == "演示经办员"
            else:
                assert app.id not in brokers
            if app.status == "rejected":
                reason = steps[-1].opinion
                assert reason.startswith(REJECTION_PREFIXES), reason
                if reason.startswith("公示期间异议成立："):
                    batch = batches[entry.batch_id]
                    assert batch.status == "closed" and entry.outcome == "rejected"
                    assert steps[-1].on == batch.closed_on
                    assert reason == "公示期间异议成立：" + upheld[app.id].verdict_reason
                else:
                    assert entry is None and labels[-2] in ("村（社区）推荐：未通过", "县级初审：未通过")
                if reapplied[app.id_number] > 1:  # rejected before the applicant applied again
                    later = [a.application_date for a in apps if a.id_number == app.id_number and a.id != app.id]
                    assert steps[-1].on < min(later)
        assert seen["certified"] and seen["in_publicity"] and seen["rejected"]
        assert len(upheld) >= 1


def test_publicity_batches_follow_the_working_day_rule(small: Database) -> None:
    today = TODAY.date()
    with small.session("测试", write=False) as s:
        profile = center_service.load_center(s).profile()  # type: ignore[union-attr]
        batches = s.scalars(select(PublicityBatch).order_by(PublicityBatch.start_date)).all()
        objections = s.scalars(select(Objection)).all()
        assert batches
        for b in batches:
            result = publicity.preview_end_date(s, profile, b.start_date)
            assert (b.end_date, b.calendar_rule, b.working_days) == (result.end, result.rule, 5)
            assert b.title == profile.publicity.title_template.format(year=b.year, batch=b.seq)
            assert b.year == b.start_date.year
            assert b.objection_phone and b.objection_address and b.issuer == DEMO_CENTER_NAME
            people = publicity.batch_people(s, profile, b.id)
            assert [p.seq for p in people] == list(range(1, len(people) + 1)) and f"以下 {len(people)} 名" in b.lead
            if b.status == "closed":
                assert b.closed_on == b.end_date >= b.start_date and b.end_date < today
                assert b.closed_by == "演示审核员" and all(p.outcome in ("certified", "rejected") for p in people)
            else:
                assert b.start_date <= today <= b.end_date and b.closed_on is None
                assert all(p.outcome == "" for p in people)
        by_year = Counter(b.year for b in batches)
        for year, n in by_year.items():
            assert sorted(b.seq for b in batches if b.year == year) == list(range(1, n + 1))
        assert any(b.status == "open" for b in batches)
        status = {b.id: b.status for b in batches}
        verdicts = Counter((status[o.batch_id], o.verdict) for o in objections)
        assert verdicts[("open", "pending")] == 1
        assert verdicts[("closed", "not_upheld")] >= 2 and verdicts[("closed", "upheld")] >= 1
        assert not verdicts[("closed", "pending")]
        for o in objections:
            batch = next(b for b in batches if b.id == o.batch_id)
            assert batch.start_date <= o.received_on <= min(batch.end_date, today) and o.content
            if o.verdict != "pending":
                assert o.received_on <= o.decided_on <= batch.end_date and o.verdict_reason and o.decided_by


def test_registry_holds_the_certified_and_some_imported_brokers(small: Database) -> None:
    first_day = years_before(TODAY.date(), 3)
    with small.session("测试", write=False) as s:
        certified = s.scalar(select(func.count()).where(BrokerApplication.status == "certified"))
        brokers = s.scalars(select(Broker)).all()
        imported = [b for b in brokers if b.source == "import"]
        assert len(brokers) == certified + len(imported)
        assert 0.10 <= len(imported) / len(brokers) <= 0.20
        assert len({b.id_number for b in brokers}) == len(brokers) and all(b.status == "active" for b in brokers)
        open_ids = set(s.scalars(select(BrokerApplication.id_number).where(BrokerApplication.status != "rejected")))
        for b in imported:
            assert b.application_id is None and b.certified_on < first_day and b.training_month
            assert b.id_number not in open_ids
            assert 18 <= age_on(b.birth_date, b.certified_on) <= 65
            assert b.training_month <= f"{b.certified_on:%Y-%m}"
        changes = {c.broker_id: c for c in s.scalars(select(BrokerStatusChange))}
        assert len(changes) == len(brokers)
        for b in brokers:
            change = changes[b.id]
            assert (change.status, change.changed_on) == ("active", b.certified_on)
            expected = "公示无异议，认定" if b.source == "workflow" else "系统启用前已认定"
            assert change.reason.startswith(expected)
