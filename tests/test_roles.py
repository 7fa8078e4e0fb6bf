"""Role checks on every action: core refuses the wrong role, and the UI greys what a role may not do.

The 审计 (auditor) role reads and changes nothing: besides the per-action checks, every write
transaction of an auditor is events-only, so a record change is refused even if a button slipped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from desktop.core.audit import AuditFact, record_event
from desktop.core.db.database import ViewOnlyRole
from desktop.core.documents.excel.broker_import import import_brokers
from desktop.core.documents.excel.training_import import import_training_results
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.account import Role
from desktop.core.services import account_admin, accounts, publicity, workflow
from desktop.core.services import applications as svc
from desktop.core.services.accounts import SignedInUser
from desktop.ui.main_window import MainWindow
from tests.conftest import ADMIN_PASSWORD
from tests.factories import application_input
from tests.ui_helpers import signed_in_state

ALL = (Role.CLERK, Role.REVIEWER, Role.ADMIN, Role.AUDITOR)
COUNTER = (Role.CLERK, Role.REVIEWER, Role.ADMIN)


def add_auditor(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        accounts.create_user(s, profile, username="auditor", display_name="赵审计", role=Role.AUDITOR,
                             password=ADMIN_PASSWORD, must_change_password=False)


def as_role(role: Role) -> SignedInUser:
    return SignedInUser(99, f"u-{role.value}", "测试", role, False)


# Every core action that takes the acting user, with the roles allowed to do it.
SESSION_ACTIONS = {
    "新建公示": (COUNTER, lambda s, u, p: publicity.create_batch(s, u, p, None)),  # type: ignore[arg-type]
    "登记异议": (COUNTER, lambda s, u, p: publicity.record_objection(
        s, u, 999, 999, received_on=date(2026, 11, 22), channel="电话", content="x")),
    "核实异议": ((Role.REVIEWER,), lambda s, u, p: publicity.decide_objection(s, u, 999, upheld=False, reason="x")),
    "结束公示并认定": ((Role.REVIEWER,), lambda s, u, p: publicity.close_batch(s, u, p, 999)),
    "录入节假日安排": ((Role.ADMIN,), lambda s, u, p: publicity.add_calendar_day(s, u, date(2040, 1, 1), "holiday", "")),
    "删除节假日安排": ((Role.ADMIN,), lambda s, u, p: publicity.remove_calendar_day(s, u, 999)),
    "村推荐": (COUNTER, lambda s, u, p: workflow.record_recommendation(
        s, u, 999, recommended=True, on=date(2026, 11, 22), opinion="x")),
    "县级初审": ((Role.REVIEWER,), lambda s, u, p: workflow.county_review(
        s, u, p, 999, passed=True, on=date(2026, 11, 22), opinion="x")),
    "录入培训考试结果": (COUNTER, lambda s, u, p: workflow.record_training(s, u, 999, None)),  # type: ignore[arg-type]
    "不予认定": ((Role.REVIEWER,), lambda s, u, p: workflow.reject(s, u, 999, on=date(2026, 11, 22), reason="x")),
    "新建账号": ((Role.ADMIN,), lambda s, u, p: account_admin.create_account(
        s, u, p, username="", display_name="", role=Role.CLERK, temporary_password="")),
    "停用账号": ((Role.ADMIN,), lambda s, u, p: account_admin.set_disabled(s, u, 999, True, "x")),
    "解锁账号": ((Role.ADMIN,), lambda s, u, p: account_admin.unlock_account(s, u, 999)),
    "重置密码": ((Role.ADMIN,), lambda s, u, p: account_admin.reset_password(s, u, p, 999, "x")),
    "修改角色": ((Role.ADMIN,), lambda s, u, p: account_admin.change_role(s, u, 999, Role.CLERK)),
}


@pytest.mark.parametrize("role", ALL, ids=[r.value for r in ALL])
@pytest.mark.parametrize("action", sorted(SESSION_ACTIONS))
def test_core_refuses_roles_that_may_not_act(db, profile, action, role) -> None:  # type: ignore[no-untyped-def]
    allowed, call = SESSION_ACTIONS[action]
    denied = False
    try:
        with db.session("t", write=False) as s:  # never committed
            call(s, as_role(role), profile)
    except PermissionDenied:
        denied = True
    except (UserError, AttributeError, TypeError):
        pass  # an allowed role got past the role check and failed on the made-up record
    assert denied is (role not in allowed)


@pytest.mark.parametrize("role", ALL, ids=[r.value for r in ALL])
def test_imports_check_the_role_before_reading(db, tmp_path: Path, role) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "none.xlsx"
    for importer, allowed in ((import_training_results, COUNTER), (import_brokers, (Role.REVIEWER, Role.ADMIN))):
        with pytest.raises(UserError) as caught:
            importer(db, missing, user=as_role(role))
        assert isinstance(caught.value, PermissionDenied) is (role not in allowed)


def test_auditor_transactions_record_events_but_change_nothing(db, profile) -> None:  # type: ignore[no-untyped-def]
    add_auditor(db, profile)
    state = signed_in_state(db, profile, "auditor")
    assert state.view_only
    with pytest.raises(ViewOnlyRole, match="审计账号只能查看"):
        state.write(lambda s: svc.create_application(s, profile, application_input()))
    state.write(lambda s: record_event(s, AuditFact("导出", "审计日志")))  # its own export is recorded
    with db.session("t", write=False) as s:
        assert svc.count_applications(s, svc.ApplicationQuery()) == 0
    clerk = signed_in_state(db, profile, "clerk")
    assert not clerk.view_only
    assert clerk.write(lambda s: svc.create_application(s, profile, application_input())) > 0


def buttons(widget) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    return {b.text(): b.isEnabled() for b in widget.findChildren(QPushButton) if b.text()}


# What each role may press on each page (buttons that need a selection are checked in the page tests).
EXPECTED = {
    "applications": {"新建申请(&N)": COUNTER, "从Excel导入…": COUNTER},
    "registry": {"导入培训考试结果…": COUNTER, "导入已认定的经纪人…": (Role.REVIEWER, Role.ADMIN)},
    "publicity": {"新建公示(&N)": COUNTER},
}


@pytest.mark.parametrize("role", ALL, ids=[r.value for r in ALL])
def test_every_page_button_follows_the_role(qtbot, db, profile, role) -> None:  # type: ignore[no-untyped-def]
    add_auditor(db, profile)
    username = {Role.CLERK: "clerk", Role.REVIEWER: "reviewer", Role.ADMIN: "admin", Role.AUDITOR: "auditor"}[role]
    window = MainWindow(signed_in_state(db, profile, username))
    qtbot.addWidget(window)
    for page_name, expected in EXPECTED.items():
        got = buttons(getattr(window, page_name))
        for text, allowed in expected.items():
            assert got[text] is (role in allowed), (page_name, text, role)
    new_app = next(a for m in window.menuBar().actions() for a in m.menu().actions() if "新建经纪人申请" in a.text())
    assert new_app.isEnabled() is (role in COUNTER)
    assert (not window.publicity.calendar_button.isHidden()) is (role is Role.ADMIN)


@pytest.mark.parametrize("role", ALL, ids=[r.value for r in ALL])
def test_workflow_buttons_follow_the_role(profile, role) -> None:  # type: ignore[no-untyped-def]
    """The 办理进度 buttons of every status: the auditor may press none, only the reviewer reviews."""
    user = as_role(role)
    for status in ("submitted", "recommended", "reviewed", "trained", "in_publicity", "certified", "rejected"):
        for action in workflow.available_actions(status, "someone-else", user, profile):
            needs = (Role.REVIEWER,) if action.key in ("review", "reject") else COUNTER
            assert action.allowed is (role in needs), (status, action.key, role)
            assert action.allowed or action.why_not
