"""Cyclic garbage is collected on the GUI thread only (see desktop/ui/collector.py)."""

from __future__ import annotations

import gc

from desktop.ui.app import make_application
from desktop.ui.collector import GuiThreadCollector, collect_due


def test_the_application_switches_automatic_collection_off_and_collects_on_its_timer(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = make_application()
    make_application()  # twice: still one collector
    collectors = [c for c in app.children() if isinstance(c, GuiThreadCollector)]
    assert len(collectors) == 1 and collectors[0].timer.isActive()
    assert not gc.isenabled()

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    gone: list[int] = []
    import weakref

    for _ in range(gc.get_threshold()[0] + 10):  # past generation 0's threshold
        c = Cycle()
        weakref.finalize(c, gone.append, 1)
    del c
    collect_due(gc.get_threshold())
    assert len(gone) > 0  # the cycles were collected, on this thread
