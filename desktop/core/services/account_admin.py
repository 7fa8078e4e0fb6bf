"""Account management by an administrator (账号管理): create, disable/enable, unlock, reset password.

Accounts are never deleted (their names stay in the audit log and on every record they touched):
an account that should no longer sign in is disabled. An administrator cannot disable or demote
themselves, nor the last active administrator, so the centre can never lock itself out. Every
action is an audit event (创建账号, 停用账号, 启用账号, 解锁账号, 重置密码, 修改角色), on top of the
field-by-field entries the ``User`` model writes itself.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.errors import UserError
from desktop.core.models.account import ROLE_LABELS, Role, User
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, create_user, hash_password, password_problem, require

ENTITY = User.__audit_entity__  # 账号
ACTION = "账号管理"


@dataclass(frozen=True)
class AccountRow:
    """One account as the management page lists it (no password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool
    locked_until: datetime | None
    must_change_password: bool
    last_sign_in: datetime | None
    created_at: datetime
    created_by: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > clock.now()

    @property
    def status_label(self) -> str:
        if self.disabled:
            return "已停用"
        if self.locked:
            return f"锁定中（到 {self.locked_until:%H:%M}）"
        if self.must_change_password:
            return "正常（下次登录须改密码）"
        return "正常"


def _row(u: User) -> AccountRow:
    return AccountRow(u.id, u.username, u.display_name, Role(u.role), u.disabled, u.locked_until,
                      u.must_change_password, u.last_sign_in, u.created_at, u.created_by)


def list_accounts(session: Session) -> list[AccountRow]:
    """Every account, active ones first (a centre has a handful)."""
    users = session.scalars(select(User).order_by(User.disabled, User.id)).all()
    return [_row(u) for u in users]


def find_account(session: Session, username: str) -> AccountRow:
    """One account by its user name (the command line names accounts, the page picks them)."""
    name = username.strip()
    target = session.scalar(select(User).where(User.username == name)) if name else None
    if target is None:
        raise UserError(f"没有用户名为“{name}”的账号，请核对用户名（账号列表里有全部账号，含已停用的）。")
    return _row(target)


def _admin(session: Session, user: SignedInUser) -> User:
    """The acting administrator, re-read: a signed-in admin disabled or demoted since may not act."""
    require(user, Role.ADMIN, action=ACTION)
    acting = session.get(User, user.id)
    if acting is None or acting.disabled or acting.role != Role.ADMIN.value:
        raise UserError("您的账号已被停用或已不是管理员，不能管理账号。请重新登录。")
    return acting


def _target(session: Session, user_id: int) -> User:
    target = session.get(User, user_id)
    if target is None:
        raise UserError("这个账号不存在，请刷新列表。")
    return target


def _other_active_admins(session: Session, user_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(User).where(
            User.role == Role.ADMIN.value, User.disabled.is_(False), User.id != user_id
        )
    ) or 0


def generate_temporary_password(profile: PolicyProfile) -> str:
    """A random temporary password that meets the profile's rules (the user must change it)."""
    length = max(10, profile.security.password_min_length)
    pools = (string.ascii_uppercase.replace("O", "").replace("I", ""), string.ascii_lowercase.replace("l", ""),
             "23456789", "!@#$%*?")
    chars = [secrets.choice(pool) for pool in pools]
    every = "".join(pools)
    chars += [secrets.choice(every) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def create_account(
    session: Session, user: SignedInUser, profile: PolicyProfile, *, username: str, display_name: str,
    role: Role, temporary_password: str,
) -> AccountRow:
    """A new account that must change its temporary password at first sign-in."""
    _admin(session, user)
    created = create_user(session, profile, username=username, display_name=display_name, role=role,
                          password=temporary_password, must_change_password=True)
    record_event(session, AuditFact("创建账号", ENTITY, created.username, detail=f"角色：{ROLE_LABELS[role]}"))
    return _row(_target(session, created.id))


def set_disabled(session: Session, user: SignedInUser, user_id: int, disabled: bool, reason: str = "") -> AccountRow:
    """Disable (never delete) or enable an account."""
    _admin(session, user)
    target = _target(session, user_id)
    if disabled:
        if target.id == user.id:
            raise UserError("不能停用自己正在使用的账号。")
        if target.role == Role.ADMIN.value and not target.disabled and _other_active_admins(session, target.id) == 0:
            raise UserError("这是最后一个可用的管理员账号，不能停用；请先为其他人创建管理员账号。")
        if not reason.strip():
            raise UserError("请填写停用原因（如：调离、离职）。", field="reason")
    if target.disabled == disabled:
        raise UserError(f"账号“{target.username}”已经是{'停用' if disabled else '启用'}状态。")
    target.disabled = disabled
    record_event(session, AuditFact("停用账号" if disabled else "启用账号", ENTITY, target.username,
                                    detail=reason.strip()))
    return _row(target)


def unlock_account(session: Session, user: SignedInUser, user_id: int) -> AccountRow:
    """End a lockout after repeated wrong passwords before its time is up."""
    _admin(session, user)
    target = _target(session, user_id)
    if not _row(target).locked and not target.failed_attempts:
        raise UserError(f"账号“{target.username}”没有被锁定。")
    target.locked_until = None
    target.failed_attempts = 0
    record_event(session, AuditFact("解锁账号", ENTITY, target.username))
    return _row(target)


def reset_password(
    session: Session, user: SignedInUser, profile: PolicyProfile, user_id: int, temporary_password: str
) -> AccountRow:
    """Set a temporary password the account must change at its next sign-in (a lockout ends too)."""
    _admin(session, user)
    target = _target(session, user_id)
    if target.id == user.id:
        raise UserError("自己的密码请用“账号 → 修改密码”修改。")
    problem = password_problem(temporary_password, profile, target.username)
    if problem:
        raise UserError(problem, field="password")
    target.password_hash = hash_password(temporary_password)
    target.must_change_password = True
    target.password_changed_at = clock.now()
    target.locked_until = None
    target.failed_attempts = 0
    record_event(session, AuditFact("重置密码", ENTITY, target.username, detail="下次登录须修改密码"))
    return _row(target)


def change_role(session: Session, user: SignedInUser, user_id: int, role: Role) -> AccountRow:
    _admin(session, user)
    target = _target(session, user_id)
    if target.role == role.value:
        raise UserError(f"账号“{target.username}”已经是{ROLE_LABELS[role]}。")
    if target.role == Role.ADMIN.value:
        if target.id == user.id:
            raise UserError("不能取消自己的管理员角色。")
        if not target.disabled and _other_active_admins(session, target.id) == 0:
            raise UserError("这是最后一个可用的管理员账号，不能改为其他角色。")
    old = ROLE_LABELS[Role(target.role)]
    target.role = role.value
    record_event(session, AuditFact("修改角色", ENTITY, target.username, "role", old, ROLE_LABELS[role]))
    return _row(target)
