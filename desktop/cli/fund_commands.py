"""``labordesk fund …``: the cooperation fund's reports from the command line (劳务合作金)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from desktop.cli.common import CLI_ACTOR, add_command, open_db, require_center, say, subgroup
from desktop.core import clock
from desktop.core.errors import UserError


def _day(text: str, what: str) -> date:
    if not text.strip():
        return clock.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{what}“{text}”不是日期，请写成 2026-01-31 这样的格式。") from None


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    wanted = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
    if not wanted or any(f not in ("pdf", "xlsx") for f in wanted):
        raise UserError("--format 只能是 pdf、xlsx 或 pdf,xlsx。")
    return wanted


def _write(db, report, folder: Path, stem: str, formats: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    from desktop.core.services.fund_documents import safe_file_name, write_report

    for fmt in formats:
        out = folder / f"{safe_file_name(stem)}.{fmt}"
        with db.session(CLI_ACTOR) as s:
            write_report(s, report, out)
        say(f"已生成：{out}")


def cmd_statement(args: argparse.Namespace) -> int:
    from desktop.core.services import fund_documents, fund_queries

    date_from, date_to = _day(args.date_from, "开始日期"), _day(args.date_to, "结束日期")
    formats = _formats(args)
    db = open_db(args)
    profile = require_center(db).profile()
    with db.session(CLI_ACTOR, write=False) as s:
        accounts = fund_queries.account_summaries(s, profile)
    if args.account is not None:
        accounts = [a for a in accounts if a.id == args.account]
        if not accounts:
            raise UserError(f"没有编号为 {args.account} 的合作金账户（用 labordesk fund accounts 查看编号）。")
    if not accounts:
        say("还没有开立合作金账户，没有可生成的对账单。")
        return 0
    folder = Path(args.out)
    for account in accounts:
        with db.session(CLI_ACTOR, write=False) as s:
            report = fund_documents.statement_report(s, profile, account.id, date_from, date_to)
        stem = f"对账单_{account.name}_{date_from:%Y%m%d}-{date_to:%Y%m%d}"
        _write(db, report, folder, stem, formats)
    return 0


def cmd_accounts(args: argparse.Namespace) -> int:
    from desktop.core.money import format_fen
    from desktop.core.services import fund_queries

    db = open_db(args)
    profile = require_center(db).profile()
    with db.session(CLI_ACTOR, write=False) as s:
        accounts = fund_queries.account_summaries(s, profile)
    if not accounts:
        say("还没有开立合作金账户。")
    for a in accounts:
        say(f"{a.id}\t{a.name}\t协议 {a.agreement_number}（{a.company}）\t余额 {format_fen(a.balance_fen)} 元\t"
            f"在外垫支 {format_fen(a.outstanding_fen)} 元\t待签批 {a.pending_requests} 笔")
    return 0


def cmd_outstanding(args: argparse.Namespace) -> int:
    from desktop.core.services import fund_documents

    as_of = _day(args.as_of, "截至日期")
    db = open_db(args)
    profile = require_center(db).profile()
    with db.session(CLI_ACTOR, write=False) as s:
        report = fund_documents.outstanding_report(s, profile, as_of, args.account)
    _write(db, report, Path(args.out), f"垫支未收回明细_{as_of:%Y%m%d}", _formats(args))
    return 0


def cmd_safety(args: argparse.Namespace) -> int:
    from desktop.core.services import fund_documents

    as_of = _day(args.as_of, "截至日期")
    db = open_db(args)
    profile = require_center(db).profile()
    with db.session(CLI_ACTOR, write=False) as s:
        report = fund_documents.safety_report(s, profile, as_of)
    _write(db, report, Path(args.out), f"合作金安全情况_{as_of:%Y%m%d}", _formats(args))
    return 0


def cmd_distribution(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from desktop.core.models.cooperative import CoopAgreement
    from desktop.core.services import fund_documents

    date_from, date_to = _day(args.date_from, "开始日期"), _day(args.date_to, "结束日期")
    db = open_db(args)
    profile = require_center(db).profile()
    with db.session(CLI_ACTOR, write=False) as s:
        agreement_id = s.scalar(select(CoopAgreement.id).where(CoopAgreement.number == args.agreement.strip()))
        if agreement_id is None:
            raise UserError(f"没有编号为“{args.agreement}”的劳务合作协议。")
        report = fund_documents.distribution_report(s, profile, agreement_id, date_from, date_to)
    stem = f"收益金分配_{args.agreement}_{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    _write(db, report, Path(args.out), stem, _formats(args))
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    fund = subgroup(sub, "fund", "劳务合作金：对账单、垫支、资金安全、收益分配")
    add_command(fund, "accounts", cmd_accounts, "列出合作金账户（编号、余额、在外垫支、待签批）")
    statement = add_command(fund, "statement", cmd_statement, "生成共管账户对账单（期初余额、每笔分录、期末余额）")
    statement.add_argument("--from", dest="date_from", metavar="DATE", required=True, help="开始日期，如 2026-01-01")
    statement.add_argument("--to", dest="date_to", metavar="DATE", required=True, help="结束日期，如 2026-12-31")
    statement.add_argument("--account", type=int, help="只生成这个账户（默认：全部账户各一份）")
    outstanding = add_command(fund, "outstanding", cmd_outstanding, "生成垫支未收回明细（按劳动力、按村）")
    safety = add_command(fund, "safety", cmd_safety, "生成劳务合作金安全情况表")
    distribution = add_command(fund, "distribution", cmd_distribution, "生成劳务经济收益金分配表")
    for p in (statement, outstanding, safety, distribution):
        p.add_argument("--out", metavar="DIR", required=True, help="输出文件夹（如U盘）")
        p.add_argument("--format", default="pdf,xlsx", help="pdf、xlsx 或 pdf,xlsx（默认两种都生成）")
    for p in (outstanding, safety):
        p.add_argument("--as-of", default="", help="截至日期（默认今天）")
    outstanding.add_argument("--account", type=int, help="只统计这个账户")
    distribution.add_argument("--agreement", required=True, help="劳务合作协议编号")
    distribution.add_argument("--from", dest="date_from", required=True, help="开始日期")
    distribution.add_argument("--to", dest="date_to", required=True, help="结束日期")
