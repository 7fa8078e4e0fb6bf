"""Changing the centre's settings and its policy parameters (中心设置 / 政策配置), by an administrator.

Every change is checked first (the profile with the new values must load: a national floor such
as the six-month audit retention cannot be undercut) and recorded as a 修改设置 event with the old
and the new value, on top of the field entry the ``CenterSettings`` model writes itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.audit_events import record_settings_change
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.center import CenterSettings
from desktop.core.rules.profile import ProfileError, available_profiles, load_profile
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.center import CenterInfo, load_center


def _settings(session: Session, user: SignedInUser, action: str) -> CenterSettings:
    require(user, Role.ADMIN, action=action)
    row = session.scalar(select(CenterSettings).order_by(CenterSettings.id).limit(1))
    if row is None:
        raise UserError("数据库尚未完成首次设置。")
    return row


def _checked(profile_name: str, overrides: dict[str, Any]) -> None:
    try:
        load_profile(profile_name, overrides or None)
    except ProfileError as exc:
        raise UserError(f"这样设置后政策配置不成立：{exc}") from exc


def rename_center(session: Session, user: SignedInUser, center_name: str) -> CenterInfo:
    row = _settings(session, user, "修改中心名称")
    name = center_name.strip()
    if not name:
        raise UserError("请填写服务中心名称。", field="center_name")
    if name != row.center_name:
        record_settings_change(session, "服务中心名称", row.center_name, name)
        row.center_name = name
    return load_center(session)  # type: ignore[return-value]


def change_profile(session: Session, user: SignedInUser, profile_name: str) -> CenterInfo:
    """Switch to another region's policy profile; the centre's overrides must hold under it."""
    row = _settings(session, user, "更换政策配置")
    if profile_name not in dict(available_profiles()):
        raise UserError(f"没有名为“{profile_name}”的政策配置。", field="profile_name")
    _checked(profile_name, dict(row.profile_overrides or {}))
    if profile_name != row.profile_name:
        record_settings_change(session, "政策配置", row.profile_name, profile_name)
        row.profile_name = profile_name
    return load_center(session)  # type: ignore[return-value]


def set_override(session: Session, user: SignedInUser, key: str, value: Any) -> CenterInfo:
    """Override one policy parameter (dotted key, e.g. ``security.idle_lock_minutes``); None removes it."""
    row = _settings(session, user, "修改政策参数")
    overrides = dict(row.profile_overrides or {})
    old = overrides.get(key)
    if value is None:
        overrides.pop(key, None)
    else:
        overrides[key] = value
    _checked(row.profile_name, overrides)
    if old != value:
        record_settings_change(session, f"政策参数 {key}", old, value)
        row.profile_overrides = overrides
    return load_center(session)  # type: ignore[return-value]
