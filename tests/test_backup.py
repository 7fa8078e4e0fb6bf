"""Backups: thinning over a simulated year, automatic copies, encrypted USB backups, checked restores."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop import cli
from desktop.core.app import open_database
from desktop.core.backup import local, sealed
from desktop.core.backup.sealed import BackupRefused
from desktop.core.backup.thinning import obsolete_backups
from desktop.core.db.database import Database
from desktop.core.db.migrate import DatabaseTooNew
from desktop.core.errors import PermissionDenied
from desktop.core.models.account import Role
from desktop.core.models.audit import AuditEntry
from desktop.core.models.registry import Broker
from desktop.core.rules.profile import BackupRules, PolicyProfile
from desktop.core.services import backups
from desktop.core.services import center as center_service
from desktop.core.services.accounts import SignedInUser
from desktop.core.services.maintenance import check_database
from tests.test_filing import add_broker, make_id

RULES = BackupRules(min_interval_minutes=30, keep_daily=12, keep_weekly=10, keep_monthly=9)
ADMIN = SignedInUser(1, "admin", "管理员", Role.ADMIN, False)
CLERK = SignedInUser(2, "clerk", "张经办", Role.CLERK, False)
PASS = "春眠不觉晓-2026"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_LOG_N", 12)  # the file records N; decryption reads it from there


def expected_kept(today: date) -> set[date]:
    """The scheme, stated by hand for one backup a day: today and yesterday; 12 more days; the last
    day (Sunday) of each of the 10 weeks before; the last day of each of the 9 months before."""
    kept = {today, today - timedelta(days=1)}
    day = today - timedelta(days=2)
    for _ in range(12):
        kept.add(day)
        day -= timedelta(days=1)
    last_daily = min(kept)
    sunday = last_daily - timedelta(days=last_daily.weekday() + 1)
    for _ in range(10):
        kept.add(sunday)
        sunday -= timedelta(days=7)
    month_end = (sunday + timedelta(days=7)).replace(day=1) - timedelta(days=1)
    for _ in range(9):
        kept.add(month_end)
        month_end = month_end.replace(day=1) - timedelta(days=1)
    return kept


def test_thinning_keeps_the_scheme() -> None:
    today = date(2026, 11, 22)
    moments = [datetime.combine(today - timedelta(days=i), datetime.min.time()).replace(hour=18) for i in range(400)]
    drop = set(obsolete_backups(moments, today, RULES))
    kept = {m.date() for m in moments if m not in drop}
    assert kept == expected_kept(today)
    assert len(kept) == 2 + 12 + 10 + 9
    assert min(kept) < today - timedelta(days=300)  # still reaches back about a year


def test_thinning_over_a_simulated_year_of_work(tmp_path: Path) -> None:
    """Three backups a working day for a year, thinned after each one as the program does."""
    folder = tmp_path / "auto"
    folder.mkdir()
    start = datetime(2025, 11, 23)
    made: list[datetime] = []
    for offset in range(365):
        day = start + timedelta(days=offset)
        for hour, minute in ((9, 5), (12, 40), (17, 30)):
            moment = day.replace(hour=hour, minute=minute)
            (folder / f"{local.PREFIX}{moment.strftime(local.STAMP)}{local.SUFFIX}").write_bytes(b"")
            made.append(moment)
            local.thin(folder, RULES, moment)
    now = made[-1]
    left = sorted((b.at for b in local.list_backups(folder)), reverse=True)
    assert obsolete_backups(left, now.date(), RULES) == []  # a thinned folder stays as it is
    assert len(left) == 3 + 3 + 12 + 10 + 9  # every copy of today and yesterday, then one per period
    recent, daily, weekly, monthly = left[:6], left[6:18], left[18:28], left[28:]
    assert {m.date() for m in recent} == {now.date(), now.date() - timedelta(days=1)}
    assert [m.date() for m in daily] == [now.date() - timedelta(days=2 + i) for i in range(12)]
    weeks = [(m.toordinal() - 1) // 7 for m in weekly]
    assert weeks == list(range(weeks[0], weeks[0] - 10, -1)) and all(m.weekday() == 6 for m in weekly)
    months = [m.year * 12 + m.month for m in monthly]
    assert months == list(range(months[0], months[0] - 9, -1))
    assert all(m.hour == 17 for m in left[6:])  # the newest copy of its day
    assert monthly[-1] < now - timedelta(days=300)  # still reaches back about a year


def test_automatic_backup_only_when_changed_and_due(db: Database, db_path: Path) -> None:
    t0 = datetime(2026, 11, 22, 9, 30)
    assert local.due(db, RULES, now=t0)  # no backup yet
    made = local.make_backup(db, RULES, "clerk", now=t0)
    assert made.made.path.parent == db_path.parent / "backups" / "auto"
    assert local.audit_head_of(made.made.path) is not None
    assert not local.due(db, RULES, now=t0 + timedelta(hours=3))  # nothing changed since
    assert not local.due(db, RULES, at_exit=True, now=t0 + timedelta(hours=3))
    add_broker(db, "王新", make_id(date(1980, 1, 2), seq=4), date(2021, 7, 18))
    assert not local.due(db, RULES, now=t0 + timedelta(minutes=29))  # changed, but within 30 minutes
    assert local.due(db, RULES, at_exit=True, now=t0 + timedelta(minutes=29))  # at exit: always when changed
    assert local.due(db, RULES, now=t0 + timedelta(minutes=30))
    with db.session("t", write=False) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "自动备份")).one()
    assert entry.detail == f"定时：{made.made.path.name}"


def brokers_of(db: Database) -> list[tuple[str, str]]:
    with db.session("t", write=False) as s:
        return [(b.name, b.id_number) for b in s.scalars(select(Broker).order_by(Broker.id))]


def center_of(db: Database) -> center_service.CenterInfo:
    with db.session("t", write=False) as s:
        info = center_service.load_center(s)
    assert info is not None
    return info


def usb_backup(db: Database, profile: PolicyProfile, folder: Path, passphrase: str | None = PASS) -> Path:
    folder.mkdir(exist_ok=True)
    result = backups.backup_to_folder(db, CLERK, profile, center_of(db), folder, passphrase)
    return result.file


def test_backup_then_restore_gives_the_same_data(db: Database, db_path: Path, profile: PolicyProfile,
                                                 tmp_path: Path) -> None:
    add_broker(db, "王镕䶮", make_id(date(1980, 1, 2), seq=4), date(2021, 7, 18))
    before = brokers_of(db)
    backup = usb_backup(db, profile, tmp_path / "U盘")
    assert backup.suffix == ".ldbackup" and sealed.is_sealed(backup)
    assert b"510923" not in backup.read_bytes()  # nobody's ID number readable on the stick
    assert sealed.read_meta(backup)["center"] == "大英县农民工服务中心"
    manifest = backup.with_name(backup.name + ".sha256.txt").read_text(encoding="utf-8")
    assert manifest.split()[0] == hashlib.sha256(backup.read_bytes()).hexdigest()

    add_broker(db, "后来加的", make_id(date(1981, 2, 3), seq=6), date(2026, 11, 1))
    assert len(brokers_of(db)) == 2
    checked = backups.check_for_restore(db, ADMIN, backup, PASS)
    assert "申请 0 条" in checked.describe() and "经纪人 1 名" in checked.describe()
    result = backups.restore(db, ADMIN, checked)

    restored = open_database(db_path).db
    try:
        assert brokers_of(restored) == before
        assert check_database(restored) == []  # integrity, foreign keys and the audit chain
        with restored.session("t", write=False) as s:
            actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions[-1] == "恢复备份"
    finally:
        restored.dispose()
    kept = sqlite3.connect(result.kept_copy)
    try:
        assert kept.execute("SELECT count(*) FROM broker").fetchone()[0] == 2  # the replaced data is kept
    finally:
        kept.close()
    assert not list((db_path.parent / "backups").glob(".restore-*"))


def _refused(db: Database, db_path: Path, backup: Path, passphrase: str, match: str,
             error: type[Exception] = BackupRefused) -> None:
    before = brokers_of(db)
    with pytest.raises(error, match=match):
        backups.check_for_restore(db, ADMIN, backup, passphrase)
    assert brokers_of(db) == before
    folder = db_path.parent / "backups"
    assert not list(folder.glob("*before-restore*")) and not list(folder.glob(".restore-*"))


def test_wrong_passphrase_or_damage_is_refused_and_nothing_replaced(db: Database, db_path: Path,
                                                                    profile: PolicyProfile, tmp_path: Path) -> None:
    add_broker(db, "王镕䶮", make_id(date(1980, 1, 2), seq=4), date(2021, 7, 18))
    backup = usb_backup(db, profile, tmp_path / "U盘")
    _refused(db, db_path, backup, "春眠不觉晓-2025", "口令不对")
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x40
    damaged = tmp_path / "damaged.ldbackup"
    damaged.write_bytes(bytes(data))
    _refused(db, db_path, damaged, PASS, "已损坏")
    cut = tmp_path / "cut.ldbackup"
    cut.write_bytes(backup.read_bytes()[: len(data) - 100])
    _refused(db, db_path, cut, PASS, "不完整|已损坏")
    meta_changed = tmp_path / "meta.ldbackup"
    meta_changed.write_bytes(backup.read_bytes().replace("大英县".encode(), "大竹县".encode(), 1))
    _refused(db, db_path, meta_changed, PASS, "已损坏")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    _refused(db, db_path, junk, "", "不是数据库文件或已损坏")
    with db.session("t", write=False) as s:
        refusals = s.scalars(select(AuditEntry).where(AuditEntry.action == "恢复备份")).all()
    assert {e.outcome for e in refusals} == {"拒绝"} and len(refusals) == 5


def test_backup_from_a_newer_program_is_refused(db: Database, db_path: Path, profile: PolicyProfile,
                                                tmp_path: Path) -> None:
    plain = usb_backup(db, profile, tmp_path / "U盘", passphrase=None)
    assert plain.suffix == ".db"
    conn = sqlite3.connect(plain)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    _refused(db, db_path, plain, "", "更新版本", DatabaseTooNew)


def test_roles_and_passphrase_rules(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        backups.check_for_restore(db, CLERK, tmp_path / "x.ldbackup", PASS)
    with pytest.raises(Exception, match="至少 8 位"):
        usb_backup(db, profile, tmp_path / "U盘", passphrase="short")
    auditor = SignedInUser(9, "audit", "审计员", Role.AUDITOR, False)
    with pytest.raises(PermissionDenied):
        backups.backup_to_folder(db, auditor, profile, center_of(db), tmp_path, PASS)


def test_cli_backup_and_restore(db: Database, db_path: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    add_broker(db, "王镕䶮", make_id(date(1980, 1, 2), seq=4), date(2021, 7, 18))
    before = brokers_of(db)
    db.dispose()
    secret = tmp_path / "口令.txt"
    secret.write_text(PASS + "\n", encoding="utf-8")
    out = tmp_path / "U盘"
    out.mkdir()
    assert cli.main(["--db", str(db_path), "backup", "--out", str(out), "--passphrase-file", str(secret)]) == 0
    made = next(out.glob("*.ldbackup"))
    add_broker(db, "后来加的", make_id(date(1981, 2, 3), seq=6), date(2026, 11, 1))
    db.dispose()
    assert cli.main(["--db", str(db_path), "restore", str(made), "--passphrase-file", str(secret)]) == 0
    printed = capsys.readouterr().out
    assert "已写入并校验" in printed and "检查通过" in printed and "已恢复" in printed
    assert brokers_of(db) == before
    assert cli.main(["--db", str(db_path), "check"]) == 0
