"""The 0005 migration creates exactly what the fund models declare (so PostgreSQL gets it too)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop.core.models import Base

FUND_TABLES = {
    "cooperative", "cooperative_broker", "hr_company", "coop_agreement", "coop_worker", "coop_dispatch",
    "four_clear_check", "fund_account", "fund_signatory", "payment_request", "payment_signoff", "fund_entry",
    "fund_repayment_match",
}


def test_migrated_fund_tables_match_the_models(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
        tables = set(conn.dialect.get_table_names(conn))
    assert FUND_TABLES <= tables
    assert diff == []


def test_the_migration_declares_its_partial_index_for_both_dialects() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "desktop/core/db/migrations/versions/0005_fund.py").read_text()
    assert "sqlite_where=sa.text('left_on IS NULL'), postgresql_where=sa.text('left_on IS NULL')" in text
