"""Automatic local backups (自动备份) beside the database, so yesterday's data survives a bad day.

A copy is made with SQLite's online backup API (consistent while counters keep working) into
``<data folder>/backups/auto/labordesk-YYYY-MM-DD-HHMMSS.db`` when the data changed since the
newest copy — at most once per ``backup.min_interval_minutes`` while the program runs, and at exit
— then the old copies are thinned (thinning.py). "Changed" means the audit chain moved on: every
change of every record, import and security event appends to it, and the backup event itself is
written before the copy, so an idle program makes no new copies.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.backup.thinning import obsolete_backups
from desktop.core.db import sqlite
from desktop.core.db.database import Database
from desktop.core.models.audit import AuditHead
from desktop.core.rules.profile import BackupRules

AUTO_DIR = Path("backups") / "auto"
PREFIX, SUFFIX = "labordesk-", ".db"
STAMP = "%Y-%m-%d-%H%M%S"
ENTITY = "数据库"


@dataclass(frozen=True)
class LocalBackup:
    path: Path
    at: datetime


@dataclass(frozen=True)
class AutoBackupResult:
    made: LocalBackup
    removed: tuple[Path, ...]


def auto_folder(db_path: Path) -> Path:
    return db_path.parent / AUTO_DIR


def list_backups(folder: Path) -> list[LocalBackup]:
    """The automatic backups in ``folder``, newest first (other files are ignored)."""
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        name = path.name
        if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
            continue
        try:
            at = datetime.strptime(name[len(PREFIX) : -len(SUFFIX)], STAMP)
        except ValueError:
            continue
        found.append(LocalBackup(path, at))
    return sorted(found, key=lambda b: b.at, reverse=True)


def audit_head_of(path: Path) -> tuple[int, str] | None:
    """The audit chain head stored in a backup file (None when unreadable)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return (int(row[0]), str(row[1])) if row else None


def _live_head(db: Database) -> tuple[int, str] | None:
    with db.session("系统", write=False) as s:
        row = s.execute(select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == 1)).first()
    return (int(row[0]), str(row[1])) if row else None


def changed_since(db: Database, newest: LocalBackup | None) -> bool:
    return newest is None or audit_head_of(newest.path) != _live_head(db)


def due(db: Database, rules: BackupRules, *, at_exit: bool = False, now: datetime | None = None) -> bool:
    """Whether an automatic backup should be made now."""
    path = db.path
    if path is None:
        return False  # PostgreSQL: the server's own backups (pg_dump) cover it
    now = now or clock.now()
    newest = next(iter(list_backups(auto_folder(path))), None)
    if not at_exit and newest is not None and now - newest.at < timedelta(minutes=rules.min_interval_minutes):
        return False
    return changed_since(db, newest)


def make_backup(db: Database, rules: BackupRules, actor: str, *, reason: str = "定时",
                now: datetime | None = None) -> AutoBackupResult:
    """Copy the database now, record it, and thin the old copies."""
    path = db.path
    if path is None:
        raise ValueError("only SQLite file databases have automatic backups")
    now = now or clock.now()
    folder = auto_folder(path)
    target = folder / f"{PREFIX}{now.strftime(STAMP)}{SUFFIX}"
    with db.session(actor) as s:  # before the copy, so the copy already holds its own event
        record_event(s, AuditFact("自动备份", ENTITY, detail=f"{reason}：{target.name}"))
    try:
        sqlite.backup_to(db.engine, target)
    except (OSError, sqlite3.Error) as exc:
        with db.session(actor) as s:
            record_event(s, AuditFact("自动备份", ENTITY, outcome="失败", detail=f"{target.name}：{exc}"))
        raise
    return AutoBackupResult(LocalBackup(target, now), thin(folder, rules, now))


def thin(folder: Path, rules: BackupRules, now: datetime) -> tuple[Path, ...]:
    backups = list_backups(folder)
    drop = set(obsolete_backups([b.at for b in backups], now.date(), rules))
    removed = []
    for b in backups:
        if b.at in drop:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError:
                pass  # in use by a virus scanner, say: tried again next time
    return tuple(removed)


def auto_backup(db: Database, rules: BackupRules, actor: str, *, at_exit: bool = False) -> AutoBackupResult | None:
    """A backup when one is due (changed data, interval passed or at exit); None otherwise."""
    if not due(db, rules, at_exit=at_exit):
        return None
    return make_backup(db, rules, actor, reason="退出时" if at_exit else "定时")
