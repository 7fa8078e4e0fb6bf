"""Runs the atheris (libFuzzer) target of tests/fuzz_atheris.py: briefly in CI, long under -m slow."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")
ROOT = Path(__file__).resolve().parents[1]


def fuzz(tmp_path: Path, *options: str, timeout: float) -> int:
    """Run the fuzzer; returns how many inputs it tried. A crash fails with libFuzzer's report."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.fuzz_atheris", *options, f"-artifact_prefix={tmp_path}/", str(tmp_path / "corpus")],
        cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    done = re.search(r"Done (\d+) runs", proc.stderr)
    assert done, proc.stderr[-2000:]
    print(f"\natheris: {done.group(0)}")
    return int(done.group(1))


def test_atheris_short_run(tmp_path: Path) -> None:
    assert fuzz(tmp_path, "-runs=3000", timeout=240) == 3000


@pytest.mark.slow
def test_atheris_long_run(tmp_path: Path) -> None:
    assert fuzz(tmp_path, "-max_total_time=600", "-rss_limit_mb=4096", timeout=900) > 10_000
