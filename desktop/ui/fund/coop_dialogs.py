"""Dialogs of the cooperatives page: a cooperative, a broker joining or leaving, a company, an
agreement, and the joint account with its signatories."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.core import clock, regions
from desktop.core.errors import UserError
from desktop.core.models.cooperative import CoopLevel
from desktop.core.money import format_basis_points, parse_percent, percent_basis_points
from desktop.core.services import fund_ledger, fund_partners
from desktop.core.services.fund_partners import CoopNode
from desktop.ui.fund.common import FundForm, money_edit, read_money
from desktop.ui.session import AppState
from desktop.ui.widgets import date_edit, pydate

_PARENT_LEVEL = {CoopLevel.TOWNSHIP: CoopLevel.COUNTY, CoopLevel.VILLAGE: CoopLevel.TOWNSHIP}


class CooperativeDialog(FundForm):
    """登记劳务合作社: level, parent, the region it serves (by code), its name and leader."""

    def __init__(self, state: AppState, nodes: list[CoopNode], selected: CoopNode | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.nodes = state, nodes
        self.coop_id: int | None = None
        rules = state.profile.fund
        assert rules is not None
        self.setWindowTitle("登记劳务合作社")
        self.resize(560, 380)
        self.level = QComboBox()
        for level in CoopLevel:
            self.level.addItem(rules.cooperative_levels[level.index], level.value)
        self.parent_coop = QComboBox()
        self.region = QComboBox()
        self.region.setEditable(True)
        self.region.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name = QLineEdit()
        self.leader = QLineEdit()
        self.phone = QLineEdit()
        self.credit = QLineEdit()
        self.credit.setPlaceholderText("18 位，营业执照上的统一社会信用代码（可不填）")
        self.form = QFormLayout()
        self.form.addRow("级别：", self.level)
        self.form.addRow("上级合作社：", self.parent_coop)
        self.form.addRow("所在地区：", self.region)
        self.form.addRow("合作社名称：", self.name)
        self.form.addRow("负责人：", self.leader)
        self.form.addRow("联系电话：", self.phone)
        self.form.addRow("统一社会信用代码：", self.credit)
        self.set_body(self.form, ok_text="登记")
        self.watch(self.level, self.parent_coop, self.region, self.name, self.leader, self.phone, self.credit)
        self.level.currentIndexChanged.connect(self._level_changed)
        self.parent_coop.currentIndexChanged.connect(self._regions)
        self.region.currentIndexChanged.connect(self._default_name)
        if selected is not None and selected.level != CoopLevel.VILLAGE:
            child = CoopLevel.TOWNSHIP if selected.level == CoopLevel.COUNTY else CoopLevel.VILLAGE
            self.level.setCurrentIndex(self.level.findData(child.value))
            self._level_changed()
            self.parent_coop.setCurrentIndex(max(0, self.parent_coop.findData(selected.id)))
        else:
            self.level.setCurrentIndex(0 if not nodes else self.level.findData(CoopLevel.VILLAGE.value))
            self._level_changed()

    def _level_changed(self) -> None:
        level = CoopLevel(self.level.currentData())
        self.parent_coop.blockSignals(True)
        self.parent_coop.clear()
        want = _PARENT_LEVEL.get(level)
        for n in self.nodes:
            if want is not None and n.level == want:
                self.parent_coop.addItem(n.name, n.id)
        self.parent_coop.blockSignals(False)
        self.parent_coop.setEnabled(want is not None)
        self._regions()

    def _regions(self) -> None:
        level = CoopLevel(self.level.currentData())
        self.region.clear()
        if level is CoopLevel.COUNTY:
            division = self.state.profile.region.division_code
            prefix = division[:4] if division.endswith("00") else division
            options = [r for r in regions.counties_of(division[:2]) if r.code.startswith(prefix)]
            centre = self.state.center.county_code
            options.sort(key=lambda r: r.code != centre)
        else:
            parent = next((n for n in self.nodes if n.id == self.parent_coop.currentData()), None)
            options = regions.children(parent.region_code) if parent else []
        taken = {n.region_code for n in self.nodes}
        for r in options:
            if r.code not in taken:
                self.region.addItem(f"{r.name}（{r.code}）", r.code)
        self._default_name()

    def _default_name(self) -> None:
        code = self.region.currentData()
        if code and not self.dirty_name():
            self.name.setText(fund_partners.default_name(self.level.currentData(), code))

    def dirty_name(self) -> bool:
        return self.name.isModified()

    def submit(self) -> None:
        code = self.region.currentData() or ""
        data = fund_partners.CooperativeInput(self.level.currentData(), code, self.name.text(),
                                              self.parent_coop.currentData(), self.leader.text(), self.phone.text(),
                                              self.credit.text())
        user, profile = self.state.user, self.state.profile
        self.coop_id = self.attempt(lambda: self.state.write(
            lambda s: fund_partners.create_cooperative(s, user, profile, data)))


class BrokerLinkDialog(FundForm):
    """A certified broker joins a village cooperative (those serving this village listed first)."""

    def __init__(self, state: AppState, coop: CoopNode, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.coop = state, coop
        self.setWindowTitle(f"登记经纪人 — {coop.name}")
        self.resize(480, 200)
        self.broker = QComboBox()
        for broker_id, label in state.read(lambda s: fund_partners.broker_candidates(s, coop.id)):
            self.broker.addItem(label, broker_id)
        self.joined = date_edit(clock.today(), maximum=clock.today())
        form = QFormLayout()
        form.addRow("劳务经纪人：", self.broker)
        form.addRow("加入日期：", self.joined)
        self.set_body(form, ok_text="登记")
        self.watch(self.broker, self.joined)
        if self.broker.count() == 0:
            self.message.setText("没有可登记的在册劳务经纪人（都已登记在合作社，或名册为空）。")

    def submit(self) -> None:
        broker_id, joined, user = self.broker.currentData(), pydate(self.joined.date()), self.state.user

        def save() -> int:
            if broker_id is None:
                raise UserError("请选择劳务经纪人。")
            return self.state.write(lambda s: fund_partners.add_broker(s, user, self.coop.id, broker_id, joined))

        self.attempt(save)


class CompanyDialog(FundForm):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("登记人力资源服务企业")
        self.resize(540, 320)
        self.name, self.credit, self.licence = QLineEdit(), QLineEdit(), QLineEdit()
        self.contact, self.phone, self.address = QLineEdit(), QLineEdit(), QLineEdit()
        form = QFormLayout()
        for label, widget in (("企业名称：", self.name), ("统一社会信用代码：", self.credit),
                              ("人力资源服务许可证编号：", self.licence), ("联系人：", self.contact),
                              ("联系电话：", self.phone), ("地址：", self.address)):
            form.addRow(label, widget)
        self.set_body(form, ok_text="登记")
        self.watch(self.name, self.credit, self.licence, self.contact, self.phone, self.address)

    def submit(self) -> None:
        data = fund_partners.CompanyInput(self.name.text(), self.credit.text(), self.licence.text(),
                                          self.contact.text(), self.phone.text(), self.address.text())
        user = self.state.user
        self.attempt(lambda: self.state.write(lambda s: fund_partners.create_company(s, user, data)))


class AgreementDialog(FundForm):
    """劳务合作协议: the per-worker 劳务经济收益金, the term, the fund and the village income shares."""

    def __init__(self, state: AppState, nodes: list[CoopNode], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        rules = state.profile.fund
        assert rules is not None
        self.setWindowTitle("登记劳务合作协议")
        self.resize(580, 470)
        self.number = QLineEdit()
        self.county = QComboBox()
        for n in nodes:
            if n.level == CoopLevel.COUNTY:
                self.county.addItem(n.name, n.id)
        self.company = QComboBox()
        for company_id, name in state.read(fund_partners.companies):
            self.company.addItem(name, company_id)
        today = clock.today()
        self.signed = date_edit(today, maximum=today)
        self.starts = date_edit(today)
        self.ends = date_edit(today.replace(year=today.year + 1))
        self.rate = money_edit("如 200.00")
        self.fund = money_edit("如 200000.00")
        self.reward = QLineEdit(format_basis_points(percent_basis_points(rules.broker_reward_percent)).rstrip("%"))
        self.public = QLineEdit(format_basis_points(percent_basis_points(rules.public_works_percent)).rstrip("%"))
        self.note = QLineEdit()
        form = QFormLayout()
        for label, widget in (("协议编号：", self.number), ("县级劳务合作社：", self.county),
                              ("人力资源服务企业：", self.company), ("签订日期：", self.signed),
                              ("合作开始：", self.starts), ("合作结束：", self.ends),
                              ("每人劳务经济收益金（元）：", self.rate), ("劳务合作金（元）：", self.fund),
                              (f"{rules.income_uses[0]}（%）：", self.reward), (f"{rules.income_uses[1]}（%）：", self.public),
                              ("备注：", self.note)):
            form.addRow(label, widget)
        hint = QLabel(f"村级收益中，{rules.income_uses[0]}和{rules.income_uses[1]}按上面的比例计算（舍去不足 1 分），"
                      f"余下为{rules.income_uses[2]}。")
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.set_body(form, ok_text="登记")
        self.watch(self.number, self.county, self.company, self.signed, self.starts, self.ends, self.rate, self.fund,
                   self.reward, self.public, self.note)

    def submit(self) -> None:
        def save() -> int:
            data = fund_partners.AgreementInput(
                self.number.text(), self.county.currentData() or 0, self.company.currentData() or 0,
                pydate(self.signed.date()), pydate(self.starts.date()), pydate(self.ends.date()),
                read_money(self.rate, "每人劳务经济收益金"), read_money(self.fund, "劳务合作金"),
                parse_percent(self.reward.text(), what="绩效奖励比例"),
                parse_percent(self.public.text(), what="公益事业比例"), self.note.text())
            user, profile = self.state.user, self.state.profile
            return self.state.write(lambda s: fund_partners.create_agreement(s, user, profile, data))

        self.attempt(save)


class AccountDialog(FundForm):
    """开立共管账户 (admin): the bank account of an agreement and one signatory per party."""

    def __init__(self, state: AppState, agreement: fund_partners.AgreementRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.agreement = state, agreement
        rules = state.profile.fund
        assert rules is not None
        self.setWindowTitle(f"开立共管账户 — 协议{agreement.number}")
        self.resize(560, 360)
        self.name = QLineEdit(f"{agreement.cooperative}劳务合作金共管账户")
        self.bank, self.number = QLineEdit(), QLineEdit()
        self.opened = date_edit(clock.today(), maximum=clock.today())
        candidates = state.read(fund_ledger.signer_candidates)
        self.signers: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.addRow("协议：", QLabel(f"{agreement.number}（{agreement.company}），合作金将作为期初拨入记账"))
        form.addRow("账户名称：", self.name)
        form.addRow("开户银行：", self.bank)
        form.addRow("银行账号：", self.number)
        form.addRow("开户日期：", self.opened)
        for party in rules.signoff_parties:
            combo = QComboBox()
            for uid, label in candidates:
                combo.addItem(label, uid)
            self.signers[party] = combo
            form.addRow(f"{party}签批人：", combo)
        self.set_body(form, ok_text="开立")
        self.watch(self.name, self.bank, self.number, self.opened, *self.signers.values())

    def submit(self) -> None:
        picked = {party: combo.currentData() for party, combo in self.signers.items()}
        data = fund_ledger.AccountInput(self.agreement.id, self.name.text(), self.bank.text(), self.number.text(),
                                        pydate(self.opened.date()))
        user, profile = self.state.user, self.state.profile

        def save(s) -> int:  # type: ignore[no-untyped-def]
            if None in picked.values():
                raise UserError("每一签批方都要登记一名签批人（审核或管理员账号）。")
            if len(set(picked.values())) < len(picked):
                raise UserError("双签批的两方不能登记同一个人，请分别选择。")
            account = fund_ledger.open_account(s, user, profile, data)
            for party, uid in picked.items():
                fund_ledger.set_signatory(s, user, profile, account, party, uid)
            return account

        self.attempt(lambda: self.state.write(save))


class SignatoryDialog(FundForm):
    """签批人 (admin): who signs for each party of a joint account; a person who leaves is stopped
    (the row stays, with the change in the audit log) and someone else registered."""

    def __init__(self, state: AppState, agreement: fund_partners.AgreementRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from desktop.ui.widgets import fill, text_table

        self.state, self.agreement = state, agreement
        self._fill = fill
        rules = state.profile.fund
        assert rules is not None and agreement.account_id is not None
        self.account_id: int = agreement.account_id
        self.setWindowTitle(f"签批人 — 协议{agreement.number}的共管账户")
        self.resize(560, 380)
        self.table = text_table(["签批方", "签批人", "状态"], (170, 200))
        self.party = QComboBox()
        self.party.addItems(list(rules.signoff_parties))
        self.person = QComboBox()
        for uid, label in state.read(fund_ledger.signer_candidates):
            self.person.addItem(label, uid)
        self.active = QComboBox()
        self.active.addItem("登记为签批人", True)
        self.active.addItem("停止签批", False)
        form = QFormLayout()
        form.addRow(self.table)
        form.addRow("签批方：", self.party)
        form.addRow("人员：", self.person)
        form.addRow("操作：", self.active)
        self.set_body(form, ok_text="保存")
        self.watch(self.party, self.person, self.active)
        self._load()

    def _load(self) -> None:
        rows = self.state.read(lambda s: fund_ledger.signatories(s, self.account_id))
        self._fill(self.table, [[r.party, f"{r.display_name}（{r.username}）", "在用" if r.active else "已停止"]
                                for r in rows])

    def submit(self) -> None:
        party, uid, active = self.party.currentText(), self.person.currentData(), bool(self.active.currentData())
        user, profile = self.state.user, self.state.profile

        def save(s) -> None:  # type: ignore[no-untyped-def]
            if uid is None:
                raise UserError("请选择人员。")
            fund_ledger.set_signatory(s, user, profile, self.account_id, party, uid, active=active)

        self.attempt(lambda: self.state.write(save))
