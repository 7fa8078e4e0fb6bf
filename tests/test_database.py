"""Database set-up: real migrations, pragmas, the copy before migrating, newer databases refused."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import exc, func, insert, inspect, select, text

from desktop.core.app import open_database
from desktop.core.db import migrate
from desktop.core.db import sqlite as sqlite_adapter
from desktop.core.db.database import open_engine
from desktop.core.models.certification import ApplicationStep, TrainingResult
from desktop.core.services import applications as svc
from desktop.core.services.maintenance import check_database
from tests.factories import application_input


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


def _results(app_id: int) -> list[dict[str, object]]:
    later = {"created_by": "clerk", "updated_at": datetime(2026, 11, 22, 9, 30, 0, 123456), "updated_by": "clerk"}
    return [
        {"application_id": app_id, "completed_month": "2026-10", "score": Decimal("86.5"), "passed": True,
         "certificate_no": "SC-1", "source": "导入：a.xlsx", "created_at": datetime(2026, 11, 22, 9, 30)} | later,
        {"application_id": app_id, "completed_month": "2026-09", "score": None, "passed": False,
         "certificate_no": "", "source": "导入：a.xlsx", "created_at": datetime(2026, 1, 2, 3, 4, 5, 6)} | later,
    ]


def test_bulk_insert_stores_values_as_sqlalchemy_does(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        app_id = svc.create_application(s, profile, application_input())
    rows = _results(app_id)
    at = datetime(2026, 11, 22, 9, 30)
    step = {"application_id": app_id, "kind": "training", "passed": True, "occurred_on": date(2026, 11, 22),
            "opinion": "培训完成", "actor": "clerk", "actor_name": "张经办", "publicity_batch_id": None,
            "created_at": at, "created_by": "clerk", "updated_at": at, "updated_by": "clerk"}
    with db.session("clerk") as s:
        conn = s.connection()
        conn.execute(insert(TrainingResult.__table__), rows)  # SQLAlchemy's own way: ids 1, 2
        sqlite_adapter.bulk_insert(conn, TrainingResult.__table__, rows)  # ids 3, 4
        conn.execute(insert(ApplicationStep.__table__), [step])
        sqlite_adapter.bulk_insert(conn, ApplicationStep.__table__, [step])
    with db.engine.connect() as conn:  # the stored values and their SQLite storage classes
        for table in ("training_result", "application_step"):
            stored = [r[1:] for r in conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id")]
            kinds = list(conn.exec_driver_sql(f"SELECT typeof(created_at), typeof(passed) FROM {table} ORDER BY id"))
            half = len(stored) // 2
            assert stored[:half] == stored[half:] and kinds[:half] == kinds[half:]
        created = conn.exec_driver_sql("SELECT created_at FROM training_result WHERE id = 3").scalar()
        assert created == "2026-11-22 09:30:00.000000"
    with db.session("t", write=False) as s:  # and read back through the ORM
        results = s.scalars(select(TrainingResult).order_by(TrainingResult.id)).all()
        seen = [(r.application_id, r.completed_month, r.score, r.passed, r.certificate_no, r.source, r.created_at,
                 r.updated_at) for r in results]
        assert seen[:2] == seen[2:]
        assert (results[3].created_at, results[3].score, results[3].passed) == (rows[1]["created_at"], None, False)
        assert (float(results[2].score), results[2].updated_at) == (86.5, rows[0]["updated_at"])
        steps = s.scalars(select(ApplicationStep).where(ApplicationStep.kind == "training")
                          .order_by(ApplicationStep.id)).all()
        assert [(x.occurred_on, x.passed, x.created_at) for x in steps] == [(date(2026, 11, 22), True, at)] * 2


def test_bulk_insert_stays_in_the_transaction(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        app_id = svc.create_application(s, profile, application_input())
    with pytest.raises(RuntimeError), db.session("clerk") as s:
        sqlite_adapter.bulk_insert(s.connection(), TrainingResult.__table__, _results(app_id))
        raise RuntimeError("rolled back with the transaction")
    with pytest.raises(exc.IntegrityError), db.session("clerk") as s:  # SQLAlchemy's error, as execute gives
        sqlite_adapter.bulk_insert(s.connection(), TrainingResult.__table__, _results(app_id + 99))
    with db.session("clerk") as s:  # columns with a Python-side default left out: SQLAlchemy's path fills them
        sqlite_adapter.bulk_insert(s.connection(), ApplicationStep.__table__, [
            {"application_id": app_id, "kind": "training", "occurred_on": date(2026, 11, 22), "actor": "clerk"}])
    with db.session("t", write=False) as s:
        assert s.scalar(select(func.count()).select_from(TrainingResult)) == 0
        step = s.scalars(select(ApplicationStep).where(ApplicationStep.kind == "training")).one()
        assert (step.passed, step.opinion, step.actor_name, step.created_at) == (True, "", "", datetime(2026, 11, 22, 9, 30))
