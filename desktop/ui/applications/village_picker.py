"""Picking 常住村（社区） from the centre county's villages, with type-to-search."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from desktop.core import regions


@lru_cache(maxsize=8)
def county_villages(county_code: str) -> tuple[tuple[str, str], ...]:
    """(code, "乡镇村") for every village of the county, sorted by code."""
    out: list[tuple[str, str]] = []
    for village in regions.villages_of_county(county_code):
        path = regions.region_path(village.code)
        township = path[-2].name if len(path) >= 2 and path[-2].level == 4 else ""
        out.append((village.code, f"{township}{village.name}"))
    return tuple(out)


class VillagePicker(QComboBox):
    """Editable combo: choose a listed village, or type a name the table does not have."""

    changed = Signal()

    def __init__(self, county_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.addItem("", "")
        for code, label in county_villages(county_code):
            self.addItem(label, code)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        self.lineEdit().setPlaceholderText("输入村名中的字查找，如“白衣”")
        self.currentTextChanged.connect(lambda _t: self.changed.emit())

    def value(self) -> tuple[str, str]:
        text = self.currentText().strip()
        idx = self.findText(text, Qt.MatchFlag.MatchExactly)
        if idx > 0:
            return str(self.itemData(idx)), text
        return "", text

    def set_value(self, code: str, name: str) -> None:
        idx = self.findData(code) if code else -1
        if idx > 0:
            self.setCurrentIndex(idx)
        else:
            self.setEditText(name)
