"""Time from launch to a usable main window (issue #2 target: under 2 s), on a city-size database.

Runs a fresh interpreter each time: import, open and check the database, sign in (Argon2 verify),
build the main window with its first page of rows, show it and process the first paint. The
sign-in dialog's waiting for the clerk is not counted.

    .venv/bin/python bench/bench_startup.py [--db PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import os, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[2])
from desktop.ui.app import make_application
from desktop.core.app import open_database
from desktop.core.demo import DEMO_PASSWORD
from desktop.core.services import accounts, center as center_service
from desktop.ui.main_window import MainWindow
from desktop.ui.session import AppState
from desktop.ui.tasks import TaskRunner
from PySide6.QtWidgets import QApplication
app = make_application()
db = open_database(sys.argv[1]).db
with db.session("jingban") as s:
    center = center_service.load_center(s)
    profile = center.profile()
    user = accounts.sign_in(s, profile, "jingban", DEMO_PASSWORD).user
w = MainWindow(AppState(db, center, profile, user, TaskRunner()))
w.resize(1366, 768)
w.show()
QApplication.processEvents()
w.grab()
print(f"{time.perf_counter() - t0:.3f} {w.applications.model.total}")
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "city.db"
    if not path.exists():
        from desktop.core.app import open_database
        from desktop.core.demo import generate_demo

        db = open_database(path).db
        generate_demo(db, size="city")
        db.dispose()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    walls, insides = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(ROOT)], env=env,
                             capture_output=True, text=True, check=True).stdout.split()
        walls.append(time.perf_counter() - start)
        insides.append(float(out[0]))
        rows = out[1]
    print(f"{rows} applications; launch to painted main window: median {statistics.median(walls):.2f} s "
          f"(process wall time), {statistics.median(insides):.2f} s after interpreter start")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
