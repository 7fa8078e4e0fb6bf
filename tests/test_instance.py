"""A second LaborDesk on the same database is told who has it; waits or opens read-only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.core.app import open_database
from desktop.core.audit import AuditFact, record_event
from desktop.core.db import instance
from desktop.core.db.database import ReadOnlyDatabase
from desktop.core.models import AuditEntry, User
from desktop.core.services import accounts
from tests.conftest import ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[1]

_HOLDER = """
import sys, time
from desktop.core.app import open_database
db = open_database(sys.argv[1]).db
print("held", flush=True)
time.sleep(float(sys.argv[2]))
db.dispose()
"""


def _hold(db_path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another LaborDesk process holding the database for ``seconds``."""
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(db_path), str(seconds)], cwd=ROOT, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_instance_is_told_who_has_the_database(db_path: Path) -> None:
    proc = _hold(db_path, 30)
    try:
        with pytest.raises(instance.DatabaseInUse) as caught:
            open_database(db_path)
        message = str(caught.value)
        assert f"进程号 {proc.pid}" in message and "只读方式打开" in message and "等对方退出" in message
        assert caught.value.holder is not None and caught.value.holder.pid == proc.pid
        assert not instance.is_free(db_path)
    finally:
        proc.kill()
        proc.wait()
    # Killed: the file still names it, but nobody holds the lock: stale, taken over.
    assert instance.holder_of(db_path) is not None and instance.holder_of(db_path).pid == proc.pid
    opened = open_database(db_path)
    assert opened.db.instance_lock.stale is not None and opened.db.instance_lock.stale.pid == proc.pid
    assert instance.holder_of(db_path).pid == os.getpid()
    opened.db.dispose()
    assert instance.holder_of(db_path) is None  # a clean exit leaves nothing that looks stale


def test_waiting_gets_the_database_when_the_other_exits(db_path: Path) -> None:
    proc = _hold(db_path, 0.8)
    started = time.monotonic()
    opened = open_database(db_path, wait_seconds=20)
    assert 0.3 < time.monotonic() - started < 20
    opened.db.dispose()
    proc.wait()


def test_read_only_refuses_every_write_but_reads_and_audits_sign_in(db_path: Path, profile) -> None:  # type: ignore[no-untyped-def]
    proc = _hold(db_path, 30)
    try:
        db = open_database(db_path, read_only=True).db
        with db.session("clerk", write=False) as s:
            users = s.scalar(select(func.count()).select_from(User))
        assert users == 3
        with pytest.raises(ReadOnlyDatabase, match="只读"), db.session("clerk") as s:
            pass
        # Sign-in still works and is audited, but changes nothing in the account rows.
        with db.event_session("clerk") as s:
            result = accounts.sign_in(s, profile, "clerk", ADMIN_PASSWORD)
        assert result.user is not None
        with db.event_session("clerk") as s:
            assert accounts.sign_in(s, profile, "clerk", "wrong").user is None
        with db.session("t", write=False) as s:
            clerk = s.scalar(select(User).where(User.username == "clerk"))
            last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(2)).all()
        assert clerk.failed_attempts == 0 and clerk.last_sign_in is None
        assert [(e.action, e.outcome) for e in last] == [("登录", "失败"), ("登录", "成功")]
        with pytest.raises(ReadOnlyDatabase), db.event_session("clerk") as s:
            s.get(User, clerk.id).display_name = "改名"
        with db.event_session("clerk") as s:
            record_event(s, AuditFact("导出", "经纪人名册"))
        db.dispose()
    finally:
        proc.kill()
        proc.wait()


def test_same_process_shares_its_hold(db_path: Path) -> None:
    first = open_database(db_path).db
    second = open_database(db_path).db
    second.dispose()
    assert not _free_elsewhere(db_path)  # still held by ``first``
    first.dispose()
    assert _free_elsewhere(db_path)


def _free_elsewhere(db_path: Path) -> bool:
    code = "import sys; from desktop.core.db import instance; print(instance.is_free(__import__('pathlib').Path(sys.argv[1])))"
    out = subprocess.run([sys.executable, "-c", code, str(db_path)], cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True).stdout
    return out.strip() == "True"


def test_lock_file_from_a_dead_process_without_os_locks(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file system without locks the PID decides: a dead process here is stale, a live one is not."""
    def unsupported(_fd: int) -> bool:
        raise instance._LocksUnsupported()

    monkeypatch.setattr(instance, "_os_lock", unsupported)
    monkeypatch.setattr(instance, "_os_unlock", lambda _fd: None)
    lock_file = instance.lock_path(db_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock_file.write_text(json.dumps({"pid": int(dead.stdout), "host": instance._this_host(), "since": "x"}))
    lock = instance.acquire(db_path)
    assert lock.stale is not None
    lock.release()
    lock_file.write_text(json.dumps({"pid": os.getppid(), "host": instance._this_host(), "since": "x"}))
    with pytest.raises(instance.DatabaseInUse):
        instance.acquire(db_path)
