"""The transfer lists (转移就业台账): per broker and county-wide, with search and filters, paged.

Every filter is a condition the indexes of ``transfer_record`` serve (status + date, broker +
status + date, status + village + date, employer, worker name, ID number); the list shows a count
and one page at a time and never loads the table. Only current versions are listed unless the
query asks for the history too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from desktop.core.idcard import is_id_prefix, mask
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.models.transfer import NOT_CURRENT, ClaimStatus, SubsidyClaimRow, TransferRecord, TransferStatus
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.transfers import subsidy_check
from desktop.core.services.transfers import facts_of

T = TransferRecord
_ROW_COLUMNS = [T.__table__.c[name] for name in (
    "id", "root_id", "hire_date", "worker_name", "gender", "age", "id_number", "education", "ethnicity",
    "employer_name", "work_address", "contract_term", "job", "social_insurance", "phone", "poverty_alleviated",
    "village_name", "status", "employer_type", "contract_kind", "contract_months")]


@dataclass(frozen=True)
class TransferQuery:
    text: str = ""  # worker name (contains) or ID-number prefix
    broker_id: int | None = None
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    village_code: str = ""  # a village's code, or a township's (prefix)
    employer: str = ""  # contains
    include_history: bool = False
    offset: int = 0
    limit: int = 200
    order: str = "recent"
    descending: bool = False


@dataclass(frozen=True)
class TransferRow:
    id: int
    placement_id: int
    hire_date: date
    broker_name: str
    worker_name: str
    gender: str
    age: int
    id_number_masked: str
    education: str
    ethnicity: str
    employer_name: str
    work_address: str
    contract_term: str
    job: str
    social_insurance: bool
    phone_masked: str
    poverty_alleviated: bool
    village_name: str
    status_label: str
    subsidy_text: str  # 符合 / the failing conditions / 已申领 (batch)
    qualifies: bool
    claimed: bool


SORT_KEYS = {
    "hire_date": T.hire_date,
    "worker_name": T.worker_name,
    "employer_name": T.employer_name,
    "age": T.age,
}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filters(query: TransferQuery, *, walk: bool = False) -> list[ColumnElement[bool]]:
    """The query's conditions. For a name/ID/employer search the status test is written so that
    the narrow search index is scanned (``walk=False``); ``walk=True`` lets the planner walk the
    date index instead and stop after a page — the faster way when matches are many."""
    conds: list[ColumnElement[bool]] = []
    text = "".join(query.text.split()).upper()
    employer = "".join(query.employer.split())
    if not query.include_history and (walk or not (text or employer)):
        conds.append(T.status == TransferStatus.CURRENT.value)
    if query.broker_id is not None:
        conds.append(T.broker_id == query.broker_id)
    start, end = query.date_from, query.date_to
    if query.year is not None:
        start = max(start or date.min, date(query.year, 1, 1))
        end = min(end or date.max, date(query.year, 12, 31))
    if start is not None:
        conds.append(T.hire_date >= start)
    if end is not None:
        conds.append(T.hire_date <= end)
    if query.village_code:
        code = query.village_code
        if len(code) == 12 and code.endswith("000"):
            code = code[:9]  # a township: all its villages
        conds.append(and_(T.village_code >= code, T.village_code < code + "~"))
    if text:
        if is_id_prefix(text):
            conds.append(and_(T.id_number >= text, T.id_number < text + "~"))
        else:
            conds.append(T.worker_name.like(f"%{_escape_like(text)}%", escape="\\"))
    if employer:
        conds.append(T.employer_name.like(f"%{_escape_like(employer)}%", escape="\\"))
    if not query.include_history and (text or employer) and not walk:
        # Nearly every row is current, so "status = current" selects nothing away; written as a
        # NOT IN that no index serves, the planner scans the narrow name/employer index (or the ID
        # range) instead of walking every current row with a table look-up each. Last, because
        # SQLite tests the terms in order and the text test rejects most rows.
        conds.append(T.status.not_in(NOT_CURRENT))
    return conds


def is_search(query: TransferQuery) -> bool:
    """A name/ID/employer search (see ``filters``)."""
    return bool("".join(query.text.split()) or "".join(query.employer.split()))


def count_transfers(session: Session, query: TransferQuery) -> int:
    return session.scalar(select(func.count()).select_from(T).where(*filters(query))) or 0


def _order(query: TransferQuery) -> tuple[ColumnElement, ...]:  # type: ignore[type-arg]
    key = SORT_KEYS.get(query.order)
    if key is None:
        return (T.hire_date.desc(), T.id.desc())
    return (key.desc(), T.id.desc()) if query.descending else (key.asc(), T.id.asc())


#: From this many matches on, walking the date index finds a page sooner than sorting all matches
#: (a page of 200 then needs about 200 × rows ÷ matches steps: at most ~30 000 at city scale).
WALK_MIN_MATCHES = 2_000


def _page_ids(session: Session, query: TransferQuery, total: int | None) -> list[int]:
    walk = total is not None and total >= WALK_MIN_MATCHES and query.order not in SORT_KEYS
    stmt = (select(T.id).where(*filters(query, walk=walk)).order_by(*_order(query))
            .offset(query.offset).limit(query.limit))
    return list(session.scalars(stmt))


def search_transfers(session: Session, profile: PolicyProfile, query: TransferQuery) -> list[TransferRow]:
    """One page of the list, ``query.offset``/``limit``."""
    total = count_transfers(session, query) if is_search(query) else None
    return _rows(session, profile, query, _page_ids(session, query, total))


def search_page(session: Session, profile: PolicyProfile, query: TransferQuery) -> tuple[int, list[TransferRow]]:
    """The total and one page, each through the index that serves it: the count by a covering
    index (for a search: a scan of the narrow name/employer index); the page by walking the date
    index, or — for a search with few matches — by sorting the matches the search index finds."""
    total = count_transfers(session, query)
    if not total:
        return 0, []
    return total, _rows(session, profile, query, _page_ids(session, query, total if is_search(query) else None))


def _rows(session: Session, profile: PolicyProfile, query: TransferQuery, ids: list[int]) -> list[TransferRow]:
    if not ids:
        return []
    stmt = select(*_ROW_COLUMNS, Broker.name.label("broker_name")).join(Broker, Broker.id == T.broker_id) \
        .where(T.id.in_(ids))
    position = {record_id: i for i, record_id in enumerate(ids)}
    found = sorted(session.execute(stmt).all(), key=lambda r: position[r.id])  # plain rows: no ORM objects
    placements = [r.root_id or r.id for r in found]
    claimed = dict(session.execute(select(SubsidyClaimRow.transfer_root_id, SubsidyClaimRow.batch_id).where(
        SubsidyClaimRow.transfer_root_id.in_(placements), SubsidyClaimRow.status == ClaimStatus.CLAIMED.value)).all())
    m = profile.masking
    rows = []
    for r in found:
        placement = r.root_id or r.id
        check = subsidy_check(facts_of(r), profile.subsidy) if profile.subsidy is not None else None
        batch = claimed.get(placement)
        if batch is not None:
            text = f"已申领（第 {batch} 批）"
        elif check is None:
            text = ""
        else:
            text = check.text
        rows.append(TransferRow(
            r.id, placement, r.hire_date, r.broker_name, r.worker_name, r.gender, r.age,
            mask(r.id_number, m.id_head, m.id_tail), r.education, r.ethnicity, r.employer_name, r.work_address,
            r.contract_term, r.job, r.social_insurance, mask(r.phone, m.phone_head, m.phone_tail),
            r.poverty_alleviated, r.village_name, TransferStatus(r.status).label, text,
            bool(check and check.qualifies), batch is not None,
        ))
    return rows


@dataclass(frozen=True)
class BrokerOption:
    id: int
    name: str
    id_number_masked: str
    service_area: str
    village_code: str
    status_label: str

    @property
    def label(self) -> str:
        return f"{self.name}（{self.id_number_masked}，{self.service_area or '未填服务区域'}）"


def broker_options(session: Session, profile: PolicyProfile, text: str = "", *, active_only: bool = True,
                   limit: int = 50) -> list[BrokerOption]:
    """Brokers for a picker: by name (contains) or ID-number prefix, active ones unless asked."""
    stmt = select(Broker)
    if active_only:
        stmt = stmt.where(Broker.status == BrokerStatus.ACTIVE.value)
    compact = "".join(text.split()).upper()
    if compact:
        if is_id_prefix(compact):
            stmt = stmt.where(Broker.id_number >= compact, Broker.id_number < compact + "~")
        else:
            stmt = stmt.where(Broker.name.like(f"%{_escape_like(compact)}%", escape="\\"))
    m = profile.masking
    return [BrokerOption(b.id, b.name, mask(b.id_number, m.id_head, m.id_tail), b.service_area,
                         b.service_village_code, BrokerStatus(b.status).label)
            for b in session.scalars(stmt.order_by(Broker.name, Broker.id).limit(limit))]


def broker_option(session: Session, profile: PolicyProfile, broker_id: int) -> BrokerOption | None:
    b = session.get(Broker, broker_id)
    if b is None:
        return None
    m = profile.masking
    return BrokerOption(b.id, b.name, mask(b.id_number, m.id_head, m.id_tail), b.service_area, b.service_village_code,
                        BrokerStatus(b.status).label)


def broker_by_id_number(session: Session, id_number: str) -> Broker | None:
    """The broker with this ID number: the active one, else the latest revoked one."""
    from desktop.core.idcard import normalise

    number = normalise(id_number)
    return session.scalar(select(Broker).where(Broker.id_number == number)
                          .order_by((Broker.status == BrokerStatus.ACTIVE.value).desc(), Broker.id.desc()).limit(1))


def transfer_years(session: Session) -> list[int]:
    """The years that have current transfers, newest first (for the year filter)."""
    first = session.scalar(select(func.min(T.hire_date)).where(T.status == TransferStatus.CURRENT.value))
    last = session.scalar(select(func.max(T.hire_date)).where(T.status == TransferStatus.CURRENT.value))
    if first is None or last is None:
        return []
    return list(range(last.year, first.year - 1, -1))
