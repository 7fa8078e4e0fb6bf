"""Importing brokers certified before LaborDesk (已认定的劳务经纪人) from an annual filing sheet.

Seed 000 一(二)3: brokers a county certified before the system are entered directly, with their
original certification date, and not sent through the workflow again. The sheet is the annual
filing layout 附件3 (四川省劳务经纪人备案信息表): 序号, 姓名, 性别, 身份证号码, 学历水平,
参加培训时间（精确到年月）, 认定时间, 主要服务区域（精确到村）, 联系电话, 备注 — usually last year's
filing itself (columns: desktop/core/documents/filing_layout.py), so its title row, the 填报市（州） line and the footer (填报人/审核人/填报日期, 备注：此表由…)
are expected and skipped, not reported.

Each good row becomes an ACTIVE ``Broker`` (source "import", certified_on = 认定时间) with its
``BrokerStatusChange``, written in bulk with one audit creation entry per row.

Decisions:
- 性别 may be left empty (it is taken from the ID number); a 性别 that disagrees with the ID is an error.
- 认定时间 must be a real day (not only a month: the day is on the certification document) and
  neither in the future nor before the person was born.
- 参加培训时间 may be empty (some were certified before online training existed); when given it is
  a month (2021-06, 2021年6月, 202106, or a date whose month is kept), not after this month.
- Refused: an ID already in the registry as active (a duplicate), one whose qualification was
  revoked (importing would undo the revocation), one with an application still in the workflow.
- 主要服务区域 is always stored as written; it gets a village code when it names exactly one
  village of the centre's county (township + village also works), otherwise a warning.
- 联系电话 that is neither a mobile nor a landline with area code is kept, with a warning: old
  filings are what they are, and the registry page lets the clerk correct it.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.utils.datetime import WINDOWS_EPOCH
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import append_facts
from desktop.core.contact import normalise_phone, phone_problem
from desktop.core.db.database import Database
from desktop.core.documents.excel.importing import (
    ID_TITLE,
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
from desktop.core.documents.excel.reading import CellError, Header, cell_date, cell_text
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
    is_footer_row,
)
from desktop.core.errors import UserError
from desktop.core.idcard import IdNumberError, normalise, parse_id_number
from desktop.core.models.account import Role
from desktop.core.models.broker import STATUS_LABELS, ApplicationStatus, BrokerApplication
from desktop.core.models.registry import Broker, BrokerStatus, BrokerStatusChange
from desktop.core.services.accounts import SignedInUser, require

_LIMITS = {NAME: 50, EDUCATION: 20, AREA: 200, PHONE: 30, REMARKS: 1000}
_GENDERS = {"男": "男", "女": "女", "男性": "男", "女性": "女"}
_WORKFLOW = tuple(s.value for s in ApplicationStatus if s not in (ApplicationStatus.REJECTED, ApplicationStatus.CERTIFIED))


def _text(value: Any, title: str) -> str:
    text = value.strip() if value.__class__ is str and len(value) < 200 and value[:1] != "#" else cell_text(value)
    limit = _LIMITS.get(title)
    if limit and len(text) > limit:
        raise CellError(f"太长了（{len(text)} 个字），最多 {limit} 个字。")
    return text


class _BrokerImporter:
    specs = SPECS

    def __init__(self, county_code: str, file_name: str) -> None:
        self.today = clock.today()
        self.epoch = WINDOWS_EPOCH
        self.villages = VillageMatcher(county_code, what="主要服务区域", later="在经纪人名册里")
        self.reason = f"系统启用前已认定，从“{file_name}”导入"[:500]

    def start(self, header: Header, epoch: datetime) -> None:
        self.epoch = epoch  # for dates Excel stored as bare serial numbers (1900 or 1904 system)

    def file_warnings(self) -> list[RowProblem]:
        warning = self.villages.file_warning()
        return [warning] if warning else []

    def check_row(self, number: int, raw: tuple[Any, ...]) -> CheckedRow | None:
        _seq, *data = raw
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in data):
            return None  # a numbered but empty line of the template
        if is_footer_row(raw):
            return None
        row = CheckedRow(number, "", None)
        got: dict[str, Any] = {}
        for spec, value in zip(SPECS[1:], data, strict=True):
            title = spec.title
            try:
                if title == ID_TITLE:
                    got[title] = self._id_number(value)
                elif title == TRAINING:
                    got[title] = self._month(value)
                elif title == CERTIFIED:
                    got[title] = self._day(value)
                else:
                    got[title] = _text(value, title)
            except CellError as exc:
                row.refuse(title, exc.reason)
        parsed = got.get(ID_TITLE)
        if parsed is not None:
            row.key = parsed.value
        if NAME in got and not got[NAME]:
            row.refuse(NAME, "请填写姓名。")
        gender = got.get(GENDER)
        if gender and gender not in _GENDERS:
            row.refuse(GENDER, f"“{gender}”不是性别，请填写男或女（也可以留空，按身份证号码确定）。")
        elif gender and parsed is not None and _GENDERS[gender] != parsed.gender:
            row.refuse(GENDER, f"与身份证号码不一致（号码第17位表示{parsed.gender}性），请核对性别或号码。")
        certified = got.get(CERTIFIED)
        if CERTIFIED in got and certified is None:
            row.refuse(CERTIFIED, "请填写认定时间（认定文件上的日期），例如 2021-06-18。")
        elif certified is not None and parsed is not None and certified <= parsed.birth_date:
            row.refuse(CERTIFIED, f"认定时间 {certified:%Y-%m-%d} 早于出生日期，请核对。")
        if row.problems:
            return row
        area = got[AREA]
        code, warning = self.villages.resolve(area) if area else ("", None)
        if warning:
            row.warn(AREA, warning)
        phone = normalise_phone(got[PHONE])
        if phone and (problem := phone_problem(phone)):
            row.warn(PHONE, problem.removesuffix("请核对。") + "已按填写的内容保存。")
        assert parsed is not None and certified is not None
        row.values = {
            "application_id": None, "id_number": parsed.value, "name": got[NAME], "gender": parsed.gender,
            "birth_date": parsed.birth_date, "education": got[EDUCATION], "phone": phone,
            "service_village_code": code, "service_area": area, "training_month": got[TRAINING],
            "certificate_no": "", "certified_on": certified, "source": "import",
            "status": BrokerStatus.ACTIVE.value, "revoked_on": None, "revoke_reason": "", "remarks": got[REMARKS],
        }
        return row

    def _id_number(self, value: Any) -> Any:
        text = _text(value, ID_TITLE)
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)
        try:
            return parse_id_number(normalise(text), self.today)
        except IdNumberError as exc:
            raise CellError(str(exc)) from None

    def _month(self, value: Any) -> str:
        try:
            d = cell_date(value, epoch=self.epoch)
        except CellError:
            raise CellError(f"“{str(value).strip()[:20]}”不是年月，参加培训时间请写成如 2021-06 或 2021年6月。") from None
        if d is None:
            return ""
        if d.value.replace(day=1) > self.today.replace(day=1):
            raise CellError(f"参加培训时间 {d.month_text} 晚于本月，请核对。")
        return d.month_text

    def _day(self, value: Any) -> date | None:
        d = cell_date(value, epoch=self.epoch)
        if d is None:
            return None
        if d.month_only:
            raise CellError(f"认定时间要写到日（认定文件上的日期），例如 {d.month_text}-18。")
        if d.value > self.today:
            raise CellError(f"认定时间 {d.value:%Y-%m-%d} 晚于今天，请核对。")
        return d.value

    def duplicate_reason(self, others: str) -> str:
        return (f"与第 {others} 行的身份证号码相同，同一人只能登记一次；无法判断哪一行是对的，"
                "这几行都没有导入，请删除多余的行。")

    def check_against_db(self, session: Session, rows: list[CheckedRow]) -> None:
        keys = [r.key for r in rows if r.values is not None]
        b = Broker.__table__
        brokers: dict[str, tuple[str, str, date, date | None, str]] = {}
        for id_number, name, status, certified_on, revoked_on, reason in lookup_in_chunks(
            session,
            lambda chunk: select(b.c.id_number, b.c.name, b.c.status, b.c.certified_on, b.c.revoked_on,
                                 b.c.revoke_reason).where(b.c.id_number.in_(chunk)).order_by(b.c.id),
            keys,
        ):
            if brokers.get(id_number, ("",) * 2)[1] != BrokerStatus.ACTIVE.value:
                brokers[id_number] = (name, status, certified_on, revoked_on, reason)
        a = BrokerApplication.__table__
        open_apps = {
            id_number: (name, status)
            for id_number, name, status in lookup_in_chunks(
                session,
                lambda chunk: select(a.c.id_number, a.c.name, a.c.status).where(
                    a.c.id_number.in_(chunk), a.c.status.in_(_WORKFLOW)),
                keys,
            )
        }
        for row in rows:
            if row.values is None:
                continue
            hit = brokers.get(row.key)
            if hit is not None:
                name, status, certified_on, revoked_on, reason = hit
                if status == BrokerStatus.ACTIVE.value:
                    row.refuse(ID_TITLE, f"{name}已是在册劳务经纪人（{certified_on:%Y-%m-%d} 认定），不能重复导入。")
                else:
                    when = f"已于 {revoked_on:%Y-%m-%d} " if revoked_on else "已"
                    why = f"（{reason}）" if reason else ""
                    row.refuse(ID_TITLE, f"{name}的劳务经纪人资格{when}取消{why}，不能作为已认定人员导入。")
                continue
            app = open_apps.get(row.key)
            if app is not None:
                name, status = app
                label = STATUS_LABELS[ApplicationStatus(status)]
                row.refuse(ID_TITLE, f"{name}有正在办理的认定申请（{label}），请在认定流程中办理，不能直接导入为已认定。")

    def write(self, session: Session, good: list[CheckedRow], file_name: str, total: int) -> int:
        actor = str(session.info.get("actor") or "")
        stamp = stamps(actor, clock.now())
        brokers = [row.values | stamp for row in good if row.values is not None]
        try:
            ids = insert_and_read_ids(session, Broker.__table__, brokers, "id_number")
        except IntegrityError:
            raise UserError("导入时另一台电脑刚刚登记了其中某位经纪人，本次没有写入任何数据，请重新导入。") from None
        changes = [{"broker_id": ids[v["id_number"]], "status": BrokerStatus.ACTIVE.value,
                    "changed_on": v["certified_on"], "reason": self.reason} | stamp for v in brokers]
        change_ids = insert_and_read_ids(session, BrokerStatusChange.__table__, changes, "broker_id")
        make_broker, make_change = FactMaker(Broker).make, FactMaker(BrokerStatusChange).make
        facts = [make_broker(ids[v["id_number"]], v) for v in brokers]
        facts += [make_change(change_ids[v["broker_id"]], v) for v in changes]
        facts.append(summary_fact(Broker.__audit_entity__, file_name, len(brokers), total))
        append_facts(session, facts)
        return len(brokers)


def filing_row_checker(file_name: str) -> _BrokerImporter:
    """The importer's own checks of 附件3 rows (``start`` then ``check_row``), without a county —
    service areas are kept as written — for reading other counties' filings (consolidation)."""
    return _BrokerImporter("", file_name)


def import_brokers(
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
    """Check a 附件3 filing sheet and enter its brokers into the registry in one transaction."""
    require(user, Role.REVIEWER, Role.ADMIN, action="导入已认定的劳务经纪人")
    county = county_code or centre_county(db, user.username)
    importer = _BrokerImporter(county, Path(path).name)
    return run_import(db, importer, path, actor=user.username, dry_run=dry_run, skip_bad=skip_bad,
                      progress=progress, cancel=cancel)
