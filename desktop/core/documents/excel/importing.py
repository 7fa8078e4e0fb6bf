"""What every .xlsx importer shares: row problems and the report, the all-or-nothing driver.

An importer says which columns it reads (``ColumnSpec``), how one row is checked, what the
database must be asked about all rows at once, and how the good rows are written; ``run_import``
does the rest the same way for all of them:

- the header is found by ``read_table`` (title rows, blank rows, untidy titles tolerated); a
  missing required column is a problem of the file, reported on the header's row;
- every row is checked and every problem reported with its Excel row number and column title;
- the same person twice in the file refuses all those rows (nobody can tell which one is right);
- nothing is written unless every row is good; ``skip_bad`` writes the good rows and lists the
  rest; ``dry_run`` only checks; ``cancel()`` is honoured until the write starts;
- the look-ups and the write run in one transaction, so the checks still hold when it commits.
"""

from __future__ import annotations

import gc
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Table as DbTable
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import regions
from desktop.core.audit import AuditFact
from desktop.core.audit import _text as audit_text  # the audit log's own value formatting
from desktop.core.db.database import Database
from desktop.core.db.sqlite import bulk_insert, bulk_write_cache
from desktop.core.documents.excel.reading import ColumnSpec, Header, Table, read_table
from desktop.core.errors import UserError
from desktop.core.models.center import CenterSettings

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

CHECK_EVERY = 200  # rows between progress reports and cancel checks
LOOKUP_CHUNK = 500  # keys per IN (…) query
MAX_DATA_ROWS = 100_000  # all rows are held in memory until the all-or-nothing decision
ID_TITLE = "身份证号码"


# --- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class RowProblem:
    """One problem: the Excel row number (0 = the file as a whole), the column title, and why."""

    row: int
    column: str
    reason: str

    def line(self, prefix: str = "") -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        column = f"【{self.column}】" if self.column else "："
        return f"{where}{column}{prefix}{self.reason}"


@dataclass
class ImportReport:
    file_name: str
    total_rows: int = 0
    imported: int = 0
    bad_rows: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False
    skip_bad: bool = False
    sheet: str = ""
    header_row: int = 0

    @property
    def bad_row_count(self) -> int:
        return len({p.row for p in self.bad_rows if p.row})

    @property
    def good_rows(self) -> int:
        return max(0, self.total_rows - self.bad_row_count)

    def lines(self) -> list[str]:
        """The report in plain Chinese, one line per problem, the summary last."""
        out = [p.line() for p in self.bad_rows]
        out += [p.line("（提醒）") for p in self.warnings]
        n, k = self.total_rows, self.bad_row_count
        if self.bad_rows and not n:
            out.append("没有导入任何数据：请按上面的提示改正文件后重新导入。")
        elif self.dry_run:
            out.append(f"检查完毕（试导入，未写入任何数据）：共 {n} 行，可导入 {self.good_rows} 行，有问题 {k} 行。")
        elif self.bad_rows and not self.imported:
            out.append(
                f"共 {n} 行，导入 0 行，有问题 {k} 行（未写入）。因为有问题的行，本次没有写入任何数据；"
                "请改正后重新导入，或选择“跳过有问题的行”只导入正确的行。"
            )
        else:
            out.append(f"共 {n} 行，导入 {self.imported} 行，有问题 {k} 行（未写入）。")
        return out


class ImportCancelled(UserError):
    def __init__(self) -> None:
        super().__init__("已取消导入，没有写入任何数据。")


@dataclass
class CheckedRow:
    """One data row after its own checks; ``values`` is what will be written, None when refused."""

    number: int
    key: str  # the normalised ID number; "" when unreadable (then it is never a duplicate)
    values: dict[str, Any] | None
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)

    def refuse(self, column: str, reason: str) -> None:
        self.problems.append(RowProblem(self.number, column, reason))
        self.values = None

    def warn(self, column: str, reason: str) -> None:
        self.warnings.append(RowProblem(self.number, column, reason))


# --- the driver ----------------------------------------------------------------------------------


class RowImporter(Protocol):
    """One kind of import. ``start`` sees the header (and the sheet's date system) before the
    rows; ``check_row`` returns None for a row that is not data (a footer); ``file_warnings`` are
    reminders about the file as a whole (row 0), given once there are data rows."""

    specs: tuple[ColumnSpec, ...]

    def start(self, header: Header, epoch: datetime) -> None: ...

    def file_warnings(self) -> list[RowProblem]: ...

    def check_row(self, number: int, raw: tuple[Any, ...]) -> CheckedRow | None: ...

    def duplicate_reason(self, others: str) -> str: ...

    def check_against_db(self, session: Session, rows: list[CheckedRow]) -> None: ...

    def write(self, session: Session, good: list[CheckedRow], file_name: str, total: int) -> int: ...


def run_import(
    db: Database,
    importer: RowImporter,
    path: str | Path,
    *,
    actor: str,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Check every row of ``path`` and write the good ones in one transaction (see the module doc).

    Raises ``WorkbookError`` (a UserError) when the file cannot be read, ``ImportCancelled`` when
    ``cancel()`` said so before anything was written; otherwise returns the report.
    """
    with gc_paused():
        return _run(db, importer, Path(path), actor, dry_run, skip_bad, progress, cancel)


def _run(db: Database, importer: RowImporter, path: Path, actor: str, dry_run: bool, skip_bad: bool,
         progress: ProgressFn | None, cancel: CancelFn | None) -> ImportReport:
    report = ImportReport(path.name, dry_run=dry_run, skip_bad=skip_bad)
    with read_table(path, importer.specs) as table:
        header = table.header
        report.sheet, report.header_row = header.sheet, header.row
        if header.missing:
            report.bad_rows = [
                RowProblem(header.row, title, f"表头（工作表“{header.sheet}”第 {header.row} 行）缺少这一列，请加上后再导入。")
                for title in header.missing
            ]
            return report
        importer.start(header, table.epoch)
        rows = read_rows(table, importer.check_row, progress, cancel)
    if progress is not None:
        progress(len(rows), len(rows))

    report.total_rows = len(rows)
    if not rows:
        report.bad_rows = [RowProblem(0, "", f"表头（第 {header.row} 行）下面没有任何数据行。")]
        return report
    report.warnings.extend(importer.file_warnings())
    mark_duplicates(rows, importer.duplicate_reason)

    order = {s.title: i for i, s in enumerate(importer.specs)}
    with db.session(actor, write=not dry_run) as session:
        importer.check_against_db(session, rows)
        for row in rows:
            report.bad_rows.extend(row.problems)
            report.warnings.extend(row.warnings)
        report.bad_rows.sort(key=lambda p: (p.row, order.get(p.column, 99)))
        good = [r for r in rows if r.values is not None]
        if dry_run or not good or (report.bad_rows and not skip_bad):
            return report
        if cancel is not None and cancel():
            raise ImportCancelled()
        with bulk_write_cache(session.connection()):
            report.imported = importer.write(session, good, path.name, len(rows))
    return report


def read_rows(
    table: Table,
    check: Callable[[int, tuple[Any, ...]], CheckedRow | None],
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> list[CheckedRow]:
    """Every data row of ``table`` checked, with progress and cancel every ``CHECK_EVERY`` rows."""
    rows: list[CheckedRow] = []
    total = table.estimated_rows
    seen = 0
    for number, raw in table.rows():
        row = check(number, raw)
        seen += 1
        if row is not None:
            rows.append(row)
        if seen % CHECK_EVERY == 0:
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None:
                progress(len(rows), max(total, len(rows)))
            if len(rows) > MAX_DATA_ROWS:
                raise UserError(f"一次最多导入 {MAX_DATA_ROWS} 行，请把文件分成几个再导入。")
    return rows


def mark_duplicates(rows: list[CheckedRow], reason: Callable[[str], str], column: str = ID_TITLE) -> None:
    """Refuse every row whose key (ID number) another row of the file has too."""
    seen: dict[str, list[CheckedRow]] = {}
    for row in rows:
        if len(row.key) == 18:
            seen.setdefault(row.key, []).append(row)
    for group in seen.values():
        if len(group) < 2:
            continue
        for row in group:
            row.refuse(column, reason("、".join(str(r.number) for r in group if r is not row)))


def chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def summary_fact(entity: str, file_name: str, written: int, total: int) -> AuditFact:
    """The one "导入" entry that closes an import's creation entries in the audit chain."""
    skipped = total - written
    detail = f"{file_name}，{written} 行" + (f"（跳过有问题的 {skipped} 行）" if skipped else "")
    return AuditFact("导入", entity, detail=detail)


def insert_and_read_ids(session: Session, table: DbTable, rows: list[dict[str, Any]], key: str) -> dict[Any, int]:
    """Insert ``rows`` with one executemany and return {row[key]: new id}; ``key`` must be unique
    among ``rows``.

    A plain executemany (``sqlite.bulk_insert``) is several times faster on SQLite than INSERT …
    RETURNING (which SQLAlchemy sends as batches of VALUES lists). SQLite numbers rows inserted
    under our write lock one after another from the old maximum: when the new range proves it
    (count, ends, first and last key), the ids follow from the order; otherwise (another
    database, a gap) they are looked up.
    """
    n = len(rows)
    ident = table.c.id
    before = session.execute(select(func.coalesce(func.max(ident), 0))).scalar_one()
    bulk_insert(session.connection(), table, rows)
    column = table.c[key]
    low, high, count = session.execute(select(func.min(ident), func.max(ident), func.count()).where(ident > before)).one()
    if n and count == n and low == before + 1 and high == before + n:
        ends = {i: k for i, k in session.execute(select(ident, column).where(ident.in_((low, high))))}
        if ends.get(low) == rows[0][key] and ends.get(high) == rows[-1][key]:
            return {r[key]: before + 1 + i for i, r in enumerate(rows)}
    ids: dict[Any, int] = {}
    for chunk in chunks([r[key] for r in rows]):
        found = session.execute(select(column, ident).where(ident > before, column.in_(chunk)))
        ids.update((k, new_id) for k, new_id in found)
    if len(ids) != n:
        raise UserError("写入时数据库中出现了同时录入的记录，本次没有写入任何数据，请重新导入。")
    return ids


class FactMaker:
    """Creation audit facts for bulk-inserted rows, each exactly what ``audit.creation_fact(entity,
    str(id), {"id": id, **values})`` gives (the tests hold them equal), but faster: the few
    distinct dates and flags are formatted once, and the JSON object is joined from pre-encoded
    keys in a key order worked out once per set of keys (every row of an import has the same),
    which is what the sorted-keys encoder would produce, without building a dict per row."""

    _CACHED = (date, datetime, bool)

    def __init__(self, model: type[Any]) -> None:
        self.entity: str = model.__audit_entity__
        self.skip: frozenset[str] = model.__audit_skip__
        self.texts: dict[tuple[type, Any], str] = {}
        self.plans: dict[tuple[str, ...], list[tuple[str | None, str]]] = {}

    def _text(self, value: Any) -> str:
        if not isinstance(value, self._CACHED):
            return audit_text(value)  # type: ignore[return-value]
        key = (value.__class__, value)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = audit_text(value)  # type: ignore[assignment]
        return text  # type: ignore[return-value]

    def _plan(self, keys: tuple[str, ...]) -> list[tuple[str | None, str]]:
        """(the values' key, or None for the row's own id; the encoded ``"key": ``), sorted."""
        shown = {k: k for k in keys if k not in self.skip}
        shown["id"] = "id" if "id" in shown else None  # type: ignore[assignment]  # None: the row's own id
        return [(key, _STR(name) + ": ") for name, key in sorted(shown.items())]

    def make(self, new_id: int, values: dict[str, Any]) -> AuditFact:
        row_id = str(new_id)
        keys = tuple(values)
        plan = self.plans.get(keys)
        if plan is None:
            plan = self.plans[keys] = self._plan(keys)
        parts = []
        for key, prefix in plan:
            v = row_id if key is None else values[key]
            kind = v.__class__
            if kind is str:
                if v:
                    parts.append(prefix + _STR(v))
            elif kind is int:
                parts.append(f'{prefix}"{v}"')
            elif v is not None and v != b"":
                parts.append(prefix + _STR(self._text(v)))
        return AuditFact("create", self.entity, row_id, "*", None, "{" + ", ".join(parts) + "}")


_STR = json.encoder.encode_basestring  # a str as JSON, non-ASCII kept (what ensure_ascii=False does)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic garbage collection off while tens of thousands of small objects are made: it would
    run dozens of times for nothing (nothing here forms cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def stamps(actor: str, now: Any) -> dict[str, Any]:
    """The ``Stamped`` columns a Core insert must fill itself (the ORM's flush hook does not run)."""
    return {"created_at": now, "created_by": actor, "updated_at": now, "updated_by": actor}


# --- header titles -------------------------------------------------------------------------------

_BRACKETS = (("（", "）"), ("[", "]"), ("【", "】"), ("〔", "〕"), ("<", ">"), ("《", "》"))


def bracket_variants(title: str, *bases: str) -> tuple[str, ...]:
    """Aliases for a title with a bracketed note, e.g. 参加培训时间（精确到年月）: the same note
    in other brackets, and the bare ``bases`` (参加培训时间). Round and full-width brackets and
    spaces are already folded by ``normalise_title``."""
    head, sep, rest = title.partition("（")
    note = rest.rstrip("）")
    variants = [f"{head}{o}{note}{c}" for o, c in _BRACKETS[1:]] if sep else []
    return (*variants, head, *bases) if sep else bases


# --- villages ------------------------------------------------------------------------------------


def compact_text(text: str) -> str:
    """``text`` with full-width forms folded (NFKC) and every space removed, for comparing names."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def village_key(name: str) -> str:
    """The name people use for a committee's official name, so both compare equal:
    大梁村村民委员会 / 大梁村委会 → 大梁村; 八宝街社区居民委员会 / 八宝街居委会 → 八宝街社区."""
    key = compact_text(name)
    for suffix, kind in (("村民委员会", "村"), ("村委会", "村"), ("居民委员会", "社区"), ("居委会", "社区")):
        if key.endswith(suffix) and len(key) > len(suffix):
            base = key[: -len(suffix)]
            return base if base.endswith(kind) else base + kind
    return key


class VillageMatcher:
    """Village names of one county → codes, read once per import.

    A name matches when it is exactly a village's name (or township + village name), the
    committee suffix folded; an unknown or ambiguous name gets no code and a warning. Without a
    county nothing matches and ``file_warning`` says so once. ``what`` is the column's title and
    ``later`` where the clerk can pick the village afterwards.
    """

    def __init__(self, county_code: str, *, what: str, later: str = "") -> None:
        self.county_code = county_code
        self.county_name = regions.describe_id_origin(county_code) if county_code else ""
        self.what = what
        self.later = later
        self.by_name: dict[str, list[str]] = {}
        townships: dict[str, str] = {}
        for v in regions.villages_of_county(county_code) if county_code else []:
            town = townships.get(v.parent or "")
            if town is None:
                found = regions.lookup(v.parent or "")
                town = townships[v.parent or ""] = found.name if found else ""
            self.by_name.setdefault(village_key(v.name), []).append(v.code)
            if town:
                self.by_name.setdefault(compact_text(town) + village_key(v.name), []).append(v.code)
        self._townships = townships
        self._cache: dict[str, tuple[str, str | None]] = {}

    def resolve(self, name: str) -> tuple[str, str | None]:
        """(12-digit code or "", warning or None)."""
        hit = self._cache.get(name)
        if hit is None:
            hit = self._cache[name] = self._resolve(name)
        return hit

    def _resolve(self, name: str) -> tuple[str, str | None]:
        if not self.county_code:
            return "", None  # one warning for the whole file instead (file_warning)
        codes = self.by_name.get(village_key(name), [])
        if len(codes) == 1:
            return codes[0], None
        later = f"；可以稍后{self.later}重新选择" if self.later else ""
        if not codes:
            return "", f"在{self.county_name}的村（社区）名单里找不到“{name}”，已按填写的名称保存、未关联村代码{later}。"
        towns = "、".join(self._townships.get(c[:9] + "000", "") or c for c in codes)
        return "", (
            f"{self.county_name}有 {len(codes)} 个“{name}”（{towns}），无法确定是哪一个，已按名称保存；"
            f"可写成“乡镇名+村名”" + (f"，或稍后{self.later}重新选择。" if self.later else "。")
        )


    def file_warning(self) -> RowProblem | None:
        if self.county_code:
            return None
        return RowProblem(0, self.what, f"未设置本中心所在县，{self.what}只按名称保存，没有关联村代码。")


def centre_county(db: Database, actor: str) -> str:
    """The county code of this centre ("" before first-run setup)."""
    with db.session(actor, write=False) as s:
        return s.scalar(select(CenterSettings.county_code).order_by(CenterSettings.id).limit(1)) or ""


def lookup_in_chunks(session: Session, stmt_for: Callable[[Sequence[Any]], Any], keys: Iterable[Any]) -> Iterator[Any]:
    """The rows of ``stmt_for(chunk)`` for ``keys`` in chunks of ``LOOKUP_CHUNK`` (batched IN)."""
    for chunk in chunks(sorted(set(keys))):
        yield from session.execute(stmt_for(chunk))
