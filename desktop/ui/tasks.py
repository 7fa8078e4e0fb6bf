"""Running core work off the GUI thread: one database worker, results back by signal.

Every task is a function of a ``Progress`` handle; it runs on a single worker thread (so database
work is serialised, as in Anki's task manager) and its result or error comes back on the GUI
thread. A progress dialog appears only when a task takes longer than ``PROGRESS_DELAY_MS``.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.core.errors import UserError

PROGRESS_DELAY_MS = 600


class Cancelled(Exception):
    """Raised inside a task when the user pressed 取消."""


class Progress:
    """Handed to a task: report progress, and check whether the user cancelled."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()

    def update(self, done: int, total: int, label: str = "") -> None:
        self._emit(done, total, label)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object, str)
    progressed = Signal(int, int, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], signals: _Signals, progress: Progress) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.progress = progress
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


class TaskRunner(QObject):
    """Queue of background tasks on one worker thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running = 0
        self._keep: set[_Signals] = set()

    def run(
        self,
        fn: Callable[[Progress], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        parent: QWidget | None = None,
        label: str = "正在处理，请稍候……",
        cancellable: bool = False,
        quiet: bool = False,
    ) -> Progress:
        """Queue ``fn``; ``quiet`` for tasks that show progress in their own dialog (or none at all)."""
        signals = _Signals()
        progress = Progress(signals.progressed.emit)
        dialog: list[QProgressDialog] = []
        timer = QTimer(self)
        timer.setSingleShot(True)

        def show_dialog() -> None:
            box = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
            box.setWindowTitle("请稍候")
            box.setMinimumDuration(0)
            if not cancellable:
                box.setCancelButton(None)
            box.canceled.connect(progress.cancel)
            box.show()
            dialog.append(box)

        def on_progress(done: int, total: int, text: str) -> None:
            if dialog:
                dialog[0].setMaximum(max(total, 0))
                dialog[0].setValue(done)
                if text:
                    dialog[0].setLabelText(text)

        def finish() -> None:
            timer.stop()
            if dialog:
                dialog[0].reset()
                dialog[0].deleteLater()
            self._keep.discard(signals)
            self._running -= 1
            if self._running == 0:
                self.busy_changed.emit(False)

        @Slot(object)
        def done(result: Any) -> None:
            finish()
            if on_done:
                on_done(result)

        @Slot(object, str)
        def failed(exc: BaseException, trace: str) -> None:
            finish()
            if on_error:
                on_error(exc)
            else:
                show_error(parent, exc, trace)

        signals.finished.connect(done)
        signals.failed.connect(failed)
        signals.progressed.connect(on_progress)
        self._keep.add(signals)
        timer.timeout.connect(show_dialog)
        if not quiet:
            timer.start(PROGRESS_DELAY_MS)
        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, signals, progress))
        return progress

    def wait_idle(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)


def show_error(parent: QWidget | None, exc: BaseException, trace: str = "") -> None:
    """A user error shows its message; anything else is a bug, shown with its details to report."""
    from PySide6.QtWidgets import QMessageBox

    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, "无法完成", str(exc))
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("程序出错")
    box.setText("程序遇到意外错误，刚才的操作没有完成，已保存的数据不受影响。\n请把“详细信息”截图发给技术支持。")
    box.setDetailedText(trace or repr(exc))
    box.exec()
