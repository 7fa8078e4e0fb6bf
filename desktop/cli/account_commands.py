"""``labordesk account …`` (账号管理) and ``labordesk audit export`` (审计日志导出).

Each command acts as an administrator account (``--user``, else the first active administrator)
through the services the 账号管理 and 审计日志 pages use, so the same rules apply (no self-disable,
the last administrator stays, password rules) and the same audit events are written. The audit
chain itself is checked by ``labordesk check``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from desktop.cli.common import add_command, cli_user, open_db, require_center, say, subgroup
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.account import ROLE_LABELS, Role

USER_HELP = "以哪个管理员账号的身份执行（用户名；默认：第一个可用的管理员账号）"


def read_password(prompt: str) -> str:
    """One line from standard input (as ``labordesk init`` reads it), or typed twice at a terminal."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("再输入一次：") != first:
        raise UserError("两次输入的密码不一致，请重新运行命令。")
    return first


def _first_sentence(exc: Exception) -> str:
    """The service's refusal without its GUI advice (the command line has no sign-in to change)."""
    return str(exc).split("。")[0] + "。"


def _run_as_admin(args: argparse.Namespace, work, *, write: bool = True):  # type: ignore[no-untyped-def]
    """Run ``work(session, user, profile)`` in one transaction as the acting administrator."""
    db = open_db(args)
    profile = require_center(db).profile()
    user = cli_user(db, args.user)
    try:
        with db.session(user.username, write=write) as s:
            return work(s, user, profile)
    except PermissionDenied as exc:
        raise PermissionDenied(_first_sentence(exc) + "命令行请用 --user 指定一个管理员账号。") from exc


def _target_id(s, username: str, acting) -> int:  # type: ignore[no-untyped-def]
    from desktop.core.services import account_admin as svc

    row = svc.find_account(s, username)
    if row.id == acting.id:
        raise UserError(f"不能对执行命令的账号“{acting.username}”自己做这件事；"
                        "请用 --user 指定另一个管理员账号（改自己的密码请登录后用“账号 → 修改密码”）。")
    return row.id


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.core.services import account_admin as svc
    from desktop.core.services.accounts import require

    def work(s, user, _profile):  # type: ignore[no-untyped-def]
        require(user, Role.ADMIN, action=svc.ACTION)
        return svc.list_accounts(s)

    rows = _run_as_admin(args, work, write=False)
    say("用户名\t姓名\t角色\t状态\t最近登录")
    for a in rows:
        last = f"{a.last_sign_in:%Y-%m-%d %H:%M}" if a.last_sign_in else "从未登录"
        say(f"{a.username}\t{a.display_name}\t{a.role_label}\t{a.status_label}\t{last}")
    say(f"共 {len(rows)} 个账号，其中停用 {sum(a.disabled for a in rows)} 个、锁定 {sum(a.locked for a in rows)} 个。")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from desktop.core.services import account_admin as svc

    role = Role(args.role)
    password = read_password(f"“{args.username}”的临时密码：")

    def work(s, user, profile):  # type: ignore[no-untyped-def]
        return svc.create_account(s, user, profile, username=args.username, display_name=args.name, role=role,
                                  temporary_password=password)

    row = _run_as_admin(args, work)
    say(f"已创建账号 {row.username}（{row.display_name}，{row.role_label}）。请把临时密码当面告诉本人；"
        "本人第一次登录时必须改为自己的密码。")
    return 0


def cmd_reset_password(args: argparse.Namespace) -> int:
    from desktop.core.services import account_admin as svc

    password = read_password(f"“{args.username}”的新临时密码：")

    def work(s, user, profile):  # type: ignore[no-untyped-def]
        return svc.reset_password(s, user, profile, _target_id(s, args.username, user), password)

    row = _run_as_admin(args, work)
    say(f"已重置 {row.username}（{row.display_name}）的密码；本人下次登录时必须修改。")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    from desktop.core.services import account_admin as svc

    row = _run_as_admin(args, lambda s, user, _p: svc.unlock_account(s, user, svc.find_account(s, args.username).id))
    say(f"已解锁 {row.username}（{row.display_name}），现在可以登录。")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    from desktop.core.services import account_admin as svc

    def work(s, user, _profile):  # type: ignore[no-untyped-def]
        return svc.set_disabled(s, user, _target_id(s, args.username, user), True, args.reason or "")

    row = _run_as_admin(args, work)
    say(f"已停用 {row.username}（{row.display_name}）：不能再登录，账号和它经办的记录都保留。")
    return 0


def cmd_enable(args: argparse.Namespace) -> int:
    from desktop.core.services import account_admin as svc

    row = _run_as_admin(args, lambda s, user, _p: svc.set_disabled(s, user, svc.find_account(s, args.username).id,
                                                                   False))
    say(f"已启用 {row.username}（{row.display_name}）。")
    return 0


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{what}“{text}”的写法不对，请写成 2026-11-01 这样的格式。") from None


def _export_target(out: str, q) -> Path:  # type: ignore[no-untyped-def]
    path = Path(out)
    if path.is_dir():
        return path / f"审计日志_{q.date_from:%Y%m%d}-{q.date_to:%Y%m%d}.xlsx"
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"导出文件“{path.name}”应以 .xlsx 结尾（Excel 工作簿），或给出一个文件夹。")
    return path


def cmd_audit_export(args: argparse.Namespace) -> int:
    from desktop.core.services import audit_log

    q = audit_log.AuditQuery(date_from=_day(args.date_from, "起始日期"), date_to=_day(args.date_to, "截止日期"),
                             actor=args.actor or "", action=args.action or "")
    db = open_db(args)
    profile = require_center(db).profile()
    user = cli_user(db, args.user)
    if q.action:
        with db.session(user.username, write=False) as s:
            events = audit_log.filter_choices(s).events
        if q.action.strip() not in events:
            raise UserError(f"没有名为“{q.action}”的事件。可选：{'、'.join(events)}。")
    out = _export_target(args.out, q)
    try:
        count = audit_log.export_entries(db, user, profile, q, out)
    except PermissionDenied as exc:
        raise PermissionDenied(_first_sentence(exc) + "命令行请用 --user 指定审计或管理员账号。") from exc
    say(f"已导出 {count} 条审计记录（{audit_log.describe(q)}）：{out}")
    say("导出本身已记入审计日志。")
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    group = subgroup(sub, "account", "账号管理：查看、新建、重置密码、解锁、停用（以管理员身份）")
    p = add_command(group, "list", cmd_list, "列出全部账号：用户名、姓名、角色、状态、最近登录")
    p.add_argument("--user", help=USER_HELP)
    p = add_command(group, "add", cmd_add, "新建账号；临时密码从标准输入读取，本人首次登录时必须修改")
    p.add_argument("username", help="新账号的用户名")
    p.add_argument("--name", required=True, help="姓名")
    p.add_argument("--role", required=True, choices=[r.value for r in Role],
                   help="角色：" + "、".join(f"{r.value}（{ROLE_LABELS[r]}）" for r in Role))
    p.add_argument("--user", help=USER_HELP)
    p = add_command(group, "reset-password", cmd_reset_password, "重置密码；新临时密码从标准输入读取")
    p.add_argument("username")
    p.add_argument("--user", help=USER_HELP)
    p = add_command(group, "unlock", cmd_unlock, "解锁因密码输错被锁定的账号")
    p.add_argument("username")
    p.add_argument("--user", help=USER_HELP)
    p = add_command(group, "disable", cmd_disable, "停用账号（不删除；须写明原因）")
    p.add_argument("username")
    p.add_argument("--reason", required=True, help="停用原因，如：调离、离职")
    p.add_argument("--user", help=USER_HELP)
    p = add_command(group, "enable", cmd_enable, "重新启用停用的账号")
    p.add_argument("username")
    p.add_argument("--user", help=USER_HELP)

    audit = subgroup(sub, "audit", "审计日志（完整性校验见 labordesk check）")
    p = add_command(audit, "export", cmd_audit_export, "按日期范围等条件把审计日志导出为 .xlsx（号码部分隐藏）")
    p.add_argument("--from", dest="date_from", metavar="DATE", required=True, help="起始日期，如 2026-01-01（含）")
    p.add_argument("--to", dest="date_to", metavar="DATE", required=True, help="截止日期，如 2026-12-31（含）")
    p.add_argument("--actor", help="只导出这个用户的记录（用户名）")
    p.add_argument("--action", help="只导出这个事件，如 登录、导出、修改设置、新建、修改")
    p.add_argument("--out", required=True, help="导出的 .xlsx 文件，或一个文件夹")
    p.add_argument("--user", help="以哪个审计或管理员账号的身份导出（默认：第一个可用的管理员账号）")
