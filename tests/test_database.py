"""Database set-up: real migrations, pragmas, the copy before migrating, newer databases refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from desktop.core.app import open_database
from desktop.core.db import migrate
from desktop.core.db import sqlite as sqlite_adapter
from desktop.core.db.database import open_engine
from desktop.core.services.maintenance import check_database


def test_migrations_from_empty_to_head(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "new.db")
    engine = opened.db.engine
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"broker_application", "user_account", "center_settings", "audit_entry", "audit_head"} <= tables
    assert opened.pre_migration_copy is None  # nothing to copy in a brand-new file
    opened.db.dispose()


def test_every_connection_has_the_safety_pragmas(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == sqlite_adapter.BUSY_TIMEOUT_MS


def test_database_is_copied_before_an_upgrade(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.db"
    engine = open_engine(path)
    cfg = migrate._config()
    with engine.begin() as conn:  # a database written by the first release
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, :h)"), {"h": "0" * 64})
    engine.dispose()
    opened = open_database(path)
    copy = opened.pre_migration_copy
    assert copy is not None and copy.exists() and "before-" + migrate.head_revision() in copy.name
    assert migrate.current_revision(opened.db.engine) == migrate.head_revision()
    with sqlite3.connect(copy) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    opened.db.dispose()


def test_newer_database_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_database(path).db.dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(migrate.DatabaseTooNew, match="更新版本"):
        open_database(path)


def test_network_and_removable_locations_warn(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text("server:/share /mnt/share nfs4 rw 0 0\n/dev/sdb1 /media/clerk/U盘 vfat rw 0 0\n")
    warn = sqlite_adapter._posix_location_warning
    assert "网络共享" in (warn(Path("/mnt/share/labordesk.db"), str(mounts)) or "")
    assert "U盘" in (warn(Path("/media/clerk/U盘/labordesk.db"), str(mounts)) or "")
    assert warn(Path("/home/clerk/labordesk.db"), str(mounts)) is None


def test_check_passes_on_a_fresh_database(db) -> None:  # type: ignore[no-untyped-def]
    assert check_database(db) == []
