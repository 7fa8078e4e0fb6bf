"""Importing village population (村（社区）人口) from a sheet: 乡镇（街道）, 村（社区）, 区划代码,
户籍人口, 常住人口, 统计时点 — the figures the coverage rule counts (chongqing).

Each good row becomes a dated ``VillagePopulation`` entry (history: earlier figures stay), written
in bulk with one audit creation entry per row and the import's summary entry.

Decisions:
- The village is found by its 12-digit 区划代码 when the column has one, else by name within the
  centre's county (乡镇 + 村 when the 乡镇 column is filled, which settles names two townships
  share). A row whose village cannot be found is refused: population without a village counts
  nowhere.
- 户籍人口 and 常住人口 are whole numbers of people; either may be blank, not both.
- 统计时点 is a date, or a month (then the month's last day: 2025年12月 → 2025-12-31); not in the
  future.
- The same village twice in the file refuses both rows; a row identical to a figure already on
  file (same village, date and numbers) is refused as already imported.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.utils.datetime import WINDOWS_EPOCH
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import clock, regions
from desktop.core.audit import append_facts
from desktop.core.db.database import Database
from desktop.core.documents.excel.importing import (
    CancelFn,
    CheckedRow,
    FactMaker,
    ImportReport,
    ProgressFn,
    RowProblem,
    VillageMatcher,
    centre_county,
    insert_and_read_ids,
    lookup_in_chunks,
    run_import,
    stamps,
    summary_fact,
)
from desktop.core.documents.excel.reading import CellError, ColumnSpec, Header, cell_date, cell_text
from desktop.core.models.account import Role
from desktop.core.models.performance import VillagePopulation
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.coverage import population_problem, township_name

TOWN, VILLAGE, CODE, REGISTERED, RESIDENT, AS_OF = "乡镇（街道）", "村（社区）", "区划代码", "户籍人口", "常住人口", "统计时点"
SPECS = (
    ColumnSpec(TOWN, required=False, aliases=("乡镇", "街道", "乡镇街道", "乡镇(街道)", "所属乡镇")),
    ColumnSpec(VILLAGE, aliases=("村", "社区", "村名", "村社区", "村（居）委会", "村(社区)", "村居")),
    ColumnSpec(CODE, required=False, aliases=("村代码", "行政区划代码", "统计用区划代码", "代码")),
    ColumnSpec(REGISTERED, aliases=("户籍人口数", "户籍人口（人）", "户籍人数")),
    ColumnSpec(RESIDENT, aliases=("常住人口数", "常住人口（人）", "常住人数")),
    ColumnSpec(AS_OF, aliases=("统计时间", "统计日期", "截止日期", "时点")),
)


def _number(value: Any, title: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError("应填写人数（整数）。")
    if isinstance(value, (int, float)):
        if float(value) != int(value):
            raise CellError(f"人数应是整数，现在是 {value}。")
        number = int(value)
    else:
        text = cell_text(value).replace(",", "").replace("，", "").removesuffix("人").strip()
        if not text.isdigit():
            raise CellError(f"“{cell_text(value)[:20]}”不是人数，请填写整数，如 4860。")
        number = int(text)
    if problem := population_problem(number, title):
        raise CellError(problem)
    return number


class _PopulationImporter:
    specs = SPECS

    def __init__(self, county_code: str, file_name: str) -> None:
        self.today = clock.today()
        self.epoch = WINDOWS_EPOCH
        self.county_code = county_code
        self.villages = VillageMatcher(county_code, what=VILLAGE)
        self.source = f"导入：{file_name}"[:200]

    def start(self, header: Header, epoch: datetime) -> None:
        self.epoch = epoch

    def file_warnings(self) -> list[RowProblem]:
        warning = self.villages.file_warning()
        return [warning] if warning else []

    def check_row(self, number: int, raw: tuple[Any, ...]) -> CheckedRow | None:
        town_raw, village_raw, code_raw, registered_raw, resident_raw, as_of_raw = raw
        row = CheckedRow(number, "", None)
        try:
            town, name = cell_text(town_raw), cell_text(village_raw)
        except CellError as exc:
            row.refuse(VILLAGE, exc.reason)
            return row
        code = self._code(row, town, name, code_raw)
        got: dict[str, Any] = {}
        for title, value in ((REGISTERED, registered_raw), (RESIDENT, resident_raw)):
            try:
                got[title] = _number(value, title)
            except CellError as exc:
                row.refuse(title, exc.reason)
        if REGISTERED in got and RESIDENT in got and got[REGISTERED] is None and got[RESIDENT] is None:
            row.refuse(REGISTERED, "户籍人口、常住人口至少填写一项。")
        as_of = self._as_of(row, as_of_raw)
        if row.problems or code is None or as_of is None:
            row.values = None
            return row
        region = regions.lookup(code)
        row.key = ""  # duplicates are by village, checked in check_against_db
        row.values = {
            "village_code": code, "village_name": region.name if region else name,
            "township_name": township_name(code) or town, "registered": got[REGISTERED], "resident": got[RESIDENT],
            "as_of": as_of, "source": self.source, "note": "",
        }
        return row

    def _code(self, row: CheckedRow, town: str, name: str, code_raw: Any) -> str | None:
        code_text = "".join(cell_text(code_raw).split()) if code_raw is not None else ""
        if code_text:
            region = regions.lookup(code_text)
            if region is None or region.level != regions.VILLAGE or not region.code.startswith(self.county_code):
                row.refuse(CODE, f"“{code_text}”不是本县的村（社区）代码（应为 12 位数字，以 {self.county_code} 开头）。")
                return None
            return region.code
        if not name:
            row.refuse(VILLAGE, "请填写村（社区）名称。")
            return None
        code, warning = self.villages.resolve(town + name if town else name)
        if not code:
            row.refuse(VILLAGE, (warning or f"找不到“{name}”。") + "请核对名称，或填写 12 位区划代码。")
            return None
        return code

    def _as_of(self, row: CheckedRow, value: Any) -> date | None:
        try:
            d = cell_date(value, epoch=self.epoch)
        except CellError as exc:
            row.refuse(AS_OF, exc.reason)
            return None
        if d is None:
            row.refuse(AS_OF, "请填写统计时点，如 2025-12-31 或 2025年12月。")
            return None
        day = d.value
        if d.month_only:
            day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        if day > self.today:
            row.refuse(AS_OF, f"统计时点 {day:%Y-%m-%d} 晚于今天，请核对。")
            return None
        return day

    def duplicate_reason(self, others: str) -> str:
        return f"与第 {others} 行是同一个村（社区）；无法判断哪一行是对的，这几行都没有导入，请删除多余的行。"

    def check_against_db(self, session: Session, rows: list[CheckedRow]) -> None:
        by_code: dict[str, list[CheckedRow]] = {}
        for row in rows:
            if row.values is not None:
                by_code.setdefault(row.values["village_code"], []).append(row)
        for group in by_code.values():
            if len(group) > 1:
                for row in group:
                    row.refuse(VILLAGE, self.duplicate_reason("、".join(str(r.number) for r in group if r is not row)))
        p = VillagePopulation
        on_file = {
            (c, d, reg, res)
            for c, d, reg, res in lookup_in_chunks(
                session, lambda chunk: select(p.village_code, p.as_of, p.registered, p.resident)
                .where(p.village_code.in_(chunk)), list(by_code))
        }
        for row in rows:
            v = row.values
            if v is not None and (v["village_code"], v["as_of"], v["registered"], v["resident"]) in on_file:
                row.refuse(VILLAGE, f"{v['village_name']} {v['as_of']:%Y-%m-%d} 的这组人口已经录入过，不再重复导入。")

    def write(self, session: Session, good: list[CheckedRow], file_name: str, total: int) -> int:
        stamp = stamps(str(session.info.get("actor") or ""), clock.now())
        values = [row.values | stamp for row in good if row.values is not None]
        ids = insert_and_read_ids(session, VillagePopulation.__table__, values, "village_code")
        make = FactMaker(VillagePopulation).make
        facts = [make(ids[v["village_code"]], v) for v in values]
        facts.append(summary_fact(VillagePopulation.__audit_entity__, file_name, len(values), total))
        append_facts(session, facts)
        return len(values)


def import_population(
    db: Database,
    path: str | Path,
    *,
    user: SignedInUser,
    dry_run: bool = False,
    skip_bad: bool = False,
    county_code: str = "",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Check a village population sheet and add its figures in one transaction."""
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="导入村人口")
    county = county_code or centre_county(db, user.username)
    importer = _PopulationImporter(county, Path(path).name)
    return run_import(db, importer, path, actor=user.username, dry_run=dry_run, skip_bad=skip_bad,
                      progress=progress, cancel=cancel)
