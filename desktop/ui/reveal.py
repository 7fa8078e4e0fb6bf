"""显示完整号码 in the UI: a button on lists and detail views; every reveal is an audit event.

``MaskedFields`` keeps a detail form's personal-number fields masked and read-only until the
clerk asks for the full numbers; the form reads the values through it, so saving an unrevealed
record keeps the stored numbers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.core.privacy import mask_field
from desktop.core.services import reveal as svc
from desktop.ui.roles import allow
from desktop.ui.session import AppState
from desktop.ui.tasks import show_error

BUTTON_TEXT = "显示完整号码"


def reveal_button(state: AppState) -> QPushButton:
    button = QPushButton(BUTTON_TEXT + "…")
    if allow(button, state.user, *svc.REVEALERS, action=BUTTON_TEXT):
        button.setToolTip("显示选中记录的完整身份证号、银行账号和电话；查看记录会记入审计日志。")
    return button


def fetch(state: AppState, parent: QWidget, entity: str, record_id: int) -> svc.Revealed | None:
    """The full numbers of one record (audited), or None after telling the user why not."""
    user = state.user
    try:
        return state.write(lambda s: svc.reveal(s, user, entity, record_id))
    except UserError as exc:
        show_error(parent, exc)
        return None


class RevealDialog(QDialog):
    def __init__(self, revealed: svc.Revealed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(BUTTON_TEXT)
        self.setMinimumWidth(380)
        form = QFormLayout()
        for f in revealed.fields:
            value = QLabel(f.value)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setStyleSheet("font-size: 13pt; font-family: monospace;")
            form.addRow(f"{f.label}：", value)
        if not revealed.fields:
            form.addRow(QLabel("这条记录没有登记身份证号、银行账号或电话。"))
        note = QLabel("本次查看已记入审计日志（查看人、记录、字段）。请勿拍照或抄录外传。")
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{revealed.name}（{revealed.entity}）"))
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)


def show_full_numbers(state: AppState, parent: QWidget, entity: str, record_id: int | None) -> RevealDialog | None:
    """The list pages' button: reveal the selected record's numbers in a small dialog."""
    if record_id is None:
        show_error(parent, UserError("请先在列表中选中一条记录。"))
        return None
    revealed = fetch(state, parent, entity, record_id)
    if revealed is None:
        return None
    dialog = RevealDialog(revealed, parent)
    dialog.open()
    return dialog


class MaskedFields:
    """Personal-number line edits of a detail view: masked and read-only until revealed."""

    def __init__(self, state: AppState, entity: str, edits: dict[str, QLineEdit], button: QPushButton) -> None:
        self.state, self.entity, self.edits, self.button = state, entity, edits, button
        self.record_id: int | None = None
        self.full: dict[str, str] = {}
        self.revealed = True  # a new record: what the clerk types is shown
        self.editable = True
        button.setVisible(False)
        button.clicked.connect(self.reveal)

    def load(self, record_id: int, values: dict[str, str], editable: bool) -> None:
        self.record_id, self.full, self.editable, self.revealed = record_id, dict(values), editable, False
        for field, edit in self.edits.items():
            edit.setText(mask_field(field, values.get(field, ""), self.state.profile) or "")
            edit.setReadOnly(True)
            edit.setToolTip("已部分隐藏；点“显示完整号码”查看或修改。")
        self.button.setVisible(True)
        allow(self.button, self.state.user, *svc.REVEALERS, action=BUTTON_TEXT)

    def value(self, field: str) -> str:
        return self.edits[field].text() if self.revealed else self.full.get(field, "")

    def reveal(self) -> bool:
        if self.revealed or self.record_id is None:
            return self.revealed
        revealed = fetch(self.state, self.button, self.entity, self.record_id)
        if revealed is None:
            return False
        for f in revealed.fields:
            if f.field in self.edits:
                self.edits[f.field].setText(f.value)
        for edit in self.edits.values():
            edit.setReadOnly(not self.editable)
            edit.setToolTip("")
        self.revealed = True
        self.button.setEnabled(False)
        return True
