"""The certification workflow end to end in core: steps, roles, four-eyes, publicity, certification."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop.core import clock
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models import ApplicationStatus, Broker, BrokerApplication
from desktop.core.services import accounts, publicity, workflow
from desktop.core.services import applications as svc
from tests.conftest import ADMIN_PASSWORD
from tests.factories import application_input, make_id


def user(db, profile, name):  # type: ignore[no-untyped-def]
    with db.session(name) as s:
        signed = accounts.sign_in(s, profile, name, ADMIN_PASSWORD).user
    assert signed is not None
    return signed


def new_application(db, profile, seq=12, entered_by="clerk"):  # type: ignore[no-untyped-def]
    data = application_input(id_number=make_id(date(1985, 3, 15), seq=seq), application_date=date(2026, 10, 8))
    with db.session(entered_by) as s:
        return svc.create_application(s, profile, data)


def to_trained(db, profile, app_id, clerk, reviewer):  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        workflow.record_recommendation(s, clerk, app_id, recommended=True, on=date(2026, 10, 10), opinion="同意推荐")
    with db.session("reviewer") as s:
        workflow.county_review(s, reviewer, profile, app_id, passed=True, on=date(2026, 10, 12), opinion="符合条件")
    with db.session("clerk") as s:
        workflow.record_training(s, clerk, app_id, workflow.TrainingInput("2026-10", Decimal("86"), True, "SC2026-0001"),
                                 on=date(2026, 10, 30))


def status(db, app_id):  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        return s.get(BrokerApplication, app_id).status


def test_steps_in_order_with_timeline(db, profile) -> None:  # type: ignore[no-untyped-def]
    clerk, reviewer = user(db, profile, "clerk"), user(db, profile, "reviewer")
    app_id = new_application(db, profile)
    to_trained(db, profile, app_id, clerk, reviewer)
    assert status(db, app_id) == ApplicationStatus.TRAINED.value
    with db.session("t", write=False) as s:
        labels = [e.label for e in workflow.timeline(s, app_id)]
    assert labels == ["申请", "村（社区）推荐：通过", "县级初审：通过", "培训考试：通过"]


def test_review_needs_reviewer_role(db, profile) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db, profile, "clerk")
    app_id = new_application(db, profile)
    with db.session("clerk") as s:
        workflow.record_recommendation(s, clerk, app_id, recommended=True, on=date(2026, 10, 10), opinion="")
    with pytest.raises(PermissionDenied, match="审核"):
        with db.session("clerk") as s:
            workflow.county_review(s, clerk, profile, app_id, passed=True, on=date(2026, 10, 12), opinion="")


def test_four_eyes_reviewer_cannot_pass_own_entry(db, profile) -> None:  # type: ignore[no-untyped-def]
    reviewer = user(db, profile, "reviewer")
    app_id = new_application(db, profile, entered_by="reviewer")
    with db.session("reviewer") as s:
        workflow.record_recommendation(s, reviewer, app_id, recommended=True, on=date(2026, 10, 10), opinion="")
        actions = workflow.available_actions(ApplicationStatus.RECOMMENDED.value, "reviewer", reviewer, profile)
    review = next(a for a in actions if a.key == "review")
    assert not review.allowed and "本人" in review.why_not
    with pytest.raises(UserError, match="本人录入"):
        with db.session("reviewer") as s:
            workflow.county_review(s, reviewer, profile, app_id, passed=True, on=date(2026, 10, 12), opinion="")


def test_four_eyes_can_be_switched_off_by_profile(db) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.rules.profile import load_profile

    relaxed = load_profile("sichuan", {"workflow.four_eyes": False})
    reviewer = user(db, relaxed, "reviewer")
    app_id = new_application(db, relaxed, entered_by="reviewer")
    with db.session("reviewer") as s:
        workflow.record_recommendation(s, reviewer, app_id, recommended=True, on=date(2026, 10, 10), opinion="")
        workflow.county_review(s, reviewer, relaxed, app_id, passed=True, on=date(2026, 10, 12), opinion="")
    assert status(db, app_id) == ApplicationStatus.REVIEWED.value


def test_only_valid_actions_are_offered(db, profile) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db, profile, "clerk")
    keys = [a.key for a in workflow.available_actions("submitted", "x", clerk, profile)]
    assert keys == ["recommend", "reject"]
    assert [a.key for a in workflow.available_actions("certified", "x", clerk, profile)] == []
    app_id = new_application(db, profile)
    with pytest.raises(UserError, match="只能在申请处于"):
        with db.session("clerk") as s:
            workflow.record_training(s, clerk, app_id, workflow.TrainingInput("2026-10", None, True, "X1"))


def test_rejection_keeps_the_application_with_reason(db, profile) -> None:  # type: ignore[no-untyped-def]
    reviewer = user(db, profile, "reviewer")
    app_id = new_application(db, profile)
    with pytest.raises(UserError, match="原因"):
        with db.session("reviewer") as s:
            workflow.reject(s, reviewer, app_id, on=date(2026, 10, 20), reason=" ")
    with db.session("reviewer") as s:
        workflow.reject(s, reviewer, app_id, on=date(2026, 10, 20), reason="提供的材料不实")
    with db.session("t", write=False) as s:
        assert s.get(BrokerApplication, app_id).status == "rejected"
        last = workflow.timeline(s, app_id)[-1]
    assert last.label == "不予认定" and last.opinion == "提供的材料不实"


def _publicise(db, profile, app_ids, clerk):  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        return publicity.create_batch(s, clerk, profile, publicity.BatchInput(
            tuple(app_ids), date(2026, 11, 2), "0825-1234567", "大英县人社局二楼", "大英县农民工服务中心"))


def test_publicity_certifies_and_upheld_objection_rejects(db, profile) -> None:  # type: ignore[no-untyped-def]
    clerk, reviewer = user(db, profile, "clerk"), user(db, profile, "reviewer")
    ok_id, contested_id = new_application(db, profile, seq=1), new_application(db, profile, seq=2)
    for app_id in (ok_id, contested_id):
        to_trained(db, profile, app_id, clerk, reviewer)
    batch_id = _publicise(db, profile, [ok_id, contested_id], clerk)
    with db.session("t", write=False) as s:
        summary = publicity.batch_summary(s, batch_id)
    assert summary.start_date == date(2026, 11, 2) and summary.end_date == date(2026, 11, 6)
    assert summary.title == "关于2026年第1批劳务经纪人拟认定人员名单的公示"
    with db.session("clerk") as s:
        objection = publicity.record_objection(s, clerk, batch_id, contested_id, received_on=date(2026, 11, 3),
                                               channel="来电", content="反映其长期在外地，不在村居住")
    clock.pin(datetime(2026, 11, 5, 10, 0))
    with pytest.raises(UserError, match="不能提前结束"):
        with db.session("reviewer") as s:
            publicity.close_batch(s, reviewer, profile, batch_id)
    clock.pin(datetime(2026, 11, 6, 16, 0))
    with pytest.raises(UserError, match="未核实"):
        with db.session("reviewer") as s:
            publicity.close_batch(s, reviewer, profile, batch_id)
    with db.session("reviewer") as s:
        publicity.decide_objection(s, reviewer, objection, upheld=True, reason="经村委核实，情况属实")
        assert publicity.close_batch(s, reviewer, profile, batch_id) == (1, 1)
    assert status(db, ok_id) == "certified" and status(db, contested_id) == "rejected"
    with db.session("t", write=False) as s:
        broker = s.scalars(select(Broker)).one()
        last = workflow.timeline(s, contested_id)[-1]
    assert broker.application_id == ok_id and broker.certified_on == date(2026, 11, 6)
    assert broker.certificate_no == "SC2026-0001" and broker.training_month == "2026-10"
    assert "异议成立" in last.opinion and "情况属实" in last.opinion
    with pytest.raises(UserError, match="只能查看"):
        with db.session("clerk") as s:
            publicity.record_objection(s, clerk, batch_id, ok_id, received_on=date(2026, 11, 6), channel="来电",
                                       content="迟到的异议")


def test_only_trained_applicants_can_be_publicised(db, profile) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db, profile, "clerk")
    app_id = new_application(db, profile)
    with pytest.raises(UserError, match="待公示"):
        _publicise(db, profile, [app_id], clerk)


def test_admin_entered_holidays_extend_an_uncovered_year(db, profile) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.rules.workdays import covered_years

    admin = user(db, profile, "admin")
    year = max(covered_years()) + 1
    start = date(year, 10, 1)
    while start.weekday() != 0:  # a Monday
        start = date(year, 10, start.day + 1)
    with db.session("admin") as s:
        before = publicity.preview_end_date(s, profile, start)
        publicity.add_calendar_day(s, admin, start, "holiday", "国庆节")
        after = publicity.preview_end_date(s, profile, start)
    assert before.end.weekday() == 4 and start in before.days  # Monday to Friday
    assert start not in after.days and after.end.weekday() == 0  # the holiday pushes it to Monday
    assert "未收录" in after.rule and "1 天" in after.rule
    with pytest.raises(UserError, match="内置"):
        with db.session("admin") as s:
            publicity.add_calendar_day(s, admin, date(max(covered_years()), 5, 1), "holiday", "")
    with pytest.raises(PermissionDenied):
        with db.session("clerk") as s:
            publicity.add_calendar_day(s, user(db, profile, "clerk"), date(year, 5, 1), "holiday", "")
