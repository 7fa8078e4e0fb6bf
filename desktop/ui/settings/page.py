"""The 中心设置 page (administrators only): the centre's name, its policy profile and the policy
parameters it may set for itself. Saving lists every change and asks first; a refused value is
explained next to its field and nothing is saved. Enter saves, Esc asks before discarding."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.core.services import settings as svc
from desktop.ui.session import AppState
from desktop.ui.settings.parameter_grid import ParameterGrid


def _error_label() -> QLabel:
    label = QLabel()
    label.setProperty("role", "fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


class SettingsPage(QWidget):
    title = "中心设置"
    saved = Signal(object)  # the new CenterInfo

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.view: svc.SettingsView | None = None
        heading = QLabel("中心设置")
        heading.setProperty("role", "pageTitle")
        note = QLabel("只有管理员可以修改。保存前列出每项修改请您确认；每项修改都记入审计日志（原值 → 新值）。"
                      "政策参数留空或填回默认值，即恢复政策配置的默认值。")
        note.setProperty("role", "hint")
        note.setWordWrap(True)

        self.center_name = QLineEdit()
        self.center_name.setMaxLength(100)
        self.name_error = _error_label()
        self.county = QLabel()
        self.profile_box = QComboBox()
        self.profile_error = _error_label()
        form = QFormLayout()
        form.addRow("服务中心名称(&N)：", self.center_name)
        form.addRow("", self.name_error)
        form.addRow("所在县（市、区）：", self.county)
        form.addRow("政策配置(&P)：", self.profile_box)
        form.addRow("", self.profile_error)
        for box in (self.center_name, self.profile_box):
            box.setMinimumWidth(420)
            box.setMaximumWidth(560)

        self.grid: ParameterGrid  # made by _load, again for another profile
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes through the fields, which it scrolls to
        self.scroll = scroll
        params_title = QLabel("政策参数")
        params_title.setStyleSheet("font-weight: bold;")

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.revert_button = QPushButton("放弃修改")
        self.revert_button.setToolTip("恢复为已保存的设置（Esc）")
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setProperty("role", "primary")
        self.save_button.setToolTip("保存修改（Enter）")
        bar = QHBoxLayout()
        bar.addWidget(self.message, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(params_title)
        layout.addWidget(scroll, 1)
        layout.addLayout(bar)

        self.center_name.textEdited.connect(self._edited)
        self.profile_box.currentIndexChanged.connect(self._profile_switched)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.discard)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self, self._enter, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.discard,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._load()

    # --- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Called when the page is shown: unsaved edits stay as they are."""
        if not self.dirty():
            self._load()

    def _load(self) -> None:
        user = self.state.user
        self.view = view = self.state.read(lambda s: svc.settings_view(s, user))
        self.center_name.setText(view.center.center_name)
        self.county.setText(f"{view.center.county_name}（{view.center.county_code}，首次设置时确定，不能修改）")
        self.profile_box.blockSignals(True)
        self.profile_box.clear()
        for name, display in view.profiles:
            self.profile_box.addItem(f"{display}（{name}）", name)
        self.profile_box.setCurrentIndex(self.profile_box.findData(view.center.profile_name))
        self.profile_box.blockSignals(False)
        self._show_parameters(view.parameters)
        self._clear_errors()
        self._update_buttons()

    def _show_parameters(self, values: list[svc.ParameterValue], keep: dict[str, Any] | None = None) -> None:
        self.grid = ParameterGrid(values, keep)
        self.grid.changed.connect(self._edited)
        self.scroll.setWidget(self.grid)  # the old grid is deleted
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.center_name, self.profile_box, *self.grid.focus_order(),
                                self.revert_button, self.save_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _profile_switched(self) -> None:
        """Show the chosen profile's parameters and defaults; edits not saved yet are kept."""
        assert self.view is not None
        self._clear_errors()
        keep = self.grid.edited()
        try:
            values = svc.parameter_values(self.profile_box.currentData(), self.view.center.profile_overrides)
        except UserError as exc:
            self._show_error(exc, "profile_name")
        else:
            self._show_parameters(values, keep)
        self._edited()

    # --- state -------------------------------------------------------------------------------
    def dirty(self) -> bool:
        if self.view is None:
            return False
        center = self.view.center
        return (self.center_name.text().strip() != center.center_name
                or self.profile_box.currentData() != center.profile_name or bool(self.grid.edited()))

    def _edited(self, *_args: Any) -> None:
        self.message.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.dirty()
        self.revert_button.setEnabled(dirty)
        self.save_button.setEnabled(dirty)

    def _clear_errors(self) -> None:
        for label in (self.name_error, self.profile_error):
            label.clear()
            label.hide()
        self.grid.clear_errors()
        self.message.clear()

    def _show_error(self, exc: UserError, default_field: str | None = None) -> None:
        where = exc.field or default_field
        if where == "center_name":
            self.name_error.setText(str(exc))
            self.name_error.show()
            self.center_name.setFocus()
        elif where == "profile_name":
            self.profile_error.setText(str(exc))
            self.profile_error.show()
            self.profile_box.setFocus()
        elif where is not None and self.grid.set_error(where, str(exc)):
            editor = self.grid.editors[where]
            self.scroll.ensureWidgetVisible(editor, 50, 80)
            editor.setFocus()
        else:
            self.message.setText(str(exc))
        self.message.setText(self.message.text() or "没有保存：请按红字提示修改后再保存。")
        self.message.setProperty("role", "fieldError")
        self.message.style().polish(self.message)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setProperty("role", "hint")
        self.message.style().polish(self.message)

    # --- actions -----------------------------------------------------------------------------
    def _enter(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QPushButton) and focus is not self.save_button:
            focus.click()  # Enter on 放弃修改 means that button
        else:
            self.save()

    def changes(self) -> tuple[svc.SettingsChange, list[str]]:
        """What would be saved and the same in words, one line per change."""
        assert self.view is not None
        center = self.view.center
        name, profile = self.center_name.text().strip(), self.profile_box.currentData()
        values = self.grid.values()
        lines = []
        if name != center.center_name:
            lines.append(f"服务中心名称：{center.center_name} → {name or '（空）'}")
        if profile != center.profile_name:
            names = dict(self.view.profiles)
            lines.append(f"政策配置：{names.get(center.profile_name, center.profile_name)} → {names[profile]}")
        for key, value in values.items():
            p = self.grid.params[key]
            new = p.show(p.default) + "（恢复默认）" if value is None or value == p.default else p.show(value)
            lines.append(f"{p.label}：{p.show(p.current)} → {new}")
        return svc.SettingsChange(name, profile, values), lines

    def save(self) -> None:
        self._clear_errors()
        try:
            change, lines = self.changes()
        except UserError as exc:
            self._show_error(exc)
            return
        if not lines:
            self._say("没有需要保存的修改。")
            return
        question = "将保存以下修改：\n\n" + "\n".join(lines) + "\n\n每项修改都记入审计日志。确定保存吗？"
        answer = QMessageBox.question(self, "确认修改中心设置", question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        user = self.state.user
        try:
            info = self.state.write(lambda s: svc.save_settings(s, user, change))
        except UserError as exc:
            self._show_error(exc)
            return
        old = self.state.center
        self.state.center, self.state.profile = info, info.profile()
        self._load()
        restart = old.profile_name != info.profile_name
        self._say(f"已保存 {len(lines)} 项修改，并记入审计日志。"
                  + ("更换政策配置后，请退出并重新打开程序，各页面才按新的配置显示。" if restart else ""))
        self.saved.emit(info)

    def discard(self) -> None:
        """Esc / 放弃修改: ask, then show the saved settings again."""
        if not self.dirty():
            return
        answer = QMessageBox.question(self, "放弃修改？", "修改还没有保存，确定要放弃并恢复为已保存的设置吗？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._load()
            self._say("已恢复为保存的设置。")
