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
    try:
        prepared, delivery = export_filing(db, user, info.profile(), info, FilingQuery(args.year, args.scope),
                                           Path(args.out), reviewed_by=args.reviewer or "")
    finally:
        db.dispose()
    say(f"{prepared.document.year}年度备案信息表：{len(prepared.document.rows)} 人。")
    for line in delivery.lines():
        say(line)
    return 0


def _choices(values: list[str]) -> dict[str, int | None]:
    from desktop.core.errors import UserError
    from desktop.core.idcard import normalise

    out: dict[str, int | None] = {}
    for item in values:
        idn, sep, number = item.partition("=")
        if not sep or not number.strip().isdigit():
            raise UserError(f"--choose 的写法是 身份证号码=第几份（0 表示暂不上报），“{item}”不对。")
        n = int(number)
        out[normalise(idn.strip())] = None if n == 0 else n - 1
    return out


def cmd_consolidate(args: argparse.Namespace) -> int:
    from desktop.core.services.city_filing import city_filing, write_city_xlsx
    from desktop.core.services.consolidation import read_filings, value_text

    db = open_db(args)
    info = require_center(db)
    user = cli_user(db, args.user)
    cons = read_filings([Path(f) for f in args.files])
    say(cons.summary())
    for problem in cons.problems:
        say("问题：" + problem.line())
    decisions = _choices(args.choose or [])
    open_conflicts = [c for c in cons.conflicts if c.id_number not in decisions]
    for c in cons.conflicts:
        say(f"冲突：{c.id_number} {c.name}，不一致：{'、'.join(c.fields)}")
        for k, v in enumerate(c.versions, 1):
            say(f"  第{k}份（{v.where()}）：" + "，".join(f"{t}={value_text(v.record, t) or '空'}" for t in c.fields))
    if open_conflicts:
        say(f"有 {len(open_conflicts)} 人尚未决定，没有生成汇总表。请逐人用 --choose 身份证号码=第几份 指定采用哪一份"
            "（=0 表示暂不上报），再运行一次。")
        return 1
    if cons.problems and not args.skip_bad:
        say("文件有问题，没有生成汇总表。请让相关县改正后重新报送，或加 --skip-bad 只合并正确的行。")
        return 1
    result = city_filing(cons, decisions, user=user, profile=info.profile(), center=info, year=args.year,
                         city=args.city or "", skip_bad=args.skip_bad, reviewed_by=args.reviewer or "")
    out = Path(args.out)
    write_city_xlsx(db, user, cons, result, out)
    say(f"已生成汇总表：{out}（{len(result.document.rows)} 人；合并说明见第二个工作表）")
    return 0


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str | None:
    """From --passphrase-file (its first line), else typed at the terminal, else None."""
    import getpass
    import sys

    from desktop.core.errors import UserError

    if args.passphrase_file:
        try:
            lines = Path(args.passphrase_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"无法读取口令文件“{args.passphrase_file}”：{exc}") from None
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("备份口令：")
    if confirm and getpass.getpass("再输入一次：") != first:
        raise UserError("两次输入的口令不一致。")
    return first


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop.core.services.backups import backup_to_folder

    db = open_db(args)
    info = require_center(db)
    user = cli_user(db, args.user)
    passphrase = _passphrase(args, confirm=True)
    if passphrase is None:
        say("警告：没有提供口令，备份未加密（含全部身份证号、银行账号），只能存放在安全的地方。")
    try:
        result = backup_to_folder(db, user, info.profile(), info, Path(args.out), passphrase, progress=_progress)
    finally:
        db.dispose()
    for line in result.delivery.lines():
        say(line)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    import sys

    from desktop.core.backup.sealed import is_sealed
    from desktop.core.errors import UserError
    from desktop.core.services.backups import check_for_restore, restore

    db = open_db(args)
    require_center(db)
    user = cli_user(db, args.user)
    source = Path(args.file)
    passphrase = _passphrase(args, confirm=False) if is_sealed(source) else ""
    if passphrase is None:
        raise UserError("这是加密备份，请用 --passphrase-file 指定口令文件（或在终端中运行以输入口令）。")
    checked = check_for_restore(db, user, source, passphrase)
    say(f"检查通过：{checked.describe()}")
    if sys.stdin.isatty() and not args.yes and input("用它替换当前数据库？当前数据库会另存一份。输入 yes 确认：").strip() != "yes":
        checked.discard()
        say("已取消，没有替换任何数据。")
        return 1
    result = restore(db, user, checked)
    say(f"已恢复。恢复前的数据库另存为：{result.kept_copy}")
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

    p = add_command(sub, "consolidate", cmd_consolidate,
                    "合并各县的备案信息表为市（州）汇总表：按身份证号码去重，内容不同的逐人决定，错误按文件/行/列列出")
    p.add_argument("files", nargs="+", metavar="FILE", help="各县的备案信息表 .xlsx")
    p.add_argument("--out", required=True, help="汇总表 .xlsx")
    p.add_argument("--choose", action="append", metavar="ID=N",
                   help="对身份证号码相同但内容不同的人，采用第 N 份（按列出的顺序，从 1 起；0 = 暂不上报）；可重复")
    p.add_argument("--skip-bad", action="store_true", help="文件中有问题的行不进入汇总表（在合并说明中列出）")
    p.add_argument("--year", type=int, help="年度（默认：文件表头中的年度，或今年）")
    p.add_argument("--city", help="填报市（州）（默认：文件表头中的，或本中心所在市）")
    p.add_argument("--reviewer", help="审核人姓名")
    p.add_argument("--user", help="以哪个账号合并（默认：第一个管理员账号）")

    p = add_command(sub, "backup", cmd_backup, "备份数据库到文件夹（如U盘）：有口令时加密，写后读回校验，附 SHA-256 清单")
    p.add_argument("--out", required=True, help="写入的文件夹")
    p.add_argument("--passphrase-file", help="口令文件（第一行为口令）；不给且不在终端中运行时备份不加密")
    p.add_argument("--user", help="以哪个账号备份（用户名；默认：第一个管理员账号）")

    p = add_command(sub, "restore", cmd_restore, "从备份恢复数据库：先解密并检查，当前数据库另存一份后再替换")
    p.add_argument("file", help="备份文件（.ldbackup 加密备份或 .db）")
    p.add_argument("--passphrase-file", help="口令文件（第一行为口令）")
    p.add_argument("--yes", action="store_true", help="不再询问，直接替换")
    p.add_argument("--user", help="以哪个管理员账号恢复（默认：第一个管理员账号）")
