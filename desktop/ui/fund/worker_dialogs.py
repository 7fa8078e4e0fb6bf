"""Dialogs of the workers page: registering a worker, a trip (输送), and a 四清 check."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.core import clock
from desktop.core.idcard import IdNumberError, parse_id_number
from desktop.core.services import fund_partners, fund_workers
from desktop.ui.fund.common import FundForm
from desktop.ui.session import AppState
from desktop.ui.widgets import date_edit, pydate


class WorkerDialog(FundForm):
    """登记劳动力: ID number (gender and birth date follow from it), name, village cooperative."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.worker_id: int | None = None
        rules = state.profile.fund
        assert rules is not None
        self.setWindowTitle("登记劳动力")
        self.resize(520, 300)
        self.id_number, self.name, self.phone = QLineEdit(), QLineEdit(), QLineEdit()
        self.id_number.setMaxLength(18)
        self.derived = QLabel()
        self.derived.setProperty("role", "hint")
        self.village = QComboBox()
        for coop_id, name in state.read(lambda s: fund_partners.cooperatives_of_level(s, "village")):
            self.village.addItem(name, coop_id)
        self.poverty = QComboBox()
        self.poverty.addItem("（不是）", "")
        for status in rules.poverty_statuses:
            self.poverty.addItem(status, status)
        form = QFormLayout()
        form.addRow("身份证号码：", self.id_number)
        form.addRow("", self.derived)
        form.addRow("姓名：", self.name)
        form.addRow("联系电话：", self.phone)
        form.addRow("村级劳务合作社：", self.village)
        form.addRow("帮扶类别：", self.poverty)
        self.set_body(form, ok_text="登记")
        self.watch(self.id_number, self.name, self.phone, self.village, self.poverty)
        self.id_number.textChanged.connect(self._derive)

    def _derive(self) -> None:
        text = self.id_number.text()
        if len(text.strip()) < 18:
            self.derived.setText("")
            return
        try:
            parsed = parse_id_number(text, clock.today())
        except IdNumberError as exc:
            self.derived.setText(str(exc))
            return
        self.derived.setText(f"{parsed.gender}，{parsed.birth_date:%Y年%m月%d日}出生")

    def submit(self) -> None:
        data = fund_workers.WorkerInput(self.id_number.text(), self.name.text(), self.village.currentData() or 0,
                                        self.phone.text(), self.poverty.currentData())
        user, profile = self.state.user, self.state.profile
        self.worker_id = self.attempt(lambda: self.state.write(
            lambda s: fund_workers.register_worker(s, user, profile, data)))


class TripDialog(FundForm):
    """登记外出（输送）: under which agreement, on what day, who mobilised, where to."""

    def __init__(self, state: AppState, worker: fund_workers.WorkerRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.worker = state, worker
        self.setWindowTitle(f"登记外出 — {worker.name}")
        self.resize(520, 300)
        self.agreement = QComboBox()
        for a in state.read(fund_partners.list_agreements):
            self.agreement.addItem(f"{a.number}（{a.company}）", a.id)
        self.departed = date_edit(clock.today(), maximum=clock.today())
        self.broker = QComboBox()
        self.employer, self.workplace = QLineEdit(), QLineEdit()
        self.workplace.setPlaceholderText("如：广东省东莞市")
        form = QFormLayout()
        form.addRow("劳动力：", QLabel(f"{worker.name}（{worker.village}）"))
        form.addRow("合作协议：", self.agreement)
        form.addRow("外出日期：", self.departed)
        form.addRow("动员的经纪人：", self.broker)
        form.addRow("用工企业：", self.employer)
        form.addRow("务工地：", self.workplace)
        self.set_body(form, ok_text="登记")
        self.watch(self.agreement, self.departed, self.broker, self.employer, self.workplace)
        self.departed.dateChanged.connect(self._brokers)
        self._brokers()

    def _brokers(self) -> None:
        on = pydate(self.departed.date())
        self.broker.clear()
        self.broker.addItem("（没有经纪人动员）", None)
        for broker_id, name in self.state.read(lambda s: fund_workers.village_brokers_on(s, self.worker.id, on)):
            self.broker.addItem(name, broker_id)

    def submit(self) -> None:
        data = fund_workers.DispatchInput(self.worker.id, self.agreement.currentData() or 0, pydate(self.departed.date()),
                                          self.broker.currentData(), self.employer.text(), self.workplace.text())
        user = self.state.user
        self.attempt(lambda: self.state.write(lambda s: fund_workers.record_dispatch(s, user, data)))


class FourClearDialog(FundForm):
    """四清核实: the four facts as found on the day (a new check each time; the old ones stay)."""

    def __init__(self, state: AppState, worker_id: int, name: str, latest: fund_workers.FourClearRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.worker_id = state, worker_id
        rules = state.profile.fund
        assert rules is not None
        self.setWindowTitle(f"四清核实 — {name}")
        self.resize(540, 330)
        self.checked = date_edit(clock.today(), maximum=clock.today())
        self.employment = self._choices(rules.employment_situations, latest.employment if latest else "")
        self.skills = QLineEdit(latest.skills if latest else "")
        self.skills.setPlaceholderText("如：电焊（初级证）、驾驶（C1）；没有写“无”")
        self.intention = self._choices(rules.employment_intentions, latest.employment_intention if latest else "")
        self.training = self._choices(rules.training_intentions, latest.training_intention if latest else "")
        self.checker = QLineEdit()
        self.checker.setPlaceholderText("入户核实的人，如：村干部 普某某")
        labels = rules.four_clear_items
        form = QFormLayout()
        form.addRow("核实日期：", self.checked)
        form.addRow(f"{labels[0]}：", self.employment)
        form.addRow(f"{labels[1]}：", self.skills)
        form.addRow(f"{labels[2]}：", self.intention)
        form.addRow(f"{labels[3]}：", self.training)
        form.addRow("核实人：", self.checker)
        self.set_body(form, ok_text="登记")
        self.watch(self.checked, self.employment, self.skills, self.intention, self.training, self.checker)

    @staticmethod
    def _choices(options: tuple[str, ...], current: str) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItems(list(options))
        combo.setCurrentText(current or "")
        if not current:
            combo.setCurrentIndex(-1)
        return combo

    def submit(self) -> None:
        data = fund_workers.FourClearInput(self.worker_id, pydate(self.checked.date()), self.employment.currentText(),
                                           self.skills.text(), self.intention.currentText(),
                                           self.training.currentText(), self.checker.text())
        user, profile = self.state.user, self.state.profile
        self.attempt(lambda: self.state.write(lambda s: fund_workers.record_four_clear(s, user, profile, data)))
