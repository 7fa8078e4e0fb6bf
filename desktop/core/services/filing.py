"""The annual filing (年度备案, 备案信息表 附件3): who is on it, the files, and the December reminder.

Who is listed for year Y (decision, written into docs/FILING.md):
- scope ``all`` (当年在册): everyone certified on or before 31 December Y who was not revoked
  before 1 January Y — a broker revoked during Y is still listed, with the revocation date and
  reason in 备注, so the province can update its register;
- scope ``new`` (当年新认定): the same, limited to those certified during Y.
ID numbers and phones are printed in full on the filing (it is the official report, and the
province and the city de-duplicate by ID number); the on-screen preview masks them as the profile
says, and every file written is an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from desktop.core import regions
from desktop.core.documents.filing_layout import FilingDocument, FilingRow, month_text
from desktop.core.errors import UserError
from desktop.core.idcard import mask
from desktop.core.models.account import Role
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.rules.profile import FilingRules, PolicyProfile
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.center import CenterInfo

SCOPES = {"all": "当年在册的全部经纪人", "new": "当年新认定的经纪人"}
EXPORT_ROLES = (Role.CLERK, Role.REVIEWER, Role.ADMIN)


@dataclass(frozen=True)
class FilingQuery:
    year: int
    scope: str = "all"
    offset: int = 0
    limit: int = 200
    order: str = ""
    descending: bool = False


@dataclass(frozen=True)
class FilingPreviewRow:
    """One line of the on-screen list: ID and phone masked."""

    seq: int
    name: str
    gender: str
    id_number_masked: str
    education: str
    training: str
    certified_on: date
    service_area: str
    phone_masked: str
    remarks: str


SORT_KEYS = {"name": Broker.name, "certified_on": Broker.certified_on, "service_area": Broker.service_area}


def filing_rules(profile: PolicyProfile) -> FilingRules:
    """The profile's filing section; UserError when this region has no annual filing."""
    if profile.filing is None or not profile.modules.filing:
        raise UserError(f"当前政策配置（{profile.region.name}）不包含年度备案表。")
    return profile.filing


def _check_query(query: FilingQuery) -> None:
    if query.scope not in SCOPES:
        raise UserError("请选择备案范围：当年在册的全部经纪人，或当年新认定的经纪人。")
    if not 2000 <= query.year <= 2100:
        raise UserError(f"年度 {query.year} 不对，请填写如 2026 的四位年份。")


def _conditions(query: FilingQuery) -> list[ColumnElement[bool]]:
    _check_query(query)
    first, last = date(query.year, 1, 1), date(query.year, 12, 31)
    conds: list[ColumnElement[bool]] = [
        Broker.certified_on <= last,
        or_(Broker.status == BrokerStatus.ACTIVE.value,
            and_(Broker.revoked_on.is_not(None), Broker.revoked_on >= first)),
    ]
    if query.scope == "new":
        conds.append(Broker.certified_on >= first)
    return conds


def _order(query: FilingQuery) -> tuple:  # type: ignore[type-arg]
    key = SORT_KEYS.get(query.order)
    if key is not None:
        return (key.desc(), Broker.id.desc()) if query.descending else (key.asc(), Broker.id.asc())
    # The form's order: village by village (official code order), then by certification.
    return (Broker.service_village_code, Broker.service_area, Broker.certified_on, Broker.id)


def _remarks(remarks: str, status: str, revoked_on: date | None, reason: str, year: int) -> str:
    """备注 as printed: the registry's remark, and the revocation when it happened in ``year``."""
    notes = [remarks.strip()] if remarks.strip() else []
    if status == BrokerStatus.REVOKED.value and revoked_on is not None and revoked_on.year == year:
        why = f"：{reason.strip()}" if reason.strip() else ""
        notes.append(f"{revoked_on.year}年{revoked_on.month}月{revoked_on.day}日取消资格{why}")
    return "；".join(notes)


def count_filing(session: Session, query: FilingQuery) -> int:
    return session.scalar(select(func.count()).select_from(Broker).where(*_conditions(query))) or 0


def preview_filing(session: Session, profile: PolicyProfile, query: FilingQuery) -> list[FilingPreviewRow]:
    """A page of the filing as the clerk checks it on screen (ID and phone masked)."""
    m = profile.masking
    stmt = select(Broker).where(*_conditions(query)).order_by(*_order(query)).offset(query.offset).limit(query.limit)
    return [
        FilingPreviewRow(query.offset + i + 1, b.name, b.gender, mask(b.id_number, m.id_head, m.id_tail, m.mask_char),
                         b.education, month_text(b.training_month), b.certified_on, b.service_area,
                         mask(b.phone, m.phone_head, m.phone_tail, m.mask_char),
                         _remarks(b.remarks, b.status, b.revoked_on, b.revoke_reason, query.year))
        for i, b in enumerate(session.scalars(stmt))
    ]


def filing_rows(session: Session, query: FilingQuery) -> list[FilingRow]:
    """Every row of the filing, in the form's order, with full ID numbers and phones."""
    b = Broker.__table__.c
    stmt = (select(b.name, b.gender, b.id_number, b.education, b.training_month, b.certified_on, b.service_area,
                   b.phone, b.remarks, b.status, b.revoked_on, b.revoke_reason)
            .where(*_conditions(query)).order_by(*_order(FilingQuery(query.year, query.scope))))
    return [
        FilingRow(seq, r.name, r.gender, r.id_number, r.education, r.training_month, r.certified_on, r.service_area,
                  r.phone, _remarks(r.remarks, r.status, r.revoked_on, r.revoke_reason, query.year))
        for seq, r in enumerate(session.execute(stmt), 1)
    ]


def city_of(county_code: str) -> str:
    """The 市（州） a county belongs to (the county itself for those directly under the province)."""
    city = regions.lookup_division(county_code[:4] + "00") if county_code else None
    if city is not None and city.name not in regions.PSEUDO_NAMES:
        return city.name
    county = regions.lookup_division(county_code) if county_code else None
    return county.name if county is not None else ""


def place_of(county_code: str) -> str:
    county = regions.lookup_division(county_code) if county_code else None
    return county.name if county is not None else ""


def filing_document(session: Session, user: SignedInUser, profile: PolicyProfile, center: CenterInfo,
                    query: FilingQuery, *, reviewed_by: str = "", filled_on: date | None = None) -> FilingDocument:
    """The county's filing for ``query``: its rows and the form's header and footer."""
    from desktop.core import clock

    require(user, *EXPORT_ROLES, action="导出年度备案表")
    rules = filing_rules(profile)
    rows = filing_rows(session, query)
    if not rows:
        scope = SCOPES[query.scope]
        raise UserError(f"{query.year}年没有需要备案的经纪人（{scope}），没有生成文件。请检查年度或备案范围。")
    return FilingDocument(
        title=rules.form_title, year=query.year, unit_label=rules.report_unit_label,
        city=city_of(center.county_code), reporter=center.center_name, rows=rows,
        filled_by=user.display_name, reviewed_by=reviewed_by.strip(), filled_on=filled_on or clock.today(),
        note=rules.note,
    )


def file_stem(doc: FilingDocument, place: str) -> str:
    """"2026年四川省劳务经纪人备案信息表（大英县）": the name of both files, without extension."""
    return f"{doc.year}年{doc.title}" + (f"（{place}）" if place else "")


def filing_reminder(today: date, profile: PolicyProfile) -> str | None:
    """The reminder the dashboard and the 年度备案 page show: from the profile's reminder day to
    the filing deadline (both included) the days left; after it, until the deadline's month ends,
    how long it has passed. None otherwise, or when the profile has no annual filing."""
    rules = profile.filing
    if rules is None or not profile.modules.filing:
        return None
    start = date(today.year, rules.remind_from_month, rules.remind_from_day)
    deadline = date(today.year, rules.deadline_month, rules.deadline_day)
    if today < start or (today > deadline and today.month != deadline.month):
        return None
    days = (deadline - today).days
    head = f"{today.year}年度《{rules.form_title}》须于{deadline.month}月{deadline.day}日前报送"
    if days < 0:
        return f"{head}，已过截止日 {-days} 天；如尚未报送，请尽快在“年度备案”页导出备案表写入U盘报送。"
    when = "今天截止" if days == 0 else f"还有 {days} 天截止"
    return f"{head}（{when}）。请在“年度备案”页核对名单，导出备案表写入U盘报送。"
