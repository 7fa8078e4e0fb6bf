"""Importing online training and exam results (线上培训考试结果) from the provincial platform's sheet.

Columns: 姓名, 身份证号码, 培训完成时间, 考试成绩, 是否合格, 合格证编号. Each row is matched by ID
number to an application waiting for its result (待培训考试) and recorded exactly as
``workflow.record_training`` records one by hand — a TrainingResult row, a dated 培训考试 step by
the signed-in user, and a pass moves the application to 待公示 — but in bulk: batched look-ups,
Core inserts and one UPDATE per chunk, with the same audit entries the ORM would have written.

Decisions:
- The row's name must be the application's name (spaces and full-width forms ignored): a
  mismatch means the ID or the name was typed wrongly on one side, and the result is not filed.
- 培训完成时间 may be a month (2026-10, 2026年10月, 202610) or a full date, of which the month is
  kept; the month may not be after the current month (``workflow.training_problem``).
- 考试成绩 may be empty; otherwise a number 0–100, rounded half-up to one decimal place as the
  database column holds it.
- 是否合格 accepts 是/否, 合格/不合格, 通过/未通过; a pass needs the 电子合格证 number.
- The same ID twice in the file refuses both rows (a retake is one row with the latest result).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils.datetime import WINDOWS_EPOCH
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import AuditFact, append_facts
from desktop.core.db.database import Database
from desktop.core.documents.excel.importing import (
    ID_TITLE,
    CancelFn,
    CheckedRow,
    FactMaker,
    ImportReport,
    ProgressFn,
    RowProblem,
    chunks,
    compact_text,
    insert_and_read_ids,
    lookup_in_chunks,
    run_import,
    stamps,
    summary_fact,
)
from desktop.core.documents.excel.reading import CellError, ColumnSpec, Header, cell_date, cell_text
from desktop.core.errors import UserError
from desktop.core.idcard import IdNumberError, normalise, parse_id_number
from desktop.core.models.account import Role
from desktop.core.models.broker import STATUS_LABELS, ApplicationStatus, BrokerApplication
from desktop.core.models.certification import ApplicationStep, StepKind, TrainingResult
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.workflow import TrainingInput, training_opinion, training_problem

NAME, MONTH, SCORE, PASSED, CERT = "姓名", "培训完成时间", "考试成绩", "是否合格", "合格证编号"
SPECS = (
    ColumnSpec(NAME),
    ColumnSpec(ID_TITLE, aliases=("身份证号", "公民身份号码", "证件号码", "身份证")),
    ColumnSpec(MONTH, aliases=("完成培训时间", "培训完成日期", "培训时间", "完成时间")),
    ColumnSpec(SCORE, required=False, aliases=("成绩", "考试分数", "分数", "考试得分")),
    ColumnSpec(PASSED, aliases=("考试结果", "是否通过", "考试是否合格", "合格与否")),
    ColumnSpec(CERT, aliases=("电子合格证编号", "合格证号", "证书编号", "合格证书编号", "电子合格证号")),
)
_YES = frozenset({"是", "合格", "通过", "已通过", "考试合格", "Y", "YES", "√"})
_NO = frozenset({"否", "不合格", "未通过", "不通过", "考试不合格", "N", "NO", "×"})
_TENTH = Decimal("0.1")
_CERT_MAX = 50  # TrainingResult.certificate_no
_REVIEWED, _TRAINED = ApplicationStatus.REVIEWED.value, ApplicationStatus.TRAINED.value
_TRAINING = StepKind.TRAINING.value


def _text(value: Any) -> str:
    if value.__class__ is str and len(value) < 200 and value[:1] != "#":
        return value.strip()
    return cell_text(value)


def _same_name(a: str, b: str) -> bool:
    return compact_text(a) == compact_text(b)


@dataclass(frozen=True)
class _Application:
    id: int
    name: str
    status: str


class _TrainingImporter:
    specs = SPECS

    def __init__(self, user: SignedInUser, source: str) -> None:
        self.user = user
        self.source = source
        self.today = clock.today()
        self.epoch = WINDOWS_EPOCH
        self._months: dict[tuple[type, Any], tuple[str, str]] = {}
        self._columns = tuple(zip((NAME, ID_TITLE, MONTH, SCORE, PASSED, CERT),
                                  (_text, self._id_number, self._month, self._score, self._passed, _text), strict=True))

    def start(self, header: Header, epoch: datetime) -> None:
        self.epoch = epoch  # for months Excel stored as bare serial numbers (1900 or 1904 system)

    def file_warnings(self) -> list[RowProblem]:
        return []

    # --- one row ---------------------------------------------------------------------------------

    def _month(self, value: Any) -> str:
        key = (value.__class__, value)  # a sheet has a handful of distinct months: parse each once
        hit = self._months.get(key)
        if hit is None:
            try:
                d = cell_date(value, epoch=self.epoch)
                hit = (d.month_text if d else "", "" if d else "请填写培训完成时间（年-月），例如 2026-10。")
            except CellError:
                shown = str(value).strip()[:20]
                hit = ("", f"“{shown}”不是可识别的年月，培训完成时间请写成如 2026-10 或 2026年10月。")
            self._months[key] = hit
        month, reason = hit
        if reason:
            raise CellError(reason)
        return month

    @staticmethod
    def _score(value: Any) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise CellError("考试成绩应为 0—100 的数字。")
        text = cell_text(value) if not isinstance(value, str) else unicodedata.normalize("NFKC", value).strip()
        try:
            score = Decimal(text.removesuffix("分"))
        except InvalidOperation:
            raise CellError(f"“{text[:20]}”不是分数，考试成绩应为 0—100 的数字（可以留空）。") from None
        if not score.is_finite():
            raise CellError(f"“{text[:20]}”不是分数，考试成绩应为 0—100 的数字（可以留空）。")
        if not 0 <= score <= 100:
            return score  # refused by training_problem, with the range in the message
        return score.quantize(_TENTH, rounding=ROUND_HALF_UP)

    @staticmethod
    def _passed(value: Any) -> bool:
        text = _text(value).upper()
        if text in _YES:
            return True
        if text in _NO:
            return False
        if not text:
            raise CellError("请填写是否合格（合格/不合格）。")
        raise CellError(f"“{text[:20]}”看不懂，请填写：是/否、合格/不合格 或 通过/未通过。")

    def check_row(self, number: int, raw: tuple[Any, ...]) -> CheckedRow | None:
        row = CheckedRow(number, "", None)
        got: dict[str, Any] = {}
        for (title, convert), value in zip(self._columns, raw, strict=True):
            try:
                got[title] = convert(value)
            except CellError as exc:
                row.refuse(title, exc.reason)
        if ID_TITLE in got:
            row.key = got[ID_TITLE]
        if NAME in got and not got[NAME]:
            row.refuse(NAME, "请填写姓名。")
        cert = got.get(CERT, "")
        if len(cert) > _CERT_MAX:
            row.refuse(CERT, f"合格证编号太长（{len(cert)} 个字），最多 {_CERT_MAX} 个字。")
        if row.problems:
            return row
        result = TrainingInput(got[MONTH], got[SCORE], got[PASSED], cert, self.source)
        problem = training_problem(result)
        if problem:
            column = MONTH if problem.startswith("培训完成时间") else SCORE if problem.startswith("考试成绩") else CERT
            row.refuse(column, problem)
            return row
        row.values = {"name": got[NAME], "result": result}
        return row

    def _id_number(self, value: Any) -> str:
        text = _text(value)
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)
        try:
            return parse_id_number(normalise(text), self.today).value
        except IdNumberError as exc:
            raise CellError(str(exc)) from None

    def duplicate_reason(self, others: str) -> str:
        return (f"与第 {others} 行的身份证号码相同，同一人只能有一条培训考试结果；无法判断哪一行是对的，"
                "这几行都没有导入，请只保留最新的一行。")

    # --- against the database --------------------------------------------------------------------

    def check_against_db(self, session: Session, rows: list[CheckedRow]) -> None:
        t = BrokerApplication.__table__
        found: dict[str, _Application] = {}
        stmt = lambda chunk: (  # noqa: E731
            select(t.c.id_number, t.c.id, t.c.name, t.c.status).where(t.c.id_number.in_(chunk)).order_by(t.c.id)
        )
        for id_number, app_id, name, status in lookup_in_chunks(session, stmt, (r.key for r in rows if r.values)):
            # One open application per ID at most (unique index); else the latest rejected one.
            if id_number not in found or status != ApplicationStatus.REJECTED.value:
                found[id_number] = _Application(app_id, name, status)
        for row in rows:
            if row.values is None:
                continue
            app = found.get(row.key)
            if app is None:
                row.refuse(ID_TITLE, "系统里没有这个身份证号码的认定申请，请核对号码，或先录入申请。")
                continue
            if not _same_name(row.values["name"], app.name):
                row.refuse(NAME, f"与申请记录中的姓名“{app.name}”不一致（身份证号码相同），请核对是姓名还是号码填错了。")
                continue
            if app.status != _REVIEWED:
                label = STATUS_LABELS[ApplicationStatus(app.status)]
                row.refuse(ID_TITLE, f"{app.name}的申请现在是“{label}”，只有“待培训考试”（县级初审已通过）的申请"
                                     "才能导入培训考试结果。")
                continue
            row.values["application_id"] = app.id

    # --- writing ---------------------------------------------------------------------------------

    def write(self, session: Session, good: list[CheckedRow], file_name: str, total: int) -> int:
        user, now, today = self.user, clock.now(), clock.today()
        stamp = stamps(user.username, now)
        results: list[dict[str, Any]] = []
        steps: list[dict[str, Any]] = []
        passed_ids: list[int] = []
        for row in good:
            assert row.values is not None
            app_id: int = row.values["application_id"]
            r: TrainingInput = row.values["result"]
            cert = r.certificate_no.strip()
            results.append({"application_id": app_id, "completed_month": r.completed_month, "score": r.score,
                            "passed": r.passed, "certificate_no": cert, "source": r.source} | stamp)
            steps.append({"application_id": app_id, "kind": _TRAINING, "passed": r.passed,
                          "occurred_on": today, "opinion": training_opinion(r), "actor": user.username,
                          "actor_name": user.display_name, "publicity_batch_id": None} | stamp)
            if r.passed:
                passed_ids.append(app_id)
        moved = _move_to_trained(session, passed_ids, user.username, now)
        if moved != len(passed_ids):
            raise UserError("导入时另一台电脑刚刚改动了其中某些申请，本次没有写入任何数据，请重新导入。")
        facts = _creation_facts(session, TrainingResult, results)
        facts += _creation_facts(session, ApplicationStep, steps)
        entity = BrokerApplication.__audit_entity__
        facts += [AuditFact("update", entity, str(i), "status", _REVIEWED, _TRAINED)
                  for i in passed_ids]
        facts.append(summary_fact(TrainingResult.__audit_entity__, file_name, len(good), total))
        append_facts(session, facts)
        return len(good)


def _move_to_trained(session: Session, app_ids: list[int], actor: str, now: Any) -> int:
    t = BrokerApplication.__table__
    moved = 0
    for chunk in chunks(app_ids):
        moved += session.execute(
            update(t)
            .where(t.c.id.in_(chunk), t.c.status == _REVIEWED)
            .values(status=_TRAINED, updated_at=now, updated_by=actor, version=t.c.version + 1)
        ).rowcount
    return moved


def _creation_facts(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> list[AuditFact]:
    """Insert ``rows`` (keyed by application, one each) and their creation entries, as a flush would."""
    ids = insert_and_read_ids(session, model.__table__, rows, "application_id")
    make = FactMaker(model).make
    return [make(ids[values["application_id"]], values) for values in rows]


def import_training_results(
    db: Database,
    path: str | Path,
    *,
    user: SignedInUser,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Check the platform's result sheet and file every result in one transaction (see module doc)."""
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="导入培训考试结果")
    source = f"导入：{Path(path).name}"[:200]
    return run_import(db, _TrainingImporter(user, source), path, actor=user.username, dry_run=dry_run,
                      skip_bad=skip_bad, progress=progress, cancel=cancel)
