"""Settings and policy-parameter changes, exports, prints, backups and restores are audit events."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.core import audit_events
from desktop.core.audit import verify_chain
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models import AuditEntry
from desktop.core.models.account import Role
from desktop.core.services import settings
from desktop.core.services.accounts import SignedInUser

ADMIN = SignedInUser(1, "admin", "管理员", Role.ADMIN, False)


def last(db, n: int = 1) -> list[tuple]:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        rows = s.execute(select(AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.field,
                                AuditEntry.old_value, AuditEntry.new_value, AuditEntry.outcome, AuditEntry.detail)
                         .order_by(AuditEntry.id.desc()).limit(n)).all()
    return [tuple(r) for r in reversed(rows)]


def test_policy_parameter_change_is_checked_and_audited(db) -> None:  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        info = settings.set_override(s, ADMIN, "security.idle_lock_minutes", 5)
    assert info.profile().security.idle_lock_minutes == 5
    events = [e for e in last(db, 3) if e[0] == audit_events.SETTINGS_CHANGE]
    assert events == [("修改设置", "中心设置", "", "政策参数 security.idle_lock_minutes", "10", "5", "成功", "无操作锁屏")]
    with pytest.raises(UserError, match="“审计日志保留”应在 6 到 1200 之间，现为 3。网络安全法"), db.session("admin") as s:
        settings.set_override(s, ADMIN, "security.audit_retention_months", 3)  # below the national floor
    with db.session("admin") as s:
        info = settings.set_override(s, ADMIN, "security.idle_lock_minutes", None)
    assert info.profile().security.idle_lock_minutes == 10
    clerk = SignedInUser(2, "clerk", "张经办", Role.CLERK, False)
    with pytest.raises(PermissionDenied), db.session("clerk") as s:
        settings.set_override(s, clerk, "security.idle_lock_minutes", 5)


def test_centre_name_and_profile_changes_are_audited(db) -> None:  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        settings.rename_center(s, ADMIN, "大英县就业服务中心")
        info = settings.change_profile(s, ADMIN, "chongqing")
    assert info.center_name == "大英县就业服务中心" and info.profile_name == "chongqing"
    changes = [(e[3], e[4], e[5]) for e in last(db, 10) if e[0] == "修改设置"]
    assert changes == [("服务中心名称", "大英县农民工服务中心", "大英县就业服务中心"), ("政策配置", "sichuan", "chongqing")]
    with pytest.raises(UserError, match="没有名为"), db.session("admin") as s:
        settings.change_profile(s, ADMIN, "nowhere")


def test_event_helpers_other_areas_call(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        audit_events.record_export(s, "经纪人名册", "备案信息表", tmp_path / "备案.xlsx", 12)
        audit_events.record_print(s, "公示批次", "3", "公示名单", tmp_path / "公示.pdf")
        audit_events.record_backup(s, "E:/LaborDesk备份", ok=False, detail="U盘已拔出")
        audit_events.record_restore(s, "E:/LaborDesk备份/2026-11-21.db")
    assert last(db, 4) == [
        ("导出", "经纪人名册", "", "", None, None, "成功", "备案信息表，12 条 → 备案.xlsx"),
        ("打印", "公示批次", "3", "", None, None, "成功", "公示名单 → 公示.pdf"),
        ("备份", "数据库", "E:/LaborDesk备份", "", None, None, "失败", "U盘已拔出"),
        ("恢复", "数据库", "E:/LaborDesk备份/2026-11-21.db", "", None, None, "成功", ""),
    ]
    assert set(audit_events.EVENTS) >= {"登录", "账号锁定", "查看完整号码", "导出", "打印", "备份", "恢复", "修改设置"}
    with db.session("t", write=False) as s:
        assert verify_chain(s) is None
