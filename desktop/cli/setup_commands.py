"""``labordesk init``, ``demo`` and ``check``."""

from __future__ import annotations

import argparse
import getpass
import sys

from desktop.cli.common import CLI_ACTOR, add_command, open_db, say
from desktop.core.audit import AuditFact, record_event
from desktop.core.services import center as center_service


def cmd_init(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n") if not sys.stdin.isatty() else getpass.getpass("管理员密码：")
    db = open_db(args)
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
    say(f"已完成首次设置：{info.center_name}（{info.county_name}），政策配置 {info.profile_name}，管理员 {args.admin}。")
    say(f"数据库：{db.url}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop.core.demo import generate_demo

    db = open_db(args)
    summary = generate_demo(db, size=args.size, profile_name=args.policy, progress=say)
    say(summary)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from desktop.core.services.maintenance import check_database

    db = open_db(args)
    problems = check_database(db)
    for line in problems:
        say(line)
    if not problems:
        say("检查通过：数据库完整，外键一致，审计日志链条完整。")
    with db.session(CLI_ACTOR) as s:
        record_event(s, AuditFact("数据库检查", outcome="成功" if not problems else "发现问题"))
    return 0 if not problems else 1


def register(sub) -> None:  # type: ignore[no-untyped-def]
    p = add_command(sub, "init", cmd_init, "首次设置：服务中心、所在县、政策配置、首个管理员（密码从标准输入读取）")
    p.add_argument("--center", required=True, help="服务中心名称")
    p.add_argument("--county", required=True, help="县（市、区）6位行政区划代码")
    p.add_argument("--policy", required=True, help="政策配置：sichuan / chongqing / honghe / jindong")
    p.add_argument("--admin", required=True, help="管理员用户名")
    p.add_argument("--admin-name", help="管理员姓名")

    p = add_command(sub, "demo", cmd_demo, "生成演示数据")
    p.add_argument("--size", choices=("small", "county", "city"), default="small")
    p.add_argument("--policy", default="sichuan", help="首次设置时使用的政策配置（默认 sichuan）")

    add_command(sub, "check", cmd_check, "检查数据库完整性、外键和审计日志链条")
