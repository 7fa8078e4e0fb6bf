"""Opening LaborDesk's database at start: locate it, warn about risky places, migrate safely."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop.core import paths
from desktop.core.db import instance, migrate, sqlite
from desktop.core.db.database import Database, open_engine, url_for
from desktop.core.errors import UserError


@dataclass
class OpenedDatabase:
    db: Database
    warnings: list[str] = field(default_factory=list)
    pre_migration_copy: Path | None = None


def resolve_target(target: str | Path | None) -> str:
    """The SQLAlchemy URL for ``--db`` (a path or a URL), or the per-user default file."""
    return url_for(target if target else paths.default_database())


def open_database(
    target: str | Path | None = None, *, read_only: bool = False, wait_seconds: float = 0.0
) -> OpenedDatabase:
    """Open (creating if needed) and migrate the database.

    A database file is held for this program (instance.py): when another LaborDesk has it,
    ``DatabaseInUse`` says who, after waiting up to ``wait_seconds``. ``read_only`` opens it
    without the hold and without migrating, and every write session is refused. Raises
    DatabaseTooNew for a database written by a newer LaborDesk.
    """
    engine = open_engine(resolve_target(target))
    warnings: list[str] = []
    path = sqlite.database_path(engine)
    lock = None
    try:
        if path is not None:
            warning = sqlite.location_warning(path)
            if warning:
                warnings.append(warning)
            if not read_only:
                lock = instance.acquire(path, wait_seconds=wait_seconds)
        if read_only:
            migrate.check_not_newer(engine)
            if migrate.current_revision(engine) != migrate.head_revision():
                raise UserError("这个数据库还需要升级到本程序的版本，只读方式不能升级。请等另一个程序退出后再正常打开。")
            copy = None
        else:
            copy = migrate.upgrade(engine)
    except BaseException:
        engine.dispose()
        if lock is not None:
            lock.release()
        raise
    return OpenedDatabase(Database(engine, read_only=read_only, instance_lock=lock), warnings, copy)
