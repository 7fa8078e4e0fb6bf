"""Which drives a folder is on, and the removable drives (U盘) plugged into this PC.

Windows asks GetDriveTypeW for each drive letter; Linux reads /proc/mounts (a mount point under
/media or /run/media, or a block device the kernel marks removable). The database location warning
(db/sqlite.py) and the export dialogs use the same answers.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REMOVABLE, NETWORK, LOCAL = "removable", "network", "local"
NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "9p", "afs"})
REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/usb")
_DRIVE_REMOVABLE, _DRIVE_REMOTE = 2, 4  # GetDriveTypeW results


@dataclass(frozen=True)
class Drive:
    """A removable drive: where it is mounted, what to call it, and its space."""

    path: Path
    label: str
    free_bytes: int
    total_bytes: int

    def describe(self) -> str:
        return f"{self.label}　可用 {size_text(self.free_bytes)}，共 {size_text(self.total_bytes)}"


def size_text(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} 字节"


def location_kind(path: Path, mounts_file: str = "/proc/mounts") -> str:
    """REMOVABLE, NETWORK or LOCAL for the drive holding ``path``."""
    resolved = path.resolve()
    if sys.platform == "win32":
        return _windows_kind(resolved)
    return _posix_kind(resolved, mounts_file)


def _windows_kind(path: Path) -> str:
    import ctypes

    if str(path).startswith("\\\\"):
        return NETWORK
    kind = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(path.anchor))  # type: ignore[attr-defined]
    return {_DRIVE_REMOVABLE: REMOVABLE, _DRIVE_REMOTE: NETWORK}.get(kind, LOCAL)


def _mounts(mounts_file: str) -> list[tuple[str, str, str]]:
    """(device, mount point, file system) of every line of /proc/mounts."""
    out = []
    try:
        with open(mounts_file, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 3:
                    out.append((parts[0], parts[1].replace("\\040", " "), parts[2]))
    except OSError:
        return []
    return out


def _removable_device(device: str) -> bool:
    """The kernel's removable flag of /dev/sdb1's disk (sdb); False when unknown."""
    if not device.startswith("/dev/"):
        return False
    name = os.path.basename(device)
    disk = name.rstrip("0123456789") if not name.startswith(("nvme", "mmcblk")) else name.split("p")[0]
    try:
        return Path(f"/sys/block/{disk}/removable").read_text().strip() == "1"
    except OSError:
        return False


def _posix_kind(path: Path, mounts_file: str) -> str:
    best = ("", "", "")
    for device, mount_point, fstype in _mounts(mounts_file):
        if str(path).startswith(mount_point) and len(mount_point) >= len(best[1]):
            best = (device, mount_point, fstype)
    device, mount_point, fstype = best
    if fstype in NETWORK_FS:
        return NETWORK
    if mount_point.startswith(REMOVABLE_ROOTS) or (mount_point not in ("", "/") and _removable_device(device)):
        return REMOVABLE
    return LOCAL


def removable_drives(mounts_file: str = "/proc/mounts") -> list[Drive]:
    """The removable drives that are plugged in and mounted, in drive-letter / mount order."""
    if sys.platform == "win32":
        return _windows_drives()
    drives = []
    for device, mount_point, fstype in _mounts(mounts_file):
        if fstype in NETWORK_FS or not (mount_point.startswith(REMOVABLE_ROOTS) or _removable_device(device)):
            continue
        if mount_point == "/":
            continue
        drive = _drive(Path(mount_point), f"{Path(mount_point).name or 'U盘'}（{mount_point}）")
        if drive is not None:
            drives.append(drive)
    return drives


def _drive(root: Path, label: str) -> Drive | None:
    try:
        usage = shutil.disk_usage(root)
    except OSError:
        return None  # listed but not readable (being ejected)
    return Drive(root, label, usage.free, usage.total)


def _windows_drives() -> list[Drive]:
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel.GetLogicalDrives()
    drives = []
    for i in range(26):
        if not mask & (1 << i):
            continue
        root = f"{chr(65 + i)}:\\"
        if kernel.GetDriveTypeW(ctypes.c_wchar_p(root)) != _DRIVE_REMOVABLE:
            continue
        name = ctypes.create_unicode_buffer(261)
        kernel.SetErrorMode(1)  # SEM_FAILCRITICALERRORS: no "insert a disk" box for an empty card reader
        ok = kernel.GetVolumeInformationW(ctypes.c_wchar_p(root), name, 261, None, None, None, None, 0)
        if not ok:
            continue  # a card reader with no card
        label = f"{name.value or 'U盘'}（{root[:2]}）"
        drive = _drive(Path(root), label)
        if drive is not None:
            drives.append(drive)
    return drives
