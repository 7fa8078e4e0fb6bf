"""Screenshots of the dashboard and the broker-performance pages into docs/screenshots/, offscreen at
1366×768 on demo data: the sichuan dashboard and 金牌推荐 (and the nomination list's first PDF
page), the chongqing dashboard, 村级覆盖, 集中培育 and 积分排名."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def _window(db, username: str = "shenhe"):  # type: ignore[no-untyped-def]
    from desktop.core.demo import DEMO_PASSWORD
    from desktop.core.services import accounts
    from desktop.core.services import center as center_service
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import AppState
    from desktop.ui.tasks import TaskRunner

    with db.session(username) as s:
        center = center_service.load_center(s)
        assert center is not None
        profile = center.profile()
        user = accounts.sign_in(s, profile, username, DEMO_PASSWORD).user
    window = MainWindow(AppState(db, center, profile, user, TaskRunner()))
    window.resize(1366, 768)
    window.show()
    return window


def _settle(window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    end = time.perf_counter() + 0.4
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.02)
    window.state.tasks.wait_idle(300_000)
    for _ in range(5):
        QApplication.processEvents()


def _shot(window, title: str, name: str) -> None:  # type: ignore[no-untyped-def]
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    window.nav.setCurrentRow(titles.index(title))
    _settle(window)
    window.grab().save(str(OUT / name))
    print(f"  {name}")


def _database(work: Path, name: str, policy: str, copy_of: str | None):  # type: ignore[no-untyped-def]
    from desktop.core.app import open_database
    from desktop.core.demo import generate_demo

    path = work / name
    if copy_of:
        shutil.copy(copy_of, path)
        db = open_database(path).db
    else:
        db = open_database(path).db
        print(generate_demo(db, size="county", profile_name=policy))
    return db


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="use a copy of this sichuan demo database (e.g. the city bench) instead of a new one")
    parser.add_argument("--cq-db", help="the same for the chongqing screens")
    args = parser.parse_args()

    from desktop.core import clock
    from desktop.core.services import performance_documents as documents
    from desktop.core.services.accounts import SignedInUser
    from desktop.ui.app import make_application
    from scripts.screenshots import render_pdf_page

    OUT.mkdir(parents=True, exist_ok=True)
    clock.pin(datetime(2026, 11, 22, 9, 30))
    work = Path(tempfile.mkdtemp(prefix="labordesk-insights-shots-"))
    os.environ["LABORDESK_HOME"] = str(work)
    app = make_application()

    db = _database(work, "sichuan.db", "sichuan", args.db)
    window = _window(db)
    _shot(window, "工作台", "dashboard.png")
    _shot(window, "金牌推荐", "gold_medal_ranking.png")
    state = window.state
    user: SignedInUser = state.user
    with db.session(user.username) as s:
        written = documents.write_nominations(s, user, state.profile, 2026, state.center.center_name, work)
    render_pdf_page(written.pdf, OUT / "gold_medal_nominations_p1.png")
    print("  gold_medal_nominations_p1.png")
    window.close()
    db.dispose()

    cq = _database(work, "chongqing.db", "chongqing", args.cq_db)
    window = _window(cq)
    _shot(window, "工作台", "dashboard_chongqing.png")
    _shot(window, "村级覆盖", "coverage.png")
    _shot(window, "集中培育", "training_days.png")
    window.targets["training"].tabs.setCurrentIndex(1)
    _settle(window)
    window.grab().save(str(OUT / "training_sessions.png"))
    print("  training_sessions.png")
    _shot(window, "积分排名", "points_ranking.png")
    window.close()
    cq.dispose()
    app.processEvents()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
