"""The SQLite adapter: the only module that knows SQLite-specific pragmas, locking and files.

Pragmas on every connection:
- ``foreign_keys=ON``: SQLite leaves them off by default.
- ``journal_mode=WAL``: readers never block the writer, and a crash leaves the database intact.
- ``busy_timeout``: a second counter's write waits instead of failing at once.
- ``synchronous=FULL``: in WAL mode NORMAL can lose the last commits on a power cut (never
  corrupts); FULL syncs the WAL on every commit. Counter PCs lose power and clerks expect a saved
  record to stay saved, and our write rate (a few commits a minute) makes the fsync cost invisible.

Write transactions start with ``BEGIN IMMEDIATE`` so the writer takes its lock before reading the
audit chain head; a deferred transaction that read first would fail with SQLITE_BUSY_SNAPSHOT
instead of waiting.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "labordesk_write"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def configure(engine: Engine) -> None:
    """Install pragmas and explicit BEGIN handling on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy (not the sqlite3 module) decide when transactions begin.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not _is_memory(engine):
            mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                # A read-only or network location may refuse WAL; keep the rollback journal.
                cur.execute("PRAGMA journal_mode = DELETE")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _is_memory(engine: Engine) -> bool:
    db = engine.url.database
    return not db or db == ":memory:" or "mode=memory" in str(engine.url)


def database_path(engine: Engine) -> Path | None:
    if not is_sqlite(engine) or _is_memory(engine):
        return None
    return Path(engine.url.database or "")


def backup_to(engine: Engine, target: Path) -> None:
    """Copy the live database with SQLite's online backup API (consistent even while in use)."""
    source_path = database_path(engine)
    if source_path is None:
        raise ValueError("only file databases can be backed up")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    src = sqlite3.connect(str(source_path))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def integrity_problems(engine: Engine) -> list[str]:
    """Rows of ``PRAGMA integrity_check`` and ``foreign_key_check`` that are not 'ok'."""
    problems: list[str] = []
    with engine.connect() as conn:
        for (row,) in conn.exec_driver_sql("PRAGMA integrity_check").fetchall():
            if row != "ok":
                problems.append(str(row))
        for row in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
            problems.append(f"外键错误：表 {row[0]} 第 {row[1]} 行引用了不存在的 {row[2]}")
    return problems


def location_warning(path: Path) -> str | None:
    """A warning when the file is on removable media or a network share (SQLite's own advice)."""
    resolved = path.resolve()
    if sys.platform == "win32":
        return _windows_location_warning(resolved)
    return _posix_location_warning(resolved)


_REMOVABLE_MSG = (
    "数据库文件位于U盘或移动硬盘上（{p}）。拔出设备或断电可能损坏数据，"
    "建议把数据库放在本机硬盘，U盘只用于导出和备份。"
)
_NETWORK_MSG = (
    "数据库文件位于网络共享目录（{p}）。SQLite 在网络共享上加锁不可靠，多台电脑同时使用会损坏数据；"
    "多个窗口共用数据请改用 PostgreSQL 服务器。"
)


def _windows_location_warning(path: Path) -> str | None:
    import ctypes

    text = str(path)
    if text.startswith("\\\\"):
        return _NETWORK_MSG.format(p=text)
    root = path.anchor
    drive_type = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))  # type: ignore[attr-defined]
    if drive_type == 2:  # DRIVE_REMOVABLE
        return _REMOVABLE_MSG.format(p=text)
    if drive_type == 4:  # DRIVE_REMOTE
        return _NETWORK_MSG.format(p=text)
    return None


_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "9p", "afs"}


def _posix_location_warning(path: Path, mounts_file: str = "/proc/mounts") -> str | None:
    best = ("", "")
    try:
        with open(mounts_file, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) < 3:
                    continue
                mount_point = parts[1].replace("\\040", " ")
                if str(path).startswith(mount_point) and len(mount_point) >= len(best[0]):
                    best = (mount_point, parts[2])
    except OSError:
        return None
    mount_point, fstype = best
    if fstype in _NETWORK_FS:
        return _NETWORK_MSG.format(p=path)
    if mount_point.startswith(("/media/", "/run/media/", "/mnt/usb")):
        return _REMOVABLE_MSG.format(p=path)
    return None
