"""The SQLite adapter: the only module that knows SQLite-specific pragmas, locking and files.

Pragmas on every connection:
- ``foreign_keys=ON``: SQLite leaves them off by default.
- ``journal_mode=WAL``: readers never block the writer, and a crash leaves the database intact.
- ``busy_timeout``: a second counter's write waits instead of failing at once.
- ``secure_delete=ON``: deleted and overwritten content (an old password hash, a corrected ID
  number) is zeroed in the file instead of lingering in free pages (等保 剩余信息保护).
- ``synchronous=FULL``: in WAL mode NORMAL can lose the last commits on a power cut (never
  corrupts); FULL syncs the WAL on every commit. Counter PCs lose power and clerks expect a saved
  record to stay saved, and our write rate (a few commits a minute) makes the fsync cost invisible.

Write transactions start with ``BEGIN IMMEDIATE`` so the writer takes its lock before reading the
audit chain head; a deferred transaction that read first would fail with SQLITE_BUSY_SNAPSHOT
instead of waiting.

``bulk_insert`` is the importers' many-row INSERT: on SQLite a plain ``executemany`` on the
driver's cursor, on other engines SQLAlchemy's own executemany. ``bulk_write_cache`` gives that
transaction a bigger page cache (see its doc).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event, exc, insert
from sqlalchemy.engine import Connection, Dialect, Engine

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "labordesk_write"
#: The page cache of a bulk write (``bulk_write_cache``), in KiB.
BULK_CACHE_KIB = 16 * 1024


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
        cur.execute("PRAGMA secure_delete = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def bulk_write_cache(connection: Connection, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """A bigger page cache for one many-row write, the default one back afterwards.

    SQLite's default cache is 2 MiB. Ten thousand rows inserted into a table of 300 000 dirty
    pages all over its ten indexes; with 2 MiB those pages are spilled to the WAL in the middle of
    the transaction and read back, which made the insert half as slow again (measured: 0.215 s →
    0.15 s for 10 000 transfers into the city demo; 16 MiB does as well as 64). Only for the
    write: every pooled connection keeping 16 MiB would cost the running app that much memory
    per connection. Other engines manage their own buffers: nothing to do there."""
    if not is_sqlite(connection.engine):
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        # Dirty pages stay pinned until the commit writes them; the cache then shrinks back.
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


def bulk_insert(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, column keys of ``table``) in the connection's
    current transaction, like ``connection.execute(insert(table), rows)``.

    On SQLite that call spends most of its time in SQLAlchemy's per-row parameter handling;
    here the statement is compiled once, each column's values go through the type's own bind
    processor (so dates and times are stored exactly as SQLAlchemy stores them — a test reads
    them back through the ORM), distinct values converted once, and the driver's ``executemany``
    gets plain tuples. No statement events fire for it. Columns with a Python-side default that
    the rows leave out, and other engines, take SQLAlchemy's path.
    """
    if not rows:
        return
    dialect = connection.dialect
    keys = tuple(rows[0])
    plan = _insert_plan(table, keys, dialect) if dialect.name == "sqlite" else None
    if plan is None:
        connection.execute(insert(table), list(rows))
        return
    sql, order, processors = plan
    columns = []
    for key, process in zip(order, processors, strict=True):
        values = [row[key] for row in rows]
        columns.append(values if process is None else _converted(values, process))
    params = list(zip(*columns, strict=True))
    if not connection.in_transaction():
        connection.begin()  # as connection.execute would (autobegin); the caller commits
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, params)
    except sqlite3.Error as error:
        raise exc.DBAPIError.instance(sql, None, error, sqlite3.Error, dialect=dialect) from error
    finally:
        cursor.close()


@lru_cache(maxsize=64)
def _insert_plan(
    table: Table, keys: tuple[str, ...], dialect: Dialect
) -> tuple[str, tuple[str, ...], list[Any]] | None:
    """The positional INSERT for ``keys``, the keys in its parameter order and each one's bind
    processor; None when SQLAlchemy would add parameters of its own (Python-side defaults of
    the columns left out)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    order = tuple(compiled.positiontup or ())
    if sorted(order) != sorted(keys):
        return None
    processors = [table.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in order]
    return compiled.string, order, processors


_MISSING = object()


def _converted(values: list[Any], process: Callable[[Any], Any]) -> list[Any]:
    """``[process(v) for v in values]`` with each distinct value converted once (an import has a
    handful of distinct dates, times and flags)."""
    memo: dict[tuple[type, Any, Any], Any] = {}
    get = memo.get
    out = []
    append = out.append
    for value in values:
        # Equal values of one class convert alike, except aware times of different zones.
        key = (value.__class__, value, getattr(value, "tzinfo", None))
        try:
            hit = get(key, _MISSING)
        except TypeError:  # unhashable
            append(process(value))
            continue
        if hit is _MISSING:
            hit = memo[key] = process(value)
        append(hit)
    return out


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
    from desktop.core import drives

    text = str(path.resolve())
    return {drives.REMOVABLE: _REMOVABLE_MSG, drives.NETWORK: _NETWORK_MSG}.get(
        drives.location_kind(path), "").format(p=text) or None


_REMOVABLE_MSG = (
    "数据库文件位于U盘或移动硬盘上（{p}）。拔出设备或断电可能损坏数据，"
    "建议把数据库放在本机硬盘，U盘只用于导出和备份。"
)
_NETWORK_MSG = (
    "数据库文件位于网络共享目录（{p}）。SQLite 在网络共享上加锁不可靠，多台电脑同时使用会损坏数据；"
    "多个窗口共用数据请改用 PostgreSQL 服务器。"
)


def _posix_location_warning(path: Path, mounts_file: str = "/proc/mounts") -> str | None:
    from desktop.core import drives

    kind = drives._posix_kind(path, mounts_file)
    return {drives.REMOVABLE: _REMOVABLE_MSG, drives.NETWORK: _NETWORK_MSG}.get(kind, "").format(p=path) or None
