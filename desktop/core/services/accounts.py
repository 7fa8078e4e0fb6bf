"""Accounts: password rules, hashing, sign-in with lockout, roles (身份鉴别 / 访问控制)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.account import ROLE_LABELS, Role, User
from desktop.core.rules.profile import PolicyProfile

# Argon2id with argon2-cffi's RFC 9106 "low memory" defaults: ~50 ms on an office PC.
_hasher = PasswordHasher()


@dataclass(frozen=True)
class SignedInUser:
    """Who is at the counter: what the UI needs, detached from any session."""

    id: int
    username: str
    display_name: str
    role: Role
    must_change_password: bool

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def can(self, *roles: Role) -> bool:
        return self.role in roles


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str, profile: PolicyProfile, username: str = "") -> str | None:
    """Why a new password is not acceptable (GB/T 22239 level 2 complexity), or None."""
    rules = profile.security
    if len(password) < rules.password_min_length:
        return f"密码至少需要 {rules.password_min_length} 位，现在只有 {len(password)} 位。"
    classes = sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )
    if classes < rules.password_min_classes:
        return (
            f"密码需包含小写字母、大写字母、数字、符号中的至少 {rules.password_min_classes} 类，"
            f"现在只有 {classes} 类。"
        )
    if username and username.lower() in password.lower():
        return "密码不能包含用户名。"
    return None


def _signed_in(user: User) -> SignedInUser:
    return SignedInUser(user.id, user.username, user.display_name, Role(user.role), user.must_change_password)


def user_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def create_user(
    session: Session,
    profile: PolicyProfile,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    must_change_password: bool = True,
) -> SignedInUser:
    username = username.strip()
    if not username:
        raise UserError("请填写用户名。", field="username")
    if not display_name.strip():
        raise UserError("请填写姓名。", field="display_name")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError(f"用户名“{username}”已被使用（停用的账号也保留用户名），请换一个。", field="username")
    problem = password_problem(password, profile, username)
    if problem:
        raise UserError(problem, field="password")
    user = User(
        username=username,
        display_name=display_name.strip(),
        role=role.value,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        password_changed_at=clock.now(),
    )
    session.add(user)
    session.flush()
    return _signed_in(user)


@dataclass(frozen=True)
class SignInResult:
    user: SignedInUser | None
    message: str = ""


def sign_in(session: Session, profile: PolicyProfile, username: str, password: str) -> SignInResult:
    """Check a password; count failures and lock after the profile's limit. Always commit-safe.

    In an events-only session (a read-only database, ``Database.event_session``) the account row
    is left as it is: failures are audited but counted by the caller (the sign-in dialog closes
    after the profile's limit).
    """
    rules = profile.security
    now = clock.now()
    persist = not session.info.get("events_only")
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or user.disabled:
        record_event(session, AuditFact("登录", "账号", username, outcome="失败", detail="用户名不存在或已停用"))
        return SignInResult(None, "用户名或密码不正确。")
    if user.locked_until and user.locked_until > now:
        record_event(session, AuditFact("登录", "账号", username, outcome="失败", detail="账号锁定中"))
        return SignInResult(
            None,
            f"密码连续输错 {rules.lockout_failures} 次，账号已锁定到 {user.locked_until:%H:%M}，"
            "请稍后再试，或请管理员解锁。",
        )
    if not password_matches(user.password_hash, password):
        if persist:
            user.failed_attempts += 1
        if persist and user.failed_attempts >= rules.lockout_failures:
            user.locked_until = now + timedelta(minutes=rules.lockout_minutes)
            user.failed_attempts = 0
            record_event(session, AuditFact("账号锁定", "账号", username, outcome="失败",
                                            detail=f"连续 {rules.lockout_failures} 次密码错误"))
            return SignInResult(
                None,
                f"密码连续输错 {rules.lockout_failures} 次，账号锁定 {rules.lockout_minutes} 分钟"
                f"（到 {user.locked_until:%H:%M}）。",
            )
        record_event(session, AuditFact("登录", "账号", username, outcome="失败", detail="密码错误"))
        if not persist:
            return SignInResult(None, "用户名或密码不正确。")
        left = rules.lockout_failures - user.failed_attempts
        return SignInResult(None, f"用户名或密码不正确。再错 {left} 次账号将被锁定 {rules.lockout_minutes} 分钟。")
    if persist:
        user.failed_attempts = 0
        user.locked_until = None
        user.last_sign_in = now
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
    record_event(session, AuditFact("登录", "账号", username, detail="" if persist else "只读方式"))
    return SignInResult(_signed_in(user))


def verify_password(session: Session, user_id: int, password: str) -> bool:
    """Re-check the signed-in user's password (screen unlock); failures are audited."""
    user = session.get(User, user_id)
    ok = user is not None and not user.disabled and password_matches(user.password_hash, password)
    record_event(session, AuditFact("解锁屏幕", "账号", user.username if user else str(user_id),
                                    outcome="成功" if ok else "失败"))
    return ok


def change_password(
    session: Session, profile: PolicyProfile, user_id: int, old_password: str, new_password: str
) -> SignedInUser:
    user = session.get(User, user_id)
    if user is None or not password_matches(user.password_hash, old_password):
        raise UserError("原密码不正确。", field="old_password")
    if old_password == new_password:
        raise UserError("新密码不能与原密码相同。", field="new_password")
    problem = password_problem(new_password, profile, user.username)
    if problem:
        raise UserError(problem, field="new_password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.password_changed_at = clock.now()
    record_event(session, AuditFact("修改密码", "账号", user.username))
    return _signed_in(user)


def require(user: SignedInUser, *roles: Role, action: str) -> None:
    """Raise PermissionDenied unless ``user`` has one of ``roles``."""
    if user.role not in roles:
        names = "、".join(ROLE_LABELS[r] for r in roles)
        raise PermissionDenied(f"“{action}”需要{names}角色，当前账号是{user.role_label}。请换有权限的账号登录。")
