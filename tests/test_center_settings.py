"""The 中心设置 service: the adjustable parameters with their defaults, and saving several changes at
once — all checked first, each audited with its old and new value, nothing saved on a refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models import AuditEntry
from desktop.core.models.account import Role
from desktop.core.rules.parameters import PARAMETERS
from desktop.core.rules.profile import load_profile
from desktop.core.services import settings
from desktop.core.services.accounts import SignedInUser

ADMIN = SignedInUser(1, "admin", "管理员", Role.ADMIN, False)
CLERK = SignedInUser(2, "clerk", "张经办", Role.CLERK, False)


def changes(db) -> list[tuple[str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        rows = s.execute(select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value)
                         .where(AuditEntry.action == "修改设置").order_by(AuditEntry.id)).all()
    return [tuple(r) for r in rows]


def test_every_listed_parameter_is_a_number_or_switch_of_some_profile() -> None:
    profiles = [load_profile(n) for n in ("sichuan", "chongqing", "honghe", "jindong")]
    for p in PARAMETERS:
        values = [settings._value(prof, p.key) for prof in profiles]
        present = [v for v in values if v is not None]
        assert present, p.key
        assert all(isinstance(v, int) for v in present), p.key  # bool is an int too
        assert p.meaning.endswith("。") and p.label


def test_view_lists_this_profiles_parameters_with_defaults(db) -> None:  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        settings.set_override(s, ADMIN, "security.idle_lock_minutes", 5)
    with db.session("admin", write=False) as s:
        view = settings.settings_view(s, ADMIN)
    by_key = {p.key: p for p in view.parameters}
    idle = by_key["security.idle_lock_minutes"]
    assert (idle.current, idle.default, idle.overridden, idle.show(idle.current)) == (5, 10, True, "5 分钟")
    assert by_key["publicity.allow_early_close"].is_switch and by_key["publicity.allow_early_close"].show(False) == "否"
    assert "review.min_transfers_per_year" in by_key and "station.reapply_ban_years" not in by_key  # sichuan
    assert dict(view.profiles)["chongqing"] == "重庆市"
    jindong = {p.key for p in settings.parameter_values("jindong", {})}
    assert "station.reapply_ban_years" in jindong and "review.min_transfers_per_year" not in jindong
    with pytest.raises(PermissionDenied), db.session("clerk", write=False) as s:
        settings.settings_view(s, CLERK)


def test_save_applies_everything_and_audits_effective_values(db) -> None:  # type: ignore[no-untyped-def]
    change = settings.SettingsChange("大英县就业服务中心", "sichuan", {
        "security.idle_lock_minutes": 5, "publicity.allow_early_close": True, "backup.keep_daily": 12})
    with db.session("admin") as s:
        info = settings.save_settings(s, ADMIN, change)
    assert info.center_name == "大英县就业服务中心"
    assert info.profile_overrides == {"security.idle_lock_minutes": 5, "publicity.allow_early_close": True}
    assert changes(db) == [("服务中心名称", "大英县农民工服务中心", "大英县就业服务中心"),
                           ("政策参数 security.idle_lock_minutes", "10", "5"),
                           ("政策参数 publicity.allow_early_close", "否", "是")]
    # the default typed back (or left empty: None) removes the override
    with db.session("admin") as s:
        info = settings.save_settings(s, ADMIN, settings.SettingsChange(
            info.center_name, "sichuan", {"security.idle_lock_minutes": 10, "publicity.allow_early_close": None}))
    assert info.profile_overrides == {}
    assert changes(db)[-2:] == [("政策参数 security.idle_lock_minutes", "5", "10"),
                                ("政策参数 publicity.allow_early_close", "是", "否")]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"security.idle_lock_minutes": 5, "security.audit_retention_months": 3}, "security.audit_retention_months",
         "“审计日志保留”应在 6 到 1200 之间，现为 3。网络安全法第二十一条"),
        ({"security.password_min_length": 6}, "security.password_min_length", "不少于 8 位，不能设得更低"),
        ({"filing.remind_from_day": 26}, "filing.remind_from_day", "应不晚于截止日（12月25日）"),
        ({"broker.age_min": 70}, "broker.age_min", "“申请年龄上限”应不小于 “申请年龄下限”（70），现为 65。"),
        ({"security.idle_lock_minutes": True}, "security.idle_lock_minutes", "应为整数"),
    ],
)
def test_a_refused_value_saves_nothing(db, values, field, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as refused, db.session("admin") as s:
        settings.save_settings(s, ADMIN, settings.SettingsChange("改了名字", "sichuan", values))
    assert refused.value.field == field and message in str(refused.value)
    with db.session("t", write=False) as s:
        info = settings.load_center(s)
    assert info.center_name == "大英县农民工服务中心" and info.profile_overrides == {} and changes(db) == []


def test_profile_change_and_name_checks(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as refused, db.session("admin") as s:
        settings.save_settings(s, ADMIN, settings.SettingsChange("  ", "sichuan"))
    assert refused.value.field == "center_name"
    with db.session("admin") as s:
        info = settings.save_settings(s, ADMIN, settings.SettingsChange("大英县农民工服务中心", "chongqing"))
    assert info.profile_name == "chongqing" and changes(db) == [("政策配置", "sichuan", "chongqing")]


def test_typed_numbers() -> None:
    p = next(v for v in settings.parameter_values("sichuan", {}) if v.key == "security.lockout_minutes")
    assert settings.parse_value(p, " 30 ") == 30 and settings.parse_value(p, "３０") == 30
    assert settings.parse_value(p, "") is None
    with pytest.raises(UserError, match="“锁定时长”应填写整数，如 15") as refused:
        settings.parse_value(p, "半小时")
    assert refused.value.field == "security.lockout_minutes"
