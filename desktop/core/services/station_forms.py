"""A workstation's counter forms: the application (设立申请表, 附件1 — filled from the record, or
blank for a walk-in applicant) and the delivered-worker roster (累计输送劳动力名册, 附件2) as an A4
PDF and as an .xlsx the roster importer reads back. Each file is written through ``atomic_write``
and audited (打印 for a PDF, 导出 for an .xlsx).

Decisions:
- The roster lists every row the station reported, oldest 入职时间 first; the totals under it
  say how many distinct workers that is and how many count as delivered under the rules.
- ID numbers are masked by the profile's masking rules unless the full numbers are asked for
  explicitly (the filing copy, or an .xlsx meant to be imported again): as for the other full-number
  listings that needs the 审核 or 管理员 role, and the audit entry says "完整身份证号码".
- The PDF has the seed's six columns; the .xlsx adds 社保连续月数, 是否派遣, 是否技术技能人才,
  6个月后是否在职 and 备注 after them, so that importing it restores every fact of the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit_events import record_export, record_print
from desktop.core.documents.atomic import atomic_write
from desktop.core.documents.excel.table_xlsx import write_table_xlsx
from desktop.core.documents.pdf.station_application import StationApplicationDoc, render_station_application
from desktop.core.documents.pdf.table_pdf import render_table_pdf
from desktop.core.documents.table_document import Column, Table, TableDocument
from desktop.core.idcard import mask
from desktop.core.models.account import Role
from desktop.core.models.station import Station, StationWorker
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.station_roster import roster_summary
from desktop.core.services.stations import get_station, station_rules

ROSTER_COLUMNS = (
    Column("序号", 11), Column("姓名", 20), Column("身份证号", 42, text=True), Column("户籍", 44, "l"),
    Column("入职企业", 50, "l"), Column("入职时间", 23),
)
EXCEL_EXTRA = (
    Column("社保连续月数", 16), Column("是否派遣", 12), Column("是否技术技能人才", 18), Column("6个月后是否在职", 18),
    Column("备注", 34, "l"),
)
CORNER = "附件2"
BLANK = "\u3000" * 4
FULL_ROLES = (Role.REVIEWER, Role.ADMIN)


def date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# --- 附件1 -------------------------------------------------------------------------------------


def application_doc(session: Session, profile: PolicyProfile, station_id: int | None) -> StationApplicationDoc:
    """The 附件1 form of a station as recorded, or the blank form (``station_id`` None)."""
    rules = station_rules(profile)
    first, second = rules.application_opinions
    base = StationApplicationDoc(title=rules.application_form_title, pledge=rules.application_commitment,
                                 opinions=(first, second))
    if station_id is None:
        return base
    row = get_station(session, station_id)
    return StationApplicationDoc(
        title=base.title, pledge=base.pledge, opinions=base.opinions, station_name=row.name, builder=row.builder,
        partner_region=row.partner_region, head_name=row.head_name, head_phone=row.head_phone,
        partner_org=row.partner_org, partner_head=row.partner_head, partner_phone=row.partner_phone,
        address=row.address, term_end=row.term_end, intro=row.intro, applied_on=row.applied_on,
    )


def write_application_pdf(session: Session, profile: PolicyProfile, station_id: int | None,
                          out: str | Path) -> StationApplicationDoc:
    """Write 附件1 (filled, or blank when ``station_id`` is None) to ``out`` and audit the print."""
    out = Path(out)
    doc = application_doc(session, profile, station_id)
    with atomic_write(out) as fh:
        render_station_application(doc, fh)
    what = f"{doc.title}（{doc.station_name}）" if station_id is not None else f"{doc.title}（空白表）"
    record_print(session, Station.__audit_entity__, str(station_id or ""), what, out)
    return doc


# --- 附件2 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterOptions:
    """How the roster is printed: the 填表人 and phone on its header line, and whether the ID
    numbers are shown in full (an explicit choice, 审核/管理员 only, audited as such)."""

    full_id: bool = False
    filler: str = ""
    phone: str = ""


@dataclass(frozen=True)
class RosterWritten:
    path: Path
    rows: int
    people: int  # distinct ID numbers
    delivered: int  # distinct workers counting as delivered
    pages: int  # PDF pages; 0 for an .xlsx
    full_id: bool


def default_options(session: Session, station_id: int) -> RosterOptions:
    """The header line's 填表人 and phone as the station recorded them (the clerk may change them)."""
    row = get_station(session, station_id)
    return RosterOptions(False, row.head_name, row.head_phone)


def roster_document(session: Session, profile: PolicyProfile, station_id: int, options: RosterOptions, *,
                    excel: bool = False, on: date | None = None) -> tuple[TableDocument, int, int]:
    """The 附件2 document of a station (with the extra columns for an .xlsx), the number of
    distinct people on it and of those counting as delivered."""
    rules = station_rules(profile)
    station = get_station(session, station_id)
    m = profile.masking
    w = StationWorker
    stmt = (select(w.name, w.id_number, w.hukou, w.employer, w.hired_on, w.si_months, w.dispatched, w.skilled,
                   w.retained, w.note).where(w.station_id == station_id).order_by(w.hired_on, w.id))
    rows: list[tuple[object, ...]] = []
    people: set[str] = set()
    for seq, r in enumerate(session.execute(stmt), 1):
        people.add(r.id_number)
        number = r.id_number if options.full_id else mask(r.id_number, m.id_head, m.id_tail, m.mask_char)
        row: tuple[object, ...] = (seq, r.name, number, r.hukou, r.employer, f"{r.hired_on:%Y-%m-%d}")
        if excel:
            retained = "" if r.retained is None else ("是" if r.retained else "否")
            row += (r.si_months, "是" if r.dispatched else "否", "是" if r.skilled else "否", retained, r.note)
        rows.append(row)
    summary = roster_summary(session, profile, station_id)
    columns = ROSTER_COLUMNS + (EXCEL_EXTRA if excel else ())
    totals = (f"合计：名册共 {len(rows)} 行，{len(people)} 人；按办法计入输送劳动力 {summary.delivered} 人"
              f"（省外户籍、法定劳动年龄内、社保连续缴纳 {rules.min_social_insurance_months} 个月以上"
              f"{'、非劳务派遣' if rules.exclude_dispatched else ''}），不计入 {summary.not_counted} 行。")
    if len(summary.by_year) > 1:
        totals += "计入人数按入职年度：" + "，".join(f"{y} 年 {n} 人" for y, n in summary.by_year) + "。"
    notice = f"注意：申请设立劳务协作站需已为区内企业累计输送省外劳动力{rules.application_min_delivered}人以上。"
    shown = "" if options.full_id else f"（身份证号已部分隐藏：保留前 {m.id_head} 位和后 {m.id_tail} 位）"
    filler, phone = options.filler.strip() or BLANK, options.phone.strip() or BLANK
    doc = TableDocument(
        title=rules.roster_title,
        tables=(Table(columns, rows),),
        corner=CORNER,
        left_note=f"填报单位（盖章）：{station.builder}",
        right_note=f"填报日期：{date_text(on or clock.today())}\u3000\u3000填表人：{filler}\u3000\u3000联系电话：{phone}",
        after=tuple(x for x in (totals + shown, notice) if x),
        landscape=False,
        sheet_name="累计输送劳动力名册",
        repeat_notes=True,
    )
    return doc, len(people), summary.delivered


def _allowed(user: SignedInUser, options: RosterOptions, action: str) -> None:
    if options.full_id:
        require(user, *FULL_ROLES, action=f"{action}（完整身份证号码）")


def _what(station: Station, doc: TableDocument, options: RosterOptions) -> str:
    ids = "完整身份证号码" if options.full_id else "身份证号码已遮盖"
    return f"{doc.title} {station.name}，{len(doc.tables[0].rows)} 行，{ids}"


def write_roster_pdf(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int, out: str | Path,
                     options: RosterOptions = RosterOptions()) -> RosterWritten:
    """Write 附件2 of a station as an A4 PDF (header line and column titles on every page)."""
    _allowed(user, options, "打印输送劳动力名册")
    out = Path(out)
    doc, people, delivered = roster_document(session, profile, station_id, options)
    with atomic_write(out) as fh:
        pages = render_table_pdf(doc, fh)
    station = get_station(session, station_id)
    record_print(session, StationWorker.__audit_entity__, str(station_id), _what(station, doc, options), out)
    return RosterWritten(out, len(doc.tables[0].rows), people, delivered, pages, options.full_id)


def write_roster_xlsx(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int, out: str | Path,
                      options: RosterOptions = RosterOptions()) -> RosterWritten:
    """Write 附件2 of a station as an .xlsx (with the full ID numbers it can be imported again)."""
    _allowed(user, options, "导出输送劳动力名册")
    out = Path(out)
    doc, people, delivered = roster_document(session, profile, station_id, options, excel=True)
    write_table_xlsx(doc, out)
    station = get_station(session, station_id)
    record_export(session, StationWorker.__audit_entity__, _what(station, doc, options), out, entity_id=str(station_id))
    return RosterWritten(out, len(doc.tables[0].rows), people, delivered, 0, options.full_id)


def write_roster(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int, out: str | Path,
                 options: RosterOptions = RosterOptions()) -> RosterWritten:
    """By the file's extension: .xlsx, else PDF."""
    if Path(out).suffix.lower() == ".xlsx":
        return write_roster_xlsx(session, user, profile, station_id, out, options)
    return write_roster_pdf(session, user, profile, station_id, out, options)
