"""Writing a set of files onto a USB stick (or any folder) so that what arrives is known to be whole.

For each file: write it under a hidden temporary name in the target folder, flush and fsync, then
— only when every file is written — rename them into place and fsync the folder, read each one
back from the drive and compare its SHA-256 with what was meant to be written, and finally write
a manifest (``<stem>.sha256.txt``, the ``sha256sum`` format) beside them the same way.

A drive that is pulled, full or read-only gives ``EnvironmentProblem`` with a plain message; the
temporary files are removed and nothing incomplete is ever left under a final name (an older file
of the same name stays as it was until the rename). ``cancel()`` is honoured until the renames.
On Linux the cached pages are dropped before the read-back, so it reads the stick, not memory.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.documents.atomic import explain_write_error
from desktop.core.errors import EnvironmentProblem, UserError

CHUNK = 1 << 20
SPACE_MARGIN = 1 << 20  # the file system's own bookkeeping
ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


class DeliveryCancelled(UserError):
    def __init__(self) -> None:
        super().__init__("已取消，U盘上没有留下未写完的文件。")


@dataclass(frozen=True)
class OutFile:
    """A file to deliver: its name and either its bytes or a local file to copy."""

    name: str
    data: bytes | None = None
    source: Path | None = None

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else (self.source.stat().st_size if self.source else 0)

    def chunks(self, size: int = CHUNK):  # type: ignore[no-untyped-def]
        if self.data is not None:
            view = memoryview(self.data)
            for i in range(0, len(view), size):
                yield view[i : i + size]
            return
        assert self.source is not None
        with self.source.open("rb") as fh:
            while block := fh.read(size):
                yield block


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class Delivery:
    folder: Path
    files: tuple[WrittenFile, ...]
    manifest: Path

    def lines(self) -> list[str]:
        out = [f"已写入并校验：{f.path.name}（{f.size:,} 字节）" for f in self.files]
        out.append(f"校验值清单：{self.manifest.name}（SHA-256）")
        return out


def manifest_text(files: Sequence[WrittenFile]) -> str:
    """``sha256sum`` lines: the hash, two spaces, the file name (``sha256sum -c`` checks them)."""
    return "".join(f"{f.sha256}  {f.path.name}\n" for f in files)


def deliver(folder: str | Path, files: Sequence[OutFile], *, manifest_name: str,
            progress: ProgressFn | None = None, cancel: CancelFn | None = None,
            chunk_size: int = CHUNK) -> Delivery:
    """Write ``files`` into ``folder``, verified, with a manifest (see the module doc)."""
    folder = Path(folder)
    _check_folder(folder, sum(f.size for f in files))
    total = 2 * sum(f.size for f in files) or 1
    done = 0

    def step(n: int, label: str) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done, total), total, label)

    temps: list[tuple[Path, Path, str, int]] = []  # temp, final, sha256, size
    try:
        for f in files:
            temps.append(_write_temp(folder, f, chunk_size, step, cancel))
    except BaseException:
        for temp, *_ in temps:
            _discard(temp)
        raise
    if cancel is not None and cancel():
        for temp, *_ in temps:
            _discard(temp)
        raise DeliveryCancelled()
    renamed = 0
    try:
        for temp, final, _, _ in temps:
            os.replace(temp, final)
            renamed += 1
        _fsync_dir(folder)
    except OSError as exc:
        for temp, *_ in temps[renamed:]:
            _discard(temp)
        raise EnvironmentProblem(explain_write_error(exc, temps[renamed][1] if renamed < len(temps) else folder)) from exc
    written = []
    for _, final, digest, size in temps:
        _read_back(final, digest, size, chunk_size, step)
        written.append(WrittenFile(final, size, digest))
    manifest = OutFile(manifest_name, manifest_text(written).encode("utf-8"))
    temp, final, digest, size = _write_temp(folder, manifest, chunk_size, lambda _n, _l: None, None)
    try:
        os.replace(temp, final)
        _fsync_dir(folder)
    except OSError as exc:
        _discard(temp)
        raise EnvironmentProblem(explain_write_error(exc, final)) from exc
    _read_back(final, digest, size, chunk_size, lambda _n, _l: None)
    return Delivery(folder, tuple(written), final)


def _check_folder(folder: Path, needed: int) -> None:
    if not folder.is_dir():
        raise EnvironmentProblem(f"找不到文件夹“{folder}”（U盘可能已拔出）。请插好U盘或重新选择文件夹。")
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise EnvironmentProblem(explain_write_error(exc, folder / "x")) from exc
    if free < needed + SPACE_MARGIN:
        raise EnvironmentProblem(
            f"“{folder}”空间不足：需要约 {_mb(needed + SPACE_MARGIN)}，只剩 {_mb(free)}。请清理U盘或换一个U盘。")


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB"


def _write_temp(folder: Path, f: OutFile, chunk_size: int, step: Callable[[int, str], None],
                cancel: CancelFn | None) -> tuple[Path, Path, str, int]:
    final = folder / f.name
    temp = folder / f".{f.name}.{secrets.token_hex(4)}.part"
    try:
        # Created like any new file (the user's umask applies), not private like mkstemp's.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise EnvironmentProblem(explain_write_error(exc, final)) from exc
    digest = hashlib.sha256()
    size = 0
    try:
        try:
            for block in f.chunks(chunk_size):
                if cancel is not None and cancel():
                    raise DeliveryCancelled()
                digest.update(block)
                _write_all(fd, block)
                size += len(block)
                step(len(block), f"正在写入“{f.name}”……")
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        _discard(temp)
        raise EnvironmentProblem(explain_write_error(exc, final)) from exc
    except BaseException:
        _discard(temp)
        raise
    return temp, final, digest.hexdigest(), size


def _write_all(fd: int, block: bytes | memoryview) -> None:
    view = memoryview(block)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_back(path: Path, expected: str, size: int, chunk_size: int, step: Callable[[int, str], None]) -> None:
    """Read ``path`` from the drive and compare; a mismatch removes the file (it is not what we wrote)."""
    digest = hashlib.sha256()
    got = 0
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            if hasattr(os, "posix_fadvise"):
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)  # read the stick, not the page cache
            while block := os.read(fd, chunk_size):
                digest.update(block)
                got += len(block)
                step(len(block), f"正在读回校验“{path.name}”……")
        finally:
            os.close(fd)
    except OSError as exc:
        raise EnvironmentProblem(f"读回校验“{path.name}”时出错：{explain_write_error(exc, path)}") from exc
    if got != size or digest.hexdigest() != expected:
        _discard(path)
        raise EnvironmentProblem(
            f"“{path.name}”写入后读回的内容与原文件不一致（U盘可能有坏块或已损坏），已删除这个文件。"
            "请换一个U盘重新导出。")


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # the drive is gone; nothing under a final name was touched


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows commits the rename with the file system's own metadata journal
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
