"""The background task runner: work off the GUI thread, one task at a time, results back on it."""

from __future__ import annotations

import threading
import time

from desktop.ui.tasks import TaskRunner


def test_tasks_run_in_order_off_the_gui_thread_and_report_on_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    ran_on: list[str] = []
    results: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def job(n: int):  # type: ignore[no-untyped-def]
        def work(_progress):  # type: ignore[no-untyped-def]
            ran_on.append(threading.current_thread().name)
            time.sleep(0.01 * (3 - n))  # the first is the slowest: order must still hold
            return n
        return work

    for n in range(3):
        runner.run(job(n), on_done=lambda r: results.append((r, threading.current_thread().name)), quiet=True)
    runner.run(lambda _p: 1 / 0, on_error=errors.append, quiet=True)
    assert runner.wait_idle(5_000)
    qtbot.waitUntil(lambda: len(results) == 3 and len(errors) == 1, timeout=5_000)
    main = threading.main_thread().name
    assert [r for r, _ in results] == [0, 1, 2]  # one worker: queued order
    assert all(name == main for _, name in results)  # callbacks on the GUI thread
    assert ran_on and all(name != main for name in ran_on)  # the work itself was not
    assert isinstance(errors[0], ZeroDivisionError)
    assert TaskRunner.wait_all(1_000)


def test_wait_idle_says_when_a_task_is_still_running(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    release = threading.Event()
    done: list[object] = []
    runner.run(lambda _p: release.wait(5), on_done=done.append, quiet=True)
    assert not runner.wait_idle(50)
    release.set()
    assert runner.wait_idle(5_000)
    qtbot.waitUntil(lambda: done == [True], timeout=5_000)
