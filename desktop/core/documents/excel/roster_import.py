"""Importing a workstation's delivered-worker roster (累计输送劳动力名册, 附件2) from Excel.

Columns: 序号, 姓名, 身份证号, 户籍, 入职企业, 入职时间 (the seed's 附件2), plus 社保连续月数 and the
optional 是否派遣, 是否技术技能人才, 6个月后是否在职 and 备注. The seed's title and 填报单位/填报日期
line above the header, and the 注意 line below the table, are skipped.

Decisions:
- 入职时间 must be a day (the contract's start), not in the future, after the birth date.
- 社保连续月数 is a whole number 0–600 (empty is refused: the delivered check needs it).
- 是否派遣 / 是否技术技能人才: 是/否 (empty = 否). 6个月后是否在职: 是/否, empty = 未登记.
- 户籍 gives the province (贵州省… or 贵州); empty or without a province name, the ID number's
  place of first registration is used, with a warning; a province that differs from the ID's
  is kept, with a warning.
- The same person with the same 入职时间 twice in the file, or already on the station's
  roster, is refused; the same person hired again on another day is a new row.
- Rows that will not count as delivered are imported (the roster is what the station
  reported) with a warning saying why; so are workers another station counts the same year.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl.utils.datetime import WINDOWS_EPOCH
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import append_facts
from desktop.core.db.database import Database
from desktop.core.db.sqlite import bulk_insert
from desktop.core.documents.excel.importing import (
    CancelFn,
    CheckedRow,
    FactMaker,
    ImportReport,
    ProgressFn,
    RowProblem,
    lookup_in_chunks,
    run_import,
    stamps,
    summary_fact,
)
from desktop.core.documents.excel.reading import CellError, ColumnSpec, Header, cell_date, cell_text
from desktop.core.errors import UserError
from desktop.core.idcard import IdNumberError, normalise, parse_id_number
from desktop.core.models.station import StationWorker
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.station_rules import WorkerFacts, delivered_check, hukou_province
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.station_roster import MAX_SI_MONTHS, duplicates
from desktop.core.services.stations import COUNTER, get_station, station_rules

SEQ, NAME, ID, HUKOU, EMPLOYER, HIRED = "序号", "姓名", "身份证号", "户籍", "入职企业", "入职时间"
SI, DISPATCHED, SKILLED, RETAINED, NOTE = "社保连续月数", "是否派遣", "是否技术技能人才", "6个月后是否在职", "备注"
SPECS = (
    ColumnSpec(SEQ, required=False),
    ColumnSpec(NAME),
    ColumnSpec(ID, aliases=("身份证号码", "公民身份号码", "身份证", "证件号码")),
    ColumnSpec(HUKOU, aliases=("户籍地", "户籍所在地", "户籍地址")),
    ColumnSpec(EMPLOYER, aliases=("入职单位", "用工企业", "就业单位")),
    ColumnSpec(HIRED, aliases=("入职日期", "入职时间（年月日）")),
    ColumnSpec(SI, aliases=("社保连续缴纳月数", "连续参保月数", "社保月数")),
    ColumnSpec(DISPATCHED, required=False, aliases=("是否劳务派遣", "劳务派遣")),
    ColumnSpec(SKILLED, required=False, aliases=("技术技能人才", "是否技能人才")),
    ColumnSpec(RETAINED, required=False, aliases=("6个月后是否留用", "六个月后是否在职", "是否留用")),
    ColumnSpec(NOTE, required=False),
)
_YES = frozenset({"是", "Y", "YES", "√", "1", "有"})
_NO = frozenset({"否", "N", "NO", "×", "0", "无", ""})
_FOOTER = re.compile(r"^(?:注意|注|说明|填报单位|填表人|合计|共计)\s*[:：]?")
_LIMITS = {NAME: 50, HUKOU: 200, EMPLOYER: 200, NOTE: 200}


def _text(value: Any, title: str) -> str:
    text = cell_text(value)
    limit = _LIMITS.get(title)
    if limit and len(text) > limit:
        raise CellError(f"太长了（{len(text)} 个字），最多 {limit} 个字。")
    return text


def _yes_no(value: Any, blank: bool | None) -> bool | None:
    text = unicodedata.normalize("NFKC", cell_text(value)).strip().upper()
    if not text:
        return blank
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"“{text[:10]}”看不懂，请填“是”或“否”" + ("（不清楚可以留空）。" if blank is None else "。"))


class _RosterImporter:
    specs = SPECS

    def __init__(self, profile: PolicyProfile, station_id: int, file_name: str) -> None:
        self.profile = profile
        self.rules = station_rules(profile)
        self.station_id = station_id
        self.source = f"导入：{file_name}"[:200]
        self.today = clock.today()
        self.epoch = WINDOWS_EPOCH

    def start(self, header: Header, epoch: datetime) -> None:
        self.epoch = epoch

    def file_warnings(self) -> list[RowProblem]:
        return []

    def check_row(self, number: int, raw: tuple[Any, ...]) -> CheckedRow | None:
        _seq, *data = raw
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in data):
            return None
        first = next((unicodedata.normalize("NFKC", v).strip() for v in raw if isinstance(v, str) and v.strip()), "")
        if _FOOTER.match(first) and not any(isinstance(v, str) and re.search(r"\d{17}[\dXx]", v) for v in raw):
            return None
        row = CheckedRow(number, "", None)
        got: dict[str, Any] = {}
        for spec, value in zip(SPECS[1:], data, strict=True):
            title = spec.title
            try:
                got[title] = self._cell(title, value)
            except CellError as exc:
                row.refuse(title, exc.reason)
        if NAME in got and not got[NAME]:
            row.refuse(NAME, "请填写姓名。")
        if EMPLOYER in got and not got[EMPLOYER]:
            row.refuse(EMPLOYER, "请填写入职企业。")
        if HIRED in got and got[HIRED] is None:
            row.refuse(HIRED, "请填写入职时间，例如 2026-03-01。")
        parsed, hired = got.get(ID), got.get(HIRED)
        if parsed is not None and hired is not None and hired <= parsed.birth_date:
            row.refuse(HIRED, f"入职时间 {hired:%Y-%m-%d} 早于出生日期，请核对。")
        if row.problems:
            return row
        code, warning = hukou_province(got[HUKOU], parsed.value)
        if warning:
            row.warn(HUKOU, warning)
        row.key = f"{parsed.value}@{hired:%Y-%m-%d}"
        row.values = {
            "station_id": self.station_id, "name": got[NAME], "id_number": parsed.value, "gender": parsed.gender,
            "birth_date": parsed.birth_date, "hukou": got[HUKOU], "hukou_province_code": code,
            "employer": got[EMPLOYER], "hired_on": hired, "si_months": got[SI], "dispatched": bool(got[DISPATCHED]),
            "skilled": bool(got[SKILLED]), "retained": got[RETAINED], "note": got[NOTE], "source": self.source,
        }
        check = delivered_check(WorkerFacts(parsed.gender, parsed.birth_date, code, hired, got[SI],
                                            bool(got[DISPATCHED])), self.rules, self.profile.working_age)
        if not check.counts:
            row.warn(ID, check.text + "（仍按名册导入）。")
        return row

    def _cell(self, title: str, value: Any) -> Any:
        if title == ID:
            text = unicodedata.normalize("NFKC", _text(value, ID))
            try:
                return parse_id_number(normalise(text), self.today)
            except IdNumberError as exc:
                raise CellError(str(exc)) from None
        if title == HIRED:
            d = cell_date(value, epoch=self.epoch)
            if d is None:
                return None
            if d.month_only:
                raise CellError(f"入职时间要写到日，例如 {d.month_text}-01。")
            if d.value > self.today:
                raise CellError(f"入职时间 {d.value:%Y-%m-%d} 晚于今天，请核对。")
            return d.value
        if title == SI:
            text = unicodedata.normalize("NFKC", cell_text(value)).strip().removesuffix("个月").removesuffix("月")
            if not text:
                raise CellError("请填写社保连续缴纳的月数（整数，没有缴纳填 0）。")
            if not text.isdigit() or int(text) > MAX_SI_MONTHS:
                raise CellError(f"“{text[:10]}”不是月数，请填 0–{MAX_SI_MONTHS} 的整数。")
            return int(text)
        if title in (DISPATCHED, SKILLED):
            return _yes_no(value, False)
        if title == RETAINED:
            return _yes_no(value, None)
        return _text(value, title)

    def duplicate_reason(self, others: str) -> str:  # keys are ID@date, never 18 long: unused
        return f"与第 {others} 行重复。"

    def check_against_db(self, session: Session, rows: list[CheckedRow]) -> None:
        good = [r for r in rows if r.values is not None]
        groups: dict[str, list[CheckedRow]] = {}
        for r in good:
            groups.setdefault(r.key, []).append(r)
        for group in groups.values():
            if len(group) > 1:
                for r in group:
                    others = "、".join(str(o.number) for o in group if o is not r)
                    r.refuse(ID, f"与第 {others} 行是同一人、同一入职时间，无法判断哪一行是对的，这几行都没有导入，请删除多余的行。")
        good = [r for r in good if r.values is not None]
        w = StationWorker.__table__
        listed = {
            f"{i}@{d:%Y-%m-%d}"
            for i, d in lookup_in_chunks(
                session,
                lambda chunk: select(w.c.id_number, w.c.hired_on).where(w.c.station_id == self.station_id,
                                                                        w.c.id_number.in_(chunk)),
                [r.values["id_number"] for r in good if r.values],
            )
        }
        for r in good:
            if r.key in listed:
                r.refuse(ID, f"{r.values['name']}于 {r.values['hired_on']:%Y-%m-%d} 入职的记录已在本站名册中，不能重复导入。")
        good = [r for r in good if r.values is not None]
        dups = duplicates(session, self.profile, self.station_id,
                          [(r.values["id_number"], r.values["hired_on"].year) for r in good if r.values])
        for r in good:
            assert r.values is not None
            names = dups.get((r.values["id_number"], r.values["hired_on"].year))
            if names:
                r.warn(ID, f"{r.values['hired_on'].year} 年已被“{'、'.join(names)}”计入输送人员，重复计入，请核实。")

    def write(self, session: Session, good: list[CheckedRow], file_name: str, total: int) -> int:
        actor = str(session.info.get("actor") or "")
        stamp = stamps(actor, clock.now())
        rows = [r.values | stamp for r in good if r.values is not None]
        try:
            ids = insert_workers(session, rows)
        except IntegrityError:
            raise UserError("导入时另一台电脑刚刚录入了其中某人，本次没有写入任何数据，请重新导入。") from None
        make = FactMaker(StationWorker).make
        facts = [make(new_id, v) for new_id, v in zip(ids, rows, strict=True)]
        facts.append(summary_fact(StationWorker.__audit_entity__, file_name, len(rows), total))
        append_facts(session, facts)
        return len(rows)


def insert_workers(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk-insert roster rows (complete column dicts) and return their ids in order. A person may
    have several rows (hired again), so the new ids are matched by the unique (station, ID number,
    入职时间)."""
    table = StationWorker.__table__
    before = session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0
    bulk_insert(session.connection(), table, rows)
    found = {
        (station_id, id_number, hired_on): new_id
        for new_id, station_id, id_number, hired_on in session.execute(
            select(table.c.id, table.c.station_id, table.c.id_number, table.c.hired_on)
            .where(table.c.id > before, table.c.station_id.in_({r["station_id"] for r in rows})))
    }
    return [found[(r["station_id"], r["id_number"], r["hired_on"])] for r in rows]


def import_roster(
    db: Database,
    profile: PolicyProfile,
    station_id: int,
    path: str | Path,
    *,
    user: SignedInUser,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Check a roster sheet and add its workers to the station's roster in one transaction."""
    require(user, *COUNTER, action="导入输送劳动力名册")
    station_rules(profile)
    with db.session(user.username, write=False) as s:
        station = get_station(s, station_id)
        if station.status in ("rejected", "revoked"):
            raise UserError(f"“{station.name}”{station.status_enum.label}，名册只能查看，不能导入。")
    importer = _RosterImporter(profile, station_id, Path(path).name)
    return run_import(db, importer, path, actor=user.username, dry_run=dry_run, skip_bad=skip_bad,
                      progress=progress, cancel=cancel)

