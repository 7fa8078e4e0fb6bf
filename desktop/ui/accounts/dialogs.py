"""Dialogs of the 账号管理 page: new account, disable with a reason, reset password, change role."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from desktop.core.models.account import Role
from desktop.core.services import account_admin as svc
from desktop.ui.session import AppState
from desktop.ui.widgets import FormDialog

ROLE_HELP = {
    Role.CLERK: "经办：录入申请、推荐意见、培训结果，打印和导出",
    Role.REVIEWER: "审核：县级初审、核实异议、结束公示并认定",
    Role.ADMIN: "管理员：账号管理、节假日安排、查看审计日志",
    Role.AUDITOR: "审计：只查看审计日志和记录，不能修改任何数据",
}


def role_combo(current: Role | None = None) -> QComboBox:
    box = QComboBox()
    for role in (Role.CLERK, Role.REVIEWER, Role.ADMIN, Role.AUDITOR):
        box.addItem(ROLE_HELP[role], role.value)
    if current is not None:
        box.setCurrentIndex(box.findData(current.value))
    return box


def password_row(state: AppState) -> tuple[QLineEdit, QHBoxLayout]:
    """A temporary-password field with a 生成 button (the password is shown: the admin reads it out)."""
    edit = QLineEdit()
    rules = state.profile.security
    edit.setPlaceholderText(f"至少 {rules.password_min_length} 位，{rules.password_min_classes} 类字符")
    generate = QPushButton("生成")
    generate.setToolTip("生成一个符合规则的随机临时密码")
    generate.clicked.connect(lambda: edit.setText(svc.generate_temporary_password(state.profile)))
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(generate)
    return edit, row


class NewAccountDialog(FormDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.created: svc.AccountRow | None = None
        self.setWindowTitle("新建账号")
        self.setMinimumWidth(520)
        self.username = QLineEdit()
        self.username.setMaxLength(50)
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(50)
        self.role = role_combo(Role.CLERK)
        self.password, row = password_row(state)
        form = QFormLayout()
        form.addRow("用户名(&U)：", self.username)
        form.addRow("姓名(&M)：", self.display_name)
        form.addRow("角色(&R)：", self.role)
        form.addRow("临时密码(&P)：", row)
        hint = QLabel("请把临时密码当面告诉本人；本人第一次登录时必须改为自己的密码。")
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        self.set_body(form, hint, ok_text="创建")
        self.username.setFocus()

    def submit(self) -> None:
        user, profile = self.state.user, self.state.profile
        username, name, password = self.username.text(), self.display_name.text(), self.password.text()
        role = Role(self.role.currentData())
        self.created = self.attempt(lambda: self.state.write(lambda s: svc.create_account(
            s, user, profile, username=username, display_name=name, role=role, temporary_password=password)))


class DisableDialog(FormDialog):
    """Disabling asks for a reason; it is also the confirmation."""

    def __init__(self, state: AppState, account: svc.AccountRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.account = state, account
        self.setWindowTitle("停用账号")
        self.setMinimumWidth(460)
        text = QLabel(f"停用后“{account.display_name}（{account.username}）”不能再登录；账号和它经办的记录都保留，"
                      "以后可以重新启用。")
        text.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：调离、离职、长期休假")
        form = QFormLayout()
        form.addRow("停用原因(&R)：", self.reason)
        self.set_body(text, form, ok_text="停用")
        self.reason.setFocus()

    def submit(self) -> None:
        user, account_id, reason = self.state.user, self.account.id, self.reason.text()
        self.attempt(lambda: self.state.write(lambda s: svc.set_disabled(s, user, account_id, True, reason)))


class ResetPasswordDialog(FormDialog):
    def __init__(self, state: AppState, account: svc.AccountRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.account = state, account
        self.setWindowTitle("重置密码")
        self.setMinimumWidth(460)
        text = QLabel(f"为“{account.display_name}（{account.username}）”设置临时密码；本人下次登录时必须修改。"
                      "如果账号正被锁定，也会一并解锁。")
        text.setWordWrap(True)
        self.password, row = password_row(state)
        form = QFormLayout()
        form.addRow("临时密码(&P)：", row)
        self.set_body(text, form, ok_text="重置")
        self.password.setFocus()

    def submit(self) -> None:
        user, profile, account_id, password = self.state.user, self.state.profile, self.account.id, self.password.text()
        self.attempt(lambda: self.state.write(lambda s: svc.reset_password(s, user, profile, account_id, password)))


class RoleDialog(FormDialog):
    def __init__(self, state: AppState, account: svc.AccountRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.account = state, account
        self.setWindowTitle("修改角色")
        self.setMinimumWidth(460)
        self.role = role_combo(account.role)
        form = QFormLayout()
        form.addRow(f"{account.display_name}（{account.username}）的角色：", self.role)
        self.set_body(form, ok_text="确定")

    def submit(self) -> None:
        user, account_id, role = self.state.user, self.account.id, Role(self.role.currentData())
        self.attempt(lambda: self.state.write(lambda s: svc.change_role(s, user, account_id, role)))
