"""Benchmark: a workstation's 附件2 roster with ~10 000 rows as PDF and .xlsx, and the .xlsx
imported again into another station (docs/PERFORMANCE.md, 劳务协作工作站).

    .venv/bin/python bench/bench_station_roster.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    from sqlalchemy import insert, select

    from desktop.core import clock
    from desktop.core.app import open_database
    from desktop.core.demo import generate_demo
    from desktop.core.documents.excel.importing import stamps
    from desktop.core.documents.excel.roster_import import import_roster
    from desktop.core.idcard import check_digit
    from desktop.core.models.account import Role, User
    from desktop.core.models.station import StationWorker
    from desktop.core.services import center as center_service
    from desktop.core.services import station_forms as forms
    from desktop.core.services.accounts import SignedInUser
    from desktop.core.services.station_roster import WorkerInput, worker_values
    from desktop.core.services.stations import StationInput, apply, find_station

    clock.pin(datetime(2026, 11, 22, 9, 30))
    work = Path(tempfile.mkdtemp(prefix="labordesk-bench-roster-"))
    db = open_database(work / "bench.db").db
    generate_demo(db, size="small", profile_name="jindong")
    with db.session("bench", write=False) as s:
        center = center_service.load_center(s)
        assert center is not None
        profile = center.profile()
        u = s.scalar(select(User).where(User.username == "shenhe"))
        assert u is not None
        user = SignedInUser(u.id, u.username, u.display_name, Role(u.role), False)
        station_id = find_station(s, "贵州榕江劳务协作工作站").id
    stamp = stamps(user.username, clock.now())
    rows, seen = [], set()
    for i in range(args.rows):
        birth = date(1970 + i % 30, 1 + i // 30 % 12, 1 + i // 360 % 28)
        body = f"522632{birth:%Y%m%d}{i % 1000:03d}"
        hired = date(2020 + i % 6, 1 + i % 12, 1 + i % 28)
        worker = WorkerInput(f"测试{i}", body + check_digit(body), "贵州省黔东南州榕江县", "金华市某机械有限公司", hired,
                             6, False, i % 7 == 0, True if i % 3 else None)
        values = worker_values(worker, clock.today())[0]
        if (values["id_number"], hired) not in seen:
            seen.add((values["id_number"], hired))
            rows.append(values | stamp | {"station_id": station_id, "source": "bench"})
    with db.session(user.username) as s:
        s.execute(insert(StationWorker), rows)

    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for out, full in ((work / "roster.pdf", False), (work / "roster.xlsx", True)):
        start = time.perf_counter()
        with db.session(user.username) as s:
            done = forms.write_roster(s, user, profile, station_id, out, forms.RosterOptions(full_id=full))
        pages = f", {done.pages} pages" if done.pages else ""
        print(f"{out.name}: {done.rows} rows{pages}, {out.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - start:.2f} s")
    with db.session(user.username) as s:
        other = apply(s, user, profile, StationInput("基准测试工作站", "基准测试人力资源有限公司", "贵州省", "张三", "13905791234",
                                                     "", "", "", "金东区", None, "", date(2026, 11, 1)))
    start = time.perf_counter()
    report = import_roster(db, profile, other, work / "roster.xlsx", user=user)
    print(f"imported again: {report.imported} of {report.total_rows} rows, {len(report.bad_rows)} refused, "
          f"in {time.perf_counter() - start:.2f} s")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
