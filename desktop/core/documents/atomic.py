"""Writing a file so that the final name only ever holds a complete file (USB sticks get pulled)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from desktop.core.errors import EnvironmentProblem

# ERROR_NOT_READY, ERROR_GEN_FAILURE, ERROR_DEV_NOT_EXIST, ERROR_FILE_INVALID, ERROR_NO_SUCH_DEVICE,
# ERROR_DEVICE_NOT_CONNECTED, ERROR_PATH_NOT_FOUND
_WIN_GONE = frozenset({21, 31, 55, 1006, 433, 1167, 3})


def explain_write_error(exc: OSError, target: Path) -> str:
    """What went wrong writing ``target``, in plain Chinese, and what to do about it."""
    import errno

    # Windows reports a pulled, full or write-protected stick by its own error numbers.
    winerror = getattr(exc, "winerror", None)
    if winerror in _WIN_GONE or (winerror is None and exc.errno in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO)):
        return f"写入“{target}”时设备不可用（U盘可能被拔出），文件未保存。请重新插好后再试。"
    if exc.errno == errno.ENOSPC or winerror in (39, 112):
        return f"“{target.parent}”空间不足，文件未保存。请清理空间或换一个U盘后重试。"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM) or winerror == 19:
        return f"“{target.parent}”是只读的或没有写入权限，文件未保存。请检查U盘写保护开关或换一个文件夹。"
    return f"无法写入“{target}”：{exc.strerror or exc}。文件未保存。"


@contextmanager
def atomic_write(target: str | Path) -> Iterator[BinaryIO]:
    """Yield a temporary file beside ``target``; on success flush, fsync and rename it into place."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise EnvironmentProblem(explain_write_error(exc, target)) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        _discard(tmp)
        raise EnvironmentProblem(explain_write_error(exc, target)) from exc
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass  # the drive is gone; nothing under the final name was touched


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
