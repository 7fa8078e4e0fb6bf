"""Reading the audit trail (审计日志) for the auditor and the administrator: filter, page, export.

Pages are fetched newest first by id (keyset: ``before_id``), so the hundredth page of a log with
millions of entries costs what the first does. Personal numbers in the entries are shown masked
(privacy.py): the log keeps what was changed, the viewer shows no more than an inspector needs.
Reading needs the 审计 or 管理员 role; the export is written through ``atomic_write`` and is itself
an audit event. Nothing here changes or deletes an entry: the log is append-only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from desktop.core import audit_events
from desktop.core.db.database import Database
from desktop.core.documents.atomic import atomic_write
from desktop.core.errors import UserError
from desktop.core.field_labels import label, readable_record
from desktop.core.models.account import Role, User
from desktop.core.models.audit import AuditEntry
from desktop.core.models.base import Audited, Base
from desktop.core.privacy import mask_field, scrub
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require

ENTITY = "审计日志"
MAX_EXPORT_ROWS = 1_000_000  # an .xlsx sheet holds 1 048 576 rows
READERS = (Role.AUDITOR, Role.ADMIN)


@dataclass(frozen=True)
class AuditQuery:
    """The viewer's filters; empty means "any". ``action`` is an event name or 新建/修改/删除."""

    date_from: date | None = None
    date_to: date | None = None
    actor: str = ""
    action: str = ""
    entity: str = ""
    entity_id: str = ""
    outcome: str = ""
    before_id: int | None = None  # keyset paging: entries older than this id
    offset: int = 0  # kept for the paged model's interface; paging uses before_id
    limit: int = 200


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    event: str
    entity: str
    entity_id: str
    field: str
    old_value: str
    new_value: str
    outcome: str
    detail: str


_ACTIONS = {label: key for key, label in audit_events.CHANGE_LABELS.items()}


def _filtered(stmt: Select, q: AuditQuery) -> Select:  # type: ignore[type-arg]
    if q.date_from is not None:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(q.date_from, time()))
    if q.date_to is not None:
        stmt = stmt.where(AuditEntry.at < datetime.combine(q.date_to + timedelta(days=1), time()))
    if q.actor.strip():
        stmt = stmt.where(AuditEntry.actor == q.actor.strip())
    if q.action.strip():
        stmt = stmt.where(AuditEntry.action == _ACTIONS.get(q.action.strip(), q.action.strip()))
    if q.entity.strip():
        stmt = stmt.where(AuditEntry.entity == q.entity.strip())
    if q.entity_id.strip():
        stmt = stmt.where(AuditEntry.entity_id == q.entity_id.strip())
    if q.outcome.strip():
        stmt = stmt.where(AuditEntry.outcome == q.outcome.strip())
    return stmt


def _check_dates(q: AuditQuery) -> None:
    if q.date_from and q.date_to and q.date_from > q.date_to:
        raise UserError("起始日期晚于截止日期，请调整日期范围。")


def count_entries(session: Session, user: SignedInUser, q: AuditQuery) -> int:
    require(user, *READERS, action="查看审计日志")
    _check_dates(q)
    return session.scalar(_filtered(select(func.count(AuditEntry.id)), q)) or 0


def _row(e: AuditEntry, profile: PolicyProfile) -> AuditRow:
    """An entry as shown: Chinese field names, creation records as 标签：值, numbers masked."""
    return AuditRow(
        e.id, e.at, e.actor, audit_events.CHANGE_LABELS.get(e.action, e.action), e.entity,
        scrub(e.entity_id, profile), label(e.field) if e.field else "",
        readable_record(mask_field(e.field, e.old_value, profile)) or "",
        readable_record(mask_field(e.field, e.new_value, profile)) or "", e.outcome, scrub(e.detail, profile),
    )


def search_entries(session: Session, user: SignedInUser, profile: PolicyProfile, q: AuditQuery) -> list[AuditRow]:
    """One page, newest first, older than ``q.before_id`` when given; personal numbers masked."""
    require(user, *READERS, action="查看审计日志")
    _check_dates(q)
    stmt = _filtered(select(AuditEntry), q)
    if q.before_id is not None:
        stmt = stmt.where(AuditEntry.id < q.before_id)
    entries = session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(q.limit)).all()
    return [_row(e, profile) for e in entries]


@dataclass(frozen=True)
class FilterChoices:
    actors: list[str]
    events: list[str]
    entities: list[str]


def filter_choices(session: Session) -> FilterChoices:
    """Choices for the filter boxes, without scanning the log: accounts, event names, record kinds."""
    actors = list(session.scalars(select(User.username).order_by(User.id)))
    entities = sorted({m.class_.__audit_entity__ for m in Base.registry.mappers
                       if issubclass(m.class_, Audited) and m.class_.__audit_entity__}
                      | {"账号", "中心设置", "数据库", ENTITY})
    events = [*audit_events.CHANGE_LABELS.values(), *audit_events.EVENTS]
    return FilterChoices(actors, events, entities)


def describe(q: AuditQuery) -> str:
    """The filters in words, for the export's title and its audit entry."""
    parts = []
    if q.date_from or q.date_to:
        parts.append(f"{q.date_from or '最早'} 至 {q.date_to or '今天'}")
    for name, value in (("用户", q.actor), ("事件", q.action), ("对象", q.entity), ("编号", q.entity_id),
                         ("结果", q.outcome)):
        if value.strip():
            parts.append(f"{name}：{value.strip()}")
    return "；".join(parts) or "全部"


HEADERS = ("序号", "时间", "用户", "事件", "对象", "对象编号", "字段", "原值", "新值", "结果", "说明")
WIDTHS = (10, 20, 12, 14, 14, 14, 16, 30, 30, 8, 40)


def export_entries(
    db: Database, user: SignedInUser, profile: PolicyProfile, q: AuditQuery, out: str | Path,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the filtered entries (masked, newest first) to an .xlsx at ``out``; returns the count.

    The entries are read in a read transaction (a long export must not hold the write lock the
    counters' saves wait for); the export event is recorded right after, and if that fails the
    file is removed, so no export exists that the log does not show.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    out = Path(out)
    with db.session(user.username, write=False) as session:
        total = count_entries(session, user, q)
        if total > MAX_EXPORT_ROWS:
            raise UserError(f"筛选出 {total} 条，超过一个 Excel 工作表能放下的 {MAX_EXPORT_ROWS} 条，"
                            "请缩小日期范围后分几次导出。")
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("审计日志")
        for i, width in enumerate(WIDTHS, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A3"
        title = WriteOnlyCell(ws, f"审计日志（{describe(q)}），共 {total} 条，"
                                  f"导出人 {user.display_name}（{user.username}）")
        title.font = Font(bold=True, size=12)
        ws.append([title])
        bold = Font(bold=True)
        header = []
        for text in HEADERS:
            cell = WriteOnlyCell(ws, text)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        page = replace(q, before_id=None, limit=5000)
        written = 0
        while True:
            rows = search_entries(session, user, profile, page)
            for r in rows:
                ws.append([r.id, r.at.strftime("%Y-%m-%d %H:%M:%S"), r.actor, r.event, r.entity, r.entity_id,
                           r.field, r.old_value, r.new_value, r.outcome, r.detail])
            written += len(rows)
            if progress is not None:
                progress(written, total)
            if len(rows) < page.limit:
                break
            page = replace(page, before_id=rows[-1].id)
            session.expunge_all()
    with atomic_write(out) as fh:
        wb.save(fh)
    try:
        with db.session(user.username, events_only=user.role is Role.AUDITOR) as session:
            audit_events.record_export(session, ENTITY, f"审计日志（{describe(q)}）", out, written)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return written
