"""Writing onto a USB stick: temp name → fsync → rename → read back → manifest; failures leave nothing half-written."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop import cli
from desktop.core import drives
from desktop.core.documents import delivery
from desktop.core.documents.delivery import DeliveryCancelled, OutFile, deliver
from desktop.core.errors import EnvironmentProblem
from desktop.core.models.audit import AuditEntry
from tests.test_filing import add_broker, make_id

DATA = bytes(range(256)) * 1000  # 256 000 bytes: several chunks at the tests' chunk size
CHUNK = 64 * 1024


def files() -> list[OutFile]:
    return [OutFile("备案.xlsx", DATA), OutFile("备案.pdf", b"%PDF-1.4 small")]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_files_arrive_verified_with_a_manifest(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = deliver(tmp_path, files(), manifest_name="备案.sha256.txt", chunk_size=CHUNK,
                     progress=lambda d, t, _l: seen.append((d, t)))
    assert (tmp_path / "备案.xlsx").read_bytes() == DATA
    lines = (tmp_path / "备案.sha256.txt").read_text(encoding="utf-8").splitlines()
    assert lines == [f"{hashlib.sha256(DATA).hexdigest()}  备案.xlsx",
                     f"{hashlib.sha256(b'%PDF-1.4 small').hexdigest()}  备案.pdf"]
    assert [f.path.name for f in result.files] == ["备案.xlsx", "备案.pdf"]
    assert leftovers(tmp_path) == []
    assert seen[-1][0] == seen[-1][1]  # progress ends at 100 %: written and read back


def test_a_write_that_fails_halfway_leaves_nothing_under_the_final_name(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "备案.xlsx").write_bytes(b"last year's complete file")
    real_write = os.write
    calls = {"n": 0}

    def failing_write(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 3:  # the stick fills up in the middle of the first file
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(delivery.os, "write", failing_write)
    with pytest.raises(EnvironmentProblem, match="空间不足"):
        deliver(tmp_path, files(), manifest_name="备案.sha256.txt", chunk_size=CHUNK)
    assert calls["n"] == 3
    assert (tmp_path / "备案.xlsx").read_bytes() == b"last year's complete file"  # untouched
    assert not (tmp_path / "备案.pdf").exists() and not (tmp_path / "备案.sha256.txt").exists()
    assert leftovers(tmp_path) == []


def test_pulled_drive_at_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def gone(_src: object, _dst: object) -> None:
        raise OSError(errno.ENODEV, "No such device")

    monkeypatch.setattr(delivery.os, "replace", gone)
    with pytest.raises(EnvironmentProblem, match="U盘可能被拔出"):
        deliver(tmp_path, files(), manifest_name="m.txt", chunk_size=CHUNK)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_read_only_drive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def read_only(path: object, flags: int, *args: object) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(delivery.os, "open", read_only)
    with pytest.raises(EnvironmentProblem, match="只读"):
        deliver(tmp_path, files(), manifest_name="m.txt")


def test_read_back_mismatch_removes_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_read = os.read

    def bad_sector(fd: int, n: int) -> bytes:
        block = real_read(fd, n)
        return (b"\x00" + block[1:]) if block[:1] == b"\x01" else block

    monkeypatch.setattr(delivery.os, "read", bad_sector)
    data = b"\x01" + DATA
    with pytest.raises(EnvironmentProblem, match="不一致"):
        deliver(tmp_path, [OutFile("a.xlsx", data)], manifest_name="m.txt", chunk_size=CHUNK)
    assert not (tmp_path / "a.xlsx").exists() and leftovers(tmp_path) == []


def test_cancel_and_full_drive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = {"n": 0}

    def cancel() -> bool:
        asked["n"] += 1
        return asked["n"] > 2

    with pytest.raises(DeliveryCancelled):
        deliver(tmp_path, files(), manifest_name="m.txt", chunk_size=CHUNK, cancel=cancel)
    assert list(tmp_path.iterdir()) == []

    class Usage:
        free, total, used = 1000, 8 << 30, 0

    monkeypatch.setattr(delivery.shutil, "disk_usage", lambda _p: Usage())
    with pytest.raises(EnvironmentProblem, match="空间不足：需要约"):
        deliver(tmp_path, files(), manifest_name="m.txt")
    with pytest.raises(EnvironmentProblem, match="找不到文件夹"):
        deliver(tmp_path / "pulled", files(), manifest_name="m.txt")


def test_removable_drives_from_mounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda2 / ext4 rw 0 0\nserver:/s /mnt/s nfs4 rw 0 0\n/dev/sdz1 {stick} vfat rw 0 0\n"
                      "/dev/sdy1 /media/clerk/gone vfat rw 0 0\n")
    monkeypatch.setattr(drives, "_removable_device", lambda dev: dev.startswith("/dev/sd") and dev != "/dev/sda2")
    found = drives.removable_drives(str(mounts))
    assert [(d.path, d.label) for d in found] == [(stick, f"KINGSTON（{stick}）")]  # the vanished one is skipped
    assert "可用" in found[0].describe()
    assert drives._posix_kind(stick / "a.xlsx", str(mounts)) == drives.REMOVABLE
    assert drives._posix_kind(Path("/mnt/s/x"), str(mounts)) == drives.NETWORK
    assert drives._posix_kind(Path("/home/x"), str(mounts)) == drives.LOCAL


def test_cli_export_filing(db, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    add_broker(db, "王镕䶮", make_id(date(1980, 1, 2), seq=4), date(2021, 7, 18))
    out = tmp_path / "U盘"
    out.mkdir()
    code = cli.main(["--db", str(db_path), "export", "filing", "--year", "2026", "--out", str(out),
                     "--reviewer", "李审核", "--user", "clerk"])
    printed = capsys.readouterr().out
    assert code == 0, printed
    stem = "2026年四川省劳务经纪人备案信息表（大英县）"
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{stem}.xlsx", f"{stem}.pdf", f"{stem}.sha256.txt"])
    for line in (out / f"{stem}.sha256.txt").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    ws = load_workbook(out / f"{stem}.xlsx").active
    assert ws["B4"].value == "王镕䶮"
    assert "已写入并校验" in printed
    with db.session("t", write=False) as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert (entry.action, entry.entity, entry.actor) == ("导出", "年度备案", "clerk")
    assert "1 人" in entry.detail and str(out) in entry.detail
