"""Benchmark: importing 10 000 training results vs. openpyxl merely reading the same file.

Target (docs/PERFORMANCE.md): the whole import — read, check every row, match each ID number to
its application, insert the results and steps, move the passed applications on, audit, commit —
takes at most 1.3× the time openpyxl needs to read the sheet (read_only=True,
iter_rows(values_only=True)).

    python bench/bench_import_training.py [--rows 10000] [--runs 5] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import_applications import _use_shared_strings, cpu_model, time_openpyxl
from bench_import_applications import make_file as make_applications

from desktop.core.app import open_database
from desktop.core.documents.excel.application_import import import_applications
from desktop.core.documents.excel.training_import import SPECS, import_training_results
from desktop.core.models.account import Role
from desktop.core.models.broker import BrokerApplication
from desktop.core.rules.profile import load_profile
from desktop.core.services import accounts, center
from desktop.core.services.accounts import SignedInUser

COUNTY = "510107"
PASSWORD = "Abcdef12!"


def make_template(folder: Path, rows: int) -> tuple[Path, list[tuple[str, str]], SignedInUser]:
    """A database with ``rows`` applications waiting for their results (待培训考试), made through
    the real application importer; returns it, the (name, ID number) pairs and the clerk."""
    path = folder / "template.db"
    db = open_database(path).db
    profile = load_profile("sichuan")
    with db.session("bench") as s:
        center.initialise(s, center.SetupInput("基准测试中心", COUNTY, "sichuan", "admin", "管理员", PASSWORD))
        clerk = accounts.create_user(s, profile, username="clerk", display_name="张经办", role=Role.CLERK,
                                     password=PASSWORD, must_change_password=False)
    source = folder / "applications.xlsx"
    make_applications(source, rows)
    report = import_applications(db, profile, source, actor="clerk", county_code=COUNTY)
    assert report.imported == rows, report.lines()[:5]
    t = BrokerApplication.__table__
    with db.session("bench") as s:
        s.execute(update(t).values(status="reviewed"))  # as if recommended and reviewed
        people = [(n, i) for n, i in s.execute(select(t.c.name, t.c.id_number).order_by(t.c.id))]
    db.dispose()
    return path, people, SignedInUser(clerk.id, clerk.username, clerk.display_name, clerk.role, False)


def make_file(path: Path, people: list[tuple[str, str]]) -> None:
    """The platform's sheet: a title row, the six columns, one result per person (9 in 10 pass)."""
    titles = [s.title for s in SPECS]
    wb = Workbook()
    ws = wb.active
    ws.title = "培训考试结果"
    ws.append(["四川省劳务经纪人线上培训考试结果"])
    ws.append(titles)
    for i, (name, id_number) in enumerate(people):
        passed = i % 10 != 9
        ws.append([name, id_number, f"2024-{1 + i % 10:02d}", 60 + i % 40 if passed else 40 + i % 20,
                   "合格" if passed else "不合格", f"SC2024{i:06d}" if passed else None])
    wb.save(path)
    _use_shared_strings(path)


def time_import(template: Path, folder: Path, xlsx: Path, run: int, rows: int, user: SignedInUser,
                profiler: cProfile.Profile | None) -> float:
    target = folder / f"run{run}.db"
    shutil.copy(template, target)
    db = open_database(target).db
    try:
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        report = import_training_results(db, xlsx, user=user)
        elapsed = time.perf_counter() - start
        if profiler:
            profiler.disable()
    finally:
        db.dispose()
        target.unlink()
    if report.imported != rows:
        raise SystemExit("\n".join(report.lines()[:20]))
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the imports, print the top 30")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template, people, user = make_template(folder, args.rows)
        xlsx = folder / "training.xlsx"
        make_file(xlsx, people)
        # Warm both paths once (imports, page cache) so the runs compare steady states.
        time_openpyxl(xlsx)
        time_import(template, folder, xlsx, -1, args.rows, user, None)
        profiler = cProfile.Profile() if args.profile else None
        reads, imports = [], []
        for run in range(args.runs):  # interleaved, so a busy neighbour slows both alike
            reads.append(time_openpyxl(xlsx))
            imports.append(time_import(template, folder, xlsx, run, args.rows, user, profiler))
        read_m, import_m = statistics.median(reads), statistics.median(imports)
        print(f"machine      : {os.cpu_count()} CPUs, {cpu_model()}, Python {platform.python_version()}")
        print(f"data         : {args.rows} rows × {len(SPECS)} columns, {xlsx.stat().st_size / 1024:.0f} KiB .xlsx")
        print(f"openpyxl read: median {read_m:.3f} s  ({', '.join(f'{t:.3f}' for t in reads)})")
        print(f"full import  : median {import_m:.3f} s  ({', '.join(f'{t:.3f}' for t in imports)})")
        print(f"ratio        : {import_m / read_m:.2f}×  (target ≤ 1.30×)")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
