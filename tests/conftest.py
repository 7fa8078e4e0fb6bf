"""Shared fixtures: a migrated template database copied per test, the signed-in GUI state."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from desktop.core import clock
from desktop.core.app import open_database
from desktop.core.db.database import Database
from desktop.core.models.account import Role
from desktop.core.rules.profile import PolicyProfile, load_profile
from desktop.core.services import accounts, center

ADMIN_PASSWORD = "Abcdef12!"
COUNTY = "510923"  # 四川省遂宁市大英县


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORDESK_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(autouse=True)
def _pinned_clock() -> Iterator[None]:
    clock.pin(datetime(2026, 11, 22, 9, 30, 0))
    yield
    clock.pin(None)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated with the real Alembic scripts and set up once; tests get a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    clock.pin(datetime(2026, 11, 22, 9, 0, 0))
    opened = open_database(path)
    with opened.db.session("admin") as s:
        center.initialise(
            s,
            center.SetupInput("大英县农民工服务中心", COUNTY, "sichuan", "admin", "管理员", ADMIN_PASSWORD),
        )
        prof = load_profile("sichuan")
        accounts.create_user(s, prof, username="clerk", display_name="张经办", role=Role.CLERK,
                             password=ADMIN_PASSWORD, must_change_password=False)
        accounts.create_user(s, prof, username="reviewer", display_name="李审核", role=Role.REVIEWER,
                             password=ADMIN_PASSWORD, must_change_password=False)
    opened.db.dispose()
    clock.pin(None)
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "labordesk.db"
    shutil.copy(template_db, target)
    return target


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path).db
    yield database
    _wait_for_background_tasks()
    database.dispose()


def _wait_for_background_tasks() -> None:
    """A GUI test may end while a page's background task (the dashboard's figures…) still reads
    the database on the worker thread; disposing the database under it crashed the test process
    now and then. Only when Qt is loaded: core tests never start tasks."""
    tasks = sys.modules.get("desktop.ui.tasks")
    if tasks is not None:
        assert tasks.TaskRunner.wait_all(60_000), "a background task did not finish within 60 s"


@pytest.fixture
def profile() -> PolicyProfile:
    return load_profile("sichuan")


_GC_THRESHOLD = gc.get_threshold()


def pytest_configure(config: pytest.Config) -> None:
    # Collection on the test thread only, between tests (see desktop/ui/collector.py: a Qt object
    # collected on the GUI tests' database worker thread crashed the run now and then).
    gc.disable()


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread() -> Iterator[None]:
    yield
    from desktop.ui.collector import collect_due

    collect_due(_GC_THRESHOLD)
