"""The 账号管理 page (administrators only): accounts with role and state, and what an admin may do."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.services import account_admin as svc
from desktop.ui.accounts.dialogs import DisableDialog, NewAccountDialog, ResetPasswordDialog, RoleDialog
from desktop.ui.session import AppState
from desktop.ui.tasks import show_error

HEADERS = ["用户名", "姓名", "角色", "状态", "最近登录", "创建时间", "创建人"]


class AccountsPage(QWidget):
    title = "账号管理"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.rows: list[svc.AccountRow] = []
        heading = QLabel("账号管理")
        heading.setProperty("role", "pageTitle")
        note = QLabel("账号只停用、不删除；新账号和重置密码后，本人下次登录时必须改为自己的密码。"
                      "所有账号操作都记入审计日志。")
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        self.new_button = QPushButton("新建账号(&N)…")
        self.new_button.setProperty("role", "primary")
        self.disable_button = QPushButton("停用…")
        self.unlock_button = QPushButton("解锁")
        self.reset_button = QPushButton("重置密码…")
        self.role_button = QPushButton("修改角色…")
        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addWidget(self.disable_button)
        bar.addWidget(self.unlock_button)
        bar.addWidget(self.reset_button)
        bar.addWidget(self.role_button)
        bar.addStretch(1)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((120, 110, 80, 200, 150, 150)):
            self.table.setColumnWidth(col, width)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self.new_button.clicked.connect(self.new_account)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.unlock_button.clicked.connect(self.unlock)
        self.reset_button.clicked.connect(self.reset_password)
        self.role_button.clicked.connect(self.change_role)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    # --- loading ---------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        current = select_id or (self.current().id if self.current() else None)
        self.rows = self.state.read(svc.list_accounts)
        self.table.setRowCount(len(self.rows))
        for r, a in enumerate(self.rows):
            values = [a.username, a.display_name, a.role_label, a.status_label,
                      f"{a.last_sign_in:%Y-%m-%d %H:%M}" if a.last_sign_in else "从未登录",
                      f"{a.created_at:%Y-%m-%d %H:%M}", a.created_by]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        row = next((i for i, a in enumerate(self.rows) if a.id == current), 0 if self.rows else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def current(self) -> svc.AccountRow | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def _update_buttons(self) -> None:
        a = self.current()
        admin = self.state.user.role is Role.ADMIN
        me = a is not None and a.id == self.state.user.id
        self.new_button.setEnabled(admin)
        self.disable_button.setText("启用" if a is not None and a.disabled else "停用…")
        self.disable_button.setEnabled(admin and a is not None and not me)
        self.disable_button.setToolTip("不能停用自己正在使用的账号。" if me else "")
        self.unlock_button.setEnabled(admin and a is not None and a.locked)
        self.reset_button.setEnabled(admin and a is not None and not me)
        self.reset_button.setToolTip("自己的密码请用“账号 → 修改密码”修改。" if me else "")
        self.role_button.setEnabled(admin and a is not None and not me)

    # --- actions ---------------------------------------------------------------------------
    def _run(self, action: Callable[..., svc.AccountRow]) -> svc.AccountRow | None:
        try:
            row = self.state.write(action)
        except UserError as exc:
            show_error(self, exc)
            return None
        self.reload(row.id)
        return row

    def new_account(self) -> None:
        dialog = NewAccountDialog(self.state, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created is not None:
            self.reload(dialog.created.id)

    def toggle_disabled(self) -> None:
        a = self.current()
        if a is None:
            return
        user = self.state.user
        if a.disabled:
            self._run(lambda s: svc.set_disabled(s, user, a.id, False))
            return
        dialog = DisableDialog(self.state, a, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(a.id)

    def unlock(self) -> None:
        a, user = self.current(), self.state.user
        if a is not None:
            self._run(lambda s: svc.unlock_account(s, user, a.id))

    def reset_password(self) -> None:
        a = self.current()
        if a is not None and ResetPasswordDialog(self.state, a, self).exec() == QDialog.DialogCode.Accepted:
            self.reload(a.id)

    def change_role(self) -> None:
        a = self.current()
        if a is not None and RoleDialog(self.state, a, self).exec() == QDialog.DialogCode.Accepted:
            self.reload(a.id)
