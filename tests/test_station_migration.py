"""The 0004 migration creates exactly what the workstation models declare (SQLite; PostgreSQL DDL renders)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from desktop.core.models import Base

STATION_TABLES = {"station", "station_step", "station_material", "station_worker", "station_evaluation",
                  "station_award"}


def _tables(diff) -> set[str]:  # type: ignore[no-untyped-def]
    found = set()
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item if isinstance(item, tuple) else [item]:
            if isinstance(part, str):
                found.add(part)
            table = getattr(part, "table", None)
            name = getattr(table, "name", None) or getattr(part, "name", None)
            if isinstance(name, str):
                found.add(name)
    return found


def test_migrated_schema_matches_the_models(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, Base.metadata)
    assert [d for d in diffs if _tables(d) & STATION_TABLES] == []


def test_station_ddl_renders_for_postgresql() -> None:
    dialect = postgresql.dialect()
    for name in STATION_TABLES:
        table = Base.metadata.tables[name]
        assert "CREATE TABLE" in str(CreateTable(table).compile(dialect=dialect))
        for index in table.indexes:
            sql = str(CreateIndex(index).compile(dialect=dialect))
            if index.name == "uq_station_open_name":
                assert "WHERE status NOT IN ('rejected', 'revoked')" in sql
