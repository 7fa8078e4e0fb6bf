"""Labour-cooperation workstations (劳务协作工作站) from the command line: roster import, scores, documents."""

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


def _station_id(db, name: str) -> int:  # type: ignore[no-untyped-def]
    from desktop.core.services.stations import find_station

    with db.session(CLI_ACTOR, write=False) as s:
        return find_station(s, name).id


def cmd_import_roster(args: argparse.Namespace) -> int:
    from desktop.core.documents.excel.roster_import import import_roster

    db = open_db(args)
    profile = require_center(db).profile()
    user = cli_user(db, args.user)
    station_id = _station_id(db, args.station)
    say(f"以账号 {user.username}（{user.display_name}）导入“{args.station}”的输送劳动力名册。")
    return print_report(import_roster(db, profile, station_id, Path(args.file), user=user, dry_run=args.dry_run,
                                      skip_bad=args.skip_bad))


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.core.services.stations import list_stations

    db = open_db(args)
    require_center(db)
    with db.session(CLI_ACTOR, write=False) as s:
        rows = list_stations(s)
    if not rows:
        say("还没有劳务协作工作站。")
    for r in rows:
        since = f"{r.established_on:%Y-%m-%d} 设立" if r.established_on else f"{r.applied_on:%Y-%m-%d} 申请"
        say(f"{r.id}\t{r.name}\t{r.status_label}\t{since}\t{r.builder}\t{r.partner_region}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from desktop.core.errors import UserError
    from desktop.core.rules.station_scoring import points_text
    from desktop.core.services import station_evaluations as ev

    db = open_db(args)
    profile = require_center(db).profile()
    with db.session(CLI_ACTOR, write=False) as s:
        station_id = _station_id(db, args.name)
        evaluation_id = ev.find_evaluation(s, station_id, args.year)
        if evaluation_id is None:
            raise UserError(f"“{args.name}”还没有 {args.year} 年度的评估，请先在“工作站”页面开始评估。")
        view = ev.view(s, profile, evaluation_id)
    signed = f"，{view.signed_by} {view.signed_on:%Y-%m-%d} 审核" if view.signed_on else ""
    say(f"{view.station_name}（{view.builder}）{view.year} 年度评估，第 {view.version_no} 版，{view.status_label}{signed}")
    category = ""
    for line in view.card.lines:
        if line.category != category:
            category = line.category
            say(f"【{category}】")
        say(f"  {line.name}\t{points_text(line.points)}/{line.full}\t{line.how}")
    say(f"总分：{points_text(view.card.total)}/{sum(line.full for line in view.card.lines)}")
    say(f"结论：{view.card.verdict}")
    say(f"年度绩效奖励：{view.card.subsidy_yuan} 元")
    for problem in view.card.problems:
        say(f"待办：{problem}")
    if view.failing_years:
        say(f"提示：{'、'.join(map(str, view.failing_years))} 年度连续评估不合格，按规定应取消工作站资格。")
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    from desktop.core.errors import UserError
    from desktop.core.services import station_documents as docs
    from desktop.core.services import station_evaluations as ev

    db = open_db(args)
    profile = require_center(db).profile()
    station_id = _station_id(db, args.name)
    with db.session(CLI_ACTOR) as s:
        evaluation_id = ev.find_evaluation(s, station_id, args.year)
        if evaluation_id is None:
            raise UserError(f"“{args.name}”还没有 {args.year} 年度的评估。")
        docs.write_scorecard_pdf(s, profile, evaluation_id, Path(args.out))
    say(f"已生成评估表：{args.out}")
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    from desktop.core.services import station_documents as docs

    db = open_db(args)
    info = require_center(db)
    with db.session(CLI_ACTOR) as s:
        count = docs.write_results_pdf(s, info.profile(), args.year, Path(args.out), issuer=info.center_name)
    say(f"已生成 {args.year} 年度评估结果名单：{args.out}（{count} 个工作站）")
    return 0


def cmd_subsidies(args: argparse.Namespace) -> int:
    from desktop.core.services import station_documents as docs

    db = open_db(args)
    info = require_center(db)
    out = Path(args.out)
    with db.session(CLI_ACTOR) as s:
        if out.suffix.lower() == ".xlsx":
            summary = docs.write_subsidy_xlsx(s, info.profile(), args.year, out, issuer=info.center_name)
        else:
            summary = docs.write_subsidy_pdf(s, info.profile(), args.year, out, issuer=info.center_name)
    say(f"已生成 {args.year} 年度工作站补贴汇总：{out}（{len(summary.rows)} 个工作站，合计 {summary.total_yuan} 元）")
    return 0


def cmd_application_form(args: argparse.Namespace) -> int:
    from desktop.core.errors import UserError
    from desktop.core.services import station_forms as forms

    db = open_db(args)
    profile = require_center(db).profile()
    if not args.blank and not args.name:
        raise UserError("请写出工作站名称（或编号）；要打印空白申请表，请加 --blank。")
    station_id = None if args.blank else _station_id(db, args.name)
    with db.session(CLI_ACTOR) as s:
        doc = forms.write_application_pdf(s, profile, station_id, Path(args.out))
    say(f"已生成{'空白' if station_id is None else f'“{doc.station_name}”的'}{doc.title}：{args.out}")
    return 0


def cmd_roster(args: argparse.Namespace) -> int:
    from desktop.core.services import station_forms as forms

    db = open_db(args)
    profile = require_center(db).profile()
    user = cli_user(db, args.user)
    station_id = _station_id(db, args.name)
    with db.session(user.username) as s:
        defaults = forms.default_options(s, station_id)
        options = forms.RosterOptions(args.full_id, defaults.filler if args.filler is None else args.filler,
                                      defaults.phone if args.phone is None else args.phone)
        done = forms.write_roster(s, user, profile, station_id, Path(args.out), options)
    pages = f"，{done.pages} 页" if done.pages else ""
    ids = "完整身份证号码（已记入审计日志）" if done.full_id else "身份证号码已部分隐藏"
    say(f"已生成输送劳动力名册：{args.out}（{done.rows} 行，{done.people} 人，计入输送 {done.delivered} 人{pages}；{ids}）")
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    imp = subgroup(sub, "import", "从 Excel 导入")
    p = add_command(imp, "roster", cmd_import_roster, "导入劳务协作工作站的输送劳动力名册（附件2 .xlsx）")
    p.add_argument("--station", required=True, help="工作站名称（或编号）")
    add_import_options(p)

    st = subgroup(sub, "station", "劳务协作工作站")
    add_command(st, "list", cmd_list, "列出工作站（编号、名称、状态、设立日期）")
    p = add_command(st, "score", cmd_score, "显示某年度评估表的各项得分、说明、总分和结论")
    p.add_argument("name", help="工作站名称（或编号）")
    p.add_argument("--year", type=int, required=True)
    p = add_command(st, "scorecard", cmd_scorecard, "生成评估表（附件3）PDF")
    p.add_argument("name", help="工作站名称（或编号）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True)
    p = add_command(st, "results", cmd_results, "生成年度评估结果公示名单 PDF")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True)
    p = add_command(st, "subsidies", cmd_subsidies, "生成年度补贴汇总表（.pdf 或 .xlsx，按文件扩展名）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True)
    p = add_command(st, "application-form", cmd_application_form, "生成工作站设立申请表（附件1）PDF；--blank 生成空白表")
    p.add_argument("name", nargs="?", default="", help="工作站名称（或编号）；打印空白表时不用写")
    p.add_argument("--out", required=True)
    p.add_argument("--blank", action="store_true", help="空白申请表（供申请单位手工填写）")
    p = add_command(st, "roster", cmd_roster, "生成累计输送劳动力名册（附件2），.pdf 或 .xlsx（按文件扩展名）")
    p.add_argument("name", help="工作站名称（或编号）")
    p.add_argument("--out", required=True)
    p.add_argument("--full-id", action="store_true",
                   help="输出完整身份证号码（存档报送或再次导入用，需审核或管理员账号，记入审计日志）")
    p.add_argument("--filler", help="表头的填表人（默认：申请机构负责人）")
    p.add_argument("--phone", help="表头的联系电话（默认：申请机构负责人的电话）")
    p.add_argument("--user", help="以哪个账号导出（默认：第一个管理员）")
