"""Speed of the transfer area on the city demo with 300 000 transfer records (issue #4, point 9).

- the biennial review for a year (core): summary, every flagged broker, the review page's first page;
- the county-wide transfer list: count + first page of 200 (what the list model does on opening and
  on every filter change), for each filter the page offers.

    python bench/bench_transfers.py --db city.db [--runs 7]

Make the database with ``labordesk --db city.db demo --size city`` (about 300 000 transfer records
over three years come with it; ``bench/transfer_bulk.py`` adds more for a bigger test).
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
    parser.add_argument("--gui", action="store_true", help="also time the 转移就业 page itself (offscreen)")
    args = parser.parse_args()
    db = open_database(args.db).db
    with db.session("bench", write=False) as s:
        profile = center_service.load_center(s).profile()  # type: ignore[union-attr]
        total = s.scalar(select(func.count()).select_from(TransferRecord))
        brokers = s.scalar(select(func.count()).select_from(Broker))
        sample = s.execute(select(TransferRecord.village_code, TransferRecord.broker_id, TransferRecord.id_number,
                                  TransferRecord.worker_name).where(TransferRecord.village_code != "").limit(1)).one()
        # the ID prefix most workers share: what the list shows while a clerk types the first digits
        common_prefix = s.scalar(select(func.substr(TransferRecord.id_number, 1, 6)).group_by(
            func.substr(TransferRecord.id_number, 1, 6)).order_by(func.count().desc()).limit(1)) or "510923"
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
        "ID-number prefix (6: a county)": TransferQuery(text=common_prefix),
        "ID-number prefix (1 digit)": TransferQuery(text=common_prefix[:1]),
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
    if args.gui:
        gui(db, args.runs, common_prefix)
    db.dispose()
    return 0


def gui(db, runs: int, common_prefix: str) -> None:  # type: ignore[no-untyped-def]
    """The 转移就业 page itself, offscreen: opening it (model, first page, first paint) and one
    filter change (a keystroke's query: count + first page + repaint)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from desktop.core.demo import DEMO_PASSWORD
    from desktop.core.services import accounts
    from desktop.ui.app import make_application
    from desktop.ui.session import AppState
    from desktop.ui.tasks import TaskRunner
    from desktop.ui.transfers.page import TransfersPage

    app = make_application()
    with db.session("bench", write=False) as s:
        center = center_service.load_center(s)
        profile = center.profile()  # type: ignore[union-attr]
    with db.session("bench") as s:
        user = accounts.sign_in(s, profile, "shenhe", DEMO_PASSWORD).user
    state = AppState(db, center, profile, user, TaskRunner())  # type: ignore[arg-type]
    opened = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        page = TransfersPage(state)
        page.resize(1216, 700)
        page.show()
        app.processEvents()
        page.grab()  # the first paint
        opened.append((time.perf_counter() - start) * 1000)
        page.close()
        page.deleteLater()
        app.processEvents()
    print(f"GUI: open the 转移就业 page (first page painted): median {statistics.median(opened[1:]):.0f} ms  "
          "target < 300 ms")
    page = TransfersPage(state)
    page.resize(1216, 700)
    page.show()
    app.processEvents()
    for label, text, employer in (("name 一字", "伟", ""), ("ID prefix", "5109231980", ""),
                                  ("ID 1 digit", common_prefix[:1], ""), ("ID 6 digits", common_prefix, ""),
                                  ("employer", "", "电子"), ("no match", "不存在的人", "")):
        times = []
        for i in range(runs + 1):
            page.search.setText(text if i % 2 == 0 else text + "")
            page.employer.setText(employer)
            page.model.set_query(page.model.query.__class__())  # reset, so every run queries
            start = time.perf_counter()
            page.apply_filters()
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
        print(f"GUI: filter {label:<10} {page.model.total:>7} rows  median {statistics.median(times[1:]):.0f} ms  "
              "target < 100 ms")
    page.close()


if __name__ == "__main__":
    raise SystemExit(main())
