"""The ``labordesk`` command: the same core services as the GUI, for IT staff and scheduled jobs.

``labordesk`` with no sub-command starts the GUI.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.app import open_database
from desktop.core.audit import AuditFact, record_event
from desktop.core.db.database import Database
from desktop.core.errors import UserError
from desktop.core.rules.profile import ProfileError
from desktop.core.services import center as center_service

if TYPE_CHECKING:
    from desktop.core.documents.excel.importing import ImportReport
    from desktop.core.services.accounts import SignedInUser

CLI_ACTOR = "命令行"
Handler = Callable[[argparse.Namespace], int]


def _say(text: str) -> None:
    print(text, flush=True)


def _open(args: argparse.Namespace) -> Database:
    opened = open_database(args.db)
    for warning in opened.warnings:
        print(f"警告：{warning}", file=sys.stderr)
    return opened.db


def _center(db: Database) -> center_service.CenterInfo:
    with db.session(CLI_ACTOR, write=False) as s:
        info = center_service.load_center(s)
    if info is None:
        raise UserError("数据库尚未完成首次设置，请先运行 labordesk init。")
    return info


def cmd_init(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n") if not sys.stdin.isatty() else getpass.getpass("管理员密码：")
    db = _open(args)
    with db.session(args.admin) as s:
        info = center_service.initialise(
            s,
            center_service.SetupInput(
                center_name=args.center,
                county_code=args.county,
                profile_name=args.policy,
                admin_username=args.admin,
                admin_display_name=args.admin_name or args.admin,
                admin_password=password,
            ),
        )
    _say(f"已完成首次设置：{info.center_name}（{info.county_name}），政策配置 {info.profile_name}，管理员 {args.admin}。")
    _say(f"数据库：{db.url}")
    return 0


def cmd_import_applications(args: argparse.Namespace) -> int:
    from desktop.core.documents.excel.application_import import import_applications

    db = _open(args)
    profile = _center(db).profile()
    report = import_applications(db, profile, Path(args.file), actor=CLI_ACTOR,
                                 dry_run=args.dry_run, skip_bad=args.skip_bad)
    for line in report.lines():
        _say(line)
    return 0 if not report.bad_rows else 1


def _cli_user(db: Database, username: str | None) -> SignedInUser:
    """The account an import is recorded under: ``--user``, else the first active administrator.

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


def _report(report: ImportReport) -> int:
    for line in report.lines():
        _say(line)
    return 0 if not report.bad_rows else 1


def cmd_import_training(args: argparse.Namespace) -> int:
    from desktop.core.documents.excel.training_import import import_training_results

    db = _open(args)
    _center(db)
    user = _cli_user(db, args.user)
    _say(f"以账号 {user.username}（{user.display_name}）导入培训考试结果。")
    return _report(import_training_results(db, Path(args.file), user=user, dry_run=args.dry_run,
                                           skip_bad=args.skip_bad))


def cmd_import_brokers(args: argparse.Namespace) -> int:
    from desktop.core.documents.excel.broker_import import import_brokers

    db = _open(args)
    info = _center(db)
    user = _cli_user(db, args.user)
    _say(f"以账号 {user.username}（{user.display_name}）导入已认定的劳务经纪人。")
    return _report(import_brokers(db, Path(args.file), user=user, dry_run=args.dry_run, skip_bad=args.skip_bad,
                                  county_code=info.county_code))


def cmd_publicity_list(args: argparse.Namespace) -> int:
    from desktop.core.services import publicity
    from desktop.core.services.publicity_documents import batch_refs

    db = _open(args)
    _center(db)
    with db.session(CLI_ACTOR, write=False) as s:
        batches = publicity.list_batches(s)
        refs = batch_refs(s)
    if not batches:
        _say("还没有公示批次。")
    for b in batches:
        pending = f"，待核实 {b.pending_objections} 条" if b.pending_objections else ""
        _say(f"{b.id}\t{refs.get(b.id, '')}\t{b.status_label}\t{b.start_date:%Y-%m-%d} 至 {b.end_date:%Y-%m-%d}\t"
             f"{b.people} 人，异议 {b.objections} 条{pending}\t{b.title}")
    return 0


def cmd_publicity_print(args: argparse.Namespace) -> int:
    from desktop.core.services import publicity
    from desktop.core.services.publicity_documents import write_notice_pdf

    db = _open(args)
    profile = _center(db).profile()
    out = Path(args.out)
    with db.session(CLI_ACTOR) as s:
        notice = write_notice_pdf(s, profile, publicity.find_batch(s, args.batch), out)
    _say(f"已生成公示：{out}（{notice.title}，{len(notice.rows)} 人）")
    return 0


def cmd_print_application(args: argparse.Namespace) -> int:
    from desktop.core.services.printing import print_application_pdf

    db = _open(args)
    profile = _center(db).profile()
    out = Path(args.out)
    with db.session(CLI_ACTOR) as s:
        print_application_pdf(s, profile, args.id_number, out)
    _say(f"已生成申请表：{out}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop.core.demo import generate_demo

    db = _open(args)
    summary = generate_demo(db, size=args.size, profile_name=args.policy, progress=_say)
    _say(summary)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from desktop.core.services.maintenance import check_database

    db = _open(args)
    problems = check_database(db)
    for line in problems:
        _say(line)
    if not problems:
        _say("检查通过：数据库完整，外键一致，审计日志链条完整。")
    with db.session(CLI_ACTOR) as s:
        record_event(s, AuditFact("数据库检查", outcome="成功" if not problems else "发现问题"))
    return 0 if not problems else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="labordesk", description="劳务服务管理台（LaborDesk）命令行")
    parser.add_argument("--db", help="数据库文件路径或 SQLAlchemy URL（默认：本用户数据目录下的 labordesk.db）")
    sub = parser.add_subparsers(dest="command")

    def add(name: str, handler: Handler, help_text: str, parent=sub) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        p = parent.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", help=argparse.SUPPRESS, default=argparse.SUPPRESS)
        p.set_defaults(handler=handler)
        return p

    p = add("init", cmd_init, "首次设置：服务中心、所在县、政策配置、首个管理员（密码从标准输入读取）")
    p.add_argument("--center", required=True, help="服务中心名称")
    p.add_argument("--county", required=True, help="县（市、区）6位行政区划代码")
    p.add_argument("--policy", required=True, help="政策配置：sichuan / chongqing / honghe / jindong")
    p.add_argument("--admin", required=True, help="管理员用户名")
    p.add_argument("--admin-name", help="管理员姓名")

    imp = sub.add_parser("import", help="从 Excel 导入").add_subparsers(dest="what", required=True)
    p = add("applications", cmd_import_applications, "导入劳务经纪人申请（.xlsx）", imp)
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument("--skip-bad", action="store_true", help="写入正确的行，列出有问题的行")

    for name, handler, text in (
        ("training", cmd_import_training, "导入线上培训考试结果（省平台导出的 .xlsx）"),
        ("brokers", cmd_import_brokers, "导入系统启用前已认定的劳务经纪人（备案信息表 附件3 .xlsx）"),
    ):
        p = add(name, handler, text, imp)
        p.add_argument("file")
        p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        p.add_argument("--skip-bad", action="store_true", help="写入正确的行，列出有问题的行")
        p.add_argument("--user", help="记录为哪个账号导入（用户名；默认：第一个管理员账号）")

    pub = sub.add_parser("publicity", help="公示批次").add_subparsers(dest="what", required=True)
    add("list", cmd_publicity_list, "列出公示批次（编号、年份-批次、状态、公示期、人数）", pub)
    p = add("print", cmd_publicity_print, "生成公示名单 PDF", pub)
    p.add_argument("batch", help="批次编号（如 3）或“年份-批次”（如 2026-1）")
    p.add_argument("--out", required=True, help="输出的 PDF 文件")

    prt = sub.add_parser("print", help="生成打印用 PDF").add_subparsers(dest="what", required=True)
    p = add("application", cmd_print_application, "打印申请认定表（附件1）", prt)
    p.add_argument("id_number")
    p.add_argument("--out", required=True)

    p = add("demo", cmd_demo, "生成演示数据")
    p.add_argument("--size", choices=("small", "county", "city"), default="small")
    p.add_argument("--policy", default="sichuan", help="首次设置时使用的政策配置（默认 sichuan）")

    add("check", cmd_check, "检查数据库完整性、外键和审计日志链条")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        from desktop.ui.app import run_gui

        return run_gui(db=args.db)
    try:
        return int(args.handler(args))
    except (UserError, ProfileError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
