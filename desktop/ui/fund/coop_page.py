"""The cooperatives page (劳务合作社): the county/township/village tree with each village's brokers,
and the HR service companies with their agreements and joint accounts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock, regions
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.cooperative import CoopLevel
from desktop.core.money import format_fen
from desktop.core.services import fund_partners
from desktop.ui.fund.common import selected_row
from desktop.ui.session import AppState
from desktop.ui.widgets import fill, text_table


class CooperativePage(QWidget):
    title = "劳务合作社"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.nodes: list[fund_partners.CoopNode] = []
        self.brokers: list[fund_partners.CoopBrokerRow] = []
        self.agreements: list[fund_partners.AgreementRow] = []
        role = state.user.role
        self.can_edit = role in (Role.CLERK, Role.REVIEWER, Role.ADMIN)
        heading = QLabel("劳务合作社与合作企业")
        heading.setProperty("role", "pageTitle")
        self.new_coop = QPushButton("登记合作社(&N)…")
        self.new_coop.setProperty("role", "primary")
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.new_coop)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["合作社", "级别", "经纪人", "劳动力"])
        for col, width in enumerate((196, 88, 50)):
            self.tree.setColumnWidth(col, width)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.broker_table = text_table(["姓名", "身份证号码", "联系电话", "加入日期"], (90, 170, 120))
        self.add_broker = QPushButton("登记经纪人…")
        self.remove_broker = QPushButton("经纪人离开…")
        broker_bar = QHBoxLayout()
        broker_bar.addWidget(QLabel("本村劳务经纪人（村级收益中的绩效奖励按其动员输送的人数分配）"), 1)
        broker_bar.addWidget(self.add_broker)
        broker_bar.addWidget(self.remove_broker)
        self.broker_box = QWidget()
        bl = QVBoxLayout(self.broker_box)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addLayout(broker_bar)
        bl.addWidget(self.broker_table, 1)
        coop_tab = QWidget()
        cl = QVBoxLayout(coop_tab)
        cl.addWidget(self.detail)
        cl.addWidget(self.broker_box, 1)
        cl.addStretch(0)

        self.agreement_table = text_table(["协议编号", "人力资源服务企业", "合作期限", "每人收益金（元）",
                                           "合作金（元）", "村级收益用途", "共管账户"], (82, 170, 168, 104, 100, 130))
        self.new_company = QPushButton("登记企业…")
        self.new_agreement = QPushButton("登记合作协议…")
        self.open_account = QPushButton("开立共管账户…")
        self.signatories = QPushButton("签批人…")
        is_admin = role is Role.ADMIN
        self.open_account.setEnabled(False)
        self.open_account.setToolTip("" if is_admin else "开立共管账户需要管理员角色。")
        self.new_agreement.setEnabled(role in (Role.REVIEWER, Role.ADMIN))
        self.new_company.setEnabled(self.can_edit)
        self.new_coop.setEnabled(self.can_edit)
        agreement_bar = QHBoxLayout()
        agreement_bar.addStretch(1)
        for b in (self.new_company, self.new_agreement, self.open_account, self.signatories):
            agreement_bar.addWidget(b)
        agreement_tab = QWidget()
        al = QVBoxLayout(agreement_tab)
        hint = QLabel("县级劳务合作社与人力资源服务企业签订劳务合作协议；企业开设资金专用账户，双方共管（双印鉴、双签批）。")
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        al.addWidget(hint)
        al.addWidget(self.agreement_table, 1)
        al.addLayout(agreement_bar)

        self.tabs = QTabWidget()
        self.tabs.addTab(coop_tab, "合作社与经纪人")
        self.tabs.addTab(agreement_tab, "企业与合作协议")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.tabs)
        splitter.setSizes([390, 820])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.tree.currentItemChanged.connect(lambda *_: self.show_selected())
        self.agreement_table.itemSelectionChanged.connect(self._agreement_buttons)
        self.new_coop.clicked.connect(self.add_cooperative)
        self.add_broker.clicked.connect(self.link_broker)
        self.remove_broker.clicked.connect(self.unlink_broker)
        self.new_company.clicked.connect(lambda: self._run(self._dialog("CompanyDialog")))
        self.new_agreement.clicked.connect(lambda: self._run(self._dialog("AgreementDialog", self.nodes)))
        self.open_account.clicked.connect(self.create_account)
        self.signatories.clicked.connect(self.edit_signatories)
        self.reload()

    def _dialog(self, name: str, *args: object) -> QDialog:
        from desktop.ui.fund import coop_dialogs

        return getattr(coop_dialogs, name)(self.state, *args, self)

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def reload(self, select: int | None = None) -> None:
        current = select or self.current_id()
        self.nodes = self.state.read(lambda s: fund_partners.cooperative_tree(s, self.state.profile))
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for n in self.nodes:
            item = QTreeWidgetItem([n.name, n.level_label, str(n.brokers) if n.level == "village" else "",
                                    str(n.workers) if n.level == "village" else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, n.id)
            parent = items.get(n.parent_id) if n.parent_id else None
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            items[n.id] = item
        for item in items.values():
            item.setExpanded(True)
        if current in items:
            self.tree.setCurrentItem(items[current])
        elif items:
            self.tree.setCurrentItem(next(iter(items.values())))
        self.agreements = self.state.read(fund_partners.list_agreements)
        fill(self.agreement_table, [
            [a.number, a.company, f"{a.starts_on:%Y-%m-%d}—{a.ends_on:%Y-%m-%d}",
             format_fen(a.rate_per_worker_fen), format_fen(a.fund_amount_fen), a.shares,
             "已开立" if a.account_id else "未开立"] for a in self.agreements], right=(3, 4))
        self._agreement_buttons()
        self.show_selected()

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        return int(item.data(0, Qt.ItemDataRole.UserRole)) if item else None

    def current(self) -> fund_partners.CoopNode | None:
        return next((n for n in self.nodes if n.id == self.current_id()), None)

    def show_selected(self) -> None:
        node = self.current()
        village = node is not None and node.level == CoopLevel.VILLAGE
        self.add_broker.setEnabled(village and self.can_edit)
        self.remove_broker.setEnabled(village and self.can_edit)
        if node is None:
            self.detail.setText("还没有登记劳务合作社。先登记县级劳务合作（联）社，再登记乡镇、村级合作社。")
            fill(self.broker_table, [])
            return
        place = regions.full_name(node.region_code) or node.region_name
        text = (f"<b>{node.name}</b>（{node.level_label}）<br>所在地区：{place}（{node.region_code}）<br>"
                f"负责人：{node.leader or '未填'}　联系电话：{node.phone_masked or '未填'}")
        if not village:
            below = self._below(node.id)
            villages = [n for n in below if n.level == CoopLevel.VILLAGE]
            text += (f"<br><br>下辖合作社 {len(below)} 个，其中村级 {len(villages)} 个；"
                     f"村级合作社共有劳务经纪人 {sum(n.brokers for n in villages)} 名、登记劳动力 "
                     f"{sum(n.workers for n in villages)} 名。<br><span style='color:#555'>劳务经纪人登记在村级劳务合作社："
                     "请在左侧选中一个村级合作社。</span>")
        self.detail.setText(text)
        self.broker_box.setVisible(village)
        self.brokers = self.state.read(lambda s: fund_partners.cooperative_brokers(s, self.state.profile, node.id)) \
            if village else []
        fill(self.broker_table, [[b.name, b.id_number_masked, b.phone_masked, f"{b.joined_on:%Y-%m-%d}"]
                                 for b in self.brokers])

    def _below(self, coop_id: int) -> list[fund_partners.CoopNode]:
        out, frontier = [], {coop_id}
        while frontier:
            children = [n for n in self.nodes if n.parent_id in frontier]
            out += children
            frontier = {n.id for n in children}
        return out

    def _agreement_buttons(self) -> None:
        row = selected_row(self.agreement_table)
        chosen = self.agreements[row] if 0 <= row < len(self.agreements) else None
        admin = self.state.user.role is Role.ADMIN
        self.open_account.setEnabled(admin and chosen is not None and chosen.account_id is None)
        self.signatories.setEnabled(admin and chosen is not None and chosen.account_id is not None)
        self.signatories.setToolTip("" if admin else "登记签批人需要管理员角色。")

    def add_cooperative(self) -> None:
        dialog = self._dialog("CooperativeDialog", self.nodes, self.current())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(dialog.coop_id)  # type: ignore[attr-defined]

    def link_broker(self) -> None:
        if (node := self.current()) is not None:
            self._run(self._dialog("BrokerLinkDialog", node))

    def unlink_broker(self) -> None:
        row = selected_row(self.broker_table)
        if not 0 <= row < len(self.brokers):
            QMessageBox.information(self, "经纪人离开", "请先选中要办理离开的经纪人。")
            return
        broker, user = self.brokers[row], self.state.user
        answer = QMessageBox.question(self, "经纪人离开", f"{broker.name}今天起不再属于本合作社（记录保留）。确定吗？",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.state.write(lambda s: fund_partners.remove_broker(s, user, broker.link_id, clock.today()))
        except UserError as exc:
            QMessageBox.warning(self, "经纪人离开", str(exc))
        self.reload()

    def edit_signatories(self) -> None:
        row = selected_row(self.agreement_table)
        if 0 <= row < len(self.agreements) and self.agreements[row].account_id is not None:
            self._run(self._dialog("SignatoryDialog", self.agreements[row]))

    def create_account(self) -> None:
        row = selected_row(self.agreement_table)
        if 0 <= row < len(self.agreements):
            self._run(self._dialog("AccountDialog", self.agreements[row]))

