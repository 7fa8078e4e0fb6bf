"""Broker applications, training results, the broker registry and publicity (公示) from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import (
    CLI_ACTOR,
    add_command,
    add_import_options,
    cli_user,
    open_db,
    print_report,
    require_center,
    say,
    subgroup,
)


def cmd_import_applications(args: argparse.Namespace) -> int:
    from desktop.core.documents.excel.application_import import import_applications

    db = open_db(args)
    profile = require_center(db).profile()
    return print_report(import_applications(db, profile, Path(args.file), actor=CLI_ACTOR,
                                            dry_run=args.dry_run, skip_bad=args.skip_bad))


def cmd_import_training(args: argparse.Namespace) -> int:
    from desktop.core.documents.excel.training_import import import_training_results

    db = open_db(args)
    require_center(db)
    user = cli_user(db, args.user)
    say(f"以账号 {user.username}（{user.display_name}）导入培训考试结果。")
    return print_report(import_training_results(db, Path(args.file), user=user, dry_run=args.dry_run,
                                                skip_bad=args.skip_bad))


def cmd_import_brokers(args: argparse.Namespace) -> int:
    from desktop.core.documents.excel.broker_import import import_brokers

    db = open_db(args)
    info = require_center(db)
    user = cli_user(db, args.user)
    say(f"以账号 {user.username}（{user.display_name}）导入已认定的劳务经纪人。")
    return print_report(import_brokers(db, Path(args.file), user=user, dry_run=args.dry_run,
                                       skip_bad=args.skip_bad, county_code=info.county_code))


def cmd_publicity_list(args: argparse.Namespace) -> int:
    from desktop.core.services import publicity
    from desktop.core.services.publicity_documents import batch_refs

    db = open_db(args)
    require_center(db)
    with db.session(CLI_ACTOR, write=False) as s:
        batches = publicity.list_batches(s)
        refs = batch_refs(s)
    if not batches:
        say("还没有公示批次。")
    for b in batches:
        pending = f"，待核实 {b.pending_objections} 条" if b.pending_objections else ""
        say(f"{b.id}\t{refs.get(b.id, '')}\t{b.status_label}\t{b.start_date:%Y-%m-%d} 至 {b.end_date:%Y-%m-%d}\t"
            f"{b.people} 人，异议 {b.objections} 条{pending}\t{b.title}")
    return 0


def cmd_publicity_print(args: argparse.Namespace) -> int:
    from desktop.core.services import publicity
    from desktop.core.services.publicity_documents import write_notice_pdf

    db = open_db(args)
    profile = require_center(db).profile()
    out = Path(args.out)
    with db.session(CLI_ACTOR) as s:
        notice = write_notice_pdf(s, profile, publicity.find_batch(s, args.batch), out)
    say(f"已生成公示：{out}（{notice.title}，{len(notice.rows)} 人）")
    return 0


def cmd_print_application(args: argparse.Namespace) -> int:
    from desktop.core.services.printing import print_application_pdf

    db = open_db(args)
    profile = require_center(db).profile()
    out = Path(args.out)
    with db.session(CLI_ACTOR) as s:
        print_application_pdf(s, profile, args.id_number, out)
    say(f"已生成申请表：{out}")
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    imp = subgroup(sub, "import", "从 Excel 导入")
    p = add_command(imp, "applications", cmd_import_applications, "导入劳务经纪人申请（.xlsx）")
    add_import_options(p, user=False)
    for name, handler, text in (
        ("training", cmd_import_training, "导入线上培训考试结果（省平台导出的 .xlsx）"),
        ("brokers", cmd_import_brokers, "导入系统启用前已认定的劳务经纪人（备案信息表 附件3 .xlsx）"),
    ):
        add_import_options(add_command(imp, name, handler, text))

    pub = subgroup(sub, "publicity", "公示批次")
    add_command(pub, "list", cmd_publicity_list, "列出公示批次（编号、年份-批次、状态、公示期、人数）")
    p = add_command(pub, "print", cmd_publicity_print, "生成公示名单 PDF")
    p.add_argument("batch", help="批次编号（如 3）或“年份-批次”（如 2026-1）")
    p.add_argument("--out", required=True, help="输出的 PDF 文件")

    prt = subgroup(sub, "print", "生成打印用 PDF")
    p = add_command(prt, "application", cmd_print_application, "打印申请认定表（附件1）")
    p.add_argument("id_number")
    p.add_argument("--out", required=True)
