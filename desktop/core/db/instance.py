"""One LaborDesk per database file: a lock file beside it says who has it open (PID, PC, since when).

A second LaborDesk that opens the same file is told who has it and may wait for it or open it
read-only (``Database(read_only=True)``); it never writes next to the first one.

The lock is an operating-system lock on ``<database>.lock`` (``flock`` on Linux, a byte-range
lock on Windows), held for as long as the program has the database open. The system drops it
when the process ends in any way — closed, crashed, killed, power cut — so a lock left behind by
a crash is never mistaken for a running program: the file may still hold the old PID, but no
one holds its lock, and the next start simply takes it ("stale"). Only where the file system has
no locks at all (some network shares) does the PID and host in the file decide.

Opening the same file twice inside one process (the tests, the demo) shares the one lock.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from desktop.core import clock
from desktop.core.errors import EnvironmentProblem

LOCK_SUFFIX = ".lock"
_LOCK_OFFSET = 4096  # Windows locks this byte; the holder's JSON lives below it, readable by others


@dataclass(frozen=True)
class Holder:
    """Who has the database open, as written in the lock file."""

    pid: int
    host: str
    user: str
    since: str

    def describe(self) -> str:
        who = f"，登录用户 {self.user}" if self.user else ""
        return f"电脑“{self.host}”上的劳务服务管理台（进程号 {self.pid}，{self.since} 打开{who}）"


class DatabaseInUse(EnvironmentProblem):
    """Another LaborDesk has this database open."""

    def __init__(self, database: Path, holder: Holder | None) -> None:
        who = holder.describe() if holder else "另一个劳务服务管理台"
        super().__init__(
            f"数据库“{database.name}”正在被{who}使用。同一个数据库同时只能由一个劳务服务管理台修改。\n"
            "可以等对方退出后再打开，或以只读方式打开（只能查看，不能保存）。"
        )
        self.database = database
        self.holder = holder


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + LOCK_SUFFIX)


def _read_holder(path: Path) -> Holder | None:
    try:
        with path.open("rb") as fh:
            raw = fh.read(_LOCK_OFFSET)
        data = json.loads(raw.decode("utf-8")) if raw.strip(b"\0 \n") else None
        if not isinstance(data, dict):
            return None
        return Holder(int(data["pid"]), str(data["host"]), str(data.get("user", "")), str(data.get("since", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def holder_of(database: Path) -> Holder | None:
    """What the lock file says (it may be stale: see ``is_free``)."""
    return _read_holder(lock_path(database))


class _LocksUnsupported(Exception):
    pass


def _os_lock(fd: int) -> bool:
    """Take the lock without waiting; False when another process holds it."""
    if os.name == "nt":  # pragma: no cover - exercised on the Windows counter PCs
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:
            return False
        except OSError as exc:
            if exc.errno in (13, 36):  # EACCES, EDEADLOCK: held by someone else
                return False
            raise _LocksUnsupported() from exc
        return True
    import errno
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise _LocksUnsupported() from exc
    return True


def _os_unlock(fd: int) -> None:
    if os.name == "nt":  # pragma: no cover
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _this_host() -> str:
    return socket.gethostname() or "本机"


def _this_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


@dataclass
class InstanceLock:
    """The held lock; ``release()`` (or process exit) frees it. ``stale`` is the holder a crashed
    program left in the file, if any."""

    path: Path
    stale: Holder | None = None
    _key: str = ""

    def release(self) -> None:
        _release(self._key)
        self._key = ""

    @property
    def held(self) -> bool:
        return bool(self._key) and self._key in _held


# key (resolved lock file path) -> [fd, how many opens in this process share it]
_held: dict[str, list[int]] = {}
_guard = threading.Lock()


def _release(key: str) -> None:
    with _guard:
        entry = _held.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] > 0:
            return
        del _held[key]
        fd = entry[0]
        try:
            os.ftruncate(fd, 0)  # a clean exit leaves an empty file: nothing looks stale
            _os_unlock(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def _try_acquire(database: Path) -> InstanceLock:
    path = lock_path(database)
    key = str(path.resolve())
    with _guard:
        entry = _held.get(key)
        if entry is not None:
            entry[1] += 1
            return InstanceLock(path, None, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            previous = _read_holder(path)
            try:
                got = _os_lock(fd)
            except _LocksUnsupported:
                # No locks on this file system: trust the file, unless it names a dead process here.
                got = previous is None or (previous.host == _this_host() and not _pid_alive(previous.pid))
            if not got:
                raise DatabaseInUse(database, previous)
            stale = previous if previous is not None and previous.pid != os.getpid() else None
            info = {"pid": os.getpid(), "host": _this_host(), "user": _this_user(),
                    "since": clock.now().strftime("%Y-%m-%d %H:%M"), "database": str(database)}
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"))
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            raise
        _held[key] = [fd, 1]
        return InstanceLock(path, stale, key)


def acquire(database: Path, *, wait_seconds: float = 0.0, poll_seconds: float = 0.5) -> InstanceLock:
    """Hold the database for this program, waiting up to ``wait_seconds`` for another to let go.

    Raises ``DatabaseInUse`` (with who holds it) when it is still held.
    """
    deadline = time.monotonic() + max(0.0, wait_seconds)
    while True:
        try:
            return _try_acquire(database)
        except DatabaseInUse:
            if time.monotonic() >= deadline:
                raise
        time.sleep(poll_seconds)


def is_free(database: Path) -> bool:
    """Whether a program could take the database now (this process's own hold counts as free)."""
    try:
        lock = _try_acquire(database)
    except DatabaseInUse:
        return False
    lock.release()
    return True
