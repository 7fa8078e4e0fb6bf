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
- 承诺事项 (the declarations 身体健康、诚信守法… ticked on the form) is an optional column: 是 (or √)
  means all were checked on the signed paper form, else list the ones checked. Unchecked ones are
  a warning, as on the form (the county review requires them); without the column, one warning
  for the whole file instead of one per row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import append_facts
from desktop.core.contact import normalise_account, normalise_phone
from desktop.core.db.database import Database
from desktop.core.documents.excel.importing import (
    ID_TITLE,
    CancelFn,
    CheckedRow,
    FactMaker,
    ImportCancelled,
    ImportReport,
    ProgressFn,
    RowProblem,
    VillageMatcher,
    centre_county,
    compact_text,
    insert_and_read_ids,
    lookup_in_chunks,
    run_import,
    stamps,
    summary_fact,
)
from desktop.core.documents.excel.reading import CellError, ColumnSpec, Header, cell_date, cell_text
from desktop.core.errors import UserError
from desktop.core.idcard import normalise
from desktop.core.models.broker import OPEN_STATUSES, STATUS_LABELS, ApplicationStatus, BrokerApplication
from desktop.core.rules.eligibility import ERROR
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.applications import ApplicationInput, validate

__all__ = ["SPECS", "ImportCancelled", "ImportReport", "RowProblem", "import_applications"]

HUKOU_TITLE = "户籍已核实"
CATEGORY_TITLE = "申请人类别"
DECLARATIONS_TITLE = "承诺事项"

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
)
_OPTIONAL: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (CATEGORY_TITLE, "category", ("类别", "人员类别")),
    (HUKOU_TITLE, "hukou_confirmed", ("户籍核实",)),
    (DECLARATIONS_TITLE, "declarations", ("申请承诺", "承诺事项已核实")),
)
SPECS = tuple(ColumnSpec(t, True, a) for t, _, a in _COLUMNS) + tuple(ColumnSpec(t, False, a) for t, _, a in _OPTIONAL)
TITLE_OF = {f: t for t, f, _ in _COLUMNS + _OPTIONAL}
# Database column widths (PostgreSQL enforces them; SQLite would silently keep longer text).
_MAX_LEN = {"employer": 100, "bank_name": 100, "home_address": 200, "village": 100}

_SYNONYMS = {
    "党员": "中共党员",
    "共产党员": "中共党员",
    "预备党员": "中共预备党员",
    "团员": "共青团员",
    "无党派": "无党派人士",
    "中专": "中专/中技",
    "中技": "中专/中技",
    "技校": "中专/中技",
    "职高": "中专/中技",
    "专科": "大专",
    "大学专科": "大专",
    "大学本科": "本科",
    "硕士": "研究生",
    "博士": "研究生",
    "硕士研究生": "研究生",
    "博士研究生": "研究生",
    "文盲": "未上学",
    "男性": "男",
    "女性": "女",
}
_LIST_SPLIT = re.compile(r"[、，,；;/\s]+")
_YES = frozenset({"是", "已核实", "√", "✓", "✔", "Y", "YES", "TRUE", "1"})
_NO = frozenset({"", "否", "未核实", "N", "NO", "FALSE", "0", "×"})
_FIELDS = tuple(f for _, f, _ in _COLUMNS + _OPTIONAL)
_TITLES = tuple(t for t, _, _ in _COLUMNS + _OPTIONAL)
_NULLABLE = frozenset({"application_date"})


def _text(value: Any) -> str:
    # The common case (a short plain string) without the full cell_text checks.
    if value.__class__ is str and len(value) < 200 and value[:1] != "#":
        return value.strip()
    return cell_text(value)


def _nfkc(text: str) -> str:
    """Full-width digits (１３８…) typed with a Chinese input method become ASCII."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _from_text(then: Callable[[str], Any]) -> Callable[[Any], Any]:
    """A converter: the cell as text (``_text``), then ``then``."""

    def convert(value: Any) -> Any:
        if value.__class__ is str and len(value) < 200 and value[:1] != "#":
            return then(value.strip())
        return then(cell_text(value))

    return convert


def _memo(convert: Callable[[Any], Any], size: int = 1000) -> Callable[[Any], Any]:
    """``convert`` remembered for a column with few distinct values (性别, 学历, 承诺事项…)."""
    cache: dict[tuple[type, Any], tuple[Any, str]] = {}

    def remembered(value: Any) -> Any:
        key = (value.__class__, value)
        hit = cache.get(key)
        if hit is None:
            try:
                hit = (convert(value), "")
            except CellError as exc:
                hit = (None, exc.reason)
            if len(cache) < size:
                cache[key] = hit
        if hit[1]:
            raise CellError(hit[1])
        return hit[0]

    return remembered


def _at_most(text: str, limit: int) -> str:
    if len(text) > limit:
        raise CellError(f"太长了（{len(text)} 个字），最多 {limit} 个字。")
    return text


@lru_cache(maxsize=4096, typed=True)
def _date_or_reason(value: Any, month: bool, epoch: datetime) -> tuple[Any, str]:
    # Dates repeat a lot in a sheet (one application day, a few hundred birth months): cached.
    try:
        d = cell_date(value, epoch=epoch)
    except CellError as exc:
        return None, exc.reason
    if month:
        return (d.month_text if d else ""), ""
    if d is not None and d.month_only:
        return None, "申请日期要写到日，例如 2024-03-05。"
    return (d.value if d else None), ""


def _month(value: Any, epoch: datetime) -> str:
    text, reason = _date_or_reason(value, True, epoch)
    if reason:
        raise CellError(reason)
    return text


def _day(value: Any, epoch: datetime) -> date | None:
    day, reason = _date_or_reason(value, False, epoch)
    if reason:
        raise CellError(reason)
    return day


# --- one row -------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, profile: PolicyProfile, villages: VillageMatcher, positions: dict[str, int], epoch: datetime) -> None:
        b = profile.broker
        has_hukou_column = HUKOU_TITLE in positions
        # Without the column the file gets one warning, not one per row (see _import).
        self.skip = frozenset() if DECLARATIONS_TITLE in positions else frozenset({"declarations"})
        self.epoch = epoch  # for dates Excel stored as bare serial numbers (1900 or 1904 system)
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
        self.converters = self._converters()
        self.default_category = "其他" if "其他" in b.categories else (b.categories[-1] if b.categories else "")

    def _choice(self, fld: str, text: str) -> str:
        words = self.words[fld]
        if not text or text in words:
            return text
        alt = _SYNONYMS.get(compact_text(text), compact_text(text))
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

    def _converters(self) -> tuple[Callable[[Any], Any], ...]:
        """One converter per column of ``SPECS``: raw cell → clean value, or CellError."""
        by_field: dict[str, Callable[[Any], Any]] = {
            "birth_month": lambda v: _month(v, self.epoch),
            "application_date": lambda v: _day(v, self.epoch),
            "id_number": _from_text(lambda t: normalise(_nfkc(t))),
            "phone": _from_text(lambda t: normalise_phone(_nfkc(t))),
            "bank_account": _from_text(lambda t: normalise_account(_nfkc(t))),
            "gender": _memo(_from_text(lambda t: _SYNONYMS.get(t, t))),
            "declarations": _memo(_from_text(self._declarations)),
            "hukou_confirmed": _memo(_from_text(self._yes_no)),
        }
        for fld in self.words:
            by_field[fld] = _memo(_from_text(lambda t, fld=fld: self._choice(fld, t)))
        for fld, limit in _MAX_LEN.items():
            by_field[fld] = _from_text(lambda t, limit=limit: _at_most(t, limit))
        return tuple(by_field.get(fld, _text) for _, fld, _ in _COLUMNS + _OPTIONAL)

    def check(self, number: int, raw: tuple[Any, ...]) -> CheckedRow:
        problems: list[RowProblem] = []
        warnings: list[RowProblem] = []
        broken: set[str] = set()
        v: dict[str, Any] = {}
        for fld, title, convert, value in zip(_FIELDS, _TITLES, self.converters, raw, strict=True):
            if convert is _text and value.__class__ is str and len(value) < 200 and value[:1] != "#":
                v[fld] = value.strip()  # the common case, without a call
                continue
            try:
                v[fld] = convert(value)
            except CellError as exc:
                broken.add(fld)
                v[fld] = None if fld in _NULLABLE else ""
                problems.append(RowProblem(number, title, exc.reason))

        village_name = v["village"]
        village_code, village_warning = self.villages.resolve(village_name) if village_name else ("", None)
        # Built already clean (the converters apply the form's normalisers), so no _clean() copy.
        data = ApplicationInput(
            name=v["name"],
            gender=v["gender"],
            birth_month=v["birth_month"],
            id_number=v["id_number"],
            political_status=v["political_status"],
            education=v["education"],
            phone=v["phone"],
            employer=v["employer"],
            bank_account=v["bank_account"],
            bank_name=v["bank_name"],
            home_address=v["home_address"],
            profile_text=v["profile_text"],
            village_code=village_code,
            village_name=village_name,
            category=v["category"] or self.default_category,
            application_date=v["application_date"],
            declarations=v["declarations"] or (),
            hukou_confirmed=bool(v["hukou_confirmed"]),
        )
        for p in validate(data, self.profile):
            if p.field in broken or (p.field in self.skip and p.severity != ERROR):
                continue
            title = self.hukou_title if p.field == "hukou_confirmed" else TITLE_OF.get(p.field, p.field)
            reason = _strip_label(p.message, title)
            (problems if p.severity == ERROR else warnings).append(RowProblem(number, title, reason))
        if village_warning:
            warnings.append(RowProblem(number, TITLE_OF["village"], village_warning))

        id_number = data.id_number if "id_number" not in broken else ""
        values = None if problems else self._values(data)
        return CheckedRow(number, id_number, values, problems, warnings)

    def _values(self, data: ApplicationInput) -> dict[str, Any]:
        """The row as stored — the same values ``applications._apply`` sets on the form's path.

        The ID number has passed ``parse_id_number`` in ``validate``; birth date, gender and
        province are read straight from its digits (GB 11643) instead of parsing it a second time.
        """
        n = data.id_number
        province = n[:2]
        allowed = self.allowed
        return {
            "id_number": n,
            "name": data.name,
            "gender": "男" if int(n[16]) % 2 else "女",
            "birth_date": date(int(n[6:10]), int(n[10:12]), int(n[12:14])),
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
            "hukou_province_code": province if (not allowed or province in allowed) else allowed[0],
            "status": ApplicationStatus.SUBMITTED.value,
            "photo_type": "",
        }


def _strip_label(message: str, title: str) -> str:
    """Drop the field name the form puts first ("身份证号码：…") when the column title says it."""
    for label in (title, title.replace("（", "(").replace("）", ")")):
        if message.startswith(label + "："):
            return message[len(label) + 1 :]
    return message


# --- the import ----------------------------------------------------------------------------------


class _ApplicationImporter:
    """The application sheet for ``importing.run_import``."""

    specs = SPECS

    def __init__(self, profile: PolicyProfile, county_code: str) -> None:
        self.profile = profile
        self.villages = VillageMatcher(county_code, what=TITLE_OF["village"], later="在申请里")
        self.declarations_column = True

    def start(self, header: Header, epoch: datetime) -> None:
        self.checker = _Checker(self.profile, self.villages, header.positions, epoch)
        self.declarations_column = DECLARATIONS_TITLE in header.positions

    def check_row(self, number: int, raw: tuple[Any, ...]) -> CheckedRow:
        return self.checker.check(number, raw)

    def file_warnings(self) -> list[RowProblem]:
        out = [w for w in (self.villages.file_warning(),) if w]
        if not self.declarations_column:
            out.append(
                RowProblem(
                    0,
                    DECLARATIONS_TITLE,
                    f"表格没有这一列：申请人的承诺（{'、'.join(self.profile.broker.declarations)}）都还没有核实，"
                    "县级初审前须逐人核实并勾选。",
                )
            )
        return out

    def duplicate_reason(self, others: str) -> str:
        return f"与第 {others} 行的身份证号码相同，同一人只能申请一次；无法判断哪一行是对的，这几行都没有导入，请删除多余的行。"

    def check_against_db(self, session: Session, rows: list[CheckedRow]) -> None:
        """Refuse everyone who already has an open application (batched IN look-ups)."""
        t = BrokerApplication.__table__
        existing = {
            id_number: (name, STATUS_LABELS[ApplicationStatus(status)])
            for id_number, name, status in lookup_in_chunks(
                session,
                lambda chunk: select(t.c.id_number, t.c.name, t.c.status).where(
                    t.c.id_number.in_(chunk), t.c.status.in_(OPEN_STATUSES)
                ),
                (r.key for r in rows if r.key),
            )
        }
        for row in rows:
            hit = existing.get(row.key)
            if hit is not None:
                name, label = hit
                row.refuse(ID_TITLE, f"已有{name}的申请记录（状态：{label}），每人只能有一条有效申请，本行不导入。")

    def write(self, session: Session, good: list[CheckedRow], file_name: str, total: int) -> int:
        """Bulk insert plus one creation audit entry per application and a summary entry."""
        actor = str(session.info.get("actor") or "")
        stamp = stamps(actor, clock.now()) | {"version": 1}
        values = [row.values | stamp for row in good if row.values is not None]
        try:
            ids = insert_and_read_ids(session, BrokerApplication.__table__, values, "id_number")
        except IntegrityError:
            raise UserError("导入时另一台电脑刚刚录入了其中某人的申请，本次没有写入任何数据，请重新导入。") from None
        make = FactMaker(BrokerApplication).make
        facts = [make(ids[v["id_number"]], v) for v in values]
        facts.append(summary_fact(BrokerApplication.__audit_entity__, file_name, len(values), total))
        append_facts(session, facts)
        return len(values)


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
    importer = _ApplicationImporter(profile, county_code or centre_county(db, actor))
    return run_import(db, importer, path, actor=actor, dry_run=dry_run, skip_bad=skip_bad, progress=progress,
                      cancel=cancel)
