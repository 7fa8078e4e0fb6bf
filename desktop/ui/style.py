"""Fonts and the application-wide look: readable Chinese at 1366×768 on office PCs."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop.core.documents.fonts import shipped_font_path

# Office PCs have 微软雅黑 or 宋体; the shipped font covers machines with no CJK font at all.
PREFERRED_FAMILIES = ("Microsoft YaHei", "微软雅黑", "SimSun", "宋体", "Noto Sans CJK SC", "WenQuanYi Micro Hei")

STYLESHEET = """
QWidget { font-size: 10.5pt; }
QLineEdit[state="error"], QComboBox[state="error"], QDateEdit[state="error"], QPlainTextEdit[state="error"] {
    border: 2px solid #c62828; background: #fff5f5; }
QLineEdit[state="warning"], QComboBox[state="warning"], QPlainTextEdit[state="warning"] {
    border: 2px solid #ef8f00; background: #fffaf0; }
QLabel[role="fieldError"] { color: #c62828; font-size: 9pt; }
QLabel[role="fieldWarning"] { color: #b36b00; font-size: 9pt; }
QLabel[role="pageTitle"] { font-size: 14pt; font-weight: bold; }
QLabel[role="hint"] { color: #555; }
QListWidget#nav { background: #243447; color: white; border: none; font-size: 11pt; }
QListWidget#nav::item { padding: 10px 14px; }
QListWidget#nav::item:selected { background: #3d7bd9; }
QTableView { gridline-color: #d0d0d0; selection-background-color: #cfe3ff; selection-color: black; }
QPushButton[role="primary"] { background: #2f6fd0; color: white; padding: 5px 16px; border-radius: 3px; }
QPushButton[role="primary"]:disabled { background: #9bb7e3; }
"""


def install_fonts(app: QApplication) -> str:
    """Load the shipped CJK font and pick the UI font family; returns the family used."""
    families = set(QFontDatabase.families())
    shipped_family = ""
    font_id = QFontDatabase.addApplicationFont(str(shipped_font_path()))
    if font_id >= 0:
        loaded = QFontDatabase.applicationFontFamilies(font_id)
        shipped_family = loaded[0] if loaded else ""
    chosen = next((f for f in PREFERRED_FAMILIES if f in families), shipped_family or app.font().family())
    font = QFont(chosen)
    font.setPointSizeF(10.5 if sys.platform == "win32" else 10)
    if shipped_family and shipped_family != chosen:
        font.setFamilies([chosen, shipped_family])
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
    return chosen


def set_state(widget, state: str) -> None:  # type: ignore[no-untyped-def]
    """Mark a field "error", "warning" or "" and re-polish so the stylesheet applies."""
    if widget.property("state") == state:
        return
    widget.setProperty("state", state)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
