"""City consolidation (市州汇总): merge the counties' annual filings into the city's one.

Each county file — made by LaborDesk or typed by hand in the seed's 附件3 layout — is read with
the broker importer's own row checks, so a bad cell is reported by file, Excel row and column in
the same words. People are matched by ID number: rows that say the same thing (after folding
full-width forms and spaces) are one person, silently; rows with the same ID and different data
are a *conflict* that a person decides — use one version, or leave the person out for now — never
picked by the program. The merged filing carries the decisions in a second sheet (合并说明), with
who decided, so the province can see what was reconciled and how.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from desktop.core.documents.excel.broker_import import filing_row_checker
from desktop.core.documents.excel.importing import ID_TITLE, RowProblem
from desktop.core.documents.excel.reading import WorkbookError, open_workbook, read_table
from desktop.core.documents.filing_layout import (
    AREA,
    CERTIFIED,
    EDUCATION,
    GENDER,
    NAME,
    PHONE,
    REMARKS,
    SPECS,
    TRAINING,
    FilingRow,
    date_text,
    month_text,
)
from desktop.core.errors import UserError

FIELDS = (NAME, GENDER, ID_TITLE, EDUCATION, TRAINING, CERTIFIED, AREA, PHONE, REMARKS)
LEAVE_OUT = None  # the decision "暂不上报（待核实）"
_UNIT = re.compile(r"填报市\s*[(（]\s*州\s*[)）]\s*[:：]\s*([^\s　]+)")
_YEAR = re.compile(r"年度\s*[:：]\s*(\d{4})")
ProgressFn = Callable[[int, int, str], None]


@dataclass(frozen=True)
class FileProblem:
    file: str
    row: int  # 0: the file as a whole
    column: str
    reason: str

    def line(self) -> str:
        return f"{self.file} " + RowProblem(self.row, self.column, self.reason).line()


@dataclass(frozen=True)
class Version:
    """One way a person is written, and every (file, row) that writes them so."""

    record: FilingRow
    sources: tuple[tuple[str, int], ...]

    def where(self) -> str:
        return "、".join(f"{file} 第 {row} 行" for file, row in self.sources)


@dataclass(frozen=True)
class Conflict:
    """The same ID number with different data: a person decides."""

    id_number: str
    versions: tuple[Version, ...]
    fields: tuple[str, ...]  # the titles whose values differ

    @property
    def name(self) -> str:
        return self.versions[0].record.name


@dataclass(frozen=True)
class Consolidation:
    files: tuple[str, ...]
    people: tuple[tuple[Version, ...], ...]  # per person (first-seen order): their versions
    conflicts: tuple[Conflict, ...]
    problems: tuple[FileProblem, ...]
    rows_read: int
    duplicates: int  # rows that repeat another row exactly (merged)
    city: str
    year: int | None

    def summary(self) -> str:
        bad = len({(p.file, p.row) for p in self.problems if p.row})
        return (f"读取 {len(self.files)} 个文件共 {self.rows_read} 行：{len(self.people)} 人，"
                f"重复 {self.duplicates} 行（内容相同，已合并），身份证号相同但内容不同 {len(self.conflicts)} 人（待决定），"
                f"有问题 {bad} 行" + ("，另有无法读取的文件" if any(p.row == 0 for p in self.problems) else "") + "。")


def value_text(record: FilingRow, title: str) -> str:
    """A field as the person deciding sees it."""
    if title == TRAINING:
        return month_text(record.training_month)
    if title == CERTIFIED:
        return date_text(record.certified_on) if record.certified_on else ""
    attr = {NAME: "name", GENDER: "gender", ID_TITLE: "id_number", EDUCATION: "education", AREA: "service_area",
            PHONE: "phone", REMARKS: "remarks"}[title]
    return str(getattr(record, attr))


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _key(record: FilingRow) -> tuple[str, ...]:
    return tuple(_compact(value_text(record, t)) for t in FIELDS)


def _header_facts(path: Path) -> tuple[str, int | None]:
    """填报市（州） and 年度 from the lines above the table, when the file has them."""
    try:
        wb = open_workbook(path)
    except WorkbookError:
        return "", None
    try:
        texts = [str(v) for ws in wb.worksheets[:1] for row in ws.iter_rows(max_row=4, values_only=True)
                 for v in row if isinstance(v, str)]
    finally:
        wb.close()
    joined = "\n".join(unicodedata.normalize("NFKC", t) for t in texts)
    unit, year = _UNIT.search(joined), _YEAR.search(joined)
    return (unit.group(1) if unit else ""), (int(year.group(1)) if year else None)


def _read_one(path: Path, name: str, problems: list[FileProblem]) -> tuple[list[tuple[int, FilingRow]], int]:
    """The good rows of one file (Excel row number, record) and how many data rows it had;
    ``name`` is how the file is called in problems and sources."""
    seen = 0
    checker = filing_row_checker(name)
    out: list[tuple[int, FilingRow]] = []
    try:
        with read_table(path, SPECS) as table:
            header = table.header
            if header.missing:
                problems.extend(FileProblem(name, header.row, t, "表头缺少这一列，请按备案信息表（附件3）的格式补上。")
                                for t in header.missing)
                return [], 0
            checker.start(header, table.epoch)
            for number, raw in table.rows():
                row = checker.check_row(number, raw)
                if row is None:
                    continue
                seen += 1
                problems.extend(FileProblem(name, p.row, p.column, p.reason) for p in row.problems)
                if row.values is not None:
                    v = row.values
                    out.append((number, FilingRow(0, v["name"], v["gender"], v["id_number"], v["education"],
                                                  v["training_month"], v["certified_on"], v["service_area"],
                                                  v["phone"], v["remarks"])))
    except WorkbookError as exc:
        problems.append(FileProblem(name, 0, "", str(exc)))
        return [], seen
    if not seen and not any(p.file == name for p in problems):
        problems.append(FileProblem(name, 0, "", "表头下面没有任何经纪人。"))
    return out, seen


def _labels(paths: list[Path]) -> list[str]:
    """Each file's name, with its folder when two different files share a name (附件3.xlsx…)."""
    counts: dict[str, int] = {}
    for p in {p.resolve() for p in paths}:
        counts[p.name] = counts.get(p.name, 0) + 1
    return [f"{p.parent.name}/{p.name}" if counts[p.name] > 1 else p.name for p in paths]


def read_filings(paths: Sequence[str | Path], *, progress: ProgressFn | None = None,
                 cancel: Callable[[], bool] | None = None) -> Consolidation:
    """Read every file, match people by ID number and list the conflicts (nothing is written)."""
    problems: list[FileProblem] = []
    versions: dict[str, list[Version]] = {}
    names: list[str] = []
    cities: list[str] = []
    years: list[int] = []
    rows_read = duplicates = 0
    labels = _labels([Path(p) for p in paths])
    seen_paths: set[Path] = set()
    for i, raw_path in enumerate(paths):
        path = Path(raw_path)
        name = labels[i]
        if cancel is not None and cancel():
            raise UserError("已取消合并。")
        if progress is not None:
            progress(i, len(paths), f"正在读取“{name}”……")
        if path.resolve() in seen_paths:
            problems.append(FileProblem(name, 0, "", "同一个文件选择了两次，只读取一次。"))
            continue
        seen_paths.add(path.resolve())
        names.append(name)
        city, year = _header_facts(path)
        cities += [city] if city else []
        years += [year] if year else []
        good, seen = _read_one(path, name, problems)
        rows_read += seen
        for number, record in good:
            known = versions.setdefault(record.id_number, [])
            key = _key(record)
            for k, version in enumerate(known):
                if _key(version.record) == key:
                    known[k] = replace(version, sources=(*version.sources, (name, number)))
                    duplicates += 1
                    break
            else:
                known.append(Version(record, ((name, number),)))
    conflicts = tuple(
        Conflict(idn, tuple(vs), tuple(t for t in FIELDS if len({_compact(value_text(v.record, t)) for v in vs}) > 1))
        for idn, vs in versions.items() if len(vs) > 1
    )
    if progress is not None:
        progress(len(paths), len(paths), "读取完毕。")
    return Consolidation(tuple(names), tuple(tuple(vs) for vs in versions.values()), conflicts,
                         tuple(problems), rows_read, duplicates, max(set(cities), key=cities.count) if cities else "",
                         max(set(years), key=years.count) if years else None)


@dataclass(frozen=True)
class Decision:
    """What the person chose for one conflict: a version (0-based) or LEAVE_OUT."""

    id_number: str
    choice: int | None


def merged_rows(cons: Consolidation, decisions: Mapping[str, int | None], *, skip_bad: bool) -> list[FilingRow]:
    """The city's rows: everyone once, conflicts as decided. Raises UserError when a conflict is
    undecided, or when files had problems and ``skip_bad`` was not given."""
    if cons.problems and not skip_bad:
        raise UserError(f"有 {len(cons.problems)} 处问题（见列表），请让相关县改正后重新报送；"
                        "或选择“只合并正确的行”，有问题的行不进入汇总表。")
    open_ = [c for c in cons.conflicts if c.id_number not in decisions]
    if open_:
        who = "、".join(f"{c.name}（{c.id_number[:6]}…{c.id_number[-4:]}）" for c in open_[:3])
        raise UserError(f"还有 {len(open_)} 人身份证号相同但内容不同，尚未决定采用哪一份：{who}"
                        + ("等" if len(open_) > 3 else "") + "。请逐个决定后再生成汇总表。")
    rows: list[FilingRow] = []
    for versions in cons.people:
        idn = versions[0].record.id_number
        if len(versions) == 1:
            chosen: FilingRow | None = versions[0].record
        else:
            choice = decisions[idn]
            if choice is not None and not 0 <= choice < len(versions):
                raise UserError(f"{versions[0].record.name}的决定无效（没有第 {choice + 1} 份）。")
            chosen = None if choice is None else versions[choice].record
        if chosen is not None:
            rows.append(replace(chosen, seq=len(rows) + 1))
    return rows


def decision_notes(cons: Consolidation, decisions: Mapping[str, int | None], decided_by: str,
                   decided_on: date) -> list[tuple[Any, ...]]:
    """Rows of the 合并说明 sheet: each conflict, the versions, what was decided and by whom."""
    notes = []
    for c in cons.conflicts:
        shown = "；".join(
            f"第{k + 1}份（{v.where()}）：" + "，".join(f"{t}={value_text(v.record, t) or '空'}" for t in c.fields)
            for k, v in enumerate(c.versions))
        choice = decisions.get(c.id_number)
        outcome = "暂不上报（待核实）" if choice is None else f"采用第{choice + 1}份（{c.versions[choice].where()}）"
        notes.append((c.id_number, c.name, "、".join(c.fields), shown, outcome, decided_by, date_text(decided_on)))
    return notes


NOTE_HEADERS = ("身份证号码", "姓名", "不一致的项目", "各文件的内容", "处理结果", "决定人", "决定日期")
PROBLEM_HEADERS = ("文件", "行号", "列", "问题（未进入汇总表）")


def problem_rows(cons: Consolidation) -> list[tuple[Any, ...]]:
    return [(p.file, p.row or "", p.column, p.reason) for p in cons.problems]
