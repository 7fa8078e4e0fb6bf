"""Account management: create with a role, disable (never delete), unlock, reset password; all audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from desktop.core import clock
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models import AuditEntry, User
from desktop.core.models.account import Role
from desktop.core.services import account_admin as svc
from desktop.core.services import accounts
from tests.conftest import ADMIN_PASSWORD


def signed(db, profile, username: str = "admin"):  # type: ignore[no-untyped-def]
    with db.session(username) as s:
        user = accounts.sign_in(s, profile, username, ADMIN_PASSWORD).user
    assert user is not None
    return user


def account_id(db, username: str) -> int:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        return s.scalar(select(User.id).where(User.username == username))


def events(db) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.entity_id)
                         .where(AuditEntry.field != "*").order_by(AuditEntry.id)).all()
    return [tuple(r) for r in rows]


def test_admin_creates_an_account_that_must_change_its_password(db, profile) -> None:  # type: ignore[no-untyped-def]
    admin = signed(db, profile)
    temp = svc.generate_temporary_password(profile)
    assert accounts.password_problem(temp, profile) is None
    with db.session("admin") as s:
        row = svc.create_account(s, admin, profile, username="shenji", display_name="赵审计", role=Role.AUDITOR,
                                 temporary_password=temp)
    assert row.role is Role.AUDITOR and row.must_change_password and "须改密码" in row.status_label
    with db.session("shenji") as s:
        user = accounts.sign_in(s, profile, "shenji", temp).user
    assert user is not None and user.must_change_password
    assert ("admin", "创建账号", "shenji") in events(db)
    with pytest.raises(UserError, match="已被使用"), db.session("admin") as s:
        svc.create_account(s, admin, profile, username="shenji", display_name="x", role=Role.CLERK,
                           temporary_password=temp)
    with pytest.raises(UserError, match="至少"), db.session("admin") as s:
        svc.create_account(s, admin, profile, username="weak", display_name="x", role=Role.CLERK,
                           temporary_password="abc")


@pytest.mark.parametrize("who", ["clerk", "reviewer"])
def test_only_an_admin_manages_accounts(db, profile, who) -> None:  # type: ignore[no-untyped-def]
    user = signed(db, profile, who)
    target = account_id(db, "admin")
    actions = [
        lambda s: svc.create_account(s, user, profile, username="x1", display_name="x", role=Role.ADMIN,
                                     temporary_password="Abcdef12!x"),
        lambda s: svc.set_disabled(s, user, target, True, "离职"),
        lambda s: svc.unlock_account(s, user, target),
        lambda s: svc.reset_password(s, user, profile, target, "Abcdef12!x"),
        lambda s: svc.change_role(s, user, target, Role.CLERK),
    ]
    for action in actions:
        with pytest.raises(PermissionDenied, match="管理员"), db.session(who) as s:
            action(s)


def test_disable_keeps_the_account_and_enable_restores_it(db, profile) -> None:  # type: ignore[no-untyped-def]
    admin = signed(db, profile)
    clerk = account_id(db, "clerk")
    with pytest.raises(UserError, match="停用原因"), db.session("admin") as s:
        svc.set_disabled(s, admin, clerk, True, " ")
    with db.session("admin") as s:
        row = svc.set_disabled(s, admin, clerk, True, "调离")
    assert row.disabled and row.status_label == "已停用"
    with db.session("clerk") as s:
        assert accounts.sign_in(s, profile, "clerk", ADMIN_PASSWORD).user is None
    with db.session("admin") as s:
        svc.set_disabled(s, admin, clerk, False)
    assert signed(db, profile, "clerk") is not None
    with db.session("t", write=False) as s:
        assert s.scalar(select(func.count()).select_from(User)) == 3  # nothing was deleted
        field_entries = s.execute(select(AuditEntry.old_value, AuditEntry.new_value)
                                  .where(AuditEntry.field == "disabled")).all()
    assert [tuple(e) for e in field_entries] == [("否", "是"), ("是", "否")]
    assert [e[1] for e in events(db) if e[1] in ("停用账号", "启用账号")] == ["停用账号", "启用账号"]


def test_admin_cannot_disable_demote_or_reset_themselves(db, profile) -> None:  # type: ignore[no-untyped-def]
    admin = signed(db, profile)
    me = account_id(db, "admin")
    with pytest.raises(UserError, match="自己"), db.session("admin") as s:
        svc.set_disabled(s, admin, me, True, "x")
    with pytest.raises(UserError, match="自己"), db.session("admin") as s:
        svc.change_role(s, admin, me, Role.CLERK)
    with pytest.raises(UserError, match="修改密码"), db.session("admin") as s:
        svc.reset_password(s, admin, profile, me, "Abcdef12!x")


def test_the_last_active_admin_always_remains(db, profile) -> None:  # type: ignore[no-untyped-def]
    admin = signed(db, profile)
    me = account_id(db, "admin")
    with db.session("admin") as s:
        svc.create_account(s, admin, profile, username="admin2", display_name="二号", role=Role.ADMIN,
                           temporary_password="Abcdef12!x")
    second = account_id(db, "admin2")
    admin2 = accounts.SignedInUser(second, "admin2", "二号", Role.ADMIN, False)
    with db.session("admin2") as s:  # two admins: one may disable the other
        svc.set_disabled(s, admin2, me, True, "调离")
    # admin2 is now the last active admin: the disabled admin may no longer act on it …
    with pytest.raises(UserError, match="已被停用"), db.session("admin") as s:
        svc.set_disabled(s, admin, second, True, "x")
    with pytest.raises(UserError, match="已被停用"), db.session("admin") as s:
        svc.change_role(s, admin, second, Role.CLERK)
    # … and it cannot give up the role itself.
    with pytest.raises(UserError, match="自己"), db.session("admin2") as s:
        svc.change_role(s, admin2, second, Role.CLERK)
    with db.session("t", write=False) as s:
        assert s.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.disabled.is_(False))) == 1
    with db.session("admin2") as s:  # the old admin comes back and becomes a reviewer
        svc.set_disabled(s, admin2, me, False)
        row = svc.change_role(s, admin2, me, Role.REVIEWER)
    assert row.role is Role.REVIEWER
    demoted = accounts.SignedInUser(me, "admin", "管理员", Role.REVIEWER, False)
    with pytest.raises(PermissionDenied), db.session("admin") as s:
        svc.set_disabled(s, demoted, second, True, "x")
    with db.session("t", write=False) as s:
        entry = s.execute(select(AuditEntry.old_value, AuditEntry.new_value)
                          .where(AuditEntry.action == "修改角色")).one()
    assert tuple(entry) == ("管理员", "审核")


def test_unlock_and_reset_end_a_lockout(db, profile) -> None:  # type: ignore[no-untyped-def]
    admin = signed(db, profile)
    clerk = account_id(db, "clerk")
    start = datetime(2026, 11, 22, 10, 0)
    clock.pin(start)
    for _ in range(profile.security.lockout_failures):
        with db.session("clerk") as s:
            accounts.sign_in(s, profile, "clerk", "wrong")
    with db.session("t", write=False) as s:
        row = next(a for a in svc.list_accounts(s) if a.id == clerk)
    assert row.locked and row.status_label == "锁定中（到 10:15）"
    with db.session("admin") as s:
        svc.unlock_account(s, admin, clerk)
    assert signed(db, profile, "clerk") is not None
    with pytest.raises(UserError, match="没有被锁定"), db.session("admin") as s:
        svc.unlock_account(s, admin, clerk)
    for _ in range(profile.security.lockout_failures):
        with db.session("clerk") as s:
            accounts.sign_in(s, profile, "clerk", "wrong")
    clock.pin(start + timedelta(minutes=1))
    with db.session("admin") as s:
        svc.reset_password(s, admin, profile, clerk, "Temp9876!x")
    with db.session("clerk") as s:
        assert accounts.sign_in(s, profile, "clerk", ADMIN_PASSWORD).user is None
        user = accounts.sign_in(s, profile, "clerk", "Temp9876!x").user
    assert user is not None and user.must_change_password
    actions = [e[1] for e in events(db)]
    assert "解锁账号" in actions and "重置密码" in actions
    with db.session("t", write=False) as s:  # the password hash itself is never in the log
        assert not s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.field == "password_hash"))


def test_an_old_password_hash_does_not_linger_in_the_file(db, profile, db_path) -> None:  # type: ignore[no-untyped-def]
    """剩余信息保护: after a reset the old hash is gone from the database file, free pages included."""
    admin = signed(db, profile)
    clerk = account_id(db, "clerk")
    with db.session("t", write=False) as s:
        old_hash = s.get(User, clerk).password_hash
    with db.session("admin") as s:
        svc.reset_password(s, admin, profile, clerk, "Temp9876!x")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [db_path, db_path.with_name(db_path.name + "-wal")]
    content = b"".join(f.read_bytes() for f in files if f.exists())
    assert old_hash.encode() not in content
