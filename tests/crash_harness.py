"""Crash-safety harness: a writer process making numbered commits, killed with SIGKILL at random.

The writer (``python -m tests.crash_harness write DB DONE UNTIL``) opens the database the way
LaborDesk does (``open_database``: instance lock, migrations, pragmas) and, through the real
``Database.session`` scope, commits one numbered broker (an ``Audited`` model, so each commit
also appends to the hash chain) plus one security event per transaction. After each commit
has returned it appends the number to the DONE file with an unbuffered ``os.write``: a number
in that file is a commit the program told its user was saved. It resumes after the highest
number already in the database, so it can be killed and started again.

``run_rounds`` drives it: each round asks for ``commits`` more commits and kills the writer at
``kills`` random moments (after a random count of reported commits plus a random fraction of a
commit), restarting it each time; after every kill it checks that ``PRAGMA integrity_check`` is
ok, that every reported commit is in the database (at most one more, committed but killed
before it could report), that the audit chain verifies, and that the killed writer's instance
lock is seen as stale and taken over.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CERT_PREFIX = "CRASH-"


def _id_number(n: int) -> str:
    from desktop.core.idcard import check_digit

    birth = date(1960, 1, 1) + timedelta(days=n // 500)
    first17 = f"510923{birth:%Y%m%d}{n % 500:03d}"
    return first17 + check_digit(first17)


def _committed_numbers(conn: sqlite3.Connection) -> set[int]:
    rows = conn.execute("SELECT certificate_no FROM broker WHERE certificate_no LIKE ?", (CERT_PREFIX + "%",))
    return {int(c[len(CERT_PREFIX):]) for (c,) in rows}


def write(db_path: Path, done_path: Path, until: int) -> None:
    """The child: numbered commits ``max+1 .. until`` through the real Database/session code."""
    from sqlalchemy import func, select

    from desktop.core.app import open_database
    from desktop.core.audit import AuditFact, record_event
    from desktop.core.models.registry import Broker

    db = open_database(db_path).db
    with db.session("崩溃测试", write=False) as s:
        last = s.scalar(select(func.max(Broker.certificate_no)).where(Broker.certificate_no.like(CERT_PREFIX + "%")))
    start = int(last[len(CERT_PREFIX):]) + 1 if last else 1
    out = os.open(done_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    for n in range(start, until + 1):
        with db.session("崩溃测试") as s:
            s.add(Broker(id_number=_id_number(n), name=f"测试{n}", gender="男", birth_date=date(1980, 1, 1),
                         certified_on=date(2026, 1, 1), certificate_no=f"{CERT_PREFIX}{n:07d}", source="import"))
            record_event(s, AuditFact("崩溃测试", "劳务经纪人", str(n)))
        os.write(out, f"{n}\n".encode())
    os.close(out)
    db.dispose()


@dataclass
class HarnessResult:
    rounds: int = 0
    kills: int = 0
    commits_reported: int = 0
    committed: int = 0  # the highest number in the database at the end
    commits_checked: int = 0
    unreported: set[int] = field(default_factory=set)  # committed, killed before reporting
    stale_locks_taken_over: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def _reported(done_path: Path) -> list[int]:
    try:
        text = done_path.read_text()
    except FileNotFoundError:
        return []
    lines = text.split("\n")
    return [int(x) for x in lines[:-1] if x]  # the last piece has no newline yet: not reported


def _spawn(db_path: Path, done_path: Path, until: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "tests.crash_harness", "write", str(db_path), str(done_path), str(until)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _check(db_path: Path, done_path: Path, result: HarnessResult, label: str) -> int:
    """Integrity, every reported commit present, the chain, the stale lock; returns the DB's max."""
    from desktop.core.app import open_database
    from desktop.core.audit import verify_chain

    conn = sqlite3.connect(db_path)
    try:
        verdict = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        present = _committed_numbers(conn)
    finally:
        conn.close()
    if verdict != ["ok"]:
        result.problems.append(f"{label}: integrity_check {verdict[:3]}")
    reported = _reported(done_path)
    missing = sorted(set(reported) - present)
    if missing:
        result.problems.append(f"{label}: {len(missing)} reported commits missing, first {missing[:5]}")
    # A writer killed between its commit and its report leaves one commit nobody was told about:
    # allowed, once per kill, and only the one right after the last reported number.
    new_extra = sorted(present - set(reported) - result.unreported)
    top = max(reported, default=0)
    if any(n != top + 1 for n in new_extra):
        result.problems.append(f"{label}: unexpected commits {new_extra[:5]} after reported {top}")
    result.unreported.update(new_extra)
    result.commits_checked += len(present)
    result.commits_reported = len(reported)
    opened = open_database(db_path)  # takes over the killed writer's lock
    try:
        if opened.db.instance_lock is not None and opened.db.instance_lock.stale is not None:
            result.stale_locks_taken_over += 1
        with opened.db.session("检查", write=False) as s:
            broken = verify_chain(s)
        if broken is not None:
            result.problems.append(f"{label}: audit chain {broken.message}")
    finally:
        opened.db.dispose()
    return max(present, default=0)


def run_rounds(db_path: Path, work_dir: Path, *, rounds: int, commits: int, kills: int, seed: int = 7,
               timeout: float = 600.0) -> HarnessResult:
    """``rounds`` × (``commits`` commits with ``kills`` SIGKILLs at random moments); see module doc."""
    rng = random.Random(seed)
    done_path = work_dir / "reported.txt"
    result = HarnessResult()
    started = time.perf_counter()
    reached = _check(db_path, done_path, HarnessResult(), "start")
    for r in range(1, rounds + 1):
        goal = reached + commits
        moments = sorted(rng.sample(range(reached + 1, goal), kills))
        for k, moment in enumerate(moments, 1):
            at_spawn = max(_reported(done_path), default=0)
            proc = _spawn(db_path, done_path, goal)
            deadline = time.monotonic() + timeout
            first: tuple[float, int] | None = None
            # Kill once the moment is reached and this writer has committed at least once.
            while (seen := max(_reported(done_path), default=0)) < moment or seen == at_spawn:
                if first is None and seen > at_spawn:
                    first = (time.perf_counter(), seen)
                if proc.poll() is not None:
                    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                    raise RuntimeError(f"writer exited early ({proc.returncode}): {err[-2000:]}")
                if time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError("writer made no progress")
                time.sleep(0.001)
            # Land anywhere in the next commit: a random fraction of the writer's time per commit.
            per_commit = (time.perf_counter() - first[0]) / max(1, seen - first[1]) if first else 0.002
            time.sleep(rng.uniform(0, per_commit))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            if proc.stderr:
                proc.stderr.close()
            result.kills += 1
            reached = _check(db_path, done_path, result, f"round {r} kill {k}")
        proc = _spawn(db_path, done_path, goal)  # finish the round's commits
        _, err = proc.communicate(timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"writer failed: {err.decode(errors='replace')[-2000:]}")
        reached = result.committed = _check(db_path, done_path, result, f"round {r} end")
        if reached != goal:
            result.problems.append(f"round {r}: reached {reached}, wanted {goal}")
        result.rounds += 1
    result.seconds = time.perf_counter() - started
    return result


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "write":
        write(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit("usage: python -m tests.crash_harness write DB DONE UNTIL")
