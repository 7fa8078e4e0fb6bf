"""Benchmark: importing 10 000 broker applications vs. openpyxl merely reading the same file.

Target (docs/PERFORMANCE.md): the whole import — read, check every row, look up duplicates,
insert, audit, commit — takes at most 1.3× the time openpyxl needs to read the sheet
(read_only=True, iter_rows(values_only=True)).

    python bench/bench_import_applications.py [--rows 10000] [--runs 5] [--profile] [--inline] [--openpyxl-reader]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import platform
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core import regions
from desktop.core.app import open_database
from desktop.core.documents.excel import importing, reading
from desktop.core.documents.excel.application_import import DECLARATIONS_TITLE, SPECS, import_applications
from desktop.core.idcard import check_digit
from desktop.core.rules.profile import load_profile
from desktop.core.services import center

COUNTY = "510107"


def _luhn(prefix: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(prefix + "0")):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return prefix + str((10 - total % 10) % 10)


def make_file(path: Path, rows: int, inline: bool = False) -> None:
    """``rows`` valid, distinct applications, written the way a clerk's sheet looks."""
    villages = [v.name for v in regions.villages_of_county(COUNTY)]
    titles = [*(s.title for s in SPECS if s.required), DECLARATIONS_TITLE]
    # A normal (not write-only) workbook, like Excel and WPS save: shared strings and a
    # <dimension> at the top. (Write-only files use inline strings, which openpyxl reads slower.)
    wb = Workbook()
    ws = wb.active
    ws.title = "申请人员"
    ws.append(["武侯区劳务经纪人申请汇总表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(titles))
    ws.append(titles)
    for i in range(rows):
        year, month, day = 1970 + i % 30, 1 + i % 12, 1 + i % 28
        seq = f"{i // 360 % 1000:03d}"
        birth = f"{year}{month:02d}{day:02d}"
        body = f"{COUNTY}{birth}{seq}"
        id_number = body + check_digit(body)
        gender = "男" if int(seq[-1]) % 2 else "女"
        ws.append(
            [
                f"测试{i}",
                gender,
                f"{year}-{month:02d}",
                "群众",
                "高中",
                f"13{i:09d}",
                "某某劳务合作社",
                id_number,
                _luhn(f"6222{i:011d}"),
                "农村信用社武侯支行",
                f"武侯区某街道{i}号",
                "多年从事劳务输出组织工作，熟悉本地劳动力情况。",
                villages[i % len(villages)],
                "2024-05-20",
                "是",
            ]
        )
    wb.save(path)
    if not inline:
        _use_shared_strings(path)


_INLINE = re.compile(
    rb'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>'
)


def _use_shared_strings(path: Path) -> None:
    """Rewrite openpyxl's inline strings as a shared-string table, as Excel and WPS save text."""
    table: dict[bytes, int] = {}

    def shared(m: re.Match[bytes]) -> bytes:
        idx = table.setdefault(m.group(3), len(table))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (m.group(1), m.group(2), idx)

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = _INLINE.sub(shared, data)
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            zout.writestr(item, data)
        items = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % t for t in table)
        zout.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
            b"%s</sst>" % (len(table), len(table), items),
        )
    tmp.replace(path)


def time_openpyxl(path: Path) -> float:
    start = time.perf_counter()
    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for _ in wb.worksheets[0].iter_rows(values_only=True):
        n += 1
    wb.close()
    return time.perf_counter() - start


def make_template(folder: Path) -> Path:
    path = folder / "template.db"
    db = open_database(path).db
    with db.session("bench") as s:
        center.initialise(s, center.SetupInput("基准测试中心", COUNTY, "sichuan", "admin", "管理员", "Abcdef12!"))
    db.dispose()
    return path


def time_import(
    template: Path, folder: Path, xlsx: Path, run: int, rows: int, profiler: cProfile.Profile | None
) -> float:
    target = folder / f"run{run}.db"
    shutil.copy(template, target)
    db = open_database(target).db
    profile = load_profile("sichuan")
    try:
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        report = import_applications(db, profile, xlsx, actor="bench")
        elapsed = time.perf_counter() - start
        if profiler:
            profiler.disable()
    finally:
        db.dispose()
    if report.imported != rows:
        raise SystemExit("\n".join(report.lines()[:20]))
    return elapsed


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the imports, print the top 30")
    parser.add_argument("--inline", action="store_true", help="keep openpyxl's inline strings (no shared-string table)")
    parser.add_argument("--openpyxl-reader", action="store_true", help="import through openpyxl, not the fast reader")
    args = parser.parse_args()
    if args.openpyxl_reader:
        importing.read_table = functools.partial(reading.read_table, fast=False)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        xlsx = folder / "applications.xlsx"
        make_file(xlsx, args.rows, args.inline)
        template = make_template(folder)
        # Warm both paths once (imports, region tables, page cache) so the runs compare steady states.
        time_openpyxl(xlsx)
        time_import(template, folder, xlsx, -1, args.rows, None)
        profiler = cProfile.Profile() if args.profile else None
        reads, imports = [], []
        for run in range(args.runs):  # interleaved, so a busy neighbour slows both alike
            reads.append(time_openpyxl(xlsx))
            imports.append(time_import(template, folder, xlsx, run, args.rows, profiler))
        read_m, import_m = statistics.median(reads), statistics.median(imports)
        print(f"machine      : {os.cpu_count()} CPUs, {cpu_model()}, Python {platform.python_version()}")
        kind = "inline strings" if args.inline else "shared strings"
        print(f"data         : {args.rows} rows × 15 columns, {kind}, {xlsx.stat().st_size / 1024:.0f} KiB .xlsx")
        print(f"openpyxl read: median {read_m:.3f} s  ({', '.join(f'{t:.3f}' for t in reads)})")
        print(f"full import  : median {import_m:.3f} s  ({', '.join(f'{t:.3f}' for t in imports)})")
        print(f"ratio        : {import_m / read_m:.2f}×  (target ≤ 1.30×)")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
