"""The printable 附件1 application form: one A4 page, all text readable back, fonts embedded."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import reportlab
from PIL import Image, ImageDraw
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from desktop.core.documents import fonts as fonts_mod
from desktop.core.documents.fonts import font_for, register_cjk_fonts, shipped_font_path
from desktop.core.documents.pdf.application_form import (
    FOOTNOTE,
    PROMISE_TEXT,
    ApplicationFormData,
    render_application_form,
)

A4_PT = (595.27, 841.89)


def _png_photo(width: int = 120, height: int = 168) -> bytes:
    img = Image.new("RGBA", (width, height), (70, 130, 200, 255))
    draw = ImageDraw.Draw(img)
    draw.ellipse((width * 0.3, height * 0.15, width * 0.7, height * 0.5), fill=(240, 200, 170))
    draw.rectangle((width * 0.2, height * 0.55, width * 0.8, height), fill=(30, 30, 30))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _sample(**changes: object) -> ApplicationFormData:
    data = ApplicationFormData(
        name="朱镕䶮",
        gender="男",
        birth_month="1985年03月",
        political_status="中共党员",
        education="高中",
        phone="13812345678",
        employer="平昌县岳家镇白衣村村民委员会",
        id_number="51192319850315123X",
        bank_account="6217995510001234567",
        bank_name="中国邮政储蓄银行平昌县支行",
        home_address="四川省巴中市平昌县岳家镇3组12号",
        profile_text="长期从事劳务输出组织工作，熟悉本地劳动力情况。",
        village="白衣村",
        application_date=date(2024, 3, 5),
        photo=_png_photo(),
    )
    return replace(data, **changes)


def _render(data: ApplicationFormData) -> PdfReader:
    buf = io.BytesIO()
    render_application_form(data, buf)
    return PdfReader(io.BytesIO(buf.getvalue()))


def _text(reader: PdfReader) -> str:
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")


def _fonts_of(resources: DictionaryObject) -> list[DictionaryObject]:
    fonts = resources.get("/Font")
    return [f.get_object() for f in fonts.get_object().values()] if fonts else []


def _assert_embedded(font: DictionaryObject) -> None:
    name = font.get("/BaseFont")
    if font.get("/Subtype") == "/Type0":
        for descendant in font["/DescendantFonts"]:
            _assert_embedded(descendant.get_object())
        return
    descriptor = font.get("/FontDescriptor")
    assert descriptor is not None, f"font {name} has no descriptor: not embedded"
    descriptor = descriptor.get_object()
    assert "/FontFile2" in descriptor, f"font {name} is not embedded as TrueType"


def test_form_has_all_text_on_one_a4_page() -> None:
    reader = _render(_sample())

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_PT, abs=0.5)
    text = _text(reader)
    for expected in (
        "附件1",
        "四川省劳务经纪人申请认定表",
        "朱镕䶮",
        "51192319850315123X",
        "6217995510001234567",
        "13812345678",
        "1985年03月",
        "白衣村",
        "特此申请",
        "申请人签字（按手印）",
        "2024年3月5日",
        "村（社区）",
        "推荐意见",
        "县（市、区）",
        "认定意见",
        "（盖章）",
        FOOTNOTE,
    ):
        assert expected in text, expected
    assert PROMISE_TEXT in text  # verbatim, across the line breaks


def test_every_font_is_embedded_and_metadata_set() -> None:
    reader = _render(_sample())

    fonts = _fonts_of(reader.pages[0]["/Resources"])
    assert fonts
    for font in fonts:
        _assert_embedded(font)
    assert reader.metadata is not None
    assert reader.metadata.author == "LaborDesk"
    assert "四川省劳务经纪人申请认定表" in (reader.metadata.title or "")
    assert len(reader.pages[0].images) == 1  # the photo


def test_long_profile_stays_on_one_page_and_keeps_its_start() -> None:
    profile = ("本人长期在村里从事劳务输出组织工作，熟悉本地劳动力情况，与企业联系紧密。" * 30)[
        :800
    ]
    reader = _render(_sample(profile_text=profile, photo=None))

    assert len(reader.pages) == 1
    text = _text(reader)
    assert profile[:40] in text
    assert "2寸近期" in text  # the empty photo box says what to paste
    assert FOOTNOTE in text


def test_very_long_profile_is_cut_not_spilled() -> None:
    reader = _render(_sample(profile_text="简" * 5000))

    assert len(reader.pages) == 1
    assert "……" in _text(reader)


def test_custom_title_unreadable_photo_and_missing_date(tmp_path: Path) -> None:
    out = tmp_path / "form.pdf"
    data = _sample(photo=b"not an image", application_date=None, home_address="", village="")
    render_application_form(data, out, title="重庆市劳务经纪人认定申请表")

    reader = PdfReader(out)
    text = _text(reader)
    assert "重庆市劳务经纪人认定申请表" in text
    assert "照片无法读取" in text
    assert len(reader.pages) == 1


def test_shipped_font_covers_rare_name_characters() -> None:
    assert shipped_font_path().is_file()
    fonts = register_cjk_fonts()
    assert register_cjk_fonts() is fonts  # cached
    assert fonts_mod.covers(fonts.fallback, "镕䶮朱王李0123456789X（）：，。“”…")
    assert font_for("朱镕䶮", fonts=fonts) in (fonts.regular, fonts.fallback)
    assert fonts.describe()


def test_no_system_fonts_means_shipped(tmp_path: Path) -> None:
    fonts = register_cjk_fonts(system_dirs=[tmp_path])
    assert fonts.source == "shipped"
    assert fonts.regular == fonts.bold == fonts.fallback
    assert fonts.regular_path == shipped_font_path()


def test_fonts_module_does_not_import_qt() -> None:
    code = (
        "import sys; import desktop.core.documents.pdf.application_form; "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'desktop.ui'))]"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)


def test_system_font_falls_back_per_string_for_missing_glyphs(tmp_path: Path) -> None:
    # reportlab's own Latin-only Vera stands in for a 宋体 that lacks the rare characters.
    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    (tmp_path / "simsun.ttc").write_bytes(vera.read_bytes())
    fonts = register_cjk_fonts(system_dirs=[tmp_path])

    assert fonts.source == "system"
    assert fonts.bold == fonts.regular != fonts.fallback  # no simhei.ttf: titles use 宋体
    assert font_for("0123 ABC", fonts=fonts) == fonts.regular
    assert font_for("朱镕䶮", fonts=fonts) == fonts.fallback
