"""The audit viewer's core: filters, keyset pages, masked personal numbers, the .xlsx export."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from desktop.core import audit_events, clock
from desktop.core.audit import AuditFact, record_event, verify_chain
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models import AuditEntry
from desktop.core.models.account import Role
from desktop.core.privacy import looks_unmasked
from desktop.core.services import applications as svc
from desktop.core.services import audit_log
from desktop.core.services.accounts import SignedInUser
from tests.factories import application_input

AUDITOR = SignedInUser(50, "auditor", "赵审计", Role.AUDITOR, False)
ADMIN = SignedInUser(1, "admin", "管理员", Role.ADMIN, False)
Q = audit_log.AuditQuery


def history(db, profile) -> int:  # type: ignore[no-untyped-def]
    clock.pin(datetime(2026, 11, 20, 10, 0))
    with db.session("clerk") as s:
        app_id = svc.create_application(s, profile, application_input())
    clock.pin(datetime(2026, 11, 21, 11, 0))
    with db.session("clerk") as s:
        svc.update_application(s, profile, app_id, 1, application_input(phone="13900001111",
                                                                        bank_account="6222021234567890123"))
    clock.pin(datetime(2026, 11, 22, 9, 30))
    with db.session("reviewer") as s:
        record_event(s, AuditFact(audit_events.SIGN_IN, "账号", "reviewer", outcome="失败", detail="密码错误"))
        audit_events.record_reveal(s, "经纪人申请", str(app_id), "id_number")
    return app_id


def rows(db, profile, q: audit_log.AuditQuery, user: SignedInUser = AUDITOR) -> list[audit_log.AuditRow]:  # type: ignore[no-untyped-def]
    with db.session("auditor", write=False) as s:
        return audit_log.search_entries(s, user, profile, q)


def test_filters_by_date_user_event_object_and_outcome(db, profile) -> None:  # type: ignore[no-untyped-def]
    app_id = history(db, profile)
    everything = rows(db, profile, Q())
    assert [r.id for r in everything] == sorted((r.id for r in everything), reverse=True)  # newest first
    assert {r.actor for r in rows(db, profile, Q(actor="clerk"))} == {"clerk"}
    day = rows(db, profile, Q(date_from=date(2026, 11, 21), date_to=date(2026, 11, 21)))
    assert day and {r.at.date() for r in day} == {date(2026, 11, 21)} and {r.event for r in day} == {"修改"}
    assert {r.field for r in day} == {"联系电话", "银行账号"}
    created = rows(db, profile, Q(action="新建", entity="经纪人申请", entity_id=str(app_id)))
    assert len(created) == 1 and created[0].field == "全部字段"
    failed = rows(db, profile, Q(outcome="失败"))
    assert [(r.event, r.detail) for r in failed] == [("登录", "密码错误")]
    reveal = rows(db, profile, Q(action=audit_events.REVEAL))
    assert [(r.actor, r.entity_id, r.field) for r in reveal] == [("reviewer", str(app_id), "身份证号码")]
    with db.session("t", write=False) as s:
        assert audit_log.count_entries(s, AUDITOR, Q(actor="clerk")) == len(rows(db, profile, Q(actor="clerk")))
        with pytest.raises(UserError, match="起始日期"):
            audit_log.count_entries(s, AUDITOR, Q(date_from=date(2026, 11, 22), date_to=date(2026, 11, 1)))


def test_personal_numbers_are_masked_in_every_column(db, profile) -> None:  # type: ignore[no-untyped-def]
    history(db, profile)
    for r in rows(db, profile, Q()):
        for value in (r.entity_id, r.old_value, r.new_value, r.detail):
            assert looks_unmasked(value) == [], (r, value)
    bank = next(r for r in rows(db, profile, Q(action="修改")) if r.field == "银行账号")
    assert bank.old_value == "6217***********4567" and bank.new_value == "6222***********0123"
    created = rows(db, profile, Q(action="新建", entity="经纪人申请"))[0]
    assert "身份证号码：510923********" in created.new_value and "联系电话：138****5678" in created.new_value


def test_keyset_pages_walk_the_whole_log_without_gaps(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        for i in range(45):
            record_event(s, AuditFact(audit_events.PRINT, "经纪人申请", str(i)))
    seen: list[int] = []
    page = Q(action=audit_events.PRINT, limit=10)
    while batch := rows(db, profile, page):
        seen += [r.id for r in batch]
        page = replace(page, before_id=batch[-1].id)
    assert len(seen) == 45 == len(set(seen)) and seen == sorted(seen, reverse=True)


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER])
def test_only_auditor_and_admin_read_the_log(db, profile, role) -> None:  # type: ignore[no-untyped-def]
    user = SignedInUser(2, "x", "x", role, False)
    with db.session("t", write=False) as s:
        with pytest.raises(PermissionDenied, match="审计"):
            audit_log.count_entries(s, user, Q())
        with pytest.raises(PermissionDenied):
            audit_log.search_entries(s, user, profile, Q())
    assert rows(db, profile, Q(), ADMIN)


def test_export_writes_the_filtered_view_and_is_itself_audited(db, profile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    history(db, profile)
    out = tmp_path / "审计.xlsx"
    q = Q(actor="clerk")
    expected = rows(db, profile, q)
    seen: list[tuple[int, int]] = []
    assert audit_log.export_entries(db, AUDITOR, profile, q, out, progress=lambda d, t: seen.append((d, t))) \
        == len(expected)
    assert seen[-1] == (len(expected), len(expected))
    ws = load_workbook(out).active
    assert "用户：clerk" in ws["A1"].value and ws["A2"].value == "序号" and ws.freeze_panes == "A3"
    body = list(ws.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in body] == [r.id for r in expected]
    assert all(looks_unmasked(" ".join(str(v) for v in r if v)) == [] for r in body)
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*"))
    last = rows(db, profile, Q(action=audit_events.EXPORT))[0]
    assert (last.actor, last.entity) == ("auditor", "审计日志") and "审计.xlsx" in last.detail
    with db.session("t", write=False) as s:
        assert verify_chain(s) is None


def test_export_refuses_more_rows_than_a_sheet_holds(db, profile, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(audit_log, "MAX_EXPORT_ROWS", 3)
    with db.session("t", write=False) as s:
        n = s.scalar(select(func.count()).select_from(AuditEntry))
    assert n > 3
    with pytest.raises(UserError, match="缩小日期范围"):
        audit_log.export_entries(db, AUDITOR, profile, Q(), tmp_path / "big.xlsx")
    assert not (tmp_path / "big.xlsx").exists()


def test_filter_choices_need_no_scan(db) -> None:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        choices = audit_log.filter_choices(s)
    assert choices.actors[:3] == ["admin", "clerk", "reviewer"]
    assert {"新建", "修改", "登录", "导出", "查看完整号码", "备份", "恢复", "修改设置"} <= set(choices.events)
    assert {"经纪人申请", "账号", "劳务经纪人", "公示批次"} <= set(choices.entities)
