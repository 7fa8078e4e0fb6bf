"""Restoring a backup (恢复备份): check it completely first, keep the current database, then swap.

``check_backup`` turns the file (encrypted ``.ldbackup`` or a plain ``.db`` copy) into a
database file beside the live one and refuses it — with nothing replaced — when the passphrase
is wrong, the file is damaged or incomplete, SQLite's integrity or foreign-key check fails, it is
not a LaborDesk database, or a newer LaborDesk wrote it. ``restore_checked`` then copies the
current database to ``backups/before-restore-<time>.db``, closes it, and renames the checked file
into its place (an older schema is upgraded by the next start, after its own copy).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.backup.sealed import BackupRefused, is_sealed, unseal
from desktop.core.db import migrate, sqlite
from desktop.core.db.database import Database, open_engine
from desktop.core.errors import UserError

ENTITY = "数据库"


@dataclass(frozen=True)
class CheckedBackup:
    """A backup that passed every check, decrypted to ``plain`` (beside the live database)."""

    source: Path
    plain: Path
    encrypted: bool
    created_at: str
    center: str
    revision: str
    brokers: int
    applications: int

    def describe(self) -> str:
        kind = "加密备份" if self.encrypted else "备份"
        when = f"，备份时间 {self.created_at}" if self.created_at else ""
        return (f"{kind}“{self.source.name}”{when}，{self.center or '（未设置中心）'}："
                f"申请 {self.applications} 条，在册及历史经纪人 {self.brokers} 名。")

    def discard(self) -> None:
        self.plain.unlink(missing_ok=True)


@dataclass(frozen=True)
class RestoreResult:
    kept_copy: Path
    restored: CheckedBackup


def live_path(db: Database) -> Path:
    path = db.path
    if path is None:
        raise UserError("当前数据库不是本机文件（PostgreSQL 服务器），请由服务器管理员用 pg_dump / pg_restore 备份和恢复。")
    return path


def check_backup(backup: str | Path, passphrase: str, work_dir: Path, *, progress: Any = None) -> CheckedBackup:
    """Decrypt (if sealed) into ``work_dir`` and check; BackupRefused says why a backup is unusable."""
    source = Path(backup)
    if not source.is_file():
        raise BackupRefused(f"找不到备份文件“{source}”（U盘可能已拔出）。")
    work_dir.mkdir(parents=True, exist_ok=True)
    plain = work_dir / f".restore-{clock.now():%Y%m%d-%H%M%S}-{os.getpid()}.db"
    meta: dict[str, Any] = {}
    encrypted = is_sealed(source)
    try:
        if encrypted:
            with plain.open("wb") as out:
                meta = unseal(source, out, passphrase, progress=progress)
        else:
            shutil.copyfile(source, plain)
        info = _inspect(plain, source.name)
    except BaseException:
        plain.unlink(missing_ok=True)
        raise
    return CheckedBackup(source, plain, encrypted, str(meta.get("created_at", "")), info["center"] or
                         str(meta.get("center", "")), info["revision"], info["brokers"], info["applications"])


def _inspect(plain: Path, name: str) -> dict[str, Any]:
    try:
        conn = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
        try:
            header_ok = conn.execute("PRAGMA schema_version").fetchone() is not None
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise BackupRefused(f"“{name}”不是数据库文件或已损坏，无法恢复。") from None
    if not header_ok or not {"alembic_version", "center_settings", "audit_entry"} <= tables:
        raise BackupRefused(f"“{name}”不是劳务服务管理台的数据库备份，无法恢复。")
    engine = create_engine(f"sqlite:///{plain}")
    try:
        problems = sqlite.integrity_problems(engine)
        if problems:
            raise BackupRefused(f"“{name}”没有通过完整性检查（{problems[0]}），无法恢复。请换一份备份。")
        migrate.check_not_newer(engine)  # DatabaseTooNew: a newer LaborDesk wrote it
        revision = migrate.current_revision(engine) or ""
        with engine.connect() as conn:
            center = conn.exec_driver_sql("SELECT center_name FROM center_settings ORDER BY id LIMIT 1").scalar()
            brokers = conn.exec_driver_sql("SELECT count(*) FROM broker").scalar() if "broker" in _names(conn) else 0
            apps = conn.exec_driver_sql("SELECT count(*) FROM broker_application").scalar() \
                if "broker_application" in _names(conn) else 0
    finally:
        engine.dispose()
    return {"center": center or "", "revision": revision, "brokers": int(brokers or 0), "applications": int(apps or 0)}


def _names(conn: Any) -> set[str]:
    return {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _only_user(path: Path) -> None:
    """Leaving WAL mode needs the only connection: if it fails, someone else has the file open."""
    try:
        conn = sqlite3.connect(str(path), timeout=2)
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        mode = ""
    if str(mode).lower() != "delete":
        raise UserError("另一个窗口或另一台电脑正在使用这个数据库，现在不能恢复。请先关闭其他窗口（或其他电脑上的程序）再恢复。")


def restore_checked(db: Database, checked: CheckedBackup, actor: str) -> RestoreResult:
    """Keep a copy of the live database, close it and put the checked backup in its place.

    ``db`` is disposed: the caller opens the database again (and the GUI restarts)."""
    path = live_path(db)
    db.dispose()
    _only_user(path)  # fail before anything is written when another window has the database open
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    kept = path.parent / "backups" / f"{path.stem}-before-restore-{stamp}.db"
    with db.session(actor) as s:
        record_event(s, AuditFact("准备恢复备份", ENTITY, detail=f"{checked.describe()}当前数据库另存为 {kept.name}"))
    sqlite.backup_to(db.engine, kept)
    db.dispose()
    _only_user(path)
    for suffix in ("-wal", "-shm"):  # they belong to the old file; SQLite must not apply them to the new one
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(checked.plain, path)
    restored = Database(open_engine(path))
    try:
        with restored.session(actor) as s:
            record_event(s, AuditFact("恢复备份", ENTITY,
                                      detail=f"已从{checked.describe()}恢复；恢复前的数据库另存为 {kept}"))
    finally:
        restored.dispose()
    return RestoreResult(kept, checked)
