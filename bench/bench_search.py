"""Search speed on a large register: name and ID-prefix searches over 100 000 applications.

Target (issue #2): median under 50 ms per search in core (count + first page), and the list model
shows rowCount() below the total until fetchMore.

    .venv/bin/python bench/bench_search.py [--count 100000] [--db PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core.app import open_database
from desktop.core.demo import generate_demo
from desktop.core.services import applications as svc
from desktop.core.services import center as center_service


def timed(fn, repeat: int = 15) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--db")
    args = parser.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "bench.db"
    db = open_database(path).db
    with db.session("bench", write=False) as s:
        have = svc.count_applications(s, svc.ApplicationQuery())
    if have < args.count:
        start = time.perf_counter()
        generate_demo(db, size="city", count=args.count - have)
        print(f"generated {args.count - have} applications in {time.perf_counter() - start:.1f} s")
    with db.session("bench", write=False) as s:
        profile = center_service.load_center(s).profile()  # type: ignore[union-attr]
        total = svc.count_applications(s, svc.ApplicationQuery())
        sample = svc.search_applications(s, profile, svc.ApplicationQuery(limit=1, order="id_number"))[0]
        surname = sample.name[0]
        given = sample.name[1:] or sample.name
        with db.engine.connect() as conn:
            full_id = conn.exec_driver_sql(
                "SELECT id_number FROM broker_application WHERE id = ?", (sample.id,)
            ).scalar()

    def search(text: str) -> None:
        q = svc.ApplicationQuery(text=text, limit=200)
        with db.session("bench", write=False) as s:  # as the list model does: count, then a page if any
            if svc.count_applications(s, q):
                svc.search_applications(s, profile, q)

    cases = {
        f"name contains '{given}'": given,
        f"surname '{surname}' (many hits)": surname,
        "ID prefix, 6 digits": full_id[:6],
        "ID prefix, 10 digits": full_id[:10],
        "full ID number": full_id,
        "no match": "不存在的人",
        "(no filter) first page": "",
    }
    print(f"{total} applications in {path}")
    for label, text in cases.items():
        print(f"{label:32s} median {timed(lambda t=text: search(t)):7.2f} ms")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
