"""Schema migrations at start-up: copy the database first, upgrade, refuse newer databases."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from desktop.core import clock
from desktop.core.db import sqlite
from desktop.core.errors import UserError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseTooNew(UserError):
    """The database was written by a newer LaborDesk than this one."""


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_not_newer(engine: Engine) -> None:
    current = current_revision(engine)
    if current is None:
        return
    script = ScriptDirectory.from_config(_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise DatabaseTooNew(
            f"这个数据库由更新版本的劳务服务管理台写入（结构版本 {current}），本机程序较旧，无法安全打开。"
            "请先把本机的劳务服务管理台升级到最新版本，再打开这个数据库。"
        )


def upgrade(engine: Engine, *, backup_dir: Path | None = None) -> Path | None:
    """Bring the schema to head. A file database with data is copied first; returns the copy."""
    check_not_newer(engine)
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    copy: Path | None = None
    path = sqlite.database_path(engine)
    if current is not None and path is not None and path.exists():
        folder = backup_dir or path.parent / "backups"
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        copy = folder / f"{path.stem}-before-{head}-{stamp}.db"
        sqlite.backup_to(engine, copy)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return copy
