"""Resident memory of the running GUI on the city demo (issue #4 point 9: under 300 MB).

Starts a fresh interpreter that signs in, opens the main window at 1366×768 on the dashboard,
waits for its figures, then opens every page in the navigation (each loads its first page of rows
or its figures), scrolls the county-wide transfer list through 2 000 rows, searches it, and comes
back to the dashboard. It prints the resident set size (VmRSS) after each step and the peak
(VmHWM) at the end, from /proc (Linux).

    .venv/bin/python bench/bench_memory.py --db city.db
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time
sys.path.insert(0, sys.argv[2])

def mem(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return 0.0

def step(label):
    QApplication.processEvents()
    print(f"{label:44s} RSS {mem('VmRSS:'):6.0f} MB", flush=True)

def settle(window):
    end = time.perf_counter() + 0.3
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.01)
    window.state.tasks.wait_idle(120_000)
    QApplication.processEvents()

from desktop.ui.app import make_application
from PySide6.QtWidgets import QApplication
app = make_application()
print(f"{'Qt application, nothing open':44s} RSS {mem('VmRSS:'):6.0f} MB", flush=True)
from desktop.core.app import open_database
from desktop.core.demo import DEMO_PASSWORD
from desktop.core.services import accounts, center as center_service
from desktop.ui.main_window import MainWindow
from desktop.ui.session import AppState
from desktop.ui.tasks import TaskRunner
db = open_database(sys.argv[1]).db
with db.session("shenhe") as s:
    center = center_service.load_center(s)
    profile = center.profile()
    user = accounts.sign_in(s, profile, "shenhe", DEMO_PASSWORD).user
w = MainWindow(AppState(db, center, profile, user, TaskRunner()))
w.resize(1366, 768)
w.show()
while w.dashboard.data is None:
    QApplication.processEvents(); time.sleep(0.01)
settle(w)
step("signed in, dashboard with its figures")
for i in range(1, w.nav.count()):
    w.nav.setCurrentRow(i)
    settle(w)
    step(f"page {w.nav.item(i).text()}")
page = getattr(w, "transfers", None)
if page is not None:
    w.nav.setCurrentRow(w.pages.index(page))
    settle(w)
    while page.model.canFetchMore() and page.model.rowCount() < 2000:
        page.model.fetchMore()
    step(f"transfer list scrolled to {page.model.rowCount()} rows")
    page.search.setText("王")
    page.apply_filters()
    step("transfer list searched")
w.nav.setCurrentRow(0)
settle(w)
step("back on the dashboard")
print(f"peak resident memory (VmHWM): {mem('VmHWM:'):.0f} MB", flush=True)
w.close()
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    return subprocess.run([sys.executable, "-c", CHILD, str(Path(args.db).resolve()), str(ROOT)], env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main())
