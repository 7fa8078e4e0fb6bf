"""Backing up to a USB stick (备份到U盘) and restoring (恢复备份): who may, and the audit trail.

Backing up: a consistent copy with SQLite's online backup API, sealed with the passphrase
(backup/sealed.py) — or, from the command line without a passphrase, a plain copy — delivered to
the folder verified with a SHA-256 manifest (documents/delivery.py). Any signed-in role except
auditor may back up; only an administrator may restore. Both are audit events.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.backup import restore as restore_mod
from desktop.core.backup.restore import CheckedBackup, RestoreResult, check_backup, live_path, restore_checked
from desktop.core.backup.sealed import SUFFIX, seal
from desktop.core.db import migrate, sqlite
from desktop.core.db.database import Database
from desktop.core.documents.delivery import CancelFn, Delivery, OutFile, ProgressFn, deliver
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.center import CenterInfo
from desktop.core.services.filing import place_of

ENTITY = restore_mod.ENTITY
BACKUP_ROLES = (Role.CLERK, Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class UsbBackup:
    delivery: Delivery
    encrypted: bool

    @property
    def file(self) -> Path:
        return self.delivery.files[0].path


def passphrase_problem(passphrase: str, profile: PolicyProfile) -> str | None:
    least = profile.security.password_min_length
    if len(passphrase) < least:
        return f"备份口令至少 {least} 位（现在 {len(passphrase)} 位）。请用一句好记的话或几组词，并抄在安全的地方：忘了口令就无法恢复。"
    if passphrase.strip() != passphrase:
        return "备份口令的开头或结尾不能是空格。"
    return None


def backup_name(center: CenterInfo, encrypted: bool) -> str:
    place = place_of(center.county_code) or "本中心"
    return f"劳务服务管理台备份-{place}-{clock.now():%Y%m%d-%H%M%S}" + (SUFFIX if encrypted else ".db")


def backup_to_folder(db: Database, user: SignedInUser, profile: PolicyProfile, center: CenterInfo,
                     folder: str | Path, passphrase: str | None, *, progress: ProgressFn | None = None,
                     cancel: CancelFn | None = None) -> UsbBackup:
    """Write a backup into ``folder`` (sealed when ``passphrase`` is given), verified, and audit it."""
    require(user, *BACKUP_ROLES, action="备份数据库")
    path = live_path(db)
    if passphrase is not None and (problem := passphrase_problem(passphrase, profile)):
        raise UserError(problem, field="passphrase")
    name = backup_name(center, passphrase is not None)
    work = path.parent / "backups"
    copy = work / f".copy-{os.getpid()}-{clock.now():%H%M%S}.db"
    sealed = copy.with_suffix(SUFFIX)
    try:
        if progress is not None:
            progress(0, 1, "正在复制数据库……")
        sqlite.backup_to(db.engine, copy)
        source = copy
        if passphrase is not None:
            meta = {"created_at": f"{clock.now():%Y-%m-%d %H:%M:%S}", "center": center.center_name,
                    "revision": migrate.current_revision(db.engine) or "", "size": copy.stat().st_size}
            with sealed.open("wb") as fh:
                seal(copy, fh, passphrase, meta,
                     progress=(lambda d, t: progress(d, t, "正在加密……")) if progress else None, cancel=cancel)
            source = sealed
        result = deliver(folder, [OutFile(name, source=source)], manifest_name=f"{name}.sha256.txt",
                         progress=progress, cancel=cancel)
    finally:
        copy.unlink(missing_ok=True)
        sealed.unlink(missing_ok=True)
    kind = "加密备份" if passphrase is not None else "未加密备份"
    with db.session(user.username) as s:
        record_event(s, AuditFact("备份", ENTITY, detail=f"{kind} → {result.files[0].path}（SHA-256 {result.files[0].sha256[:16]}…）"))
    return UsbBackup(result, passphrase is not None)


def check_for_restore(db: Database, user: SignedInUser, backup: str | Path, passphrase: str, *,
                      progress: ProgressFn | None = None) -> CheckedBackup:
    """Decrypt and check a backup beside the live database; nothing is replaced yet."""
    require(user, Role.ADMIN, action="恢复备份")
    path = live_path(db)
    report = (lambda d, t: progress(d, t, "正在解密并检查备份……")) if progress else None
    try:
        return check_backup(backup, passphrase, path.parent / "backups", progress=report)
    except UserError as exc:
        with db.session(user.username) as s:
            record_event(s, AuditFact("恢复备份", ENTITY, outcome="拒绝", detail=f"{Path(backup).name}：{exc}"))
        raise


def restore(db: Database, user: SignedInUser, checked: CheckedBackup) -> RestoreResult:
    """Replace the live database with a checked backup (the current one is kept as a copy)."""
    require(user, Role.ADMIN, action="恢复备份")
    try:
        return restore_checked(db, checked, user.username)
    except BaseException:
        checked.discard()
        raise
