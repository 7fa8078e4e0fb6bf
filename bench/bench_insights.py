"""Speed on the city demo (issue #4 point 9): the county-wide transfer list, the dashboard, the
rankings, coverage and training figures — each as the page asks for it, in core.

Targets: the transfer list's first page within 300 ms of opening (count + first 200 rows) and a
filter within 100 ms of a keystroke; the dashboard, rankings and lists run off the GUI thread and
are reported for information.

    .venv/bin/python bench/bench_insights.py --db city.db [--cq-db chongqing-city.db] [--runs 7]

A database that does not exist yet is made with ``labordesk demo --size city`` first (sichuan for
--db, chongqing for --cq-db) and the generation time printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core import clock
from desktop.core.app import open_database
from desktop.core.db.database import Database
from desktop.core.demo import generate_demo
from desktop.core.services import center as center_service


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(median, worst) milliseconds of ``runs`` calls after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def ensure(path: Path, policy: str) -> Database:
    fresh = not path.exists()
    db = open_database(path).db
    if fresh:
        start = time.perf_counter()
        print(generate_demo(db, size="city", profile_name=policy))
        print(f"generated the {policy} city demo in {time.perf_counter() - start:.1f} s")
    return db


def list_cases(db: Database, runs: int) -> None:
    from desktop.core.services.transfer_search import TransferQuery, search_page, search_transfers

    with db.session("bench", write=False) as s:
        profile = center_service.load_center(s).profile()  # type: ignore[union-attr]
        sample = search_transfers(s, profile, TransferQuery(limit=1))[0]
        village = s.execute(__import__("sqlalchemy").text(
            "SELECT village_code FROM transfer_record WHERE village_code != '' GROUP BY village_code "
            "ORDER BY count(*) DESC LIMIT 1")).scalar()

    def page(q: TransferQuery) -> Callable[[], None]:
        def run() -> None:
            with db.session("bench", write=False) as s:  # as the list model does it: the total and a page
                search_page(s, profile, q)
        return run

    year = clock.today().year
    cases = {
        "open: whole county, newest first": TransferQuery(),
        "filter: year": TransferQuery(year=year),
        "filter: year + village": TransferQuery(year=year, village_code=village),
        "filter: township": TransferQuery(village_code=village[:9] + "000"),
        "keystroke: worker name contains": TransferQuery(text=sample.worker_name[1:]),
        "keystroke: surname": TransferQuery(text=sample.worker_name[0]),
        "keystroke: ID prefix (6)": TransferQuery(text="510923"),
        "keystroke: employer contains": TransferQuery(employer="电子"),
        "keystroke: employer, no match": TransferQuery(employer="不存在的单位"),
        "filter: year + employer": TransferQuery(year=year, employer=sample.employer_name[:4]),
    }
    for label, q in cases.items():
        median, worst = timed(page(q), runs)
        print(f"{label:38s} median {median:8.1f} ms   worst {worst:8.1f} ms")


def ui_cases(db: Database, runs: int) -> None:
    """The transfer page itself, offscreen: opening it (model built, first page in the view) and a
    filter applied (after the search box's typing pause, which is not counted)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.core.demo import DEMO_PASSWORD
    from desktop.core.services import accounts
    from desktop.ui.app import make_application
    from desktop.ui.session import AppState
    from desktop.ui.tasks import TaskRunner
    from desktop.ui.transfers.page import TransfersPage

    make_application()
    with db.session("jingban") as s:
        info = center_service.load_center(s)
        assert info is not None
        profile = info.profile()
        user = accounts.sign_in(s, profile, "jingban", DEMO_PASSWORD).user
    state = AppState(db, info, profile, user, TaskRunner())  # type: ignore[arg-type]
    pages: list[TransfersPage] = []

    def open_page() -> None:
        page = TransfersPage(state)
        page.resize(1216, 700)
        page.show()
        QApplication.processEvents()
        pages.append(page)

    median, worst = timed(open_page, runs)
    print(f"{'open the 转移就业 page (first page shown)':38s} median {median:8.1f} ms   worst {worst:8.1f} ms")
    page = pages[-1]
    for label, text in (("type a name", "王小"), ("type an employer word", "电子")):
        box = page.search if label == "type a name" else page.employer

        def apply(box=box, text=text) -> None:  # type: ignore[no-untyped-def]
            box.setText(text)
            page.apply_filters()
            QApplication.processEvents()
            box.setText("")
            page.apply_filters()

        median, worst = timed(apply, runs)
        print(f"{'filter: ' + label + ' (and clear it)':38s} median {median / 2:8.1f} ms   worst {worst / 2:8.1f} ms"
              "   (per query)")
    for p in pages:
        p.close()


def core_cases(db: Database, runs: int) -> None:
    from desktop.core.services import coverage, cultivation, dashboard, rankings, review

    with db.session("bench", write=False) as s:
        info = center_service.load_center(s)
        assert info is not None
        profile = info.profile()
    today = clock.today()
    mods = profile.modules
    jobs: dict[str, Callable[[Any], Any]] = {
        "dashboard (everything)": lambda s: dashboard.build_dashboard(s, profile, info.county_code, today),
        "dashboard: transfers by month": lambda s: dashboard.transfers_by_month(s, today),
    }
    if mods.review:
        jobs["review summary (last year)"] = lambda s: review.review_summary(s, profile, today.year - 1)
    if mods.gold_medal:
        jobs["gold-medal ranking"] = lambda s: rankings.gold_medal_ranking(s, profile, today.year)
    if mods.points:
        jobs["points ranking"] = lambda s: rankings.points_ranking(s, profile, today.year)
    if mods.coverage:
        jobs["coverage report"] = lambda s: coverage.coverage_report(s, profile, info.county_code)
    if mods.training:
        jobs["training: under-minimum page"] = lambda s: cultivation.broker_days(
            s, profile, cultivation.DaysQuery(today.year, under_only=True))
    for label, job in jobs.items():
        def run(job: Callable[[Any], Any] = job) -> None:
            with db.session("bench", write=False) as s:
                job(s)
        median, worst = timed(run, max(3, runs // 2))
        print(f"{label:38s} median {median:8.1f} ms   worst {worst:8.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--cq-db")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--ui", action="store_true", help="also time the transfer page itself (offscreen Qt)")
    args = parser.parse_args()
    db = ensure(Path(args.db), "sichuan")
    print(f"--- {args.db}: transfer list (count + first page of 200)")
    list_cases(db, args.runs)
    if args.ui:
        print("--- the transfer page (offscreen Qt)")
        ui_cases(db, args.runs)
    print("--- core figures")
    core_cases(db, args.runs)
    db.dispose()
    if args.cq_db:
        cq = ensure(Path(args.cq_db), "chongqing")
        print(f"--- {args.cq_db}: core figures (chongqing)")
        core_cases(cq, args.runs)
        cq.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
