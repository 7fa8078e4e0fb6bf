"""LaborDesk on PostgreSQL (a centre with several counters points every PC at one server).

The migrations build exactly the models' schema there too, and the demo plus the main work of
every day — an Excel import, the county list's searches, the review, a subsidy batch, the
dashboard, the audit chain — run on it. Skipped, with the reason, where no server can be started
(see tests/postgres_server.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from desktop.core.app import open_database
from desktop.core.db.database import Database
from desktop.core.demo import DEMO_PASSWORD, generate_demo
from desktop.core.documents.excel.transfer_import import import_transfers
from desktop.core.models import Base
from desktop.core.models.registry import Broker
from desktop.core.models.transfer import TransferRecord
from desktop.core.services import accounts, dashboard, maintenance, review, subsidy
from desktop.core.services import center as center_service
from desktop.core.services.transfer_search import TransferQuery, search_page
from tests.postgres_server import postgres_url, unavailable_reason
from tests.transfer_factories import worker_id
from tests.transfer_sheets import good_row, write_sheet

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=unavailable_reason() or "")


@pytest.fixture(scope="module")
def pg() -> Iterator[Database]:
    with postgres_url() as url:
        db = open_database(url).db
        try:
            generate_demo(db, size="small", profile_name="sichuan")
            yield db
        finally:
            db.dispose()


def test_the_migrations_build_the_models_schema(pg: Database) -> None:
    assert pg.engine.dialect.name == "postgresql"
    with pg.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_a_day_at_the_counter(pg: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pg.session("admin") as s:
        center = center_service.load_center(s)
        assert center is not None
        profile = center.profile()
        user = accounts.sign_in(s, profile, "shenhe", DEMO_PASSWORD).user
    assert user is not None
    with pg.session("shenhe", write=False) as s:
        broker = s.scalars(select(Broker).where(Broker.status == "active", Broker.certified_on <= date(2025, 1, 1))
                           .order_by(Broker.id).limit(1)).one()
        before = s.scalar(select(func.count()).select_from(TransferRecord)) or 0

    # a broker's sheet, all or nothing, then the same file again: every row already logged
    rows = [good_row(i, worker_id(900 + i)) for i in range(1, 31)]
    sheet = write_sheet(tmp_path / "sheet.xlsx", rows, broker=broker.name)
    report = import_transfers(pg, profile, sheet, user=user, broker_id=broker.id)
    assert report.bad_rows == [] and report.imported == 30, report.lines()
    again = import_transfers(pg, profile, sheet, user=user, broker_id=broker.id)
    assert again.imported == 0 and len(again.bad_rows) == 30

    with pg.session("shenhe", write=False) as s:
        assert s.scalar(select(func.count()).select_from(TransferRecord)) == before + 30
        total, page = search_page(s, profile, TransferQuery(text="张1"))  # a name
        assert total >= 11 and all("张1" in r.worker_name for r in page)
        total, page = search_page(s, profile, TransferQuery(text=worker_id(901)[:17]))  # an ID prefix
        assert total == 1 and page[0].worker_name == "张1"
        total, _ = search_page(s, profile, TransferQuery(employer="长安精密", year=2025))
        assert total >= 30
        summary = review.review_summary(s, profile, 2026)
        assert summary.flagged == len(review.flagged_brokers(s, profile, 2026))
        board = dashboard.build_dashboard(s, profile, center.county_code, date(2026, 11, 22))
        assert board.transfers_this_year > 0

    with pg.session("shenhe") as s:
        batch = subsidy.build_batch(s, user, profile, date(2025, 3, 1), date(2025, 3, 31))
    assert batch.batch_id is not None and batch.claimed >= 1  # the imported 3 月 placements qualify
    with pg.session("shenhe", write=False) as s:
        assert subsidy.find_batch(s, date(2025, 3, 1), date(2025, 3, 31)) is not None

    assert maintenance.check_database(pg) == []  # the audit chain holds on PostgreSQL too
