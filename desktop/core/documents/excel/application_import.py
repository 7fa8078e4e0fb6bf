"""Importing broker applications (劳务经纪人认定申请) from a village's or township's .xlsx sheet.

Every row gets the same checks as the application form (``rules.eligibility``), plus what only a
file can get wrong: a number Excel has mangled, the same person twice in the file, a person who
already has an open application. Nothing is written unless every row is good (``skip_bad`` writes
the good rows and lists the rest; ``dry_run`` writes nothing).

Decisions (see docs/PERFORMANCE.md for the speed budget):
- 户籍: an ID first registered outside the profile's province is an error, as on the form, unless
  the sheet has a column 户籍已核实 and the row says 是 — the clerk has seen the 户口簿.
- Both rows of a duplicate ID within the file are refused: the app cannot tell which one is right.
- 常住村（社区） is matched by exact name (or township + village name) among the villages of the
  centre's county, the committee suffix folded (大梁村村民委员会 = 大梁村委会 = 大梁村); an unknown
  or ambiguous name is kept as typed with no code, and a warning.
- 政治面貌, 学历 and 申请人类别 must be one of the profile's words (the form offers only those);
  a few unambiguous synonyms (党员 → 中共党员, 中专 → 中专/中技…) are accepted.
- 承诺事项 is a required column, because the form refuses an application whose declarations
  (身体健康、诚信守法…) were not checked: 是 (or √) means the clerk checked them all on the signed
  paper form; otherwise list the ones checked, separated by 、 or commas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from desktop.core import clock, regions
from desktop.core.audit import AuditFact, append_facts, creation_fact
from desktop.core.db.database import Database
from desktop.core.documents.excel.reading import (
    CellError,
    ColumnSpec,
    Table,
    cell_date,
    cell_text,
    read_table,
)
from desktop.core.errors import UserError
from desktop.core.idcard import parse_id_number
from desktop.core.models.base import Audited
from desktop.core.models.broker import OPEN_STATUSES, STATUS_LABELS, ApplicationStatus, BrokerApplication
from desktop.core.models.center import CenterSettings
from desktop.core.rules.eligibility import ERROR
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.applications import ApplicationInput, validate
from desktop.core.services.applications import _clean as clean_input  # the form's own clean-up

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

CHECK_EVERY = 200  # rows between progress reports and cancel checks
LOOKUP_CHUNK = 500  # ID numbers per IN (…) query
MAX_DATA_ROWS = 100_000  # all rows are held in memory until the all-or-nothing decision

HUKOU_TITLE = "户籍已核实"
CATEGORY_TITLE = "申请人类别"

# (title, field in ApplicationInput / eligibility, aliases); order = report order
_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("姓名", "name", ()),
    ("性别", "gender", ()),
    ("出生年月", "birth_month", ("出生日期",)),
    ("政治面貌", "political_status", ()),
    ("学历", "education", ("文化程度",)),
    ("联系电话", "phone", ("电话", "手机号码", "手机号", "联系方式")),
    ("工作单位", "employer", ()),
    ("身份证号码", "id_number", ("身份证号", "公民身份号码", "身份证")),
    ("个人银行账号", "bank_account", ("银行账号", "银行卡号")),
    ("开户银行", "bank_name", ("开户行",)),
    ("家庭住址", "home_address", ()),
    ("个人简介", "profile_text", ("简介",)),
    ("常住村（社区）", "village", ("常住村", "所在村（社区）", "村（社区）")),
    ("申请日期", "application_date", ()),
    ("承诺事项", "declarations", ("申请承诺", "承诺事项已核实")),
)
_OPTIONAL: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (CATEGORY_TITLE, "category", ("类别", "人员类别")),
    (HUKOU_TITLE, "hukou_confirmed", ("户籍核实",)),
)
SPECS = tuple(ColumnSpec(t, True, a) for t, _, a in _COLUMNS) + tuple(
    ColumnSpec(t, False, a) for t, _, a in _OPTIONAL
)
TITLE_OF = {f: t for t, f, _ in _COLUMNS + _OPTIONAL}
_ORDER = {t: i for i, (t, _, _) in enumerate(_COLUMNS + _OPTIONAL)}
# Database column widths (PostgreSQL enforces them; SQLite would silently keep longer text).
_MAX_LEN = {"employer": 100, "bank_name": 100, "home_address": 200, "village": 100}

_SYNONYMS = {
    "党员": "中共党员", "共产党员": "中共党员", "预备党员": "中共预备党员", "团员": "共青团员",
    "无党派": "无党派人士", "中专": "中专/中技", "中技": "中专/中技", "技校": "中专/中技",
    "职高": "中专/中技", "专科": "大专", "大学专科": "大专", "大学本科": "本科",
    "硕士": "研究生", "博士": "研究生", "硕士研究生": "研究生", "博士研究生": "研究生",
    "文盲": "未上学", "男性": "男", "女性": "女",
}
_LIST_SPLIT = re.compile(r"[、，,；;/\s]+")
_YES = frozenset({"是", "已核实", "√", "✓", "✔", "Y", "YES", "TRUE", "1"})
_NO = frozenset({"", "否", "未核实", "N", "NO", "FALSE", "0", "×"})


@dataclass(frozen=True, order=True)
class RowProblem:
    """One problem: the Excel row number (0 = the file as a whole), the column title, and why."""

    row: int
    column: str
    reason: str

    def line(self, prefix: str = "") -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        column = f"【{self.column}】" if self.column else ""
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
        if self.dry_run:
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


# --- villages ------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def village_key(name: str) -> str:
    """The name people use for a committee's official name, so both compare equal:
    大梁村村民委员会 / 大梁村委会 → 大梁村; 八宝街社区居民委员会 / 八宝街居委会 → 八宝街社区."""
    key = _key(name)
    for suffix, kind in (("村民委员会", "村"), ("村委会", "村"), ("居民委员会", "社区"), ("居委会", "社区")):
        if key.endswith(suffix) and len(key) > len(suffix):
            base = key[: -len(suffix)]
            return base if base.endswith(kind) else base + kind
    return key


class _Villages:
    """Village names of one county → codes, read once per import."""

    def __init__(self, county_code: str) -> None:
        self.county_code = county_code
        self.county_name = regions.describe_id_origin(county_code) if county_code else ""
        self.by_name: dict[str, list[str]] = {}
        townships: dict[str, str] = {}
        for v in regions.villages_of_county(county_code) if county_code else []:
            town = townships.get(v.parent or "")
            if town is None:
                found = regions.lookup(v.parent or "")
                town = townships[v.parent or ""] = found.name if found else ""
            self.by_name.setdefault(village_key(v.name), []).append(v.code)
            if town:
                self.by_name.setdefault(_key(town) + village_key(v.name), []).append(v.code)
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
            return "", "未设置本中心所在县，常住村（社区）只按名称保存，没有关联村代码。"
        codes = self.by_name.get(village_key(name), [])
        if len(codes) == 1:
            return codes[0], None
        if not codes:
            return "", (
                f"在{self.county_name}的村（社区）名单里找不到“{name}”，已按填写的名称保存、未关联村代码；"
                "可以稍后在申请里重新选择。"
            )
        towns = "、".join(self._townships.get(c[:9] + "000", "") or c for c in codes)
        return "", (
            f"{self.county_name}有 {len(codes)} 个“{name}”（{towns}），无法确定是哪一个，已按名称保存；"
            "可写成“乡镇名+村名”，或稍后在申请里重新选择。"
        )


# --- one row -------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    id_number: str  # normalised, "" when unreadable
    values: dict[str, Any] | None  # database values when the row is good
    problems: list[RowProblem]
    warnings: list[RowProblem]


class _Checker:
    def __init__(self, profile: PolicyProfile, villages: _Villages, has_hukou_column: bool) -> None:
        b = profile.broker
        self.profile = profile
        self.villages = villages
        self.today = clock.today()
        self.hukou_title = HUKOU_TITLE if has_hukou_column else "身份证号码"
        self.allowed = b.home_province_codes
        self.words = {
            "political_status": tuple(b.political_statuses),
            "education": tuple(b.education_levels),
            "category": tuple(b.categories),
        }
        self.declarations = tuple(b.declarations)
        self.default_category = "其他" if "其他" in b.categories else (b.categories[-1] if b.categories else "")

    def _choice(self, fld: str, text: str) -> str:
        words = self.words[fld]
        if not text or text in words:
            return text
        alt = _SYNONYMS.get(_key(text), _key(text))
        if alt in words:
            return alt
        raise CellError(f"“{text}”不是可选的值，请填写：{'、'.join(words)}。")

    @staticmethod
    def _yes_no(text: str) -> bool:
        if text.upper() in _YES:
            return True
        if text.upper() in _NO:
            return False
        raise CellError(f"“{text}”看不懂：已核实请填“是”，否则留空。")

    def _declarations(self, text: str) -> tuple[str, ...]:
        if text.upper() in _YES:
            return self.declarations
        if text.upper() in _NO:
            return ()
        picked = []
        for part in _LIST_SPLIT.split(text):
            if not part:
                continue
            if part not in self.declarations:
                raise CellError(f"“{part}”不是承诺事项；全部核实请填“是”，或列出：{'、'.join(self.declarations)}。")
            picked.append(part)
        return tuple(picked)

    def check(self, number: int, raw: tuple[Any, ...]) -> _Row:
        problems: list[RowProblem] = []
        warnings: list[RowProblem] = []
        broken: set[str] = set()
        text: dict[str, str] = {}
        application_date: date | None = None
        declarations: tuple[str, ...] = ()
        hukou = False

        for (title, fld, _), value in zip(_COLUMNS + _OPTIONAL, raw, strict=True):
            try:
                if fld == "birth_month":
                    d = cell_date(value)
                    text[fld] = d.month_text if d else ""
                elif fld == "application_date":
                    d = cell_date(value)
                    if d is not None and d.month_only:
                        raise CellError("申请日期要写到日，例如 2024-03-05。")
                    application_date = d.value if d else None
                elif fld == "declarations":
                    declarations = self._declarations(cell_text(value))
                elif fld == "hukou_confirmed":
                    hukou = self._yes_no(cell_text(value))
                else:
                    t = cell_text(value)
                    if fld in ("id_number", "phone", "bank_account"):
                        t = unicodedata.normalize("NFKC", t)
                    elif fld in self.words:
                        t = self._choice(fld, t)
                    elif fld == "gender":
                        t = _SYNONYMS.get(t, t)
                    limit = _MAX_LEN.get(fld)
                    if limit and len(t) > limit:
                        raise CellError(f"太长了（{len(t)} 个字），最多 {limit} 个字。")
                    text[fld] = t
            except CellError as exc:
                broken.add(fld)
                text.setdefault(fld, "")
                problems.append(RowProblem(number, title, exc.reason))

        village_name = text.pop("village", "")
        village_code, village_warning = self.villages.resolve(village_name) if village_name else ("", None)
        data = clean_input(
            ApplicationInput(
                name=text["name"], gender=text["gender"], birth_month=text["birth_month"],
                id_number=text["id_number"], political_status=text["political_status"],
                education=text["education"], phone=text["phone"], employer=text["employer"],
                bank_account=text["bank_account"], bank_name=text["bank_name"],
                home_address=text["home_address"], profile_text=text["profile_text"],
                village_code=village_code, village_name=village_name,
                category=text.get("category") or self.default_category,
                application_date=application_date, hukou_confirmed=hukou,
                declarations=declarations,
            )
        )
        for p in validate(data, self.profile):
            if p.field in broken:
                continue
            title = self.hukou_title if p.field == "hukou_confirmed" else TITLE_OF.get(p.field, p.field)
            reason = _strip_label(p.message, title)
            (problems if p.severity == ERROR else warnings).append(RowProblem(number, title, reason))
        if village_warning:
            warnings.append(RowProblem(number, TITLE_OF["village"], village_warning))

        id_number = data.id_number if "id_number" not in broken else ""
        values = None if problems else self._values(data)
        return _Row(number, id_number, values, problems, warnings)

    def _values(self, data: ApplicationInput) -> dict[str, Any]:
        """The row as stored — the same values ``applications._apply`` sets on the form's path."""
        parsed = parse_id_number(data.id_number, self.today)
        allowed = self.allowed
        return {
            "id_number": parsed.value,
            "name": data.name,
            "gender": parsed.gender,
            "birth_date": parsed.birth_date,
            "political_status": data.political_status,
            "education": data.education,
            "phone": data.phone,
            "employer": data.employer,
            "bank_account": data.bank_account,
            "bank_name": data.bank_name,
            "home_address": data.home_address,
            "profile_text": data.profile_text,
            "village_code": data.village_code,
            "village_name": data.village_name,
            "category": data.category,
            "declarations": "、".join(data.declarations),
            "application_date": data.application_date,
            "hukou_confirmed": data.hukou_confirmed,
            "hukou_province_code": (
                parsed.province_code if (not allowed or parsed.province_code in allowed) else allowed[0]
            ),
            "status": ApplicationStatus.SUBMITTED.value,
            "photo": None,
            "photo_type": "",
        }


def _strip_label(message: str, title: str) -> str:
    """"身份证号码：校验位不正确…" under the column 身份证号码 reads better without the repeat."""
    for label in (title, title.replace("（", "(").replace("）", ")")):
        if message.startswith(label + "："):
            return message[len(label) + 1 :]
    return message


# --- the import ----------------------------------------------------------------------------------


def _chunks(items: list[str], size: int = LOOKUP_CHUNK) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _open_in_db(session: Any, id_numbers: list[str]) -> dict[str, tuple[str, str]]:
    """ID number → (name, status label) of its open application, in batched IN queries."""
    t = BrokerApplication.__table__
    found: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(sorted(set(id_numbers))):
        rows = session.execute(
            select(t.c.id_number, t.c.name, t.c.status).where(
                t.c.id_number.in_(chunk), t.c.status.in_(OPEN_STATUSES)
            )
        )
        for id_number, name, status in rows:
            found[id_number] = (name, STATUS_LABELS[ApplicationStatus(status)])
    return found


def _centre_county(db: Database, actor: str) -> str:
    with db.session(actor, write=False) as s:
        return s.scalar(select(CenterSettings.county_code).order_by(CenterSettings.id).limit(1)) or ""


def _read_rows(
    table: Table, checker: _Checker, progress: ProgressFn | None, cancel: CancelFn | None
) -> list[_Row]:
    rows: list[_Row] = []
    total = table.estimated_rows
    for number, raw in table.rows():
        rows.append(checker.check(number, raw))
        done = len(rows)
        if done % CHECK_EVERY == 0:
            if cancel is not None and cancel():
                raise ImportCancelled()
            if progress is not None:
                progress(done, max(total, done))
            if done > MAX_DATA_ROWS:
                raise UserError(f"一次最多导入 {MAX_DATA_ROWS} 行，请把文件分成几个再导入。")
    return rows


def _mark_duplicates(rows: list[_Row]) -> None:
    seen: dict[str, list[_Row]] = {}
    for row in rows:
        if len(row.id_number) == 18:
            seen.setdefault(row.id_number, []).append(row)
    for group in seen.values():
        if len(group) < 2:
            continue
        for row in group:
            others = "、".join(str(r.number) for r in group if r is not row)
            row.problems.append(
                RowProblem(row.number, "身份证号码",
                           f"与第 {others} 行的身份证号码相同，同一人只能申请一次；无法判断哪一行是对的，这几行都没有导入，请删除多余的行。")
            )
            row.values = None


def _mark_open_in_db(rows: list[_Row], existing: dict[str, tuple[str, str]]) -> None:
    for row in rows:
        hit = existing.get(row.id_number)
        if hit is not None:
            name, label = hit
            row.problems.append(
                RowProblem(row.number, "身份证号码",
                           f"已有{name}的申请记录（状态：{label}），每人只能有一条有效申请，本行不导入。")
            )
            row.values = None


def import_applications(
    db: Database,
    profile: PolicyProfile,
    path: str | Path,
    *,
    actor: str,
    dry_run: bool = False,
    skip_bad: bool = False,
    county_code: str = "",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Check every row of ``path`` and save the applications in one transaction.

    Raises ``WorkbookError`` (a UserError) when the file cannot be read, ``ImportCancelled`` when
    ``cancel()`` said so before anything was written; otherwise returns the report.
    """
    path = Path(path)
    report = ImportReport(path.name, dry_run=dry_run, skip_bad=skip_bad)
    with read_table(path, SPECS) as table:
        header = table.header
        report.sheet, report.header_row = header.sheet, header.row
        if header.missing:
            report.bad_rows = [
                RowProblem(header.row, title, f"表头（工作表“{header.sheet}”第 {header.row} 行）缺少这一列，请加上后再导入。")
                for title in header.missing
            ]
            return report
        county = county_code or _centre_county(db, actor)
        checker = _Checker(profile, _Villages(county), HUKOU_TITLE in header.positions)
        rows = _read_rows(table, checker, progress, cancel)
    if progress is not None:
        progress(len(rows), len(rows))

    report.total_rows = len(rows)
    if not rows:
        report.bad_rows = [RowProblem(0, "", f"表头（第 {header.row} 行）下面没有任何数据行。")]
        return report
    _mark_duplicates(rows)

    with db.session(actor, write=not dry_run) as session:
        _mark_open_in_db(rows, _open_in_db(session, [r.id_number for r in rows if r.id_number]))
        for row in rows:
            report.bad_rows.extend(row.problems)
            report.warnings.extend(row.warnings)
        report.bad_rows.sort(key=lambda p: (p.row, _ORDER.get(p.column, 99)))
        good = [r.values for r in rows if r.values is not None]
        if dry_run or not good or (report.bad_rows and not skip_bad):
            return report
        if cancel is not None and cancel():
            raise ImportCancelled()
        report.imported = _write(session, good, path.name, len(rows))
    return report


_AUDIT_SKIP = Audited.__audit_skip__


def _write(session: Any, good: list[dict[str, Any]], file_name: str, total: int) -> int:
    """Bulk insert plus one creation audit entry per application and a summary entry."""
    t = BrokerApplication.__table__
    entity = BrokerApplication.__audit_entity__
    actor = str(session.info.get("actor") or "")
    now = clock.now()
    stamp = {"created_at": now, "created_by": actor, "updated_at": now, "updated_by": actor, "version": 1}
    try:
        ids = session.execute(
            insert(t).returning(t.c.id, sort_by_parameter_order=True), [v | stamp for v in good]
        ).scalars().all()
    except IntegrityError:
        raise UserError("导入时另一台电脑刚刚录入了其中某人的申请，本次没有写入任何数据，请重新导入。") from None
    facts = [
        creation_fact(entity, str(new_id), {"id": new_id} | {k: v for k, v in values.items() if k not in _AUDIT_SKIP})
        for new_id, values in zip(ids, good, strict=True)
    ]
    skipped = total - len(good)
    detail = f"{file_name}，{len(good)} 行" + (f"（跳过有问题的 {skipped} 行）" if skipped else "")
    facts.append(AuditFact("导入", entity, detail=detail))
    append_facts(session, facts)
    return len(ids)
