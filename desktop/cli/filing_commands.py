"""``labordesk export filing``, ``consolidate``, ``backup`` and ``restore``: the annual filing and backups."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import add_command, cli_user, open_db, require_center, say, subgroup


def _progress(done: int, total: int, label: str) -> None:
    if total and (done == total or done % (8 << 20) < (1 << 20)):
        say(f"{label} {done * 100 // total}%")


def cmd_export_filing(args: argparse.Namespace) -> int:
    from desktop.core.services.filing import FilingQuery
    from desktop.core.services.filing_export import export_filing

    db = open_db(args)
    info = require_center(db)
    user = cli_user(db, args.user)
    prepared, delivery = export_filing(db, user, info.profile(), info, FilingQuery(args.year, args.scope),
                                       Path(args.out), reviewed_by=args.reviewer or "")
    say(f"{prepared.document.year}年度备案信息表：{len(prepared.document.rows)} 人。")
    for line in delivery.lines():
        say(line)
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    exp = subgroup(sub, "export", "导出文件（写入U盘或文件夹，写后读回校验）")
    p = add_command(exp, "filing", cmd_export_filing, "导出年度备案信息表（附件3）.xlsx 和 PDF，附 SHA-256 校验值清单")
    p.add_argument("--year", type=int, required=True, help="备案年度，如 2026")
    p.add_argument("--out", required=True, help="写入的文件夹（如U盘 E:\\）")
    p.add_argument("--scope", choices=("all", "new"), default="all",
                   help="all：当年在册的全部经纪人（默认）；new：当年新认定的经纪人")
    p.add_argument("--reviewer", help="审核人姓名（印在表尾）")
    p.add_argument("--user", help="以哪个账号导出（用户名；默认：第一个管理员账号），填报人即该账号的姓名")
