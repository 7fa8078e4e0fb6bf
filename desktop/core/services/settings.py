"""Changing the centre's settings and its policy parameters (中心设置 / 政策配置), by an administrator.

Every change is checked first (the profile with the new values must load: a national floor such
as the six-month audit retention cannot be undercut) and recorded as a 修改设置 event with the old
and the new value, on top of the field entry the ``CenterSettings`` model writes itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.audit_events import record_settings_change
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.center import CenterSettings
from desktop.core.rules.parameters import BY_KEY, PARAMETERS
from desktop.core.rules.profile import PolicyProfile, ProfileError, available_profiles, load_profile
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
    return save_settings(session, user, SettingsChange(row.center_name, row.profile_name, {key: value}))


@dataclass(frozen=True)
class ParameterValue:
    """One adjustable parameter as the 中心设置 screen shows it: this centre's value and the default."""

    key: str
    group: str
    label: str
    unit: str
    meaning: str
    basis: str
    current: Any
    default: Any

    @property
    def is_switch(self) -> bool:
        return isinstance(self.default, bool)

    @property
    def overridden(self) -> bool:
        return not _same(self.current, self.default)

    def show(self, value: Any) -> str:
        """A value in words: 是/否 for a switch, else the number and its unit."""
        if isinstance(value, bool):
            return "是" if value else "否"
        return f"{value} {self.unit}".strip()


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _value(profile: PolicyProfile, key: str) -> Any:
    """The value at ``key``, or None when its module's section is absent from the profile."""
    node: Any = profile
    for part in key.split("."):
        node = getattr(node, part, None)
        if node is None:
            return None
    return node


def parameter_values(profile_name: str, overrides: Mapping[str, Any]) -> list[ParameterValue]:
    """The adjustable parameters of ``profile_name`` with ``overrides`` applied, in screen order.

    Parameters of modules the profile leaves out are not listed. Raises UserError when the
    profile cannot be loaded with these overrides.
    """
    defaults = _loaded(profile_name, {})
    current = _loaded(profile_name, overrides)
    out = []
    for p in PARAMETERS:
        default = _value(defaults, p.key)
        if default is None:
            continue
        out.append(ParameterValue(p.key, p.group, p.label, p.unit, p.meaning, p.basis, _value(current, p.key),
                                  default))
    return out


@dataclass(frozen=True)
class SettingsView:
    center: CenterInfo
    profiles: list[tuple[str, str]]  # (name, display name) of every selectable profile
    parameters: list[ParameterValue]


def settings_view(session: Session, user: SignedInUser) -> SettingsView:
    """What the 中心设置 screen shows (administrators only)."""
    _settings(session, user, "查看中心设置")
    info = load_center(session)
    assert info is not None
    return SettingsView(info, available_profiles(), parameter_values(info.profile_name, info.profile_overrides))


@dataclass(frozen=True)
class SettingsChange:
    """What the administrator asks for; ``values`` maps a dotted key to its new value, None for
    the profile's default (a value equal to the default also just removes the override)."""

    center_name: str
    profile_name: str
    values: Mapping[str, Any] = field(default_factory=dict)


def parse_value(p: ParameterValue, text: str) -> int | None:
    """A number typed for ``p`` (full-width digits too); empty means "the profile's default"."""
    cleaned = "".join(text.split())
    if not cleaned:
        return None
    try:
        return int(cleaned)
    except ValueError:
        raise UserError(f"“{p.label}”应填写整数，如 {p.default}；留空则用政策配置的默认值。", field=p.key) from None


def _loaded(profile_name: str, overrides: Mapping[str, Any], changed: tuple[str, ...] = ()) -> PolicyProfile:
    try:
        return load_profile(profile_name, dict(overrides) or None)
    except ProfileError as exc:
        p = BY_KEY.get(exc.key)
        if p is None:
            raise UserError(f"这样设置后政策配置不成立：{exc}", field=changed[0] if len(changed) == 1 else None) from exc
        message = exc.message
        for other in sorted(BY_KEY, key=len, reverse=True):  # keys in the text → their Chinese names
            message = message.replace(other, f"“{BY_KEY[other].label}”")
        # a rule across keys names the other key; show it at the one the administrator changed
        where = exc.key if exc.key in changed or len(changed) != 1 else changed[0]
        raise UserError(f"“{p.label}”{message}{p.basis}", field=where) from exc


def save_settings(session: Session, user: SignedInUser, change: SettingsChange) -> CenterInfo:
    """Apply a centre name, a profile and parameter values together: all are checked first, then
    each change is recorded as a 修改设置 event (parameters with their old and new effective value).
    Nothing is saved when any of them is refused."""
    row = _settings(session, user, "修改中心设置")
    name = change.center_name.strip()
    if not name:
        raise UserError("请填写服务中心名称。", field="center_name")
    if change.profile_name not in dict(available_profiles()):
        raise UserError(f"没有名为“{change.profile_name}”的政策配置。", field="profile_name")
    old_overrides = dict(row.profile_overrides or {})
    before = _loaded(row.profile_name, old_overrides)
    defaults = _loaded(change.profile_name, {})
    overrides = dict(old_overrides)
    for key, value in change.values.items():
        if value is None or _same(value, _value(defaults, key)):
            overrides.pop(key, None)
        else:
            overrides[key] = value
    after = _loaded(change.profile_name, overrides, tuple(change.values))
    if name != row.center_name:
        record_settings_change(session, "服务中心名称", row.center_name, name)
        row.center_name = name
    if change.profile_name != row.profile_name:
        record_settings_change(session, "政策配置", row.profile_name, change.profile_name)
        row.profile_name = change.profile_name
    for key in change.values:
        old, new = _value(before, key), _value(after, key)
        if not _same(old, new):
            label = BY_KEY[key].label if key in BY_KEY else ""
            record_settings_change(session, f"政策参数 {key}", old, new, detail=label)
    if overrides != old_overrides:
        row.profile_overrides = overrides
    return load_center(session)  # type: ignore[return-value]
