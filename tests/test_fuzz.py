"""Bad input, proven: the ID parser, every Excel importer and the photo loader answer every input
with a value or a plain message — never a crash, a hang or a partial write.

Short runs in CI; ``pytest -m slow tests/test_fuzz.py -s`` runs the long ones and prints how many
inputs each target tried (docs/RELIABILITY.md).
"""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from desktop.core.errors import UserError
from desktop.core.idcard import IdNumberError, check_digit, normalise, parse_id_number
from desktop.core.photo import MAX_FILE_BYTES, load_photo_file, normalise_photo
from desktop.core.services import accounts
from tests import fuzz_inputs as fz
from tests.conftest import ADMIN_PASSWORD

TODAY = date(2026, 11, 22)
QUICK = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
IMPORT_QUICK = settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
IMPORT_LONG = settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))


# --- ID numbers -----------------------------------------------------------------------------------

id_like = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789Xx ", min_size=14, max_size=20),
    st.builds(lambda d, tail: f"510923{d:%Y%m%d}{tail}", st.dates(date(1900, 1, 1), date(2100, 1, 1)),
              st.text(alphabet="0123456789Xx", min_size=0, max_size=6)),
)


def check_id(raw: str) -> None:
    fz.TALLY["id_number"] += 1
    try:
        parsed = parse_id_number(raw, TODAY)
    except IdNumberError as exc:
        assert fz.CHINESE.search(str(exc))
        return
    value = normalise(raw)
    assert parsed.value == value and check_digit(value[:17]) == value[17]
    assert parsed.birth_date <= TODAY and parsed.gender in ("男", "女")
    assert parse_id_number(parsed.value.lower(), TODAY) == parsed  # x and X are the same number


@given(st.dates(date(1900, 1, 1), TODAY), st.integers(0, 999), st.sampled_from(["510923", "110105", "500101"]))
@QUICK
def test_a_correct_check_digit_always_parses(birth: date, seq: int, region: str) -> None:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    parsed = parse_id_number(first17 + check_digit(first17), TODAY)
    assert parsed.birth_date == birth and parsed.gender == ("男" if seq % 2 else "女")
    wrong = "0123456789X".replace(check_digit(first17), "")[seq % 10]
    with pytest.raises(IdNumberError, match="校验位"):
        parse_id_number(first17 + wrong, TODAY)


@given(id_like)
@QUICK
def test_id_parser_answers_every_text(raw: str) -> None:
    check_id(raw)


@pytest.mark.slow
@given(id_like)
@LONG
def test_id_parser_long(raw: str) -> None:
    check_id(raw)


# --- Excel importers ------------------------------------------------------------------------------


@pytest.fixture
def admin(db, profile):  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        user = accounts.sign_in(s, profile, "admin", ADMIN_PASSWORD).user
    assert user is not None
    return user


KINDS = ("applications", "training", "brokers")


def _random_tables(db, profile, admin, tmp_path: Path, data) -> None:  # type: ignore[no-untyped-def]
    kind = data.draw(st.sampled_from(KINDS))
    header, valid, run = fz.importers(profile, admin)[kind]
    n = data.draw(st.integers(0, 6))
    rows = []
    for i in range(n):
        good = valid(i)
        row = [good.get(h) for h in header]
        for col in data.draw(st.sets(st.integers(0, len(header) - 1), max_size=len(header))):
            row[col] = data.draw(fz.cells)
        rows.append(row)
    shuffled = data.draw(st.permutations(header)) if data.draw(st.booleans()) else header
    order = [header.index(h) for h in shuffled]
    path = fz.write_table(tmp_path / f"{kind}.xlsx", list(shuffled), [[r[i] for i in order] for r in rows])
    fz.check_import(db, run, path, f"import:{kind}")


@given(data=st.data())
@IMPORT_QUICK
def test_importers_answer_random_tables(db, profile, admin, tmp_path: Path, data) -> None:  # type: ignore[no-untyped-def]
    _random_tables(db, profile, admin, tmp_path, data)


@pytest.mark.slow
@given(data=st.data())
@IMPORT_LONG
def test_importers_answer_random_tables_long(db, profile, admin, tmp_path: Path, data) -> None:  # type: ignore[no-untyped-def]
    _random_tables(db, profile, admin, tmp_path, data)


_GOOD: dict[str, bytes] = {}


def _broken_bytes(db, profile, admin, tmp_path: Path, data) -> None:  # type: ignore[no-untyped-def]
    kind = data.draw(st.sampled_from(KINDS))
    header, valid, run = fz.importers(profile, admin)[kind]
    if kind not in _GOOD:  # built once: the draws below must see the same bytes every time
        path = fz.write_table(tmp_path / "good.xlsx", header, [[valid(i).get(h) for h in header] for i in range(3)])
        _GOOD[kind] = path.read_bytes()
    content = _GOOD[kind]
    how = data.draw(st.sampled_from(["random", "truncated", "flipped", "damaged member"]))
    if how == "random":
        blob = data.draw(st.binary(max_size=4096))
    elif how == "truncated":
        blob = fz.truncated(content, data.draw(st.integers(1, len(content))))
    elif how == "flipped":
        blob = bytearray(content)
        for pos in data.draw(st.lists(st.integers(0, len(content) - 1), min_size=1, max_size=8)):
            blob[pos] ^= 0xFF
        blob = bytes(blob)
    else:
        blob = fz.zip_bomb_like(content)
    path = tmp_path / "broken.xlsx"
    path.write_bytes(blob)
    fz.check_import(db, run, path, f"bytes:{kind}")


@given(data=st.data())
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_importers_answer_broken_files(db, profile, admin, tmp_path: Path, data) -> None:  # type: ignore[no-untyped-def]
    _broken_bytes(db, profile, admin, tmp_path, data)


@pytest.mark.slow
@given(data=st.data())
@settings(max_examples=2_000, deadline=None, suppress_health_check=list(HealthCheck))
def test_importers_answer_broken_files_long(db, profile, admin, tmp_path: Path, data) -> None:  # type: ignore[no-untyped-def]
    _broken_bytes(db, profile, admin, tmp_path, data)


@pytest.mark.parametrize("kind", KINDS)
def test_importers_answer_the_named_hard_cases(db, profile, admin, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    header, valid, run = fz.importers(profile, admin)[kind]
    rows = [[valid(i).get(h) for h in header] for i in range(2)]
    # a password-protected workbook
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(fz.encrypted_workbook())
    assert "密码" in str(fz.check_import(db, run, locked, kind))
    # a 10 MB cell: refused on its row, in bounded time
    huge = [list(rows[0])]
    huge[0][1] = "甲" * (10 * 1024 * 1024 // 3)
    report = fz.check_import(db, run, fz.write_table(tmp_path / "huge.xlsx", header, huge), kind, seconds=120)
    assert not isinstance(report, UserError) and report.imported == 0 and report.bad_rows
    # formulas (no cached value) and dates written as text
    odd = [list(r) for r in rows]
    odd[0] = ["=A1&B1" if v not in (None, "") else v for v in odd[0]]
    odd[1] = [v.isoformat().replace("-", "年", 1).replace("-", "月", 1) + "日" if hasattr(v, "isoformat") else v
              for v in odd[1]]
    fz.check_import(db, run, fz.write_table(tmp_path / "odd.xlsx", header, odd), kind)


def test_hundred_thousand_blank_rows_import_the_rows_around_them(db, profile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    from desktop.core.documents.excel.application_import import import_applications
    from tests import test_application_import as app_tests

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(app_tests.HEADER)
    ws.append([app_tests.person(1).get(h) for h in app_tests.HEADER])
    for _ in range(100_000):
        ws.append([None])
    ws.append([app_tests.person(2).get(h) for h in app_tests.HEADER])
    path = tmp_path / "blank.xlsx"
    wb.save(path)
    report = fz.check_import(db, lambda d, p: import_applications(d, profile, p, actor="clerk", county_code="510107"),
                             path, "applications", seconds=60)
    assert not isinstance(report, UserError) and report.total_rows == 2 and report.imported == 2


# --- photos ---------------------------------------------------------------------------------------


def _png(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 120, 90)).save(out, "JPEG")
    return out.getvalue()


def check_photo(blob: bytes) -> None:
    fz.TALLY["photo"] += 1
    try:
        out = normalise_photo(blob, "照片")
    except UserError as exc:
        assert fz.CHINESE.search(str(exc))
        return
    with Image.open(io.BytesIO(out)) as img:
        assert img.format == "JPEG" and img.width <= 413 and img.height <= 579


photo_bytes = st.one_of(
    st.binary(max_size=2048),
    st.builds(lambda flips, base: bytes(b ^ 0xFF if i in flips else b for i, b in enumerate(base)),
              st.sets(st.integers(0, 700), max_size=6), st.just(_jpeg())),
    st.builds(lambda cut, base: base[:cut], st.integers(0, 700), st.just(_jpeg())),
    st.builds(_png, st.integers(1, 200_000), st.integers(1, 200_000)),
)


@given(photo_bytes)
@QUICK
def test_photo_loader_answers_every_input(blob: bytes) -> None:
    check_photo(blob)


@pytest.mark.slow
@given(photo_bytes)
@LONG
def test_photo_loader_long(blob: bytes) -> None:
    check_photo(blob)


def test_photo_loader_named_hard_cases(tmp_path: Path) -> None:
    not_image = tmp_path / "简历.jpg"
    not_image.write_text("这不是照片", encoding="utf-8")
    with pytest.raises(UserError, match="不是有效的图片"):
        load_photo_file(not_image)
    big = tmp_path / "big.jpg"
    with big.open("wb") as fh:  # a 50 MB file: refused by its size before it is read
        fh.write(_jpeg())
        fh.truncate(50 * 1024 * 1024)
    assert big.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(UserError, match="太大"):
        load_photo_file(big)
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png(100_000, 100_000))
    with pytest.raises(UserError, match="像素太多"):
        load_photo_file(bomb)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(UserError, match="不是 JPEG 或 PNG"):
        normalise_photo(gif.getvalue(), "a.gif")
    assert normalise_photo(_jpeg())[:2] == b"\xff\xd8"


def test_zz_report_tally(capsys) -> None:  # type: ignore[no-untyped-def]
    """Prints how many inputs each target tried in this run (shown with -s)."""
    with capsys.disabled():
        print("\nfuzz inputs tried:", dict(sorted(fz.TALLY.items())))
    assert fz.TALLY["id_number"] > 0 or not fz.TALLY  # a run of only other tests is fine



