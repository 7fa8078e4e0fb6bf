"""Benchmark: importing a 10 000-row 附件2 sheet vs. openpyxl merely reading the same file.

Target (issue #4, point 9): the whole import — read, check every row as the entry form does,
look up duplicates, insert the records and the import record with the original file, one audit
entry per row, commit — takes at most 1.3× the time openpyxl needs to read the sheet
(read_only=True, iter_rows(values_only=True)).

    python bench/bench_import_transfers.py [--rows 10000] [--runs 5] [--profile]
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
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import_applications import _use_shared_strings, cpu_model, time_openpyxl

from desktop.core.app import open_database
from desktop.core.documents.excel.transfer_import import import_transfers
from desktop.core.documents.transfer_layout import TITLES
from desktop.core.idcard import check_digit, parse_id_number
from desktop.core.models.account import Role
from desktop.core.models.registry import Broker, BrokerStatusChange
from desktop.core.rules.profile import load_profile
from desktop.core.services import center
from desktop.core.services.accounts import SignedInUser

COUNTY = "510923"
BROKER_ID = "510923197804020134"
EMPLOYERS = ["东莞市长安精密电子有限公司", "深圳市龙华富士康科技集团", "成都京东方光电科技有限公司", "宁波舜宇光学科技股份有限公司",
             "苏州工业园区三星半导体有限公司", "厦门宏发电声股份有限公司", "浙江吉利汽车有限公司"]
TERMS = ["1年", "2年", "3年", "2025.3.1-2026.2.28", "无固定期限", "12个月"]


def make_file(path: Path, rows: int, broker: str = "王经纪") -> None:
    """The seed's layout with ``rows`` distinct workers, as WPS/Excel save it (shared strings)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "转移就业"
    ws.append(["附件2"])
    ws.append(["四川省劳务经纪人组织转移就业人员信息表"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(TITLES))
    ws.append([f"劳务经纪人姓名：{broker}                                填表日期：2025年12月20日"])
    ws.append(list(TITLES))
    start = date(2025, 1, 2)
    for i in range(rows):
        birth = date(1970, 1, 1) + timedelta(days=(i * 37) % 12000)
        body = f"{COUNTY}{birth:%Y%m%d}{i % 1000:03d}"
        id_number = body + check_digit(body)
        hire = start + timedelta(days=i % 340)
        ws.append([i + 1, f"劳动力{i}", "男" if i % 2 else "女", id_number, None, ("初中", "高中", "小学", "中专")[i % 4],
                   "汉族" if i % 10 else "彝族", EMPLOYERS[i % len(EMPLOYERS)], f"广东省东莞市长安镇某路{i % 500}号",
                   TERMS[i % len(TERMS)], "普工", "是" if i % 5 else "否", f"13{i:09d}",
                   f"入职日期：{hire:%Y-%m-%d}" + ("；脱贫户" if i % 3 == 0 else "")])
    wb.save(path)
    _use_shared_strings(path)


def make_template(folder: Path) -> Path:
    path = folder / "template.db"
    db = open_database(path).db
    with db.session("bench") as s:
        center.initialise(s, center.SetupInput("基准测试中心", COUNTY, "sichuan", "admin", "管理员", "Abcdef12!"))
        parsed = parse_id_number(BROKER_ID)
        broker = Broker(id_number=BROKER_ID, name="王经纪", gender=parsed.gender, birth_date=parsed.birth_date,
                        certified_on=date(2022, 5, 10), source="import")
        s.add(broker)
        s.flush()
        s.add(BrokerStatusChange(broker_id=broker.id, status="active", changed_on=date(2022, 5, 10)))
    db.dispose()
    return path


USER = SignedInUser(1, "admin", "管理员", Role.ADMIN, False)


def time_import(template: Path, folder: Path, xlsx: Path, run: int, rows: int, profiler: cProfile.Profile | None,
                broker_id: int | None = None) -> float:
    target = folder / f"run{run}.db"
    shutil.copy(template, target)
    os.sync()  # the copy's pages on disk first: a 700 MB copy still being written back would slow the import
    db = open_database(target).db
    profile = load_profile("sichuan")
    try:
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        report = import_transfers(db, profile, xlsx, user=USER, broker_id=broker_id)
        elapsed = time.perf_counter() - start
        if profiler:
            profiler.disable()
    finally:
        db.dispose()
    if report.imported != rows:
        raise SystemExit("\n".join(report.lines()[:20]))
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the imports, print the top 30")
    parser.add_argument("--into", help="import into copies of this database (e.g. the city demo with 300 000 "
                                       "transfers) instead of an empty one; the sheet goes to its first active broker certified before 2025")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        xlsx = folder / "transfers.xlsx"
        broker_id, name = None, "王经纪"
        if args.into:
            template = Path(args.into)
            probe = open_database(template).db
            with probe.session("bench", write=False) as s:
                # one certified before the sheet's hire dates (2025), as a real broker's sheet would be:
                # a later one gets a warning on every row, which is not what an import usually costs
                broker_id, name = s.execute(select(Broker.id, Broker.name).where(
                    Broker.status == "active", Broker.certified_on <= date(2025, 1, 1)).order_by(Broker.id).limit(1)).one()
            probe.dispose()
        else:
            template = make_template(folder)
        make_file(xlsx, args.rows, name)
        time_openpyxl(xlsx)
        time_import(template, folder, xlsx, -1, args.rows, None, broker_id)
        profiler = cProfile.Profile() if args.profile else None
        reads, imports = [], []
        for run in range(args.runs):  # interleaved, so a busy neighbour slows both alike
            reads.append(time_openpyxl(xlsx))
            imports.append(time_import(template, folder, xlsx, run, args.rows, profiler, broker_id))
        read_m, import_m = statistics.median(reads), statistics.median(imports)
        print(f"machine      : {os.cpu_count()} CPUs, {cpu_model()}, Python {platform.python_version()}, "
              f"load {os.getloadavg()[0]:.1f}")
        print(f"data         : {args.rows} rows × 14 columns (附件2), shared strings, {xlsx.stat().st_size / 1024:.0f} KiB"
              + (f", into a copy of {args.into}" if args.into else ", into an empty database"))
        print(f"openpyxl read: median {read_m:.3f} s  ({', '.join(f'{t:.3f}' for t in reads)})")
        print(f"full import  : median {import_m:.3f} s  ({', '.join(f'{t:.3f}' for t in imports)})")
        print(f"ratio        : {import_m / read_m:.2f}×  (target ≤ 1.30×)")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
