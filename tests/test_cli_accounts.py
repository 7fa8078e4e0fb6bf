"""``labordesk account …`` and ``labordesk audit export``: the 账号管理 and 审计日志 services from the
command line, acting as an administrator, each refusal in plain Chinese with a non-zero exit."""

from __future__ import annotations

import io
import sys

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop import cli
from desktop.core.audit import verify_chain
from desktop.core.models import AuditEntry
from desktop.core.models.account import User
from desktop.core.services import accounts
from tests.conftest import ADMIN_PASSWORD


def run(capsys, monkeypatch, db_path, *argv: str, stdin: str = "") -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(["--db", str(db_path), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def account(db, username: str) -> User | None:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is not None:
            s.expunge(user)
        return user


def events(db, action: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.entity_id, AuditEntry.detail)
                         .where(AuditEntry.action == action).order_by(AuditEntry.id)).all()
    return [(a, e or "", d or "") for a, e, d in rows]


def test_list_shows_accounts_without_password_material(db, db_path, profile, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:  # lock the clerk: five wrong passwords
        for _ in range(5):
            accounts.sign_in(s, profile, "clerk", "wrong")
    code, out, _ = run(capsys, monkeypatch, db_path, "account", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "用户名\t姓名\t角色\t状态\t最近登录"
    assert lines[1].startswith("admin\t管理员\t管理员\t正常\t")
    assert lines[2].startswith("clerk\t张经办\t经办\t锁定中（到 09:45）\t")
    assert lines[3] == "reviewer\t李审核\t审核\t正常\t从未登录"
    assert "共 3 个账号，其中停用 0 个、锁定 1 个。" in out
    assert "argon2" not in out and "$" not in out

    code, out, err = run(capsys, monkeypatch, db_path, "account", "list", "--user", "reviewer")
    assert code == 2 and out == ""
    assert "需要管理员角色" in err and "--user 指定一个管理员账号" in err


def test_add_creates_an_account_that_must_change_its_password(db, db_path, profile, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, monkeypatch, db_path, "account", "add", "shenji", "--name", "赵审计",
                       "--role", "auditor", stdin="Temp2026!x\n")
    assert code == 0 and "已创建账号 shenji（赵审计，审计）" in out
    created = account(db, "shenji")
    assert created is not None and created.role == "auditor" and created.must_change_password
    assert "Temp2026" not in created.password_hash
    with db.session("shenji") as s:
        signed = accounts.sign_in(s, profile, "shenji", "Temp2026!x").user
    assert signed is not None and signed.must_change_password
    assert events(db, "创建账号") == [("admin", "shenji", "角色：审计")]


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (("shenji", "--name", "赵审计", "--role", "auditor"), "abc\n", "密码至少需要 8 位"),
        (("shenji", "--name", "赵审计", "--role", "auditor"), "abcdefghij\n", "至少 3 类"),
        (("clerk", "--name", "重名", "--role", "clerk"), "Temp2026!x\n", "已被使用"),
        (("shenji", "--name", "赵审计", "--role", "auditor", "--user", "clerk"), "Temp2026!x\n", "需要管理员角色"),
        (("shenji", "--name", "赵审计", "--role", "auditor", "--user", "nobody"), "Temp2026!x\n", "没有可用的账号"),
    ],
)
def test_add_refusals_create_nothing(db, db_path, capsys, monkeypatch, argv, stdin, message) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, monkeypatch, db_path, "account", "add", *argv, stdin=stdin)
    assert code == 2 and out == "" and err.startswith("错误：") and message in err
    assert account(db, "shenji") is None and events(db, "创建账号") == []


def test_reset_password_unlock_disable_and_enable(db, db_path, profile, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, monkeypatch, db_path, "account", "reset-password", "clerk", stdin="Fresh2026!x\n")
    assert code == 0 and "已重置 clerk（张经办）的密码" in out
    with db.session("clerk") as s:
        assert accounts.sign_in(s, profile, "clerk", ADMIN_PASSWORD).user is None
        signed = accounts.sign_in(s, profile, "clerk", "Fresh2026!x").user
    assert signed is not None and signed.must_change_password

    code, _, err = run(capsys, monkeypatch, db_path, "account", "unlock", "clerk")
    assert code == 2 and "没有被锁定" in err
    with db.session("clerk") as s:
        for _ in range(5):
            accounts.sign_in(s, profile, "clerk", "wrong")
    assert account(db, "clerk").locked_until is not None
    code, out, _ = run(capsys, monkeypatch, db_path, "account", "unlock", "clerk")
    assert code == 0 and "已解锁 clerk" in out and account(db, "clerk").locked_until is None

    code, out, _ = run(capsys, monkeypatch, db_path, "account", "disable", "clerk", "--reason", "调离")
    assert code == 0 and "已停用 clerk" in out and account(db, "clerk").disabled
    code, out, _ = run(capsys, monkeypatch, db_path, "account", "enable", "clerk")
    assert code == 0 and not account(db, "clerk").disabled
    assert [e[0] for e in events(db, "重置密码") + events(db, "解锁账号")] == ["admin", "admin"]
    assert events(db, "停用账号") == [("admin", "clerk", "调离")]
    assert events(db, "启用账号") == [("admin", "clerk", "")]


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (("reset-password", "nobody"), "Fresh2026!x\n", "没有用户名为“nobody”的账号"),
        (("reset-password", "clerk"), "short\n", "密码至少需要 8 位"),
        (("reset-password", "admin"), "Fresh2026!x\n", "不能对执行命令的账号“admin”自己"),
        (("reset-password", "reviewer", "--user", "clerk"), "Fresh2026!x\n", "需要管理员角色"),
        (("unlock", "nobody"), "", "没有用户名为“nobody”的账号"),
        (("disable", "admin", "--reason", "离职"), "", "不能对执行命令的账号“admin”自己"),
        (("disable", "clerk", "--reason", "  "), "", "请填写停用原因"),
        (("disable", "clerk", "--reason", "离职", "--user", "reviewer"), "", "需要管理员角色"),
        (("enable", "clerk"), "", "已经是启用状态"),
    ],
)
def test_account_refusals_change_nothing(db, db_path, capsys, monkeypatch, argv, stdin, message) -> None:  # type: ignore[no-untyped-def]
    before = account(db, "clerk")
    code, out, err = run(capsys, monkeypatch, db_path, "account", *argv, stdin=stdin)
    assert code == 2 and out == "" and message in err
    after = account(db, "clerk")
    assert (after.password_hash, after.disabled, after.must_change_password) == (
        before.password_hash, before.disabled, before.must_change_password)
    assert not any(events(db, e) for e in ("重置密码", "停用账号", "启用账号", "解锁账号"))


def test_disable_needs_a_reason_on_the_command_line(db_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as stop:
        run(capsys, monkeypatch, db_path, "account", "disable", "clerk")
    assert stop.value.code == 2 and "--reason" in capsys.readouterr().err


def test_audit_export_filters_writes_xlsx_and_is_recorded(db, db_path, capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run(capsys, monkeypatch, db_path, "account", "add", "shenji", "--name", "赵审计", "--role", "auditor",
        stdin="Temp2026!x\n")
    out_file = tmp_path / "导出" / "审计.xlsx"
    code, out, _ = run(capsys, monkeypatch, db_path, "audit", "export", "--from", "2026-11-01", "--to", "2026-11-30",
                       "--actor", "admin", "--action", "创建账号", "--out", str(out_file))
    assert code == 0 and "已导出 1 条审计记录" in out and str(out_file) in out
    rows = list(load_workbook(out_file).active.iter_rows(values_only=True))
    assert rows[0][0].startswith("审计日志（2026-11-01 至 2026-11-30；用户：admin；事件：创建账号），共 1 条")
    assert rows[1][:5] == ("序号", "时间", "用户", "事件", "对象")
    assert rows[2][2:6] == ("admin", "创建账号", "账号", "shenji") and len(rows) == 3
    assert not [p for p in out_file.parent.iterdir() if p.name.endswith(".part")]
    assert events(db, "导出")[-1][2].endswith("1 条 → 审计.xlsx")

    # the auditor exports too (its transaction may only append the export event); a folder gets a name
    code, out, _ = run(capsys, monkeypatch, db_path, "audit", "export", "--from", "2026-11-22", "--to", "2026-11-22",
                       "--out", str(tmp_path), "--user", "shenji")
    assert code == 0 and (tmp_path / "审计日志_20261122-20261122.xlsx").exists()
    assert events(db, "导出")[-1][0] == "shenji"
    with db.session("t", write=False) as s:
        assert verify_chain(s) is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--from", "2026-11-30", "--to", "2026-11-01"), "起始日期晚于截止日期"),
        (("--from", "2026-11-31", "--to", "2026-12-01"), "起始日期“2026-11-31”的写法不对"),
        (("--from", "2026-11-01", "--to", "2026-11-30", "--action", "删库"), "没有名为“删库”的事件"),
        (("--from", "2026-11-01", "--to", "2026-11-30", "--user", "clerk"), "需要审计、管理员角色"),
    ],
)
def test_audit_export_refusals_write_nothing(db, db_path, capsys, monkeypatch, tmp_path, argv, message) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "导出"
    code, out, err = run(capsys, monkeypatch, db_path, "audit", "export", *argv, "--out", str(folder / "a.xlsx"))
    assert code == 2 and out == "" and message in err
    assert not folder.exists() and events(db, "导出") == []


def test_audit_export_wants_an_xlsx_name(db_path, capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, monkeypatch, db_path, "audit", "export", "--from", "2026-11-01", "--to", "2026-11-30",
                       "--out", str(tmp_path / "审计.csv"))
    assert code == 2 and "应以 .xlsx 结尾" in err
