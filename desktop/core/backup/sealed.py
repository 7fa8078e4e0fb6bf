"""The encrypted backup file (加密备份, ``.ldbackup``): a database copy that is safe on a USB stick.

A backup holds everyone's ID and bank numbers, so the copy that leaves the PC is encrypted with a
passphrase: scrypt (N = 2^17, r = 8, p = 1, a random 16-byte salt) turns it into a 256-bit key for
AES-256-GCM from the ``cryptography`` package. The database is zlib-compressed and sealed in
chunks of 1 MiB (the STREAM construction: each chunk's nonce is a random prefix, the chunk number
and a last-chunk flag, and every chunk authenticates the whole header), so a file that was
altered, reordered, truncated or extended is refused, never half-restored.

Layout: ``LDBACKUP`` | version | log2 N | r | p | salt[16] | nonce prefix[7] | key check[16] |
meta length[4] | meta (JSON: created_at, center, revision, size) | chunks: last flag[1] |
length[4] | ciphertext. The meta is readable without the passphrase (the restore dialog shows
when and where the backup was made) and cannot be changed without breaking every chunk.
"""

from __future__ import annotations

import hmac
import json
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from desktop.core.errors import UserError

MAGIC = b"LDBACKUP"
VERSION = 1
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 17, 8, 1
CHUNK = 1 << 20
SUFFIX = ".ldbackup"
_FIXED = struct.Struct(">8sBBBB16s7s16sI")
_RECORD = struct.Struct(">BI")
ProgressFn = Callable[[int, int], None]


class BackupRefused(UserError):
    """The backup cannot be used; the message says why (wrong passphrase, damaged, incomplete…)."""


def _key(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    out = Scrypt(salt=salt, length=48, n=1 << log_n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return out[:32], out[32:]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


def is_sealed(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def seal(source: Path, out: BinaryIO, passphrase: str, meta: dict[str, Any], *,
         progress: ProgressFn | None = None, cancel: Callable[[], bool] | None = None) -> None:
    """Compress and encrypt the file ``source`` into ``out``."""
    salt, prefix = os.urandom(16), os.urandom(7)
    key, check = _key(passphrase, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
    meta_bytes = json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8")
    header = _FIXED.pack(MAGIC, VERSION, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, salt, prefix, check, len(meta_bytes))
    header += meta_bytes
    out.write(header)
    aead = AESGCM(key)
    packer = zlib.compressobj(1)
    total, done, counter = source.stat().st_size, 0, 0
    pending = b""

    def emit(plain: bytes, last: bool) -> None:
        nonlocal counter
        sealed = aead.encrypt(_nonce(prefix, counter, last), plain, header)
        out.write(_RECORD.pack(1 if last else 0, len(sealed)) + sealed)
        counter += 1

    with source.open("rb") as fh:
        while block := fh.read(CHUNK):
            if cancel is not None and cancel():
                raise UserError("已取消备份。")
            pending += packer.compress(block)
            while len(pending) > CHUNK:
                emit(pending[:CHUNK], False)
                pending = pending[CHUNK:]
            done += len(block)
            if progress is not None:
                progress(done, total)
    pending += packer.flush()
    while len(pending) > CHUNK:
        emit(pending[:CHUNK], False)
        pending = pending[CHUNK:]
    emit(pending, True)


def _read_header(fh: BinaryIO, name: str) -> tuple[bytes, tuple[Any, ...], dict[str, Any]]:
    fixed = fh.read(_FIXED.size)
    if len(fixed) < _FIXED.size or not fixed.startswith(MAGIC):
        raise BackupRefused(f"“{name}”不是劳务服务管理台的加密备份文件（或文件开头已损坏）。")
    fields = _FIXED.unpack(fixed)
    if fields[1] != VERSION:
        raise BackupRefused(f"“{name}”是更新版本的劳务服务管理台做的备份（格式 {fields[1]}），请先升级本机程序再恢复。")
    meta_bytes = fh.read(fields[8])
    try:
        meta = json.loads(meta_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BackupRefused(f"“{name}”的文件头已损坏，无法恢复。") from None
    if len(meta_bytes) != fields[8] or not isinstance(meta, dict) or not 10 <= fields[2] <= 22:
        raise BackupRefused(f"“{name}”的文件头已损坏，无法恢复。")
    return fixed + meta_bytes, fields, meta


def read_meta(path: Path) -> dict[str, Any]:
    """When and where the backup was made (no passphrase needed); BackupRefused if not a backup."""
    with path.open("rb") as fh:
        return _read_header(fh, path.name)[2]


def unseal(path: Path, out: BinaryIO, passphrase: str, *, progress: ProgressFn | None = None) -> dict[str, Any]:
    """Decrypt and decompress ``path`` into ``out``; returns the meta. Raises BackupRefused for a
    wrong passphrase or any damage (``out`` then holds a partial file the caller discards)."""
    name = path.name
    total = path.stat().st_size
    with path.open("rb") as fh:
        header, (_m, _v, log_n, r, p, salt, prefix, check, _n), meta = _read_header(fh, name)
        key, expected = _key(passphrase, salt, log_n, r, p)
        if not hmac.compare_digest(check, expected):
            raise BackupRefused("口令不对，无法解开这个备份。请输入备份时设置的口令（区分大小写）。")
        aead = AESGCM(key)
        unpacker = zlib.decompressobj()
        counter = 0
        while True:
            record = fh.read(_RECORD.size)
            if len(record) < _RECORD.size:
                raise BackupRefused(f"“{name}”不完整（可能复制时中断或U盘被提前拔出），无法恢复。请换一份备份。")
            last, length = _RECORD.unpack(record)
            sealed = fh.read(length)
            try:
                plain = aead.decrypt(_nonce(prefix, counter, bool(last)), sealed, header)
            except InvalidTag:
                raise BackupRefused(f"“{name}”已损坏（第 {counter + 1} 段校验失败），无法恢复。请换一份备份。") from None
            try:
                out.write(unpacker.decompress(plain))
            except zlib.error:  # pragma: no cover - authenticated data always decompresses
                raise BackupRefused(f"“{name}”已损坏，无法解压。") from None
            counter += 1
            if progress is not None:
                progress(fh.tell(), total)
            if last:
                break
        if fh.read(1) or not unpacker.eof:
            raise BackupRefused(f"“{name}”末尾有多余或缺失的内容，文件已被改动，无法恢复。")
        out.write(unpacker.flush())
    return meta
