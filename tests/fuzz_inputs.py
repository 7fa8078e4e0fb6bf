"""Hostile inputs for the property/fuzz tests: what they are and what must hold for each.

Every input ends in a plain answer — a value, a ``UserError`` with a Chinese message, or an
import report — never another exception, a hang, or a partial write. ``Tally`` counts the inputs
tried, for docs/RELIABILITY.md.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select

from desktop.core.db.database import Database
from desktop.core.documents.excel.application_import import import_applications
from desktop.core.documents.excel.broker_import import import_brokers
from desktop.core.documents.excel.importing import ImportReport
from desktop.core.documents.excel.training_import import import_training_results
from desktop.core.errors import UserError
from desktop.core.models import AuditEntry, Broker, BrokerApplication, TrainingResult
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser
from tests import test_application_import as app_tests
from tests import test_broker_import as broker_tests
from tests import test_training_import as training_tests

CHINESE = re.compile(r"[\u4e00-\u9fff]")
TALLY: Counter[str] = Counter()

# --- cell values a clerk's (or a broken program's) sheet may hold --------------------------------

text_cells = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "=1+1", "=SUM(A1:A3)", "=cmd|' /C calc'!A0", "#N/A", "#VALUE!", "TRUE",
                     "2026年11月20日", "2026/11/20", "20261120", "11/20/2026", "2026-13-45", "二〇二六年", "1985.3",
                     "510923198503151258", "51092319850315125x", "５１０９２３１９８５０３１５１２５８", "13812345678",
                     "\u200b\u3000\t\n", "\x00\x01", "😀" * 5]),
)
cells = st.one_of(
    st.none(), text_cells, st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.dates(date(1800, 1, 1), date(2200, 1, 1)),
    st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)),
)


def write_table(path: Path, header: list[str], rows: list[list[Any]], formulas: bool = True) -> Path:
    """An .xlsx with ``header`` and ``rows``; strings starting with = stay formulas (no cached value)."""
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        # Control characters cannot be stored in a sheet at all (Excel refuses them too).
        clean = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
        ws.append([v if formulas or not (isinstance(v, str) and v.startswith("=")) else "'" + v for v in clean])
    wb.save(path)
    return path


# --- the three importers behind one call --------------------------------------------------------


def importers(profile: PolicyProfile, admin: SignedInUser) -> dict[str, tuple[list[str], Callable[..., Any],
                                                                                  Callable[[Database, Path], Any]]]:
    """name → (header, a valid row for i, run(db, path))."""
    return {
        "applications": (app_tests.HEADER, lambda i: app_tests.person(i),
                         lambda db, p: import_applications(db, profile, p, actor="clerk", county_code="510107")),
        "training": (training_tests.HEADER, lambda i: training_tests.row(i),
                     lambda db, p: import_training_results(db, p, user=admin)),
        "brokers": (broker_tests.HEADER, lambda i: broker_tests.broker(i),
                    lambda db, p: import_brokers(db, p, user=admin, county_code="510107")),
    }


def counts(db: Database) -> dict[str, int]:
    with db.session("t", write=False) as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
                for m in (BrokerApplication, TrainingResult, Broker, AuditEntry)}


def check_import(db: Database, run: Callable[[Database, Path], Any], path: Path, kind: str,
                 seconds: float = 60.0) -> ImportReport | UserError:
    """Run one import: a report or a plain UserError, nothing half-written, in bounded time."""
    before = counts(db)
    started = time.perf_counter()
    try:
        outcome: ImportReport | UserError = run(db, path)
    except UserError as exc:
        outcome = exc
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"{kind}: {elapsed:.1f}s"
    after = counts(db)
    TALLY[kind] += 1
    if isinstance(outcome, UserError):
        assert CHINESE.search(str(outcome)), str(outcome)
        assert after == before, "an error left rows behind"
        return outcome
    assert all(CHINESE.search(line) for line in outcome.lines())
    if outcome.imported == 0:
        assert after == before, "nothing imported, yet rows changed"
    else:
        assert not outcome.bad_rows, "all-or-nothing import wrote with bad rows"
        grown = {k: after[k] - before[k] for k in after}
        assert grown["audit_entry"] > 0 and max(grown.values()) >= outcome.imported
    return outcome


# --- broken files -------------------------------------------------------------------------------


def truncated(valid: bytes, cut: int) -> bytes:
    return valid[: max(1, min(cut, len(valid) - 1))]


def encrypted_workbook() -> bytes:
    """What Excel/WPS write for a workbook with an open password: an OLE compound file holding the
    EncryptionInfo and EncryptedPackage streams (directory names in UTF-16)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\0")
    directory += "EncryptionInfo".encode("utf-16-le").ljust(128, b"\0")
    directory += "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
    return header + directory + b"\0" * 4096


def zip_bomb_like(valid: bytes) -> bytes:
    """A workbook whose sheet XML is replaced by garbage of the same name (a damaged member)."""
    src = zipfile.ZipFile(io.BytesIO(valid))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>999999</v></c>" + b"\xff" * 500
            dst.writestr(item, data)
    return out.getvalue()
