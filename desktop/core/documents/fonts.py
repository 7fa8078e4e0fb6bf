"""CJK fonts for PDF output: the office PC's 宋体/黑体 when present, else the shipped font.

reportlab embeds TrueType (``glyf``) fonts only. The shipped font is WenQuanYi Zen Hei
(``resources/fonts/wqy-zenhei.ttc``, face 0), which covers GB 2312, all GBK hanzi and CJK
Extension A, so rare name characters such as 镕 and 䶮 always print. Windows' SimSun lacks some
Extension A characters; :func:`font_for` picks the shipped font for any string the chosen font
cannot draw, so nothing ever prints as an empty box.

This module never imports Qt; the UI loads :func:`shipped_font_path` into its own font database.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

RESOURCES_DIR = Path(__file__).resolve().parents[3] / "resources"
SHIPPED_FONT_FILE = "wqy-zenhei.ttc"
SHIPPED_FONT_INDEX = 0  # 0 = WenQuanYi Zen Hei (proportional Latin), 1 = Mono, 2 = Sharp

SONG_NAME = "LDSong"  # system 宋体 (SimSun), body text
HEI_NAME = "LDHei"  # system 黑体 (SimHei), titles
SHIPPED_NAME = "LDZenHei"  # shipped font, used alone or as the fallback

# (file name in the Windows fonts folder, TrueType collection index)
_WINDOWS_SONG = ("simsun.ttc", 0)
_WINDOWS_HEI = ("simhei.ttf", 0)


@dataclass(frozen=True)
class CjkFonts:
    """Registered reportlab font names and where they came from.

    ``regular`` is for body text (宋体 when the PC has it), ``bold`` for titles (黑体), and
    ``fallback`` is always the shipped font. When no system font is found all three are the
    shipped font's name.
    """

    regular: str
    bold: str
    fallback: str
    source: str  # "system" or "shipped"
    regular_path: Path
    bold_path: Path

    def describe(self) -> str:
        """One line for the log: which files print the PDFs."""
        if self.source == "system":
            return (
                f"PDF fonts: system {self.regular_path.name} / {self.bold_path.name}, "
                f"fallback {shipped_font_path().name}"
            )
        return f"PDF fonts: shipped {shipped_font_path().name} (no system 宋体/黑体 found)"


_lock = threading.Lock()
_cached: CjkFonts | None = None


def shipped_font_path() -> Path:
    """Path of the font file shipped in ``resources/fonts`` (also loaded by the Qt UI)."""
    return RESOURCES_DIR / "fonts" / SHIPPED_FONT_FILE


def windows_font_dirs() -> list[Path]:
    """Folders where Windows keeps 宋体/黑体: ``%WINDIR%\\Fonts`` and ``C:\\Windows\\Fonts``."""
    if sys.platform != "win32":
        return []
    dirs: list[Path] = []
    for var in ("WINDIR", "SYSTEMROOT"):
        value = os.environ.get(var)
        if value:
            dirs.append(Path(value) / "Fonts")
    dirs.append(Path(r"C:\Windows\Fonts"))
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def _find(dirs: list[Path], file_name: str) -> Path | None:
    for d in dirs:
        candidate = d / file_name
        if candidate.is_file():
            return candidate
    return None


def _register(name: str, path: Path, index: int) -> None:
    pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))


def register_cjk_fonts(system_dirs: list[Path] | None = None) -> CjkFonts:
    """Register the CJK fonts with reportlab once and return their names (cached, thread-safe).

    ``system_dirs`` overrides where system fonts are looked for (tests); by default only the
    Windows fonts folder is searched, so on Linux CI the shipped font is always used.
    """
    global _cached
    with _lock:
        if _cached is not None and system_dirs is None:
            return _cached
        fonts = _choose_and_register(windows_font_dirs() if system_dirs is None else system_dirs)
        if system_dirs is None:
            _cached = fonts
            log.info(fonts.describe())
        return fonts


def _choose_and_register(dirs: list[Path]) -> CjkFonts:
    shipped = shipped_font_path()
    if not shipped.is_file():
        raise FileNotFoundError(f"缺少内置字体文件：{shipped}")
    _register(SHIPPED_NAME, shipped, SHIPPED_FONT_INDEX)

    song = _find(dirs, _WINDOWS_SONG[0])
    hei = _find(dirs, _WINDOWS_HEI[0])
    if song is not None:
        try:
            _register(SONG_NAME, song, _WINDOWS_SONG[1])
            bold_name, bold_path = SONG_NAME, song
            if hei is not None:
                try:
                    _register(HEI_NAME, hei, _WINDOWS_HEI[1])
                    bold_name, bold_path = HEI_NAME, hei
                except Exception:  # a damaged or unusual system font is the PC's problem
                    log.warning("系统黑体无法加载，标题改用宋体：%s", hei, exc_info=True)
            return CjkFonts(SONG_NAME, bold_name, SHIPPED_NAME, "system", song, bold_path)
        except Exception:
            log.warning("系统宋体无法加载，改用内置字体：%s", song, exc_info=True)
    return CjkFonts(SHIPPED_NAME, SHIPPED_NAME, SHIPPED_NAME, "shipped", shipped, shipped)


def covers(font_name: str, text: str) -> bool:
    """True when the registered TrueType font ``font_name`` has a glyph for every character."""
    font = pdfmetrics.getFont(font_name)
    char_to_glyph = font.face.charToGlyph  # type: ignore[attr-defined]
    return all(ord(ch) in char_to_glyph for ch in text if ch not in "\r\n\t")


def font_for(text: str, bold: bool = False, fonts: CjkFonts | None = None) -> str:
    """The font name to draw ``text`` with: the chosen font, or the shipped one if it lacks a glyph."""
    fonts = fonts or register_cjk_fonts()
    name = fonts.bold if bold else fonts.regular
    if name == fonts.fallback or covers(name, text):
        return name
    return fonts.fallback
