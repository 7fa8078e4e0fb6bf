"""The main window: navigation on the left, one page per area, who/where in the status bar."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from desktop.core import regions
from desktop.core.models.account import Role
from desktop.ui.applications.list_page import ApplicationListPage
from desktop.ui.publicity.page import PublicityPage
from desktop.ui.registry.page import RegistryPage
from desktop.ui.session import AppState
from desktop.ui.signin_dialog import ChangePasswordDialog


class MainWindow(QMainWindow):
    def __init__(self, state: AppState, warnings: list[str] | None = None) -> None:
        super().__init__()
        self.state = state
        self.setWindowTitle(f"劳务服务管理台 — {state.center.center_name}")
        self.resize(1280, 720)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget()
        self.pages: list[QWidget] = []
        self.applications = ApplicationListPage(state)
        self.publicity = PublicityPage(state)
        self.registry = RegistryPage(state)
        self._add_page("经纪人申请", self.applications)
        self._add_page("公示管理", self.publicity)
        self._add_page("经纪人名册", self.registry)
        self.accounts_page: QWidget | None = None
        if state.user.role is Role.ADMIN:
            from desktop.ui.accounts.page import AccountsPage

            self.accounts_page = AccountsPage(state)
            self._add_page("账号管理", self.accounts_page)
        self.audit_page: QWidget | None = None
        if state.user.role in (Role.ADMIN, Role.AUDITOR):
            from desktop.ui.audit.page import AuditLogPage

            self.audit_page = AuditLogPage(state)
            self._add_page("审计日志", self.audit_page)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()

        user = state.user
        bar = self.statusBar()
        bar.addWidget(QLabel(f"  {state.center.center_name}（{state.center.county_name}）"))
        bar.addPermanentWidget(QLabel(f"政策配置：{state.profile.region.name}"))
        bar.addPermanentWidget(QLabel(f"当前用户：{user.display_name}（{user.role_label}）  "))
        self.warning_label = QLabel()
        self.warning_label.setStyleSheet("color: #b36b00;")
        bar.addWidget(self.warning_label, 1)
        if warnings:
            self.warning_label.setText("⚠ " + warnings[0])
            self.warning_label.setToolTip("\n".join(warnings))

    def _show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        page = self.pages[index]
        if hasattr(page, "reload"):
            page.reload()  # other pages may have changed the data

    def _add_page(self, title: str, page: QWidget) -> None:
        self.nav.addItem(title)
        self.stack.addWidget(page)
        self.pages.append(page)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("文件(&F)")
        new_app = QAction("新建经纪人申请(&N)", self, shortcut=QKeySequence("Ctrl+N"))
        new_app.triggered.connect(self._new_application)
        new_app.setEnabled(self.state.user.role is not Role.AUDITOR)
        file_menu.addAction(new_app)
        file_menu.addSeparator()
        quit_action = QAction("退出(&X)", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        account = menu.addMenu("账号(&A)")
        change = QAction("修改密码(&P)…", self)
        change.triggered.connect(self._change_password)
        account.addAction(change)
        if self.accounts_page is not None:
            manage = QAction("账号管理(&M)", self)
            manage.triggered.connect(lambda: self.nav.setCurrentRow(self.pages.index(self.accounts_page)))
            account.addAction(manage)
        if self.audit_page is not None:
            log = QAction("审计日志(&L)", self)
            log.triggered.connect(lambda: self.nav.setCurrentRow(self.pages.index(self.audit_page)))
            account.addAction(log)

        help_menu = menu.addMenu("帮助(&H)")
        about = QAction("关于(&A)", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _new_application(self) -> None:
        self.nav.setCurrentRow(self.pages.index(self.applications))
        self.applications.new_application()

    def _change_password(self) -> None:
        ChangePasswordDialog(self.state.db, self.state.profile, self.state.user, parent=self).exec()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "关于劳务服务管理台",
            "劳务服务管理台（LaborDesk）\n县级农民工服务中心 / 就业服务中心离线管理工具\n\n"
            f"数据库：{self.state.db.url}\n"
            f"行政区划数据：{regions.data_source()}（截至 {regions.data_as_of()}）",
        )

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.state.tasks.wait_idle(10_000)
        event.accept()


