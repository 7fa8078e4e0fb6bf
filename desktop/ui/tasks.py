"""Running core work off the GUI thread: one database worker, results back by signal.

Every task is a function of a ``Progress`` handle; it runs on a single worker thread (so database
work is serialised, as in Anki's task manager) and its result or error comes back on the GUI
thread. A progress dialog appears only when a task takes longer than ``PROGRESS_DELAY_MS``.

The worker is a plain Python thread (``concurrent.futures``), not a ``QThreadPool`` running a
``QRunnable``: with a QRunnable, Qt deletes the C++ object on the worker thread when ``run``
returns while its Python wrapper may be collected on the GUI thread, and the test suite crashed
now and then (a segfault in the garbage collector) while a page's task was finishing. Nothing Qt
is created or deleted on the worker; it only emits signals of objects that live on the GUI thread
(queued to it, as Qt does for a signal emitted from another thread).
"""

from __future__ import annotations

import concurrent.futures
import threading
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
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


def _run_job(fn: Callable[[Progress], Any], signals: _Signals, progress: Progress) -> None:
    """The worker's side of a task: run it, send its result or its error to the GUI thread."""
    try:
        result = fn(progress)
    except BaseException as exc:
        signals.failed.emit(exc, traceback.format_exc())
    else:
        signals.finished.emit(result)


class TaskRunner(QObject):
    """Queue of background tasks on one worker thread."""

    busy_changed = Signal(bool)
    _live: weakref.WeakSet[TaskRunner] = weakref.WeakSet()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        TaskRunner._live.add(self)
        self._worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="labordesk-task")
        self._queued: set[concurrent.futures.Future[None]] = set()
        self._queued_lock = threading.Lock()  # a finished task leaves the set on the worker thread
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
        future = self._worker.submit(_run_job, fn, signals, progress)
        with self._queued_lock:
            self._queued.add(future)
        future.add_done_callback(self._forget)
        return progress

    def _forget(self, future: concurrent.futures.Future[None]) -> None:
        with self._queued_lock:
            self._queued.discard(future)

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """True when every queued task has run (their results may still be on the way to the GUI
        thread's event queue); False after ``msecs`` if one is still running."""
        with self._queued_lock:
            queued = list(self._queued)
        _done, pending = concurrent.futures.wait(queued, timeout=msecs / 1000)
        return not pending

    @classmethod
    def wait_all(cls, msecs: int = 30_000) -> bool:
        """Every runner's queue finished: before a database is disposed under them (the tests'
        teardown; a worker still reading from a closed SQLite connection would crash the process)."""
        return all(runner.wait_idle(msecs) for runner in list(cls._live))


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
