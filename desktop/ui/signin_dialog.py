"""Sign-in on every start (登录), and the password change forced on first sign-in."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.db.database import Database
from desktop.core.errors import UserError
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services import accounts
from desktop.core.services.accounts import SignedInUser
from desktop.core.services.center import CenterInfo


class SignInDialog(QDialog):
    def __init__(
        self,
        db: Database,
        center: CenterInfo,
        profile: PolicyProfile,
        parent: QWidget | None = None,
        *,
        hint: str = "",
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.profile = profile
        self.user: SignedInUser | None = None
        self.failures = 0  # counted here only on a read-only database, where the account row cannot be
        self.setWindowTitle("劳务服务管理台 — 登录" + ("（只读）" if db.read_only else ""))
        self.setMinimumWidth(420)

        title = QLabel(center.center_name)
        title.setProperty("role", "pageTitle")
        where = QLabel(f"{center.county_name}　政策配置：{profile.region.name}")
        where.setProperty("role", "hint")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("用户名(&U)：", self.username)
        form.addRow("密码(&P)：", self.password)
        self.message = QLabel()
        self.message.setProperty("role", "fieldError")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("登录", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setProperty("role", "primary")
        self.ok.setDefault(True)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(where)
        layout.addLayout(form)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            hint_label.setProperty("role", "hint")
            layout.addWidget(hint_label)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.username.setFocus()

    def _submit(self) -> None:
        if not self.username.text().strip() or not self.password.text():
            self.message.setText("请输入用户名和密码。")
            return
        with self.db.event_session(self.username.text().strip() or "登录") as s:
            result = accounts.sign_in(s, self.profile, self.username.text(), self.password.text())
        if result.user is None:
            self.message.setText(result.message)
            self.failures += 1
            if self.db.read_only and self.failures >= self.profile.security.lockout_failures:
                self.reject()  # no lockout can be written: end the attempts instead
            self.password.clear()
            self.password.setFocus()
            return
        user = result.user
        if user.must_change_password:
            change = ChangePasswordDialog(self.db, self.profile, user, self.password.text(), forced=True, parent=self)
            if change.exec() != QDialog.DialogCode.Accepted or change.user is None:
                self.message.setText("首次登录必须修改密码后才能使用。")
                return
            user = change.user
        self.user = user
        self.accept()


class ChangePasswordDialog(QDialog):
    def __init__(
        self,
        db: Database,
        profile: PolicyProfile,
        user: SignedInUser,
        old_password: str = "",
        *,
        forced: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.profile = profile
        self.signed_in = user
        self.user: SignedInUser | None = None
        self.setWindowTitle("修改密码")
        rules = profile.security
        hint = QLabel(
            ("这是您第一次登录，请设置自己的新密码。" if forced else "")
            + f"新密码至少 {rules.password_min_length} 位，包含大写字母、小写字母、数字、符号中的至少 "
            f"{rules.password_min_classes} 类。"
        )
        hint.setWordWrap(True)
        self.old = QLineEdit(old_password)
        self.new = QLineEdit()
        self.new2 = QLineEdit()
        for w in (self.old, self.new, self.new2):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("原密码：", self.old)
        form.addRow("新密码：", self.new)
        form.addRow("再输一次新密码：", self.new2)
        self.message = QLabel()
        self.message.setProperty("role", "fieldError")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.new if old_password else self.old).setFocus()

    def _submit(self) -> None:
        if self.new.text() != self.new2.text():
            self.message.setText("两次输入的新密码不一致。")
            return
        try:
            with self.db.session(self.signed_in.username) as s:
                self.user = accounts.change_password(
                    s, self.profile, self.signed_in.id, self.old.text(), self.new.text()
                )
        except UserError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
