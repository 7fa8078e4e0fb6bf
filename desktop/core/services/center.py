"""The centre's one-time setup (首次设置) and its settings: name, county, policy profile."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core import regions
from desktop.core.audit import AuditFact, record_event
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.center import CenterSettings
from desktop.core.rules.profile import PolicyProfile, ProfileError, available_profiles, load_profile
from desktop.core.services import accounts


@dataclass(frozen=True)
class CenterInfo:
    center_name: str
    county_code: str
    county_name: str
    profile_name: str
    profile_overrides: dict

    def profile(self) -> PolicyProfile:
        return load_profile(self.profile_name, self.profile_overrides or None)


@dataclass(frozen=True)
class SetupInput:
    """What the first-run dialog collects."""

    center_name: str
    county_code: str
    profile_name: str
    admin_username: str
    admin_display_name: str
    admin_password: str


def load_center(session: Session) -> CenterInfo | None:
    row = session.scalar(select(CenterSettings).order_by(CenterSettings.id).limit(1))
    if row is None:
        return None
    return CenterInfo(row.center_name, row.county_code, row.county_name, row.profile_name,
                      dict(row.profile_overrides or {}))


def is_initialised(session: Session) -> bool:
    return load_center(session) is not None


def county_label(county_code: str) -> str:
    return regions.describe_id_origin(county_code) if county_code else ""


def initialise(session: Session, data: SetupInput) -> CenterInfo:
    """Create the centre settings and the first administrator, all or nothing."""
    if is_initialised(session):
        raise UserError("本数据库已经完成首次设置，不能重复设置。")
    if not data.center_name.strip():
        raise UserError("请填写服务中心名称，例如“××县农民工服务中心”。", field="center_name")
    code = data.county_code.strip()
    county = regions.lookup_division(code) if len(code) == 6 and code.isdigit() else None
    if county is None or county.level != 3:
        raise UserError("请从列表中选择本中心所在的县（市、区）。", field="county_code")
    names = dict(available_profiles())
    if data.profile_name not in names:
        raise UserError("请选择适用的政策配置。", field="profile_name")
    try:
        profile = load_profile(data.profile_name)
    except ProfileError as exc:
        raise UserError(str(exc), field="profile_name") from exc
    session.add(
        CenterSettings(
            center_name=data.center_name.strip(),
            county_code=code,
            county_name=county_label(code),
            profile_name=data.profile_name,
            profile_overrides={},
        )
    )
    accounts.create_user(
        session,
        profile,
        username=data.admin_username,
        display_name=data.admin_display_name or data.admin_username,
        role=Role.ADMIN,
        password=data.admin_password,
        must_change_password=False,
    )
    record_event(session, AuditFact("首次设置", "中心设置", code, detail=f"政策配置 {data.profile_name}"))
    info = load_center(session)
    assert info is not None
    return info
