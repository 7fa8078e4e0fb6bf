"""The certification workflow (认定流程): recommendation, county review, training, rejection.

Each step is a dated ApplicationStep row with who did it; nothing is edited or deleted. Only the
actions valid for the current status are offered (``available_actions``), and each service call
checks status and role again, because the screen may be stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.broker import ApplicationStatus, BrokerApplication
from desktop.core.models.certification import STEP_LABELS, ApplicationStep, StepKind, TrainingResult
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require

S = ApplicationStatus


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    allowed: bool
    why_not: str = ""


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    label: str
    passed: bool
    opinion: str
    actor: str
    recorded_at: object


@dataclass(frozen=True)
class TrainingInput:
    completed_month: str  # YYYY-MM
    score: Decimal | None
    passed: bool
    certificate_no: str
    source: str = "手工录入"


def _get(session: Session, application_id: int) -> BrokerApplication:
    row = session.get(BrokerApplication, application_id)
    if row is None:
        raise UserError("这条申请记录不存在。")
    return row


def _expect(row: BrokerApplication, *statuses: ApplicationStatus, action: str) -> None:
    if row.status_enum not in statuses:
        raise UserError(f"“{action}”只能在申请处于“{'/'.join(s.label for s in statuses)}”时进行，"
                        f"这条申请现在是“{row.status_enum.label}”。请刷新后再看。")


def _check_date(on: date, row: BrokerApplication, what: str) -> None:
    if on > clock.today():
        raise UserError(f"{what}日期不能晚于今天。")
    if on < row.application_date:
        raise UserError(f"{what}日期不能早于申请日期 {row.application_date:%Y-%m-%d}。")


def add_step(session: Session, row: BrokerApplication, user: SignedInUser, kind: StepKind, passed: bool,
              on: date, opinion: str, batch_id: int | None = None) -> None:
    session.add(ApplicationStep(application_id=row.id, kind=kind.value, passed=passed, occurred_on=on,
                                opinion=opinion.strip(), actor=user.username, actor_name=user.display_name,
                                publicity_batch_id=batch_id))


def four_eyes_problem(row: BrokerApplication, user: SignedInUser, profile: PolicyProfile) -> str:
    """Why ``user`` may not pass this application's review (entered it themselves), or ""."""
    if profile.workflow.four_eyes and row.created_by == user.username:
        return "这条申请是您本人录入的，按“录入与审核分离”规定不能由您审核，请其他审核人员办理。"
    return ""


def record_recommendation(session: Session, user: SignedInUser, application_id: int, *, recommended: bool,
                          on: date, opinion: str) -> None:
    """村（社区）推荐: the village's stamped opinion, recorded by the counter."""
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="录入村（社区）推荐意见")
    row = _get(session, application_id)
    _expect(row, S.SUBMITTED, action="录入村（社区）推荐")
    _check_date(on, row, "推荐")
    if not recommended and not opinion.strip():
        raise UserError("村（社区）不予推荐时，请填写原因。")
    add_step(session, row, user, StepKind.VILLAGE_RECOMMENDATION, recommended, on, opinion)
    if recommended:
        row.status = S.RECOMMENDED.value
    else:
        reject_application(session, row, user, on, f"村（社区）不予推荐：{opinion.strip()}")


def county_review(session: Session, user: SignedInUser, profile: PolicyProfile, application_id: int, *,
                  passed: bool, on: date, opinion: str) -> None:
    """县级初审: the reviewer passes or fails the application (four-eyes rule applies)."""
    require(user, Role.REVIEWER, action="县级初审")
    row = _get(session, application_id)
    _expect(row, S.RECOMMENDED, action="县级初审")
    _check_date(on, row, "初审")
    problem = four_eyes_problem(row, user, profile)
    if problem:
        raise UserError(problem)
    missing = [d for d in profile.broker.declarations if d not in row.declarations.split("、")]
    if passed and missing:
        raise UserError(f"申请条件“{'、'.join(missing)}”尚未核实勾选，请先在申请表中核实后再通过初审。")
    if not passed and not opinion.strip():
        raise UserError("初审不通过时，请填写原因。")
    add_step(session, row, user, StepKind.COUNTY_REVIEW, passed, on, opinion)
    if passed:
        row.status = S.REVIEWED.value
    else:
        reject_application(session, row, user, on, f"县级初审不通过：{opinion.strip()}")


def record_training(session: Session, user: SignedInUser, application_id: int, result: TrainingInput,
                    on: date | None = None) -> None:
    """线上培训与考试: a result entered by hand or imported; a pass moves the application on."""
    require(user, Role.CLERK, Role.REVIEWER, Role.ADMIN, action="录入培训考试结果")
    row = _get(session, application_id)
    _expect(row, S.REVIEWED, action="录入培训考试结果")
    problem = training_problem(result)
    if problem:
        raise UserError(problem)
    session.add(TrainingResult(application_id=row.id, completed_month=result.completed_month,
                               score=result.score, passed=result.passed,
                               certificate_no=result.certificate_no.strip(), source=result.source))
    add_step(session, row, user, StepKind.TRAINING, result.passed, on or clock.today(), training_opinion(result))
    if result.passed:
        row.status = S.TRAINED.value


def training_opinion(result: TrainingInput) -> str:
    """The text of the 培训考试 step (the form and the import word it alike)."""
    score = f"，成绩 {result.score}" if result.score is not None else ""
    cert = f"，合格证 {result.certificate_no.strip()}" if result.certificate_no.strip() else ""
    return f"培训完成 {result.completed_month}{score}，{'合格' if result.passed else '不合格'}{cert}"


def training_problem(result: TrainingInput) -> str:
    month = result.completed_month
    if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit() or not 1 <= int(month[5:]) <= 12:
        return "培训完成时间应写成“年-月”，例如 2026-10。"
    if f"{month}-01" > f"{clock.today():%Y-%m-%d}":
        return "培训完成时间不能晚于本月。"
    if result.score is not None and not Decimal(0) <= result.score <= Decimal(100):
        return "考试成绩应在 0—100 之间。"
    if result.passed and not result.certificate_no.strip():
        return "考试合格的，请填写电子合格证编号。"
    return ""


def reject(session: Session, user: SignedInUser, application_id: int, *, on: date, reason: str) -> None:
    """不予认定 at any step before publicity; the application is kept with its reason."""
    require(user, Role.REVIEWER, action="不予认定")
    row = _get(session, application_id)
    _expect(row, S.SUBMITTED, S.RECOMMENDED, S.REVIEWED, S.TRAINED, action="不予认定")
    if not reason.strip():
        raise UserError("请填写不予认定的原因。")
    _check_date(on, row, "不予认定")
    reject_application(session, row, user, on, reason.strip())


def reject_application(session: Session, row: BrokerApplication, user: SignedInUser, on: date, reason: str,
            batch_id: int | None = None) -> None:
    add_step(session, row, user, StepKind.REJECTION, False, on, reason, batch_id)
    row.status = S.REJECTED.value


def available_actions(row_status: str, created_by: str, user: SignedInUser, profile: PolicyProfile) -> list[Action]:
    """The workflow buttons for an application in ``row_status``, each saying why it is disabled."""
    status = ApplicationStatus(row_status)
    reviewer = user.role is Role.REVIEWER
    counter = user.role in (Role.CLERK, Role.REVIEWER, Role.ADMIN)
    not_reviewer = "需要审核角色。"
    own = profile.workflow.four_eyes and created_by == user.username
    actions: list[Action] = []
    if status is S.SUBMITTED:
        actions.append(Action("recommend", "录入村（社区）推荐意见", counter, "" if counter else "审计账号只能查看。"))
    if status is S.RECOMMENDED:
        why = not_reviewer if not reviewer else ("本人录入的申请不能由本人审核。" if own else "")
        actions.append(Action("review", "县级初审", not why, why))
    if status is S.REVIEWED:
        actions.append(Action("training", "录入培训考试结果", counter, "" if counter else "审计账号只能查看。"))
    if status in (S.SUBMITTED, S.RECOMMENDED, S.REVIEWED, S.TRAINED):
        actions.append(Action("reject", "不予认定", reviewer, "" if reviewer else not_reviewer))
    return actions


def timeline(session: Session, application_id: int) -> list[TimelineEntry]:
    """Every step of the application, oldest first, starting with the application itself."""
    row = _get(session, application_id)
    entries = [TimelineEntry(row.application_date, "申请", True, "提交劳务经纪人认定申请表",
                             row.created_by, row.created_at)]
    steps = session.scalars(
        select(ApplicationStep).where(ApplicationStep.application_id == application_id).order_by(ApplicationStep.id)
    )
    for step in steps:
        label = STEP_LABELS[StepKind(step.kind)]
        if step.kind in (StepKind.VILLAGE_RECOMMENDATION.value, StepKind.COUNTY_REVIEW.value,
                         StepKind.TRAINING.value):
            label += "：" + ("通过" if step.passed else "未通过")
        entries.append(TimelineEntry(step.occurred_on, label, step.passed, step.opinion,
                                     step.actor_name or step.actor, step.created_at))
    return entries


def latest_training(session: Session, application_id: int) -> TrainingResult | None:
    return session.scalar(
        select(TrainingResult).where(TrainingResult.application_id == application_id)
        .order_by(TrainingResult.id.desc()).limit(1)
    )
