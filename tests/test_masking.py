"""Personal numbers are masked in every list model of the main window and in every listing document.

The scan walks whatever the main window holds — every table view and table widget of every page,
scrolled to the end — so a list another area adds is checked too. Listing documents (PDF and
.xlsx) are read back as text. Anything that looks like a full ID number, bank account or mobile
number fails the test. The one-person 申请认定表 is not a listing: it is the application itself
and carries the full numbers by design (its printing is audited).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView
from sqlalchemy import select

from desktop.core.app import open_database
from desktop.core.demo import DEMO_PASSWORD, generate_demo
from desktop.core.models import Broker, BrokerApplication, PublicityBatch
from desktop.core.privacy import looks_unmasked
from desktop.core.services import accounts
from desktop.core.services import center as center_service
from desktop.core.services import publicity_documents as documents
from desktop.ui.main_window import MainWindow
from desktop.ui.session import AppState
from desktop.ui.tasks import TaskRunner


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from datetime import datetime

    from desktop.core import clock

    clock.pin(datetime(2026, 11, 22, 9, 0))
    path = tmp_path_factory.mktemp("masking") / "demo.db"
    db = open_database(path).db
    generate_demo(db, size="small")
    db.dispose()
    clock.pin(None)
    return path


def _state(db, username: str) -> AppState:  # type: ignore[no-untyped-def]
    with db.session(username) as s:
        center = center_service.load_center(s)
        assert center is not None
        profile = center.profile()
        user = accounts.sign_in(s, profile, username, DEMO_PASSWORD).user
    assert user is not None
    return AppState(db, center, profile, user, TaskRunner())


def _cells(view: QAbstractItemView) -> list[str]:
    model = view.model()
    while model.canFetchMore(view.rootIndex()):
        model.fetchMore(view.rootIndex())
    out = []
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(model.index(r, c), role)
                if value:
                    out.append(str(value))
    return out


@pytest.mark.parametrize("username", ["admin", "jingban", "shenji"])
def test_every_list_model_masks_personal_numbers(qtbot, demo_path: Path, tmp_path: Path, username: str) -> None:  # type: ignore[no-untyped-def]
    db = open_database(demo_path).db
    try:
        with db.session("t", write=False) as s:  # the demo holds real-looking full numbers
            raw = s.execute(select(BrokerApplication.id_number, BrokerApplication.phone,
                                   BrokerApplication.bank_account).limit(1)).one()
            assert len(looks_unmasked(" ".join(raw))) == 3
        window = MainWindow(_state(db, username))
        qtbot.addWidget(window)
        scanned: dict[str, int] = {}
        for index, page in enumerate(window.pages):
            window.nav.setCurrentRow(index)
            publicity_rows = getattr(page, "batches", None)
            for row in range(len(publicity_rows or [])):  # every batch's people and objections
                page.batch_table.selectRow(row)
                for view in page.findChildren(QAbstractItemView):
                    assert looks_unmasked("\n".join(_cells(view))) == [], (type(page).__name__, row)
            for view in page.findChildren(QAbstractItemView):
                cells = _cells(view)
                scanned[f"{type(page).__name__}.{view.objectName() or type(view.model()).__name__}"] = len(cells)
                found = looks_unmasked("\n".join(cells))
                assert found == [], (type(page).__name__, found[:3])
        pages = {k.split(".")[0] for k, n in scanned.items() if n}
        assert {"ApplicationListPage", "RegistryPage", "PublicityPage"} <= pages
        if username != "jingban":
            assert "AuditLogPage" in pages
    finally:
        db.dispose()


def test_every_listing_document_masks_personal_numbers(demo_path: Path, tmp_path: Path) -> None:
    db = open_database(demo_path).db
    try:
        with db.session("admin") as s:
            profile = center_service.load_center(s).profile()  # type: ignore[union-attr]
            batch_ids = list(s.scalars(select(PublicityBatch.id)))
            assert batch_ids and s.scalar(select(Broker.id).limit(1))
            for batch_id in batch_ids:
                pdf, xlsx = tmp_path / f"{batch_id}.pdf", tmp_path / f"{batch_id}.xlsx"
                notice = documents.write_notice_pdf(s, profile, batch_id, pdf)
                documents.write_notice_xlsx(s, profile, batch_id, xlsx)
                text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
                assert notice.rows and notice.rows[0].name in text
                assert looks_unmasked(text) == [], batch_id
                cells = [str(v) for row in load_workbook(xlsx).active.iter_rows(values_only=True) for v in row if v]
                assert looks_unmasked("\n".join(cells)) == [], batch_id
    finally:
        db.dispose()
