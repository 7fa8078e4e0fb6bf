"""The ``labordesk`` command: the same core services as the GUI, for IT staff and scheduled jobs.

``labordesk`` with no sub-command starts the GUI. Each area registers its sub-commands from its
own module listed in ``AREAS``; shared groups (``import``, ``export``, ``print``…) come from
``common.subgroup`` so two areas can add to the same group.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop.core.errors import UserError
from desktop.core.rules.profile import ProfileError

AREAS = (
    "desktop.cli.setup_commands",
    "desktop.cli.certification_commands",
    "desktop.cli.transfer_commands",
    "desktop.cli.station_commands",
    "desktop.cli.filing_commands",
    "desktop.cli.fund_commands",
    "desktop.cli.insights_commands",
    "desktop.cli.account_commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="labordesk", description="劳务服务管理台（LaborDesk）命令行")
    parser.add_argument("--db", help="数据库文件路径或 SQLAlchemy URL（默认：本用户数据目录下的 labordesk.db）")
    sub = parser.add_subparsers(dest="command")
    for area in AREAS:
        importlib.import_module(area).register(sub)
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
