"""Importing a broker's transfer sheet (附件2, 组织转移就业人员信息表) as brokers send them.

The sheet: a title (often merged), a line 劳务经纪人姓名：…  填表日期：…, the 14 columns in the
seed's order, blank rows anywhere, a footer maybe. Rows are checked as the entry form checks them
and reported by Excel row, column and reason; nothing is written unless every row is good (or
``skip_bad``); a successful import keeps the original file with its SHA-256 in ``TransferImport``.

Decisions:
- The broker is ``broker_id_number`` when given (and then the sheet's 劳务经纪人姓名, if filled, must
  be that broker's name), else the one active broker whose name the sheet gives.
- 附件2 has no hire-date column. The hire (transfer) date is, in order: a 转移就业日期/入职日期
  column if the sheet has one; "入职日期：…" in 备注 (what LaborDesk's own export writes); the
  start of a 劳动合同期限 written as a range; the sheet's 填表日期 (said once, as a warning).
  Otherwise the row is refused.
- 是否脱贫人口: a column of that name, else 备注 (脱贫户/脱贫人口/建档立卡…), else 否.
- 单位类型: a column of that name, else 企业 when the employer's name says so (公司、厂…), else unknown.
- ID numbers Excel stored as numbers (more than 15 digits) are refused: the lost digits are never guessed.
- 性别 and 年龄 on the sheet are checked against the ID number (性别 must agree; an age more
  than a year off the age at the hire date is a warning) — the stored values come from the ID.
- 文化程度 and 民族 must be one of the list's values (common variants are mapped); empty is allowed.
- The same worker on the same day twice (in the file, or already logged by anyone) is refused.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.utils.datetime import WINDOWS_EPOCH
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import append_facts
from desktop.core.contact import normalise_phone, phone_problem
from desktop.core.db.database import Database
from desktop.core.db.sqlite import bulk_insert
from desktop.core.documents import transfer_layout as L
from desktop.core.documents.excel import transfer_cells as C
from desktop.core.documents.excel.broker_import import _is_footer as is_footer
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
from desktop.core.documents.excel.reading import CellError, Header, cell_date
from desktop.core.errors import UserError
from desktop.core.idcard import IdNumberError, mask, normalise, parse_id_number
from desktop.core.models.account import Role
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.models.transfer import NOT_CURRENT, TransferImport, TransferRecord, TransferStatus
from desktop.core.rules.profile import PolicyProfile
from desktop.core.rules.transfers import guess_employer_type, parse_contract_term
from desktop.core.services.accounts import SignedInUser, require

_TITLES = tuple(spec.title for spec in C.SPECS[1:])
_ID_AT = _TITLES.index(L.ID_NUMBER)
_EMPTY: dict[str, Any] = {C.HIRE: None, L.AGE: None, L.INSURANCE: None, C.POVERTY: None,
                          L.CONTRACT: ("", parse_contract_term(""))}


class _TransferImporter:
    specs = C.SPECS

    def __init__(self, db: Database, profile: PolicyProfile, path: Path, actor: str, broker_id_number: str,
                 broker_id: int | None = None) -> None:
        self.db, self.profile, self.path, self.actor = db, profile, path, actor
        self.broker_id_number, self.broker_id = broker_id_number, broker_id
        self.today = clock.today()
        self.epoch = WINDOWS_EPOCH
        self.cells = C.CellReader(profile.broker.education_levels)
        self.converters = self._converters()
        self._remarks: dict[str, tuple[str | None, bool | None, str]] = {}
        self._days: dict[Any, date] = {}
        self.min_age = profile.working_age.min_age
        self.broker: Broker | None = None
        self.sheet_name, self.fill_date, self.sheet = "", None, ""
        self.used_fill_date = 0
        self.rows: list[CheckedRow] = []

    # --- the file ------------------------------------------------------------------------------
    def start(self, header: Header, epoch: datetime) -> None:
        self.epoch, self.sheet = epoch, header.sheet
        name, raw_fill = C.read_header_lines(header.preamble, epoch)
        self.sheet_name = name
        try:
            self.fill_date = C.fill_date_of(raw_fill, epoch)
        except CellError as exc:
            raise UserError(f"表头的{exc.reason}") from None
        if self.fill_date is not None and self.fill_date > self.today:
            raise UserError(f"表头的填表日期 {self.fill_date:%Y-%m-%d} 晚于今天，请核对。")
        self.broker = self._find_broker(name)

    def _find_broker(self, sheet_name: str) -> Broker:
        with self.db.session(self.actor, write=False) as s:
            if self.broker_id_number or self.broker_id is not None:
                number = normalise(self.broker_id_number)
                where = Broker.id == self.broker_id if self.broker_id is not None else Broker.id_number == number
                brokers = s.scalars(select(Broker).where(where).order_by(Broker.id.desc())).all()
                active = [b for b in brokers if b.status == BrokerStatus.ACTIVE.value]
                if not active:
                    if brokers:
                        b = brokers[0]
                        raise UserError(f"{b.name}的劳务经纪人资格已于 {b.revoked_on} 取消，不能再导入其转移就业记录。")
                    raise UserError(f"经纪人名册中没有身份证号码为 {number} 的在册劳务经纪人，请核对。")
                broker = active[0]
                if sheet_name and C.fold(sheet_name) != C.fold(broker.name):
                    raise UserError(f"表上的劳务经纪人姓名是“{sheet_name}”，与所选经纪人{broker.name}不一致。"
                                    "请确认是否选错了文件或经纪人。")
                return broker
            if not sheet_name:
                raise UserError("表上没有填写劳务经纪人姓名，请在导入时选择经纪人（命令行：--broker 身份证号码）。")
            found = s.scalars(select(Broker).where(Broker.name == sheet_name.strip(),
                                                   Broker.status == BrokerStatus.ACTIVE.value)).all()
            if not found:
                raise UserError(f"在册劳务经纪人中没有“{sheet_name}”，请核对姓名，或在导入时选择经纪人"
                                "（命令行：--broker 身份证号码）。")
            if len(found) > 1:
                m = self.profile.masking
                who = "、".join(mask(b.id_number, m.id_head, m.id_tail) for b in found)
                raise UserError(f"在册劳务经纪人中有 {len(found)} 位“{sheet_name}”（{who}），无法确定是哪一位，"
                                "请在导入时选择经纪人（命令行：--broker 身份证号码）。")
            return found[0]

    def file_warnings(self) -> list[RowProblem]:
        if not self.used_fill_date or self.fill_date is None:
            return []
        return [RowProblem(0, C.HIRE, f"表中有 {self.used_fill_date} 行没有入职日期（没有该列，备注和合同期限里也没有），"
                                      f"已按填表日期 {self.fill_date:%Y-%m-%d} 记为转移就业日期；如不对，请加一列“入职日期”后重新导入。")]

    # --- one row -------------------------------------------------------------------------------
    def check_row(self, number: int, raw: tuple[Any, ...]) -> CheckedRow | None:
        data = raw[1:]
        ident = data[_ID_AT]
        if not (ident.__class__ is str and len(ident) >= 15):  # a data row has its ID; others may be lines
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in data):
                return None  # a numbered but empty line of the form
            if is_footer(raw) or C.is_header_line(raw):
                return None
        row = CheckedRow(number, "", None)
        got: dict[str, Any] = {}
        for title, convert, value in zip(_TITLES, self.converters, data, strict=True):
            try:
                got[title] = _EMPTY.get(title, "") if value is None else convert(value)
            except CellError as exc:
                row.refuse(title, exc.reason)
        return self._finish(row, got)

    def _converters(self) -> list[Any]:
        """One converter per column, in SPECS order (text cells by default)."""
        reader = self.cells
        special = {
            L.ID_NUMBER: self._id_number, L.EDUCATION: reader.education, L.ETHNICITY: reader.ethnicity,
            L.INSURANCE: reader.insurance, L.CONTRACT: reader.contract, C.POVERTY: lambda v: reader.yes_no(v, C.POVERTY),
            C.EMPLOYER_TYPE: reader.employer_type, C.HIRE: lambda v: self._day(v, C.HIRE), L.AGE: lambda v: v,
        }
        return [special.get(title) or C.text_converter(title) for title in _TITLES]

    def _id_number(self, value: Any) -> Any:
        text = C.text_of(value, L.ID_NUMBER)
        try:
            return parse_id_number(normalise(text if text.isascii() else C.fold(text)), self.today)
        except IdNumberError as exc:
            raise CellError(str(exc)) from None

    def _day(self, value: Any, title: str) -> date:
        hit = self._days.get(value)  # the same few hundred dates come again and again
        if hit is not None:
            return hit
        found = cell_date(value, epoch=self.epoch)
        if found is None:
            raise CellError("请填写日期，例如 2025-03-01。")
        if found.month_only:
            raise CellError(f"{title}要写到日，例如 {found.month_text}-01。")
        self._days[value] = found.value
        return found.value

    def _finish(self, row: CheckedRow, got: dict[str, Any]) -> CheckedRow:
        parsed = got.get(L.ID_NUMBER)
        for title, message in ((L.NAME, "请填写组织劳动力姓名。"), (L.EMPLOYER, "请填写就业单位名称。")):
            if got.get(title) == "":
                row.refuse(title, message)
        if L.ID_NUMBER in got and parsed == "":
            row.refuse(L.ID_NUMBER, "请填写身份证号码。")
            parsed = None
        gender = got.get(L.GENDER) or ""
        if gender and gender not in C.GENDERS:
            row.refuse(L.GENDER, f"“{gender}”不是性别，请填写男或女（也可以留空，按身份证号码确定）。")
        elif gender and parsed is not None and C.GENDERS[gender] != parsed.gender:
            row.refuse(L.GENDER, f"与身份证号码不一致（号码第17位表示{parsed.gender}性），请核对性别或号码。")
        text = got.get(L.REMARKS) or ""
        read = self._remarks.get(text)
        if read is None:
            read = self._remarks[text] = L.read_remarks(text)
        remarks_hire, remarks_poverty, remarks = read
        contract_text, term = got.get(L.CONTRACT) or _EMPTY[L.CONTRACT]
        hire = got.get(C.HIRE)
        if hire is None and remarks_hire is not None:
            try:
                hire = self._day(remarks_hire, L.REMARKS)
            except CellError as exc:
                row.refuse(L.REMARKS, f"备注里的入职日期：{exc.reason}")
        if hire is None and term.start is not None:
            hire = term.start
        from_fill = hire is None and self.fill_date is not None
        if from_fill:
            hire = self.fill_date
        if hire is None and not row.problems:
            row.refuse(L.CONTRACT, "无法确定转移就业（入职）日期：表中没有入职日期列，备注里没有“入职日期：…”，合同期限也不是起止日期，"
                                   "表头也没有填表日期。请在备注写“入职日期：2025-03-01”，或加一列“入职日期”。")
        if hire is not None and hire > self.today:
            row.refuse(C.HIRE, f"转移就业日期 {hire:%Y-%m-%d} 晚于今天，请核对。")
        if row.problems or parsed is None or hire is None:
            return row
        age = parsed.age_on(hire)
        if age < self.min_age:
            row.refuse(L.ID_NUMBER, f"转移就业日劳动力 {age} 周岁，未满 {self.min_age} 周岁，不能登记为转移就业。")
            return row
        sheet_age = got.get(L.AGE)
        if sheet_age not in (None, ""):
            try:
                if abs(int(float(str(sheet_age).strip())) - age) > 1:
                    row.warn(L.AGE, f"表上年龄 {sheet_age}，按身份证号码在转移就业日为 {age} 周岁，已按身份证号码记录。")
            except ValueError:
                row.warn(L.AGE, f"“{sheet_age}”不是年龄数字，已按身份证号码记录为 {age} 周岁。")
        if term.kind == "" and contract_text:
            row.warn(L.CONTRACT, f"“{contract_text}”没能识别为合同期限，已按原样保存，补助资格按期限不明处理。")
        insured = got.get(L.INSURANCE)
        if insured is None:
            row.warn(L.INSURANCE, "未填写，已按“否”登记。")
        phone = normalise_phone(got.get(L.PHONE) or "")
        if phone and (problem := phone_problem(phone)):
            row.warn(L.PHONE, problem.removesuffix("请核对。") + "已按填写的内容保存。")
        broker = self.broker
        assert broker is not None
        if hire < broker.certified_on:
            row.warn(C.HIRE, f"转移就业日期 {hire:%Y-%m-%d} 早于{broker.name}的认定日期 {broker.certified_on:%Y-%m-%d}。")
        self.used_fill_date += from_fill
        poverty = got.get(C.POVERTY)
        employer = got[L.EMPLOYER]
        # row.key stays "": the driver's duplicate rule (one row per ID) does not fit transfers
        row.values = {
            "broker_id": broker.id, "worker_name": got[L.NAME], "gender": parsed.gender, "id_number": parsed.value,
            "age": age, "education": got.get(L.EDUCATION) or "", "ethnicity": got.get(L.ETHNICITY) or "",
            "employer_name": employer, "work_address": got.get(L.ADDRESS) or "", "contract_term": contract_text,
            "job": got.get(L.JOB) or "", "social_insurance": bool(insured), "phone": phone, "remarks": remarks,
            "hire_date": hire, "poverty_alleviated": bool(poverty if poverty is not None else remarks_poverty),
            "employer_type": got.get(C.EMPLOYER_TYPE) or guess_employer_type(employer),
            "contract_kind": term.kind, "contract_months": term.months, "contract_start": term.start,
            "contract_end": term.end, "village_code": broker.service_village_code,
            "village_name": broker.service_area, "status": TransferStatus.CURRENT.value, "root_id": None,
            "supersedes_id": None, "change_reason": "", "source": "import",
        }
        return row

    def duplicate_reason(self, others: str) -> str:  # never used: rows carry no key (see check_against_db)
        return f"与第 {others} 行重复。"

    # --- the database --------------------------------------------------------------------------
    def check_against_db(self, session: Session, rows: list[CheckedRow]) -> None:
        """Same worker the same day: twice in the file (all those rows), or already logged."""
        self.rows = rows
        by_day: dict[tuple[str, date], list[CheckedRow]] = {}
        for row in rows:
            if row.values is not None:
                by_day.setdefault((row.values["id_number"], row.values["hire_date"]), []).append(row)
        for group in by_day.values():
            if len(group) > 1:
                for row in group:
                    others = "、".join(str(r.number) for r in group if r is not row)
                    row.refuse(L.ID_NUMBER, f"与第 {others} 行是同一人同一天的转移，同一人同一天只能登记一次；"
                                            "这几行都没有导入，请删除多余的行。")
        t, b = TransferRecord.__table__, Broker.__table__
        logged: dict[tuple[str, date], str] = {}
        for number, hire, name in lookup_in_chunks(
            session,
            lambda chunk: select(t.c.id_number, t.c.hire_date, b.c.name).join(b, b.c.id == t.c.broker_id)
            .where(t.c.id_number.in_(chunk), t.c.status.not_in(NOT_CURRENT)),  # the ID index, not status
            [r.values["id_number"] for r in rows if r.values is not None],
        ):
            logged[(number, hire)] = name
        for row in rows:
            if row.values is None:
                continue
            who = logged.get((row.values["id_number"], row.values["hire_date"]))
            if who is not None:
                row.refuse(L.ID_NUMBER, f"该劳动力 {row.values['hire_date']:%Y-%m-%d} 已由经纪人{who}登记，"
                                        "同一人同一天只能登记一次（可能已经导入过这个文件）。")
        digest = _sha256(self.path)
        earlier = session.scalar(select(TransferImport).where(TransferImport.file_sha256 == digest)
                                 .order_by(TransferImport.id.desc()).limit(1))
        if earlier is not None and rows:
            rows[0].warnings.append(RowProblem(0, "", f"同样内容的文件已于 {earlier.created_at:%Y-%m-%d %H:%M} 导入过"
                                                      f"（{earlier.file_name}，{earlier.imported_rows} 行）。"))

    def write(self, session: Session, good: list[CheckedRow], file_name: str, total: int) -> int:
        content = self.path.read_bytes()
        problems = sorted(p for r in self.rows for p in r.problems)
        record = TransferImport(file_name=file_name[:255], file_sha256=hashlib.sha256(content).hexdigest(),
                                file_size=len(content), content=content, broker_id=self.broker.id if self.broker else None,
                                sheet_broker_name=self.sheet_name[:50], fill_date=self.fill_date, sheet=self.sheet[:100],
                                total_rows=total, imported_rows=len(good), bad_rows=len({p.row for p in problems}),
                                skip_bad=len(good) < total, report="\n".join(p.line() for p in problems))
        session.add(record)
        session.flush()
        stamp = stamps(str(session.info.get("actor") or ""), clock.now())
        values = [r.values | {"import_id": record.id} | stamp for r in good if r.values is not None]
        bulk_insert(session.connection(), TransferRecord.__table__, values)
        t = TransferRecord.__table__
        ids = session.execute(select(t.c.id).where(t.c.import_id == record.id).order_by(t.c.id)).scalars().all()
        if len(ids) != len(values):
            raise UserError("写入时数据库中出现了同时录入的记录，本次没有写入任何数据，请重新导入。")
        make = FactMaker(TransferRecord).make
        facts = [make(new_id, v) for new_id, v in zip(ids, values, strict=True)]
        facts.append(summary_fact(TransferRecord.__audit_entity__, file_name, len(values), total))
        append_facts(session, facts)
        return len(values)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_transfers(
    db: Database,
    profile: PolicyProfile,
    path: str | Path,
    *,
    user: SignedInUser,
    broker_id_number: str = "",
    broker_id: int | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Check a 附件2 sheet and log its transfers in one transaction (see the module doc). The broker
    is ``broker_id`` or ``broker_id_number`` when given, else the sheet's 劳务经纪人姓名."""
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="导入转移就业人员信息表")
    path = Path(path)
    importer = _TransferImporter(db, profile, path, user.username, broker_id_number, broker_id)
    return run_import(db, importer, path, actor=user.username, dry_run=dry_run, skip_bad=skip_bad,
                      progress=progress, cancel=cancel)
