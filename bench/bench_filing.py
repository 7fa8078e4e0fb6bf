"""Benchmark: the annual filing and backups on the city demo (labordesk demo --size city).

Targets (issue #6, docs/PERFORMANCE.md):
- the filing .xlsx for 14 000 brokers takes at most 1.2× the time openpyxl alone needs to write the
  same cells (Workbook(), ws.append for every row, save);
- the filing PDF grows linearly with the rows;
- a backup of the city demo database takes under 5 s.

    .venv/bin/python bench/bench_filing.py [--db city.db] [--runs 3]

Without --db a city demo is generated into a temporary database first (about 20 s). The city demo
has about 9 700 registered brokers; the 14 000-row case repeats them with fresh ID numbers.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from desktop.core.app import open_database  # noqa: E402
from desktop.core.backup import local  # noqa: E402
from desktop.core.db import sqlite as sqlite_adapter  # noqa: E402
from desktop.core.documents.excel.filing import write_filing_xlsx  # noqa: E402
from desktop.core.documents.filing_layout import FilingDocument, FilingRow  # noqa: E402
from desktop.core.documents.fonts import register_cjk_fonts  # noqa: E402
from desktop.core.documents.pdf.filing import render_filing_pdf  # noqa: E402
from desktop.core.idcard import check_digit  # noqa: E402
from desktop.core.services import center as center_service  # noqa: E402
from desktop.core.services.filing import FilingQuery, filing_rows  # noqa: E402


def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rows_of(count: int, base: list[FilingRow]) -> list[FilingRow]:
    out = []
    for i in range(count):
        r = base[i % len(base)]
        if i >= len(base):  # a different person: new sequence digits, new check digit
            body = r.id_number[:14] + f"{(i // len(base) * 97 + i) % 1000:03d}"
            r = replace(r, id_number=body + check_digit(body))
        out.append(replace(r, seq=i + 1))
    return out


def document(rows: list[FilingRow]) -> FilingDocument:
    return FilingDocument("四川省劳务经纪人备案信息表", 2026, "填报市（州）", "遂宁市", "演示县农民工服务中心", rows,
                          "演示经办员", "演示审核员", date(2026, 12, 10), "备注：此表由各市（州）每年更新汇总后报省农民工办")


def openpyxl_alone(rows: list[FilingRow]) -> None:
    """The same cells with nothing else: what openpyxl needs to write them at all."""
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r.values())
    wb.save(io.BytesIO())


def openpyxl_styled(rows: list[FilingRow]) -> None:
    """For comparison: the same styled cells written cell by cell through openpyxl."""
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    side = Side(style="thin")
    border, font = Border(left=side, right=side, top=side, bottom=side), Font(name="宋体", size=11)
    align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, r in enumerate(rows, 4):
        for j, v in enumerate(r.values(), 1):
            c = ws.cell(i, j, v)
            c.font, c.border, c.alignment = font, border, align
    wb.save(io.BytesIO())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="an existing city demo database (else one is generated)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="labordesk-bench-filing-"))
    db_path = args.db
    if db_path is None:
        from desktop.core.demo import generate_demo

        db_path = work / "city.db"
        db = open_database(db_path).db
        start = time.perf_counter()
        generate_demo(db, size="city")
        print(f"city demo generated in {time.perf_counter() - start:.1f} s")
    else:
        db = open_database(db_path).db
    with db.session("bench", write=False) as s:
        base = filing_rows(s, FilingQuery(2026))
        center = center_service.load_center(s)
    assert center is not None
    register_cjk_fonts()

    def read() -> None:
        with db.session("bench", write=False) as s:
            filing_rows(s, FilingQuery(2026))

    read_s = timed(read, args.runs)
    size_mb = db_path.stat().st_size / (1 << 20)
    print(f"machine: {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; database {size_mb:.0f} MiB, "
          f"{len(base)} brokers on the 2026 filing; median of {args.runs} runs after a warm-up; "
          f"reading the filing's rows from the database: {read_s:.3f} s")

    print("\n| rows | openpyxl alone (same cells) | filing .xlsx | ratio | openpyxl styled cell by cell |")
    print("|---:|---:|---:|---:|---:|")
    for count in (len(base), 14_000):
        rows = rows_of(count, base)
        doc = document(rows)
        alone = timed(lambda rows=rows: openpyxl_alone(rows), args.runs)
        ours = timed(lambda doc=doc: write_filing_xlsx(doc, io.BytesIO()), args.runs)
        styled = timed(lambda rows=rows: openpyxl_styled(rows), 1)
        print(f"| {count:,} | {alone:.3f} s | {ours:.3f} s | **{ours / alone:.2f}×** | {styled:.3f} s |")

    print("\n| rows | PDF | ms/row | pages | KiB |")
    print("|---:|---:|---:|---:|---:|")
    for count in (1_000, 5_000, 14_000):
        doc = document(rows_of(count, base))
        buf = io.BytesIO()
        took = timed(lambda doc=doc: render_filing_pdf(doc, io.BytesIO()), args.runs)
        render_filing_pdf(doc, buf)
        pages = buf.getvalue().count(b"/Type /Page\n") or buf.getvalue().count(b"/Type /Page")
        print(f"| {count:,} | {took:.3f} s | {took * 1000 / count:.3f} | {pages} | {len(buf.getvalue()) // 1024:,} |")

    copy = work / "copy.db"
    backup = timed(lambda: sqlite_adapter.backup_to(db.engine, copy), args.runs)
    rules = center.profile().backup
    auto = timed(lambda: local.make_backup(db, rules, "bench", reason="测试"), args.runs)
    print(f"\nbackup of the city demo ({size_mb:.0f} MiB): online backup API {backup:.2f} s; "
          f"automatic backup (event + copy + thinning) {auto:.2f} s")

    from desktop.core.models.account import Role
    from desktop.core.services.accounts import SignedInUser
    from desktop.core.services.backups import backup_to_folder

    user = SignedInUser(1, "admin", "演示管理员", Role.ADMIN, False)
    stick = work / "stick"
    stick.mkdir()
    start = time.perf_counter()
    result = backup_to_folder(db, user, center.profile(), center, stick, "春眠不觉晓-2026")
    took = time.perf_counter() - start
    print(f"encrypted USB backup (copy, compress, scrypt + AES-GCM, write, read back): {took:.2f} s, "
          f"{result.file.stat().st_size / (1 << 20):.1f} MiB")
    from desktop.core.services.filing_export import export_filing

    out = work / "filing"
    out.mkdir()
    start = time.perf_counter()
    prepared, _ = export_filing(db, user, center.profile(), center, FilingQuery(2026), out)
    print(f"export filing end to end ({len(prepared.document.rows)} rows: read, .xlsx, PDF, write, read back, "
          f"manifest, audit): {time.perf_counter() - start:.2f} s")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
