"""Accounts: password rules, hashing, lockout after repeated failures, forced change."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from desktop.core import clock
from desktop.core.models import AuditEntry, User
from desktop.core.models.account import Role
from desktop.core.services import accounts
from tests.conftest import ADMIN_PASSWORD


@pytest.mark.parametrize(
    "password,ok",
    [("Abc12!", False), ("abcdefgh", False), ("abcdefg1", False), ("abcdef1!", True), ("Abcdefg1", True)],
)
def test_password_rules(profile, password, ok) -> None:  # type: ignore[no-untyped-def]
    assert (accounts.password_problem(password, profile) is None) is ok


def test_password_is_never_stored_plain(db) -> None:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "admin"))
    assert ADMIN_PASSWORD not in stored and stored.startswith("$argon2id$")


def test_five_failures_lock_for_fifteen_minutes(db, profile) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2026, 11, 22, 10, 0, 0)
    clock.pin(start)
    for _ in range(4):
        with db.session("clerk") as s:
            assert accounts.sign_in(s, profile, "clerk", "wrong").user is None
    with db.session("clerk") as s:
        fifth = accounts.sign_in(s, profile, "clerk", "wrong")
    assert fifth.user is None and "锁定 15 分钟" in fifth.message
    clock.pin(start + timedelta(minutes=14, seconds=59))
    with db.session("clerk") as s:
        assert accounts.sign_in(s, profile, "clerk", ADMIN_PASSWORD).user is None
    clock.pin(start + timedelta(minutes=15, seconds=1))
    with db.session("clerk") as s:
        assert accounts.sign_in(s, profile, "clerk", ADMIN_PASSWORD).user is not None
    with db.session("t", write=False) as s:
        events = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "账号")).all()
    assert "账号锁定" in events


def test_new_account_must_change_password_first(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        accounts.create_user(s, profile, username="newbie", display_name="新人", role=Role.CLERK,
                             password="Temp1234!")
    with db.session("newbie") as s:
        user = accounts.sign_in(s, profile, "newbie", "Temp1234!").user
    assert user is not None and user.must_change_password
    with db.session("newbie") as s:
        changed = accounts.change_password(s, profile, user.id, "Temp1234!", "Mine5678!")
    assert not changed.must_change_password


def test_role_check_names_the_needed_role(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        user = accounts.sign_in(s, profile, "clerk", ADMIN_PASSWORD).user
    with pytest.raises(accounts.PermissionDenied, match="审核"):
        accounts.require(user, Role.REVIEWER, action="县级初审")
