"""The GUI side of a second LaborDesk: who has it, wait until free, or open read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.db import instance
from desktop.ui import app as app_module
from desktop.ui.instance_dialog import InUseDialog
from tests.test_instance import _hold


def test_waiting_opens_when_the_other_program_exits(qtbot, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    proc = _hold(db_path, 1.0)
    try:
        with pytest.raises(instance.DatabaseInUse) as caught:
            instance.acquire(db_path)
        dialog = InUseDialog(caught.value)
        qtbot.addWidget(dialog)
        dialog.POLL_MS = 100
        dialog.timer.setInterval(100)
        assert "正在被" in dialog.findChildren(type(dialog.status))[0].text()
        with qtbot.waitSignal(dialog.finished, timeout=15_000) as finished:
            dialog.open()
            dialog.wait_button.click()
            assert not dialog.wait_button.isEnabled() and "等待" in dialog.status.text()
        assert finished.args == [InUseDialog.FREE]
    finally:
        proc.kill()
        proc.wait()


def test_read_only_choice_opens_read_only_with_a_notice(qtbot, db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    proc = _hold(db_path, 30)
    try:
        def choose(answer: int):  # type: ignore[no-untyped-def]
            return lambda self: (qtbot.addWidget(self), answer)[1]

        monkeypatch.setattr(InUseDialog, "exec", choose(InUseDialog.READ_ONLY))
        opened = app_module.open_or_explain(db_path)
        assert opened is not None and opened.db.read_only
        assert opened.warnings[0] == app_module.READ_ONLY_NOTICE
        opened.db.dispose()
        monkeypatch.setattr(InUseDialog, "exec", choose(0))
        assert app_module.open_or_explain(db_path) is None
    finally:
        proc.kill()
        proc.wait()
