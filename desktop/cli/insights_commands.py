"""Broker performance and the dashboard from the command line: ``labordesk dashboard``,
``ranking gold|points``, ``coverage``, ``training under``, ``import population``."""

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
from desktop.core import clock


def _written(result) -> None:  # type: ignore[no-untyped-def]
    say(f"已导出 {result.rows} 行：")
    say(f"  {result.xlsx}")
    say(f"  {result.pdf}")


def cmd_dashboard(args: argparse.Namespace) -> int:
    from desktop.core.money import yuan_text
    from desktop.core.services.dashboard import build_dashboard

    db = open_db(args)
    info = require_center(db)
    with db.session(CLI_ACTOR, write=False) as s:
        d = build_dashboard(s, info.profile(), info.county_code, clock.today())
    say(f"{info.center_name}　统计至 {d.today:%Y-%m-%d}")
    say("劳务经纪人：" + "，".join(f"{b.label} {b.count} 名" for b in d.brokers))
    if d.months:
        say(f"转移就业：今年 {d.transfers_this_year} 人次，去年 {d.transfers_last_year} 人次；近 12 个月："
            + "，".join(f"{m.label} {m.count}" for m in d.months))
    if d.subsidy is not None:
        say(f"服务补助：今年 {d.subsidy.workers} 人 {yuan_text(d.subsidy.amount_fen)} 元，"
            f"累计 {d.subsidy.all_workers} 人 {yuan_text(d.subsidy.all_amount_fen)} 元")
    if d.coverage is not None:
        say(f"村级覆盖：{d.coverage.short_villages} 个村（社区）缺经纪人，共缺 {d.coverage.short_brokers} 名")
    say("待办事项：" if d.todos else "待办事项：无")
    for todo in d.todos:
        say(("  ⚠ " if todo.urgent else "  • ") + todo.text)
    return 0


def cmd_ranking(args: argparse.Namespace) -> int:
    from desktop.core.services import performance_documents as documents
    from desktop.core.services import rankings

    db = open_db(args)
    info = require_center(db)
    profile = info.profile()
    year = args.year or clock.today().year
    if args.what == "gold":
        with db.session(CLI_ACTOR, write=False) as s:
            gold = rankings.gold_medal_ranking(s, profile, year)
        say(f"{year}年金牌劳务经纪人推荐：{len(gold.rows)} 名参加排名，名额 {gold.quota} 名，名额内 {gold.nominated} 名"
            + (f"，名额线上并列 {gold.at_line} 名" if gold.at_line else ""))
        say("名次\t姓名\t身份证号码\t本年人次\t脱贫人口\t上年人次\t备注")
        for r in gold.rows[: args.top]:
            say(f"{r.rank}\t{r.broker.name}\t{r.broker.id_number_masked}\t{r.transfers}\t{r.poverty}\t"
                f"{r.previous_year}\t{'推荐' if r.nominated else r.note}")
        if args.out:
            user = cli_user(db, args.user)
            with db.session(user.username) as s:
                _written(documents.write_nominations(s, user, profile, year, info.center_name, Path(args.out)))
        return 0
    with db.session(CLI_ACTOR, write=False) as s:
        points = rankings.points_ranking(s, profile, year)
    rows = points.candidates if args.candidates else points.rows[: args.top]
    say(f"{year}年积分排名：{len(points.rows)} 名，补充替换候选 {len(points.candidates)} 名（只作参考，不自动取消资格）")
    say("名次\t姓名\t身份证号码\t转移人次\t信息更新\t平台任务\t积分\t候选")
    for p in rows:
        say(f"{p.rank}\t{p.broker.name}\t{p.broker.id_number_masked}\t{p.transfers}\t{p.data_updates}\t{p.tasks}\t"
            f"{p.points}\t{'是' if p.candidate else ''}")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from desktop.core.services import coverage
    from desktop.core.services import performance_documents as documents

    db = open_db(args)
    info = require_center(db)
    profile = info.profile()
    with db.session(CLI_ACTOR, write=False) as s:
        report = coverage.coverage_report(s, profile, info.county_code)
    say(f"{info.county_name}：{len(report.villages)} 个村（社区），{report.short_villages} 个缺经纪人，共缺 "
        f"{report.short_brokers} 名；{report.missing_population} 个未录入人口（按{report.basis}计）")
    for town in coverage.shortfall_by_township(report):
        say(f"{town.name}：缺 {town.short} 名（{len(town.villages)} 个村）")
        for v in town.villages:
            population = "未录入" if v.population is None else f"{v.population}人（{v.basis}）"
            say(f"  {v.name}\t{population}\t应配 {v.needed}\t已有 {v.brokers}\t缺 {v.short}")
    if args.out:
        user = cli_user(db, args.user)
        with db.session(user.username) as s:
            _written(documents.write_coverage(s, user, profile, info.county_code, info.county_name, Path(args.out)))
    return 0


def cmd_training_under(args: argparse.Namespace) -> int:
    from desktop.core.services import cultivation
    from desktop.core.services import performance_documents as documents

    db = open_db(args)
    info = require_center(db)
    profile = info.profile()
    year = args.year or clock.today().year
    with db.session(CLI_ACTOR, write=False) as s:
        summary = cultivation.training_summary(s, profile, year)
        rows = cultivation.broker_days(s, profile, cultivation.DaysQuery(year, under_only=True, limit=1_000_000))
    say(f"{year}年：{summary.brokers} 名在册经纪人，集中培育不足 {summary.min_days} 天的 {summary.under} 名")
    for r in rows:
        say(f"{r.name}\t{r.id_number_masked}\t{r.service_area}\t{r.days_text} 天" + ("\t当年新认定" if r.joined_in_year else ""))
    if args.out:
        user = cli_user(db, args.user)
        with db.session(user.username) as s:
            _written(documents.write_training(s, user, profile, year, info.center_name, Path(args.out)))
    return 0


def cmd_import_population(args: argparse.Namespace) -> int:
    from desktop.core.documents.excel.population_import import import_population

    db = open_db(args)
    info = require_center(db)
    user = cli_user(db, args.user)
    say(f"以账号 {user.username}（{user.display_name}）导入村（社区）人口。")
    return print_report(import_population(db, Path(args.file), user=user, dry_run=args.dry_run,
                                          skip_bad=args.skip_bad, county_code=info.county_code))


def register(sub) -> None:  # type: ignore[no-untyped-def]
    add_command(sub, "dashboard", cmd_dashboard, "工作台：主要数字和待办事项")

    group = subgroup(sub, "ranking", "经纪人排名")
    for what, text in (("gold", "金牌劳务经纪人推荐排名（按本年转移人次）"), ("points", "积分排名与补充替换候选名单")):
        p = add_command(group, what, cmd_ranking, text)
        p.set_defaults(what=what)
        p.add_argument("--year", type=int, help="年度（默认今年）")
        p.add_argument("--top", type=int, default=30, help="列出前几名（默认 30）")
        if what == "gold":
            p.add_argument("--out", help="把推荐名单导出到此文件夹（PDF 和 .xlsx）")
            p.add_argument("--user", help="以哪个账号导出（默认：第一个管理员账号）")
        else:
            p.add_argument("--candidates", action="store_true", help="只列补充替换候选")

    p = add_command(sub, "coverage", cmd_coverage, "村级覆盖：按人口应配与已有的经纪人，列出缺经纪人的村（按乡镇）")
    p.add_argument("--out", help="把配置不足名单导出到此文件夹（PDF 和 .xlsx）")
    p.add_argument("--user", help="以哪个账号导出（默认：第一个管理员账号）")

    group = subgroup(sub, "training", "集中培育")
    p = add_command(group, "under", cmd_training_under, "本年集中培育天数不足的经纪人")
    p.add_argument("--year", type=int, help="年度（默认今年）")
    p.add_argument("--out", help="把名单导出到此文件夹（PDF 和 .xlsx）")
    p.add_argument("--user", help="以哪个账号导出（默认：第一个管理员账号）")

    imp = subgroup(sub, "import", "从 Excel 导入")
    p = add_command(imp, "population", cmd_import_population, "导入村（社区）户籍、常住人口")
    add_import_options(p)
