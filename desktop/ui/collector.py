"""Python's cyclic garbage collection, on the GUI thread only.

The collector runs in whichever thread happens to allocate when a generation's threshold is
passed. If that is the database worker (``tasks.TaskRunner``) and the garbage holds a Qt object
(a closed dialog, a page's model), Qt's destructor runs on the worker thread, which Qt does not
allow: the process crashes. The test suite did exactly that now and then (session 3), always with
the worker in the middle of a query. So automatic collection is switched off and the GUI thread
collects on a timer, generation by generation, when the same thresholds are passed — what the
automatic collector would have done, only always on this thread. Reference counting, which frees
almost everything, is untouched.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


def collect_due(threshold: tuple[int, int, int]) -> None:
    """Collect the generations whose allocation counts passed ``threshold``, youngest first."""
    count0, count1, count2 = gc.get_count()
    if count0 > threshold[0]:
        gc.collect(0)
        if count1 > threshold[1]:
            gc.collect(1)
            if count2 > threshold[2]:
                gc.collect(2)


class GuiThreadCollector(QObject):
    """Made once, on the GUI thread, by ``make_application``; lives as long as the application."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: collect_due(self.threshold))
        self.timer.start(INTERVAL_MS)
