"""Importing online training and exam results (线上培训考试结果) from the provincial platform's sheet.

Columns: 姓名, 身份证号码, 培训完成时间, 考试成绩, 是否合格, 合格证编号. Each row is matched by ID
number to an application waiting for its result (待培训考试) and recorded exactly as
``workflow.record_training`` records one by hand — a TrainingResult row, a dated 培训考试 step by
the signed-in user, and a pass moves the application to 待公示 — but in bulk: batched look-ups,
executemany inserts and one UPDATE. The audit chain gets one "导入" entry per row holding the
result, its step and the status change together (``ImportEntry``), and the import's summary entry.

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

import json
import unicodedata
from collections.abc import Collection
from datetime import date, datetime
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
_REJECTED = ApplicationStatus.REJECTED.value
_TRAINING = StepKind.TRAINING.value
_UNSEEN = object()
_json_str = json.encoder.encode_basestring  # type: ignore[attr-defined]  # as json.dumps(ensure_ascii=False)


def _text(value: Any) -> str:
    if value.__class__ is str and len(value) < 200 and value[:1] != "#":
        return value.strip()
    return cell_text(value)


def _same_name(a: str, b: str) -> bool:
    return a == b or compact_text(a) == compact_text(b)


def _parse_score(value: Any) -> Decimal | None:
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


class _TrainingImporter:
    specs = SPECS

    def __init__(self, user: SignedInUser, source: str) -> None:
        self.user = user
        self.source = source
        self.today = clock.today()
        self.epoch = WINDOWS_EPOCH
        self._months: dict[tuple[type, Any], tuple[str, str]] = {}
        self._scores: dict[tuple[type, Any], Decimal | CellError | None] = {}
        self._problems: dict[tuple[str, Decimal | None, bool, bool], str] = {}
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

    def _score(self, value: Any) -> Decimal | None:
        key = (value.__class__, value)  # a sheet has a few hundred distinct scores: parse each once
        hit = self._scores.get(key, _UNSEEN)
        if hit is _UNSEEN:
            try:
                hit = _parse_score(value)
            except CellError as exc:
                hit = exc
            self._scores[key] = hit
        if isinstance(hit, CellError):
            raise CellError(hit.reason)
        return hit  # type: ignore[return-value]

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
        name_cell, id_cell, month_cell, score_cell, passed_cell, cert_cell = raw
        try:
            name, id_number, month = _text(name_cell), self._id_number(id_cell), self._month(month_cell)
            score, passed, cert = self._score(score_cell), self._passed(passed_cell), _text(cert_cell)
        except CellError:
            return self._refused_row(number, raw)  # again cell by cell, to report every problem
        row = CheckedRow(number, id_number, None)
        if not name:
            row.refuse(NAME, "请填写姓名。")
        if len(cert) > _CERT_MAX:
            row.refuse(CERT, f"合格证编号太长（{len(cert)} 个字），最多 {_CERT_MAX} 个字。")
        if row.problems:
            return row
        result = TrainingInput(month, score, passed, cert, self.source)
        key = (month, score, passed, bool(cert.strip()))  # all the rule looks at; few distinct
        problem = self._problems.get(key)
        if problem is None:
            problem = self._problems[key] = training_problem(result)
        if problem:
            column = MONTH if problem.startswith("培训完成时间") else SCORE if problem.startswith("考试成绩") else CERT
            row.refuse(column, problem)
            return row
        row.values = {"name": name, "result": result}
        return row

    def _refused_row(self, number: int, raw: tuple[Any, ...]) -> CheckedRow:
        """A row with an unreadable cell: every cell's problem, and the name and certificate
        checks of the readable ones."""
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
        found: dict[str, tuple[int, str, str]] = {}  # ID number → (application id, name, status)
        stmt = lambda chunk: (  # noqa: E731
            select(t.c.id_number, t.c.id, t.c.name, t.c.status).where(t.c.id_number.in_(chunk)).order_by(t.c.id)
        )
        for id_number, app_id, name, status in lookup_in_chunks(session, stmt, (r.key for r in rows if r.values)):
            # One open application per ID at most (unique index); else the latest rejected one.
            if id_number not in found or status != _REJECTED:
                found[id_number] = (app_id, name, status)
        for row in rows:
            if row.values is None:
                continue
            app = found.get(row.key)
            if app is None:
                row.refuse(ID_TITLE, "系统里没有这个身份证号码的认定申请，请核对号码，或先录入申请。")
                continue
            app_id, name, status = app
            if not _same_name(row.values["name"], name):
                row.refuse(NAME, f"与申请记录中的姓名“{name}”不一致（身份证号码相同），请核对是姓名还是号码填错了。")
                continue
            if status != _REVIEWED:
                label = STATUS_LABELS[ApplicationStatus(status)]
                row.refuse(ID_TITLE, f"{name}的申请现在是“{label}”，只有“待培训考试”（县级初审已通过）的申请"
                                     "才能导入培训考试结果。")
                continue
            row.values["application_id"] = app_id

    # --- writing ---------------------------------------------------------------------------------

    def write(self, session: Session, good: list[CheckedRow], file_name: str, total: int) -> int:
        user, now, today = self.user, clock.now(), clock.today()
        stamp = stamps(user.username, now)
        results: list[dict[str, Any]] = []
        steps: list[dict[str, Any]] = []
        passed_ids: list[int] = []
        # The step's text up to the certificate, per distinct (month, score, pass); scores are
        # quantized to 0.1, so equal scores print alike.
        heads: dict[tuple[str, Decimal | None, bool], str] = {}
        for row in good:
            assert row.values is not None
            app_id: int = row.values["application_id"]
            r: TrainingInput = row.values["result"]
            cert = r.certificate_no.strip()
            key = (r.completed_month, r.score, r.passed)
            head = heads.get(key)
            if head is None:
                head = heads[key] = training_opinion(TrainingInput(*key, ""))
            results.append({"application_id": app_id, "completed_month": r.completed_month, "score": r.score,
                            "passed": r.passed, "certificate_no": cert, "source": r.source} | stamp)
            steps.append({"application_id": app_id, "kind": _TRAINING, "passed": r.passed,
                          "occurred_on": today, "opinion": f"{head}，合格证 {cert}" if cert else head,
                          "actor": user.username, "actor_name": user.display_name,
                          "publicity_batch_id": None} | stamp)
            if r.passed:
                passed_ids.append(app_id)
        result_ids = insert_and_read_ids(session, TrainingResult.__table__, results, "application_id")
        moved = _move_to_trained(session, result_ids.values(), passed_ids, user.username, now)
        if moved != len(passed_ids):
            raise UserError("导入时另一台电脑刚刚改动了其中某些申请，本次没有写入任何数据，请重新导入。")
        step_ids = insert_and_read_ids(session, ApplicationStep.__table__, steps, "application_id")
        entry = ImportEntry(user, today)
        facts = [entry.fact(result, result_ids[result["application_id"]], step_ids[result["application_id"]],
                            step["opinion"])
                 for result, step in zip(results, steps, strict=True)]
        facts.append(summary_fact(TrainingResult.__audit_entity__, file_name, len(good), total))
        append_facts(session, facts)
        return len(good)


class ImportEntry:
    """The one audit entry of an imported result: action 导入, entity 培训考试, the application's
    id, and as new value the canonical JSON (``json.dumps(…, ensure_ascii=False,
    sort_keys=True)``, a test holds them equal) of the TrainingResult's fields as a creation entry
    shows them (``id`` its new id), its 培训考试 step (``step``) and, for a pass, the status change
    (``status``: reviewed→trained). Built from string pieces: 10 000 rows, one encoder call each
    would cost more than the rest of the entry."""

    entity = TrainingResult.__audit_entity__

    def __init__(self, user: SignedInUser, today: date) -> None:
        step = {"actor": user.username, "actor_name": user.display_name, "id": "", "kind": _TRAINING,
                "occurred_on": today.isoformat()}
        self._step_head = ", ".join(f"{_json_str(k)}: {_json_str(v)}" for k, v in step.items() if k < "id")
        self._step_tail = ", ".join(f"{_json_str(k)}: {_json_str(v)}" for k, v in step.items() if k > "id")

    def fact(self, result: dict[str, Any], result_id: int, step_id: int, opinion: str) -> AuditFact:
        cert, score, passed = result["certificate_no"], result["score"], result["passed"]
        # keys in sorted order: certificate_no completed_month id passed score source status step
        return AuditFact("导入", self.entity, str(result["application_id"]), "*", None, "".join((
            f'{{"certificate_no": {_json_str(cert)}, ' if cert else "{",
            f'"completed_month": {_json_str(result["completed_month"])}, "id": "{result_id}", ',
            '"passed": "是", ' if passed else '"passed": "否", ',
            "" if score is None else f'"score": "{score}", ',
            f'"source": {_json_str(result["source"])}, ',
            f'"status": "{_REVIEWED}→{_TRAINED}", ' if passed else "",
            f'"step": {{{self._step_head}, "id": "{step_id}", {self._step_tail}, '
            f'"opinion": {_json_str(opinion)}}}}}',
        )))


def _move_to_trained(session: Session, result_ids: Collection[int], passed_ids: list[int], actor: str,
                     now: Any) -> int:
    """待培训考试 → 待公示 for ``passed_ids``, whose results (among ``result_ids``) were just
    inserted; returns how many moved. When the new ids are consecutive, every result in their
    range is one of ours, and one UPDATE picks the passed ones by a sub-select (a third faster
    than sending the ids); otherwise the ids are sent in chunks."""
    t, r = BrokerApplication.__table__, TrainingResult.__table__
    low, high = min(result_ids, default=0), max(result_ids, default=0)
    if high - low + 1 == len(result_ids):
        chosen = [select(r.c.application_id).where(r.c.id.between(low, high), r.c.passed.is_(True))]
    else:
        chosen = list(chunks(passed_ids))
    moved = 0
    for ids in chosen:
        moved += session.execute(
            update(t)
            .where(t.c.id.in_(ids), t.c.status == _REVIEWED)
            .values(status=_TRAINED, updated_at=now, updated_by=actor, version=t.c.version + 1)
        ).rowcount
    return moved


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
