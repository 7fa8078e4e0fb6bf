"""Crash safety, proven: a writer killed with SIGKILL at random moments loses no reported commit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.crash_harness import run_rounds

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def test_killed_writer_loses_no_reported_commit(db_path: Path, tmp_path: Path) -> None:
    result = run_rounds(db_path, tmp_path, rounds=2, commits=100, kills=2, seed=11)
    assert result.problems == []
    assert result.rounds == 2 and result.kills == 4
    assert result.committed == 200 and result.commits_reported + len(result.unreported) == 200
    assert result.stale_locks_taken_over == 4  # every killed writer left its lock behind, taken over


@pytest.mark.slow
def test_twenty_rounds_of_a_thousand_commits(db_path: Path, tmp_path: Path) -> None:
    result = run_rounds(db_path, tmp_path, rounds=20, commits=1000, kills=5, seed=2026)
    print(f"\ncrash harness: {result}")
    assert result.problems == []
    assert result.rounds == 20 and result.kills == 100 and result.committed == 20_000
