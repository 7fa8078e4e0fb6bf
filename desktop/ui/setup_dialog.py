"""First-run setup (首次设置): centre, county, policy profile and the first administrator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core import regions
from desktop.core.db.database import Database
from desktop.core.errors import UserError
from desktop.core.rules.profile import available_profiles, load_profile
from desktop.core.services import center as center_service
from desktop.core.services.center import CenterInfo, SetupInput
from desktop.ui.style import set_state


class SetupDialog(QDialog):
    """Collects SetupInput and runs center.initialise in one transaction.

    ``exec()`` returns Accepted, Rejected, or ``DEMO`` when the user asks to try the demo database.
    """

    DEMO = 2

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.result_center: CenterInfo | None = None
        self.setWindowTitle("劳务服务管理台 — 首次设置")
        self.setMinimumWidth(560)

        intro = QLabel(
            "欢迎使用劳务服务管理台。请先设置本服务中心的信息和第一个管理员账号，"
            "以后每次打开都需要用账号登录。所有数据只保存在本机（或本中心的服务器）上。"
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "hint")

        self.center_name = QLineEdit()
        self.center_name.setPlaceholderText("例如：××县农民工服务中心")
        self.profile = QComboBox()
        for name, label in available_profiles():
            self.profile.addItem(f"{label}（{name}）", name)
        self.province = QComboBox()
        for region in regions.provinces():
            self.province.addItem(region.name, region.code[:2])
        self.county = QComboBox()
        self.county.setEditable(True)
        self.county.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.county.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.county.completer().setCompletionMode(self.county.completer().CompletionMode.PopupCompletion)

        centre_box = QGroupBox("服务中心")
        cf = QFormLayout(centre_box)
        cf.addRow("中心名称(&N)：", self.center_name)
        cf.addRow("政策配置(&P)：", self.profile)
        cf.addRow("所在省份：", self.province)
        cf.addRow("所在县（市、区）(&C)：", self.county)

        self.username = QLineEdit()
        self.username.setPlaceholderText("登录用的名字，例如 admin 或 姓名拼音")
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        admin_box = QGroupBox("第一个管理员账号")
        af = QFormLayout(admin_box)
        af.addRow("用户名(&U)：", self.username)
        af.addRow("姓名(&M)：", self.display_name)
        af.addRow("密码(&W)：", self.password)
        af.addRow("再输一次密码(&R)：", self.password2)
        self.password_hint = QLabel()
        self.password_hint.setProperty("role", "hint")
        self.password_hint.setWordWrap(True)
        af.addRow("", self.password_hint)

        self.error = QLabel()
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("完成设置", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setProperty("role", "primary")
        self.ok.setDefault(True)
        self.demo_button = self.buttons.addButton("先看看演示数据", QDialogButtonBox.ButtonRole.ActionRole)
        self.demo_button.setToolTip("打开一个单独的演示数据库，里面有虚构的申请记录，可随意操作，不影响正式数据。")
        self.demo_button.clicked.connect(lambda: self.done(self.DEMO))
        self.buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(centre_box)
        layout.addWidget(admin_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.profile.currentIndexChanged.connect(self._profile_changed)
        self.province.currentIndexChanged.connect(self._fill_counties)
        default = self.profile.findData("sichuan")
        self.profile.setCurrentIndex(max(default, 0))
        self._profile_changed()

    def _profile_changed(self) -> None:
        name = self.profile.currentData()
        if not name:
            return
        prof = load_profile(name)
        idx = self.province.findData(prof.region.province_code)
        if idx >= 0:
            self.province.setCurrentIndex(idx)
        self._fill_counties()
        rules = prof.security
        self.password_hint.setText(
            f"密码至少 {rules.password_min_length} 位，包含大写字母、小写字母、数字、符号中的至少 "
            f"{rules.password_min_classes} 类。请牢记，系统不保存明文密码，忘记后只能由其他管理员重置。"
        )

    def _fill_counties(self) -> None:
        prov = self.province.currentData()
        self.county.clear()
        if not prov:
            return
        for county in regions.counties_of(prov):
            path = regions.region_path(county.code)
            city = path[1].name if len(path) > 2 else ""
            self.county.addItem(f"{city} {county.name}（{county.code}）".strip(), county.code)
        self.county.setCurrentIndex(-1)

    def _county_code(self) -> str:
        idx = self.county.findText(self.county.currentText())
        if idx >= 0:
            return str(self.county.itemData(idx))
        text = self.county.currentText().strip()
        return text if text.isdigit() and len(text) == 6 else ""

    def _submit(self) -> None:
        if self.password.text() != self.password2.text():
            self._show("两次输入的密码不一致，请重新输入。", self.password2)
            return
        data = SetupInput(
            center_name=self.center_name.text(),
            county_code=self._county_code(),
            profile_name=self.profile.currentData() or "",
            admin_username=self.username.text().strip(),
            admin_display_name=self.display_name.text().strip(),
            admin_password=self.password.text(),
        )
        try:
            with self.db.session(data.admin_username or "首次设置") as s:
                self.result_center = center_service.initialise(s, data)
        except UserError as exc:
            target = {
                "center_name": self.center_name,
                "county_code": self.county,
                "profile_name": self.profile,
                "username": self.username,
                "display_name": self.display_name,
                "password": self.password,
            }.get(exc.field or "", None)
            self._show(str(exc), target)
            return
        QMessageBox.information(self, "设置完成", "首次设置已完成。请用刚才设置的管理员账号登录。")
        self.accept()

    def _show(self, message: str, widget: QWidget | None) -> None:
        self.error.setText(message)
        for w in (self.center_name, self.county, self.profile, self.username, self.display_name,
                  self.password, self.password2):
            set_state(w, "")
        if widget is not None:
            set_state(widget, "error")
            widget.setFocus()

