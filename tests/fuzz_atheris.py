"""Coverage-guided fuzzing (atheris / libFuzzer) of the ID parser, the .xlsx reader and the photo loader.

Run as ``python -m tests.fuzz_atheris [libFuzzer options] [corpus dir]``; tests/test_fuzz_atheris.py
runs it briefly in CI and long under ``-m slow``. The first byte of each input picks the target.
An exception other than the plain-message ones ends the run with a crash report (exit code ≠ 0).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["desktop"]):  # our code; the libraries run plain
    from desktop.core.documents.excel.reading import ColumnSpec, read_table
    from desktop.core.errors import UserError
    from desktop.core.idcard import IdNumberError, parse_id_number
    from desktop.core.photo import normalise_photo

TODAY = date(2026, 11, 22)
SPECS = (ColumnSpec("姓名"), ColumnSpec("身份证号码"), ColumnSpec("联系电话", required=False))
_TMP = Path(tempfile.mkdtemp(prefix="labordesk-atheris-"))


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    target = fdp.ConsumeIntInRange(0, 2)
    if target == 0:
        try:
            parse_id_number(fdp.ConsumeUnicodeNoSurrogates(40), TODAY)
        except IdNumberError:
            pass
    elif target == 1:
        try:
            normalise_photo(fdp.ConsumeBytes(fdp.remaining_bytes()))
        except UserError:
            pass
    else:
        path = _TMP / "input.xlsx"
        path.write_bytes(fdp.ConsumeBytes(fdp.remaining_bytes()))
        try:
            with read_table(path, SPECS) as table:
                for _number, _values in table.rows():
                    pass
        except UserError:
            pass


def seed_corpus(folder: Path) -> None:
    """A valid sheet and a valid photo (behind their target bytes) for libFuzzer to mutate."""
    import io

    from openpyxl import Workbook
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.active.append(["姓名", "身份证号码", "联系电话"])
    wb.active.append(["张三", "510923198503151258", "13812345678"])
    sheet = io.BytesIO()
    wb.save(sheet)
    photo = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 100, 50)).save(photo, "JPEG")
    (folder / "sheet").write_bytes(b"\x02" + sheet.getvalue())
    (folder / "photo").write_bytes(b"\x01" + photo.getvalue())
    (folder / "id").write_bytes(b"\x00" + b"510923198503151258")


if __name__ == "__main__":
    corpus = [a for a in sys.argv[1:] if not a.startswith("-")]
    if corpus:
        seed_corpus(Path(corpus[0]))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
