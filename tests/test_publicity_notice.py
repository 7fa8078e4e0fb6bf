"""The 公示 notice: PDF read back with pypdf (masked IDs, header on every page, fonts embedded),
the .xlsx read back with openpyxl, and page 1 rendered to PNG for eyes."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from desktop.core.documents.excel.publicity_notice import write_publicity_notice_xlsx
from desktop.core.documents.pdf.publicity_notice import (
    NoticeRow,
    PublicityNotice,
    render_publicity_notice,
)
from desktop.core.idcard import check_digit, mask

TITLE = "关于2026年第3批劳务经纪人拟认定人员名单的公示"
HEADER = "序号姓名性别所在村（社区）身份证号码"
PERIOD = "公示期：2026年11月23日至2026年11月27日（5个工作日）。"
FULL_ID = re.compile(r"\d{17}[\dX]")
VILLAGES = ("白衣村", "岳家镇石垭村", "响滩镇龙凤社区", "驷马镇新民村")


def _id(n: int) -> str:
    body = f"511923{1960 + n % 40}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return body + check_digit(body)


def _notice(n: int, **changes: object) -> PublicityNotice:
    rows = [
        NoticeRow(
            seq=i,
            name="朱镕䶮" if i == 1 else f"王{'秀英建国志强'[i % 6]}{'明华'[i % 2]}",
            gender="男" if i % 2 else "女",
            village=VILLAGES[i % len(VILLAGES)],
            id_number_masked=mask(_id(i), 6, 4),
        )
        for i in range(1, n + 1)
    ]
    notice = PublicityNotice(
        title=TITLE,
        lead="根据《四川省劳务经纪人认定管理办法》，经个人申请、村（社区）推荐、县级初审和线上培训考试，"
        "现将2026年第3批拟认定劳务经纪人名单予以公示，接受社会监督。",
        rows=rows,
        start=date(2026, 11, 23),
        end=date(2026, 11, 27),
        objection_phone="0825-7821234",
        objection_address="大英县蓬莱镇东门路12号县农民工服务中心",
        issuer="大英县农民工服务中心",
        issue_date=date(2026, 11, 20),
        rule_text="按国务院办公厅公布的2026年节假日安排（chinesecalendar 1.11.0）计算",
        working_days=5,
    )
    return replace(notice, **changes)


def _pdf(notice: PublicityNotice) -> PdfReader:
    buf = io.BytesIO()
    render_publicity_notice(notice, buf)
    return PdfReader(io.BytesIO(buf.getvalue()))


def _page_text(page: object) -> str:
    return "".join(page.extract_text().split())  # type: ignore[attr-defined]


def _assert_embedded(font: DictionaryObject) -> None:
    if font.get("/Subtype") == "/Type0":
        for descendant in font["/DescendantFonts"]:
            _assert_embedded(descendant.get_object())
        return
    descriptor = font.get("/FontDescriptor")
    assert descriptor is not None, f"font {font.get('/BaseFont')} is not embedded"
    assert "/FontFile2" in descriptor.get_object(), f"font {font.get('/BaseFont')} is not TrueType-embedded"


def test_long_notice_repeats_the_header_and_shows_only_masked_ids() -> None:
    notice = _notice(120)
    reader = _pdf(notice)
    pages = [_page_text(p) for p in reader.pages]
    text = "".join(pages)

    assert len(pages) > 1
    for number, page in enumerate(pages, 1):
        assert HEADER in page, f"page {number} has no table header"
        assert f"第{number}页共{len(pages)}页" in page
    assert not FULL_ID.search(text)
    assert "511923********" in text
    for row in notice.rows:
        assert row.id_number_masked in text
    assert text.count("511923") == 120
    assert TITLE in pages[0]
    assert PERIOD in pages[-1]
    assert "朱镕䶮" in pages[0]
    assert "公示期间，如有异议，请以书面或电话形式向大英县农民工服务中心反映" in pages[-1]
    assert "0825-7821234" in pages[-1] and "大英县蓬莱镇东门路12号" in pages[-1]
    assert "大英县农民工服务中心2026年11月20日" in pages[-1]
    assert "注：工作日按国务院办公厅公布的2026年节假日安排" in pages[-1]


def test_every_font_on_every_page_is_embedded_and_page_is_a4() -> None:
    reader = _pdf(_notice(120))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((595.27, 841.89), abs=0.5)
        fonts = page["/Resources"]["/Font"].get_object()
        assert fonts
        for font in fonts.values():
            _assert_embedded(font.get_object())
    assert reader.metadata is not None and reader.metadata.title == TITLE


def test_rows_run_in_order_with_none_lost_or_repeated() -> None:
    reader = _pdf(_notice(120))
    seqs: list[int] = []
    for page in reader.pages:
        seqs += [int(s) for s in re.findall(r"^(\d{1,3})$", page.extract_text(), flags=re.M)]
    assert seqs == list(range(1, 121))


def test_short_notice_is_one_page_with_signature() -> None:
    pages = [_page_text(p) for p in _pdf(_notice(5)).pages]
    assert len(pages) == 1
    assert TITLE in pages[0] and PERIOD in pages[0] and "第1页共1页" in pages[0]


@pytest.mark.parametrize("n", range(20, 40))
def test_signature_page_never_stands_without_the_table(n: int) -> None:
    pages = [_page_text(p) for p in _pdf(_notice(n)).pages]
    assert HEADER in pages[-1]
    assert PERIOD in pages[-1]
    assert f"{n}王" in pages[-1]  # the last row sits with the signature


def test_long_title_wraps_and_long_village_shrinks_without_spilling() -> None:
    title = "关于2026年第3批劳务经纪人及乡村能工巧匠拟认定人员名单和服务区域的公示"
    village = "平昌县岳家镇白衣村第三村民小组（原石垭村七组）安置点社区"
    rows = [NoticeRow(1, "欧阳娜娜娜", "女", village, "511923********123X")]
    text = "".join(_page_text(p) for p in _pdf(_notice(0, title=title, rows=rows)).pages)
    assert title in text
    assert village[:10] in text


def test_empty_notice_and_blank_contacts_still_render() -> None:
    pages = [_page_text(p) for p in _pdf(_notice(0, objection_phone="", objection_address="", rule_text="")).pages]
    assert HEADER in pages[0]
    assert "联系电话" not in "".join(pages) and "注：" not in "".join(pages)


def test_a_full_id_number_is_refused() -> None:
    with pytest.raises(ValueError, match="未遮盖"):
        NoticeRow(1, "张三", "男", "白衣村", _id(7))


def test_page_one_renders_to_png(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf, png = tmp_path / "notice.pdf", tmp_path / "publicity_notice_p1.png"
    render_publicity_notice(_notice(60), pdf)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        assert len(doc) > 1
        image = doc[0].render(scale=110 / 72).to_pil()
    finally:
        doc.close()
    image.save(png)
    assert image.size == pytest.approx((909, 1286), abs=2)  # A4 at 110 dpi
    grey = image.convert("L")
    assert grey.getextrema()[0] < 64  # ink on the page, not a blank render


def test_xlsx_has_merged_title_text_ids_frozen_header_and_print_setup(tmp_path: Path) -> None:
    out = tmp_path / "公示名单.xlsx"
    notice = _notice(120)
    write_publicity_notice_xlsx(notice, out)

    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # atomic: no .part left behind
    wb = load_workbook(out)
    ws = wb.active
    assert ws is not None
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == TITLE
    assert [ws.cell(3, c).value for c in range(1, 6)] == ["序号", "姓名", "性别", "所在村（社区）", "身份证号码"]
    ids = [ws.cell(r, 5).value for r in range(4, 124)]
    assert all(isinstance(v, str) for v in ids)
    assert ids == [row.id_number_masked for row in notice.rows]
    assert ws.cell(4, 5).number_format == "@"
    assert ws.cell(4, 2).value == "朱镕䶮"
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    values = [str(v) for row in ws.iter_rows(min_row=124, values_only=True) for v in row if v]
    below = "".join("".join(v.split()) for v in values)
    assert PERIOD in below
    assert "公示期间，如有异议" in below and "大英县农民工服务中心2026年11月20日" in below
    for col in "ABCDE":
        assert ws.column_dimensions[col].width >= 6
    assert not any(FULL_ID.search(str(v)) for row in ws.iter_rows(values_only=True) for v in row if v)


def test_xlsx_to_a_stream() -> None:
    buf = io.BytesIO()
    write_publicity_notice_xlsx(_notice(3), buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert ws is not None and ws["A1"].value == TITLE
