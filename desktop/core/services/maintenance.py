"""Whole-database checks (labordesk check): integrity, foreign keys and the audit chain."""

from __future__ import annotations

from desktop.core.audit import verify_chain
from desktop.core.db import sqlite
from desktop.core.db.database import Database


def check_database(db: Database) -> list[str]:
    """Plain-Chinese problems found; an empty list means all is well."""
    problems: list[str] = []
    if sqlite.is_sqlite(db.engine):
        problems.extend(f"完整性检查：{p}" for p in sqlite.integrity_problems(db.engine))
    with db.session("系统", write=False) as s:
        broken = verify_chain(s)
    if broken is not None:
        problems.append(broken.message)
    return problems
