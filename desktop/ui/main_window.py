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
from desktop.ui.dashboard.page import DashboardPage
from desktop.ui.filing.backup_menu import BackupMenu
from desktop.ui.filing.page import FilingPage
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
        self.dashboard = DashboardPage(state)
        self._add_page("工作台", self.dashboard)
        self.applications = ApplicationListPage(state)
        self.publicity = PublicityPage(state)
        self.registry = RegistryPage(state)
        self._add_page("经纪人申请", self.applications)
        self._add_page("公示管理", self.publicity)
        self._add_page("经纪人名册", self.registry)
        self._add_performance_pages()
        self._add_transfer_pages(state)
        if state.profile.modules.filing:
            self.filing = FilingPage(state)
            self._add_page("年度备案", self.filing)
        if state.profile.modules.fund:
            from desktop.ui.fund.account_page import FundAccountPage
            from desktop.ui.fund.coop_page import CooperativePage
            from desktop.ui.fund.workers_page import WorkersPage

            self.fund_account = FundAccountPage(state)
            self._add_page("合作金台账", self.fund_account)
            self._add_page("劳务合作社", CooperativePage(state))
            self._add_page("劳动力与四清", WorkersPage(state))
        if state.profile.modules.station:
            from desktop.ui.stations.page import StationsPage

            self.stations = StationsPage(state)
            self._add_page("工作站", self.stations)
        self.accounts_page: QWidget | None = None
        if state.user.role is Role.ADMIN:
            from desktop.ui.accounts.page import AccountsPage

            self.accounts_page = AccountsPage(state)
            self._add_page("账号管理", self.accounts_page)
        self.settings_page: QWidget | None = None
        if state.user.role is Role.ADMIN:
            from desktop.ui.settings.page import SettingsPage

            self.settings_page = SettingsPage(state)
            self.settings_page.saved.connect(self._settings_saved)
            self._add_page("中心设置", self.settings_page)
        self.audit_page: QWidget | None = None
        if state.user.role in (Role.ADMIN, Role.AUDITOR):
            from desktop.ui.audit.page import AuditLogPage

            self.audit_page = AuditLogPage(state)
            self._add_page("审计日志", self.audit_page)
        self.targets.update({"applications": self.applications, "publicity": self.publicity})
        if state.profile.modules.filing:
            self.targets["filing"] = self.filing
        for title, target in (("两年复核", "review"), ("服务补助", "subsidy"), ("转移就业", "transfers")):
            titles = [self.nav.item(i).text() for i in range(self.nav.count())]
            if title in titles:
                self.targets[target] = self.pages[titles.index(title)]
        self.dashboard.targets = set(self.targets)
        self.dashboard.navigate.connect(self.open_target)
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
        self.center_label = QLabel(f"  {state.center.center_name}（{state.center.county_name}）")
        bar.addWidget(self.center_label)
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

    def _add_transfer_pages(self, state: AppState) -> None:
        """转移就业, 两年复核, 服务补助 — each only when the profile's module is on."""
        modules = state.profile.modules
        self.transfers = None
        if modules.transfer:
            from desktop.ui.transfers.page import TransfersPage

            self.transfers = TransfersPage(state)
            self._add_page("转移就业", self.transfers)
        if modules.review and state.profile.review is not None:
            from desktop.ui.transfers.review_page import ReviewPage

            self._add_page("两年复核", ReviewPage(state))
        if modules.subsidy and state.profile.subsidy is not None:
            from desktop.ui.transfers.subsidy_page import SubsidyPage

            self._add_page("服务补助", SubsidyPage(state))

    def _new_transfer(self) -> None:
        if self.transfers is not None:
            self.nav.setCurrentRow(self.pages.index(self.transfers))
            self.transfers.new_transfer()

    def _add_page(self, title: str, page: QWidget) -> None:
        self.nav.addItem(title)
        self.stack.addWidget(page)
        self.pages.append(page)

    def _add_performance_pages(self) -> None:
        """Broker performance pages, each only where the profile's module is on (``self.targets``
        names them for the dashboard's to-do list)."""
        self.targets: dict[str, QWidget] = {}
        mods = self.state.profile.modules
        if mods.coverage:
            from desktop.ui.performance.coverage_page import CoveragePage

            self.targets["coverage"] = CoveragePage(self.state)
            self._add_page("村级覆盖", self.targets["coverage"])
        if mods.training:
            from desktop.ui.performance.training_page import TrainingPage

            self.targets["training"] = TrainingPage(self.state)
            self._add_page("集中培育", self.targets["training"])
        if mods.points:
            from desktop.ui.performance.points_page import PointsPage

            self.targets["points"] = PointsPage(self.state)
            self._add_page("积分排名", self.targets["points"])
        if mods.gold_medal:
            from desktop.ui.performance.ranking_page import RankingPage

            self.targets["gold_medal"] = RankingPage(self.state)
            self._add_page("金牌推荐", self.targets["gold_medal"])

    def open_target(self, target: str) -> None:
        """Show the page a dashboard to-do names."""
        page = self.targets.get(target)
        if page is not None:
            self.nav.setCurrentRow(self.pages.index(page))

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("文件(&F)")
        new_app = QAction("新建经纪人申请(&N)", self, shortcut=QKeySequence("Ctrl+N"))
        new_app.triggered.connect(self._new_application)
        new_app.setEnabled(self.state.user.role is not Role.AUDITOR)
        file_menu.addAction(new_app)
        if self.transfers is not None:
            new_transfer = QAction("登记转移就业(&T)", self, shortcut=QKeySequence("Ctrl+T"))
            new_transfer.triggered.connect(self._new_transfer)
            file_menu.addAction(new_transfer)
        if self.state.profile.modules.station:
            new_station = QAction("新建工作站申请(&W)…", self)
            new_station.triggered.connect(self._new_station)
            file_menu.addAction(new_station)
        file_menu.addSeparator()
        quit_action = QAction("退出(&X)", self, shortcut=QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        self.backups = BackupMenu(self, self.state, menu)

        account = menu.addMenu("账号(&A)")
        change = QAction("修改密码(&P)…", self)
        change.triggered.connect(self._change_password)
        account.addAction(change)
        if self.accounts_page is not None:
            manage = QAction("账号管理(&M)", self)
            manage.triggered.connect(lambda: self.nav.setCurrentRow(self.pages.index(self.accounts_page)))
            account.addAction(manage)
        if self.settings_page is not None:
            centre = QAction("中心设置(&S)", self)
            centre.triggered.connect(lambda: self.nav.setCurrentRow(self.pages.index(self.settings_page)))
            account.addAction(centre)
        if self.audit_page is not None:
            log = QAction("审计日志(&L)", self)
            log.triggered.connect(lambda: self.nav.setCurrentRow(self.pages.index(self.audit_page)))
            account.addAction(log)

        help_menu = menu.addMenu("帮助(&H)")
        about = QAction("关于(&A)", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _settings_saved(self, center) -> None:  # type: ignore[no-untyped-def]
        """The 中心设置 page saved: the title, the status bar and the idle lock follow at once."""
        self.setWindowTitle(f"劳务服务管理台 — {center.center_name}")
        self.center_label.setText(f"  {center.center_name}（{center.county_name}）")
        lock = getattr(self, "idle_lock", None)
        if lock is not None:
            lock.timer.setInterval(self.state.profile.security.idle_lock_minutes * 60_000)

    def _new_application(self) -> None:
        self.nav.setCurrentRow(self.pages.index(self.applications))
        self.applications.new_application()

    def _new_station(self) -> None:
        self.nav.setCurrentRow(self.pages.index(self.stations))
        self.stations.new_station()

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
        self.backups.on_exit()
        event.accept()


