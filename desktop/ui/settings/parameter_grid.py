"""The policy parameters of the 中心设置 page: one row each — name, this centre's value, the
profile's default, what it means — grouped by area, with a red line under a refused value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.core.services.settings import ParameterValue, parse_value

Editor = QLineEdit | QCheckBox


class ParameterGrid(QWidget):
    """Editors for a list of ``ParameterValue``; ``changed`` fires on every edit. A profile switch
    makes a new grid (set into the scroll area, which then sizes it afresh)."""

    changed = Signal()

    def __init__(self, values: list[ParameterValue], keep: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        """Rows for ``values``; ``keep`` re-applies edits not saved yet (by key) after a profile switch."""
        super().__init__(parent)
        self.params: dict[str, ParameterValue] = {}
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, QLabel] = {}
        self.defaults: dict[str, QLabel] = {}
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(3, 1)
        row, group = 0, ""
        for title, col in (("参数", 0), ("本中心的值", 1), ("政策配置默认值", 2), ("说明", 3)):
            head = QLabel(title, self)
            head.setProperty("role", "hint")
            self.grid.addWidget(head, row, col)
        row += 1
        for p in values:
            if p.group != group:
                group = p.group
                heading = QLabel(group, self)
                heading.setStyleSheet("font-weight: bold; margin-top: 6px;")
                self.grid.addWidget(heading, row, 0, 1, 4)
                row += 1
            row = self._add_row(p, row)
        self.grid.setRowStretch(row, 1)
        for key, raw in (keep or {}).items():
            if key in self.editors:
                self._set_raw(key, raw)

    def _add_row(self, p: ParameterValue, row: int) -> int:
        editor: Editor
        if p.is_switch:
            editor = QCheckBox("是", self)
            editor.setChecked(bool(p.current))
            editor.toggled.connect(self.changed)
        else:
            editor = QLineEdit(str(p.current), self)
            editor.setFixedWidth(72)
            editor.setPlaceholderText(str(p.default))
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
            editor.textEdited.connect(self.changed)
        editor.setObjectName(p.key)
        editor.setAccessibleName(p.label)
        label = QLabel(p.label + "：", self)
        label.setBuddy(editor)
        value = QHBoxLayout()
        value.setContentsMargins(0, 0, 0, 0)
        value.addWidget(editor)
        if p.unit and not p.is_switch:
            value.addWidget(QLabel(p.unit, self))
        value.addStretch(1)
        default = QLabel(f"默认 {p.show(p.default)}" + ("（本中心已改）" if p.overridden else ""), self)
        if p.overridden:
            default.setStyleSheet("color: #b36b00;")
        meaning = QLabel(p.meaning + (f"{p.basis}" if p.basis else ""), self)
        meaning.setWordWrap(True)
        meaning.setProperty("role", "hint")
        error = QLabel(self)
        error.setProperty("role", "fieldError")
        error.setWordWrap(True)
        error.hide()
        self.grid.addWidget(label, row, 0)
        self.grid.addLayout(value, row, 1)
        self.grid.addWidget(default, row, 2)
        self.grid.addWidget(meaning, row, 3)
        self.grid.addWidget(error, row + 1, 1, 1, 3)
        self.params[p.key], self.editors[p.key], self.errors[p.key] = p, editor, error
        self.defaults[p.key] = default
        return row + 2

    # --- reading -----------------------------------------------------------------------------
    def raw(self, key: str) -> Any:
        editor = self.editors[key]
        return editor.isChecked() if isinstance(editor, QCheckBox) else editor.text()

    def _set_raw(self, key: str, raw: Any) -> None:
        editor = self.editors[key]
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(raw))
        else:
            editor.setText(str(raw))

    def edited(self) -> dict[str, Any]:
        """Raw values (text or checked) of the editors that differ from the saved value."""
        out = {}
        for key, p in self.params.items():
            raw = self.raw(key)
            typed = "".join(str(raw).split())
            # an emptied field means the default: no change where the default is already in force
            same = raw == p.current if p.is_switch else typed == str(p.current) or (not typed and not p.overridden)
            if not same:
                out[key] = raw
        return out

    def values(self) -> dict[str, Any]:
        """The edited values parsed (None: back to the default); a UserError names the bad field."""
        return {key: raw if self.params[key].is_switch else parse_value(self.params[key], raw)
                for key, raw in self.edited().items()}

    # --- messages ----------------------------------------------------------------------------
    def set_error(self, key: str, text: str) -> bool:
        if key not in self.errors:
            return False
        self.errors[key].setText(text)
        self.errors[key].show()
        return True

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def focus_order(self) -> list[QWidget]:
        return list(self.editors.values())
