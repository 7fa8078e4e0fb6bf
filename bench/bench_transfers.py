"""Speed of the transfer area on the city demo with 300 000 transfer records (issue #4, point 9).

- the biennial review for a year (core): summary, every flagged broker, the review page's first page;
- the county-wide transfer list: count + first page of 200 (what the list model does on opening and
  on every filter change), for each filter the page offers.

    python bench/bench_transfers.py --db city.db [--runs 7]

Make the database with ``labordesk demo --size city`` (or generate_demo) and then
``bench/transfer_bulk.py --db city.db --count 300000``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import_applications import cpu_model
from sqlalchemy import func, select

from desktop.core.app import open_database
from desktop.core.models.registry import Broker
from desktop.core.models.transfer import TransferRecord
from desktop.core.services import center as center_service
from desktop.core.services import review
from desktop.core.services.transfer_search import TransferQuery, count_transfers, search_page


def timed(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    fn()  # warm the page cache and the statement cache once
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()
    db = open_database(args.db).db
    with db.session("bench", write=False) as s:
        profile = center_service.load_center(s).profile()  # type: ignore[union-attr]
        total = s.scalar(select(func.count()).select_from(TransferRecord))
        brokers = s.scalar(select(func.count()).select_from(Broker))
        sample = s.execute(select(TransferRecord.village_code, TransferRecord.broker_id, TransferRecord.id_number,
                                  TransferRecord.worker_name).where(TransferRecord.village_code != "").limit(1)).one()
    print(f"machine : {os.cpu_count()} CPUs, {cpu_model()}, Python {platform.python_version()}")
    print(f"data    : {total} transfer records, {brokers} brokers ({Path(args.db).stat().st_size / 2**20:.0f} MiB)")

    def review_year() -> None:
        with db.session("bench", write=False) as s:
            review.review_summary(s, profile, args.year)
            review.flagged_brokers(s, profile, args.year)

    def review_page() -> None:
        with db.session("bench", write=False) as s:
            q = review.ReviewQuery(args.year)
            review.count_review_rows(s, profile, q)
            review.review_rows(s, profile, q)

    median, runs = timed(review_year, args.runs)
    with db.session("bench", write=False) as s:
        flagged = len(review.flagged_brokers(s, profile, args.year))
    print(f"review {args.year} (summary + all {flagged} flagged): median {median:.0f} ms  "
          f"({', '.join(f'{t:.0f}' for t in runs)})  target < 1000 ms")
    median, _ = timed(review_page, args.runs)
    print(f"review page (count + first 200): median {median:.0f} ms")

    cases = {
        "no filter (opening the page)": TransferQuery(),
        f"year {args.year}": TransferQuery(year=args.year),
        "village (one village)": TransferQuery(village_code=sample.village_code),
        "township": TransferQuery(village_code=sample.village_code[:9] + "000"),
        "employer contains 电子": TransferQuery(employer="电子"),
        "employer + year": TransferQuery(employer="富士康", year=args.year),
        "worker name contains 一字": TransferQuery(text=sample.worker_name[-1]),
        "ID-number prefix (10 digits)": TransferQuery(text=sample.id_number[:10]),
        "one broker": TransferQuery(broker_id=sample.broker_id),
        "year + village": TransferQuery(year=args.year, village_code=sample.village_code),
        "no match": TransferQuery(text="不存在的人"),
    }
    print("county-wide transfer list, count + first page of 200 rows (search_page, as the list model asks):")
    for label, query in cases.items():
        def page(q: TransferQuery = query) -> None:
            with db.session("bench", write=False) as s:
                search_page(s, profile, q)
        median, runs = timed(page, args.runs)
        with db.session("bench", write=False) as s:
            n = count_transfers(s, query)
        print(f"  {label:<32} {n:>7} rows  median {median:6.1f} ms  (max {max(runs):.1f})")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
