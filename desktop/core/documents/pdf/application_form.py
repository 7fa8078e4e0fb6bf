"""The printable 附件1 labour-broker application form (劳务经纪人认定申请表), one A4 page."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageOps
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desktop.core.documents.fonts import CjkFonts, font_for, register_cjk_fonts
from desktop.core.documents.pdf.layout import LEADING, draw_lines, fit_block, layout_lines

DEFAULT_TITLE = "四川省劳务经纪人申请认定表"
PROMISE_TEXT = (
    "本人自愿申请成为劳务经纪人，严格遵守国家相关法律法规，服从人社部门（农民工服务机构）管理，"
    "积极主动、认真负责地开展农村劳动力转移就业工作。"
)
FOOTNOTE = "注：此表由县级审核机构进行统一存档备案管理。"
PHOTO_HINT = ["2寸近期", "彩照"]
BLANK_DATE = "年　　月　　日"

PAGE_W, PAGE_H = A4
LEFT = 20 * mm
TABLE_W = 170 * mm
TABLE_TOP = PAGE_H - 40 * mm
TABLE_BOTTOM = 24 * mm
# Column edges (mm from LEFT) of the top grid; the last column is the photo box.
COLS = [0, 26, 52, 66, 88, 109, 135, 170]
PHOTO_W, PHOTO_H = 35 * mm, 49 * mm  # 2寸 photo
GRID_ROW_H = PHOTO_H / 4  # the photo spans the four grid rows exactly
ADDRESS_H = 14 * mm
PROMISE_H = 46 * mm
OPINION_H = 54 * mm
PAD = 1.5 * mm
BODY_SIZE = 10.5  # 五号
ONE_LINE_MIN = 8.0  # grid values shrink to this on one line before wrapping
MIN_SIZE = 6.0
LINE_W, BORDER_W = 0.5, 1.0


@dataclass(frozen=True)
class ApplicationFormData:
    """What the clerk entered for one 劳务经纪人认定申请 (application), as strings ready to print."""

    name: str
    gender: str
    birth_month: str  # e.g. "1985年03月"
    political_status: str
    education: str
    phone: str
    employer: str
    id_number: str
    bank_account: str
    bank_name: str
    home_address: str
    profile_text: str
    village: str  # 常住村（社区）
    application_date: date | None
    photo: bytes | None  # JPEG or PNG bytes


def render_application_form(
    data: ApplicationFormData,
    out: BinaryIO | str | Path,
    title: str = DEFAULT_TITLE,
    attachment_label: str = "附件1",
) -> None:
    """Write the one-page A4 application form for ``data`` to ``out`` (a path or binary stream).

    Everything is printed in full (ID and bank numbers included): this is the archived paper
    record. A long 个人简介 shrinks to stay on the page and is cut with "……" only if even
    6 pt would overflow. Fonts are embedded as subsets.
    """
    fonts = register_cjk_fonts()
    target = str(out) if isinstance(out, Path) else out
    c = Canvas(target, pagesize=A4, initialFontName=fonts.regular, initialFontSize=BODY_SIZE)
    c.setTitle(f"{title}（{data.name}）" if data.name else title)
    c.setAuthor("LaborDesk")
    c.setSubject(title)
    c.setCreator("LaborDesk")
    c.setLineWidth(LINE_W)

    _header(c, fonts, title, attachment_label)
    _grid(c, fonts, data)
    c.setFont(font_for(FOOTNOTE, fonts=fonts), BODY_SIZE)
    c.drawString(LEFT, TABLE_BOTTOM - 7 * mm, FOOTNOTE)
    c.showPage()
    c.save()


def _header(c: Canvas, fonts: CjkFonts, title: str, attachment_label: str) -> None:
    c.setFont(font_for(attachment_label, bold=True, fonts=fonts), 14)
    c.drawString(LEFT, PAGE_H - 18 * mm, attachment_label)
    font = font_for(title, bold=True, fonts=fonts)
    size = 20.0
    while size > 12 and stringWidth(title, font, size) > TABLE_W:
        size -= 0.5
    c.setFont(font, size)
    c.drawCentredString(PAGE_W / 2, PAGE_H - 32 * mm, title)


def _x(col: int) -> float:
    return LEFT + COLS[col] * mm


def _grid(c: Canvas, fonts: CjkFonts, d: ApplicationFormData) -> None:
    """Draw the table: four photo rows, address, profile, promise and the two opinion boxes."""
    right = LEFT + TABLE_W
    y = TABLE_TOP
    for pairs in (
        [("姓　名", d.name), ("性别", d.gender), ("出生年月", d.birth_month)],
        [("政治面貌", d.political_status), ("学历", d.education), ("联系电话", d.phone)],
    ):
        bottom = y - GRID_ROW_H
        for i, (label, value) in enumerate(pairs):
            _label(c, fonts, [label], _x(2 * i), bottom, _x(2 * i + 1) - _x(2 * i), GRID_ROW_H)
            _text(c, fonts, value, _x(2 * i + 1), bottom, _x(2 * i + 2) - _x(2 * i + 1), GRID_ROW_H)
        for col in range(1, 7):
            c.line(_x(col), y, _x(col), bottom)
        c.line(LEFT, bottom, _x(6), bottom)
        y = bottom
    for label_a, value_a, label_b, value_b in (
        ("工作单位", d.employer, "身份证号码", d.id_number),
        ("个人银行账号", d.bank_account, "开户银行", d.bank_name),
    ):
        bottom = y - GRID_ROW_H
        _label(c, fonts, [label_a], _x(0), bottom, _x(1) - _x(0), GRID_ROW_H)
        _text(c, fonts, value_a, _x(1), bottom, _x(3) - _x(1), GRID_ROW_H)
        _label(c, fonts, [label_b], _x(3), bottom, _x(4) - _x(3), GRID_ROW_H)
        _text(c, fonts, value_b, _x(4), bottom, _x(6) - _x(4), GRID_ROW_H)
        for col in (1, 3, 4, 6):
            c.line(_x(col), y, _x(col), bottom)
        c.line(LEFT, bottom, _x(6) if bottom > TABLE_TOP - PHOTO_H + 1 else right, bottom)
        y = bottom
    _photo(c, fonts, d.photo, _x(6), TABLE_TOP, PHOTO_W, PHOTO_H)

    address = d.home_address.strip()
    village = d.village.strip()
    if village and village not in address:
        address = f"{address}（常住村（社区）：{village}）" if address else village
    y = _labelled_row(c, fonts, ["家庭住址"], y, ADDRESS_H, address)
    profile_h = y - TABLE_BOTTOM - PROMISE_H - OPINION_H
    y = _labelled_row(c, fonts, list("个人简介"), y, profile_h, d.profile_text, long_text=True)
    y = _promise(c, fonts, y, d.application_date)
    _opinions(c, fonts, y)

    c.setLineWidth(BORDER_W)
    c.rect(LEFT, TABLE_BOTTOM, TABLE_W, TABLE_TOP - TABLE_BOTTOM)
    c.setLineWidth(LINE_W)


def _labelled_row(
    c: Canvas,
    fonts: CjkFonts,
    label: Sequence[str],
    top_y: float,
    h: float,
    value: str,
    long_text: bool = False,
) -> float:
    """A label in the first column and ``value`` across the rest; returns the row's bottom."""
    bottom = top_y - h
    _label(c, fonts, label, _x(0), bottom, _x(1) - _x(0), h)
    _text(
        c, fonts, value, _x(1), bottom, TABLE_W - COLS[1] * mm, h, centre=False, long_text=long_text
    )
    c.line(_x(1), top_y, _x(1), bottom)
    c.line(LEFT, bottom, LEFT + TABLE_W, bottom)
    return bottom


def _promise(c: Canvas, fonts: CjkFonts, top_y: float, signed: date | None) -> float:
    """申请承诺: the pledge verbatim, 特此申请, the signature and the date line."""
    bottom = top_y - PROMISE_H
    _label(c, fonts, list("申请承诺"), _x(0), bottom, _x(1) - _x(0), PROMISE_H)
    x, w = _x(1) + 2 * PAD, TABLE_W - COLS[1] * mm - 4 * PAD
    font = font_for(PROMISE_TEXT + "特此申请", fonts=fonts)
    lines = layout_lines(PROMISE_TEXT + "\n特此申请", font, BODY_SIZE, w, indent=True)
    lines[-1] = (lines[-1][0], lines[-1][1], False)  # 特此申请 is never stretched
    draw_lines(c, font, BODY_SIZE, lines, x, top_y - 3 * mm, w, centre=False)

    sign = "申请人签字（按手印）："
    c.setFont(font_for(sign, fonts=fonts), BODY_SIZE)
    c.drawString(x + w * 0.48, bottom + 16 * mm, sign)
    when = _date_text(signed)
    c.setFont(font_for(when, fonts=fonts), BODY_SIZE)
    c.drawRightString(x + w - 8 * mm, bottom + 7 * mm, when)
    c.line(_x(1), top_y, _x(1), bottom)
    c.line(LEFT, bottom, LEFT + TABLE_W, bottom)
    return bottom


def _opinions(c: Canvas, fonts: CjkFonts, top_y: float) -> None:
    """The two stamped opinion boxes side by side, as in the seed form."""
    bottom = top_y - OPINION_H
    label_w, box_w = 26 * mm, 59 * mm
    for label, x in (
        (["村（社区）", "推荐意见"], LEFT),
        (["县（市、区）", "认定意见"], LEFT + label_w + box_w),
    ):
        _label(c, fonts, label, x, bottom, label_w, OPINION_H)
        c.line(x + label_w, top_y, x + label_w, bottom)
        box_right = x + label_w + box_w
        c.setFont(font_for("（盖章）", fonts=fonts), BODY_SIZE)
        c.drawRightString(box_right - 12 * mm, bottom + 17 * mm, "（盖章）")
        c.setFont(font_for(BLANK_DATE, fonts=fonts), BODY_SIZE)
        c.drawRightString(box_right - 6 * mm, bottom + 7 * mm, BLANK_DATE)
    c.line(LEFT + label_w + box_w, top_y, LEFT + label_w + box_w, bottom)


def _date_text(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else BLANK_DATE


def _label(
    c: Canvas, fonts: CjkFonts, lines: Sequence[str], x: float, y: float, w: float, h: float
) -> None:
    """Centre fixed label lines in a cell, shrinking until the widest line and all lines fit."""
    font = font_for("".join(lines), fonts=fonts)
    size = BODY_SIZE
    while size > MIN_SIZE and (
        max(stringWidth(line, font, size) for line in lines) > w - 2 * PAD
        or len(lines) * size * 1.5 > h - PAD
    ):
        size -= 0.25
    spread = 1.9 if len(lines) > 2 else LEADING  # vertical labels are spaced out
    layout = [(line, 0.0, False) for line in lines]
    block_h = len(lines) * size * spread
    draw_lines(c, font, size, layout, x, y + (h + block_h) / 2, w, centre=True, spread=spread)


def _text(
    c: Canvas,
    fonts: CjkFonts,
    text: str,
    x: float,
    y: float,
    w: float,
    h: float,
    centre: bool = True,
    long_text: bool = False,
) -> None:
    """Draw ``text`` inside the cell: shrink on one line, then wrap and shrink, then cut (……).

    ``long_text`` is for 个人简介: top-aligned, paragraphs indented two characters, justified.
    """
    text = text.strip()
    if not text:
        return
    font = font_for(text, fonts=fonts)
    pad_x = PAD if centre and not long_text else 2 * PAD  # left text: 申请承诺 margins
    avail_w, avail_h = w - 2 * pad_x, h - 2 * PAD
    lines = None
    size = BODY_SIZE
    if not long_text:  # short values read best on one line, even a little smaller
        while size >= ONE_LINE_MIN:
            candidate = layout_lines(text, font, size, avail_w, indent=False)
            if len(candidate) == 1:
                lines = candidate
                break
            size -= 0.25
    if lines is None:
        size, lines = fit_block(text, font, avail_w, avail_h, size=BODY_SIZE, min_size=MIN_SIZE, indent=long_text)
    block_h = len(lines) * size * LEADING
    top = y + h - PAD if long_text else y + (h + block_h) / 2
    draw_lines(c, font, size, lines, x + pad_x, top, avail_w, centre=centre and not long_text)


def _photo(
    c: Canvas, fonts: CjkFonts, photo: bytes | None, x: float, top: float, w: float, h: float
) -> None:
    """The 2寸 photo box: the photo scaled to fit keeping its aspect, or the hint text."""
    reader = _photo_reader(photo, w, h) if photo else None
    if reader is None:
        _label(
            c, fonts, PHOTO_HINT if not photo else ["照片无法读取", "请粘贴照片"], x, top - h, w, h
        )
        return
    iw, ih = reader.getSize()
    scale = min((w - 1) / iw, (h - 1) / ih)
    dw, dh = iw * scale, ih * scale
    c.drawImage(reader, x + (w - dw) / 2, top - h + (h - dh) / 2, dw, dh)


def _photo_reader(photo: bytes, w: float, h: float) -> ImageReader | None:
    """Decode, upright (EXIF) and downscale the photo to ~300 dpi as JPEG; None if unreadable."""
    try:
        with Image.open(io.BytesIO(photo)) as src:
            img = ImageOps.exif_transpose(src)
            if img.mode in ("RGBA", "LA", "P", "PA"):
                img = img.convert("RGBA")
                flat = Image.new("RGB", img.size, "white")
                flat.paste(img, mask=img.getchannel("A"))
                img = flat
            else:
                img = img.convert("RGB")
            img.thumbnail((round(w / 72 * 300), round(h / 72 * 300)), Image.Resampling.LANCZOS)
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=90)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    buf.seek(0)
    return ImageReader(buf)
