"""Helpers every ``labordesk`` sub-command shares: opening the database, the acting account, output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.core.app import open_database
from desktop.core.db.database import Database
from desktop.core.errors import UserError
from desktop.core.services import center as center_service

if TYPE_CHECKING:
    from desktop.core.documents.excel.importing import ImportReport
    from desktop.core.services.accounts import SignedInUser

CLI_ACTOR = "命令行"
Handler = Callable[[argparse.Namespace], int]


def say(text: str) -> None:
    print(text, flush=True)


def open_db(args: argparse.Namespace) -> Database:
    opened = open_database(args.db)
    for warning in opened.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    return opened.db


def require_center(db: Database) -> center_service.CenterInfo:
    with db.session(CLI_ACTOR, write=False) as s:
        info = center_service.load_center(s)
    if info is None:
        raise UserError("数据库尚未完成首次设置，请先运行 labordesk init。")
    return info


def cli_user(db: Database, username: str | None) -> SignedInUser:
    """The account a command acts as: ``--user``, else the first active administrator.

    The command line has no sign-in; whoever can run it can open the database file anyway, so it
    acts as a named account (with its role checks) and the audit log shows that account's name.
    """
    from sqlalchemy import select

    from desktop.core.models.account import Role, User
    from desktop.core.services.accounts import SignedInUser

    with db.session(CLI_ACTOR, write=False) as s:
        stmt = select(User).where(User.disabled.is_(False))
        if username:
            stmt = stmt.where(User.username == username.strip())
        else:
            stmt = stmt.where(User.role == Role.ADMIN.value)
        user = s.scalar(stmt.order_by(User.id).limit(1))
        if user is None:
            raise UserError(f"没有可用的账号“{username}”（不存在或已停用）。" if username else "没有可用的管理员账号。")
        return SignedInUser(user.id, user.username, user.display_name, Role(user.role), False)


def print_report(report: ImportReport) -> int:
    """Print an import report; exit code 1 when rows were bad."""
    for line in report.lines():
        say(line)
    return 0 if not report.bad_rows else 1


def add_command(parent, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
    """A sub-command that also accepts ``--db`` after its name."""
    p = parent.add_parser(name, help=help_text, description=help_text)
    p.add_argument("--db", help=argparse.SUPPRESS, default=argparse.SUPPRESS)
    p.set_defaults(handler=handler)
    return p


def add_import_options(p: argparse.ArgumentParser, *, user: bool = True) -> None:
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument("--skip-bad", action="store_true", help="写入正确的行，列出有问题的行")
    if user:
        p.add_argument("--user", help="记录为哪个账号导入（用户名；默认：第一个管理员账号）")


def subgroup(sub, name: str, help_text: str):  # type: ignore[no-untyped-def]
    """A command group such as ``import`` or ``export``, created once and shared by every area."""
    existing = sub.choices.get(name)
    if existing is not None:
        return existing._labordesk_group
    parser = sub.add_parser(name, help=help_text)
    group = parser.add_subparsers(dest="what", required=True)
    parser._labordesk_group = group
    return group
