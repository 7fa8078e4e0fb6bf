"""Transfer logs (附件2), the biennial review and the service-subsidy roster from the command line."""

from __future__ import annotations

import argparse
from datetime import date
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
from desktop.core.errors import UserError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，请写成 2025-01-01 的形式。") from None


def cmd_import_transfers(args: argparse.Namespace) -> int:
    from desktop.core.documents.excel.transfer_import import import_transfers

    db = open_db(args)
    profile = require_center(db).profile()
    user = cli_user(db, args.user)
    say(f"以账号 {user.username}（{user.display_name}）导入转移就业人员信息表。")
    return print_report(import_transfers(db, profile, Path(args.file), user=user, broker_id_number=args.broker or "",
                                         dry_run=args.dry_run, skip_bad=args.skip_bad))


def cmd_export_transfers(args: argparse.Namespace) -> int:
    from desktop.core.services.transfer_documents import export_transfer_sheet, period_of
    from desktop.core.services.transfer_search import broker_by_id_number

    db = open_db(args)
    profile = require_center(db).profile()
    user = cli_user(db, args.user)
    start, end = period_of(args.year, args.date_from, args.date_to)
    with db.session(user.username) as s:
        broker = broker_by_id_number(s, args.broker)
        if broker is None:
            raise UserError(f"经纪人名册中没有身份证号码为 {args.broker} 的劳务经纪人。")
        result = export_transfer_sheet(s, user, profile, broker.id, start, end, Path(args.out), full=args.full_id)
    say(f"已导出 {broker.name} {start:%Y-%m-%d}至{end:%Y-%m-%d} 的 {result.rows} 人次：")
    say(f"  {result.xlsx}")
    say(f"  {result.pdf}（{result.pages} 页）")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from desktop.core.services.review import flagged_brokers, review_summary

    db = open_db(args)
    profile = require_center(db).profile()
    with db.session(CLI_ACTOR, write=False) as s:
        summary = review_summary(s, profile, args.year)
        rows = flagged_brokers(s, profile, args.year)
    years = "、".join(str(y) for y in summary.years)
    say(f"{args.year}年度两年复核：{years}年每年都低于 {summary.threshold} 人次的在册经纪人 {summary.flagged} 人"
        f"（在册共 {summary.active} 人，已作出决定 {summary.decided} 人）。")
    if rows:
        say("姓名\t身份证号码\t服务区域\t认定时间\t" + "\t".join(f"{y}年人次" for y in summary.years) + "\t复核决定")
    for r in rows:
        counts = "\t".join(str(c) for c in r.counts)
        say(f"{r.name}\t{r.id_number_masked}\t{r.service_area}\t{r.certified_on:%Y-%m-%d}\t{counts}\t"
            f"{r.decision or '待决定'}")
    if rows:
        say("取消资格须由审核人员在“两年复核”页面逐人填写理由后办理，本命令不作任何改动。")
    return 0


def cmd_subsidy_roster(args: argparse.Namespace) -> int:
    from desktop.core.services.subsidy import build_batch, find_batch
    from desktop.core.services.subsidy_documents import write_claim_roster

    db = open_db(args)
    info = require_center(db)
    profile = info.profile()
    user = cli_user(db, args.user)
    with db.session(user.username) as s:
        batch_id = find_batch(s, args.date_from, args.date_to)
        if batch_id is None:
            result = build_batch(s, user, profile, args.date_from, args.date_to)
            batch_id = result.batch_id
            say(f"已生成第 {batch_id} 批申领：{result.claimed} 人。")
            for refused in result.refused:
                say(f"  拒绝：{refused.worker_name}（{refused.id_number_masked}，经纪人{refused.broker_name}，"
                    f"入职 {refused.hire_date:%Y-%m-%d}）：{refused.reason}")
            if result.not_qualifying:
                say(f"  另有 {result.not_qualifying} 人次不符合补助条件（在“转移就业”页面可看到每人未通过的条件）。")
        else:
            say(f"该期间已有第 {batch_id} 批申领，重新输出其名册。")
        assert batch_id is not None
        roster = write_claim_roster(s, user, profile, batch_id, Path(args.out), info.center_name, full=args.full_id)
    say(f"名册：{roster.people} 人，合计 {roster.total_fen / 100:.2f} 元（大写：{roster.capitals}）")
    say(f"  {roster.xlsx}")
    say(f"  {roster.pdf}（{roster.pages} 页）")
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    imp = subgroup(sub, "import", "从 Excel 导入")
    p = add_command(imp, "transfers", cmd_import_transfers, "导入劳务经纪人组织转移就业人员信息表（附件2 .xlsx）")
    add_import_options(p)
    p.add_argument("--broker", help="经纪人身份证号码（不填则按表上的“劳务经纪人姓名”匹配在册经纪人）")

    exp = subgroup(sub, "export", "导出 Excel / PDF")
    p = add_command(exp, "transfers", cmd_export_transfers, "导出某位经纪人的转移就业人员信息表（附件2，.xlsx 和 PDF）")
    p.add_argument("--broker", required=True, help="经纪人身份证号码")
    p.add_argument("--year", type=int, help="年度（按转移就业日期）")
    p.add_argument("--from", dest="date_from", type=_date, help="起始日期（与 --to 一起代替 --year）")
    p.add_argument("--to", dest="date_to", type=_date, help="结束日期")
    p.add_argument("--out", required=True, help="输出文件夹（如U盘）")
    p.add_argument("--full-id", action="store_true", help="输出完整身份证号码和电话（报送上级用，需审核或管理员账号）")
    p.add_argument("--user", help="以哪个账号导出（默认：第一个管理员账号）")

    p = add_command(sub, "review", cmd_review, "两年复核：列出连续两年转移人次低于标准的在册经纪人")
    p.add_argument("--year", type=int, required=True, help="复核年度 Y（统计 Y-1 和 Y 两年）")

    sub_group = subgroup(sub, "subsidy", "就业创业服务补助")
    p = add_command(sub_group, "roster", cmd_subsidy_roster,
                    "生成（或重新输出）某期间入职人员的服务补助申领名册（PDF 和 .xlsx）")
    p.add_argument("--from", dest="date_from", type=_date, required=True, help="入职日期起（含）")
    p.add_argument("--to", dest="date_to", type=_date, required=True, help="入职日期止（含）")
    p.add_argument("--out", required=True, help="输出文件夹")
    p.add_argument("--full-id", action="store_true", help="输出完整身份证号码（需审核或管理员账号）")
    p.add_argument("--user", help="以哪个账号办理（默认：第一个管理员账号）")
