"""The transfer entry form (登记/更正转移就业): the 附件2 fields with live checks.

性别 and 年龄 are shown from the ID number (age at the hire date), the contract term as read, and
whether the placement earns the service subsidy — all while typing. A correction opens the same
form filled in and asks for the reason; it is saved as a new version, the old one kept.
Enter saves; Esc asks before discarding what was typed.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.idcard import IdNumberError, parse_id_number
from desktop.core.rules.eligibility import ERROR, WARNING, Problem
from desktop.core.rules.transfers import (
    EMPLOYER_TYPES,
    ETHNICITIES,
    SubsidyFacts,
    guess_employer_type,
    parse_contract_term,
)
from desktop.core.rules.transfers import subsidy_check as check_subsidy
from desktop.core.services import transfers as svc
from desktop.ui.applications.village_picker import VillagePicker
from desktop.ui.session import AppState
from desktop.ui.style import set_state
from desktop.ui.transfers.widgets import BrokerPicker
from desktop.ui.widgets import date_edit, on_user_edit, pydate, qdate


class TransferForm(QDialog):
    saved = Signal(int)

    def __init__(self, state: AppState, record_id: int | None = None, parent: QWidget | None = None,
                 broker_id: int | None = None) -> None:
        super().__init__(parent)
        self.state, self.profile, self.record_id = state, state.profile, record_id
        self.dirty = False
        self.touched: set[str] = set()
        self.show_all = False
        self._db_problems: list[Problem] = []
        self._db_key: tuple[object, ...] = ()
        self.setWindowTitle("登记转移就业" if record_id is None else "更正转移就业记录")
        self.resize(900, 640)

        self.broker = BrokerPicker(state)
        self.hire_date = date_edit(clock.today(), maximum=clock.today())
        self.worker_name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(18)
        self.derived = QLabel("性别、年龄：输入身份证号码后自动得出")
        self.derived.setProperty("role", "hint")
        self.education = QComboBox()
        self.education.addItems(["", *self.profile.broker.education_levels])
        self.ethnicity = QComboBox()
        self.ethnicity.setEditable(True)
        self.ethnicity.addItems(["", *ETHNICITIES])
        self.ethnicity.setCurrentText("汉族")
        self.employer_name = QLineEdit()
        self.employer_type = QComboBox()
        self.employer_type.addItems(["", *EMPLOYER_TYPES])
        self.work_address = QLineEdit()
        self.contract_term = QLineEdit()
        self.contract_term.setPlaceholderText("如：1年、12个月、2025.3.1-2026.2.28、无固定期限")
        self.contract_read = QLabel()
        self.contract_read.setProperty("role", "hint")
        self.job = QLineEdit()
        self.social_insurance = QCheckBox("已参加社会保险")
        self.poverty = QCheckBox("是脱贫人口")
        self.phone = QLineEdit()
        self.village = VillagePicker(state.center.county_code)
        self.remarks = QLineEdit()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如：单位名称写错；入职日期有误")
        self.subsidy = QLabel()
        self.subsidy.setWordWrap(True)
        self.problem_panel = QLabel()
        self.problem_panel.setWordWrap(True)

        grid = QGridLayout()
        rows = [
            ("劳务经纪人*", self.broker, "转移就业日期*", self.hire_date),
            ("组织劳动力姓名*", self.worker_name, "身份证号码*", self.id_number),
            ("", QLabel(""), "", self.derived),
            ("文化程度", self.education, "民族", self.ethnicity),
            ("就业单位名称*", self.employer_name, "单位类型", self.employer_type),
            ("就业地详细地址", self.work_address, "劳动合同期限", self.contract_term),
            ("", QLabel(""), "", self.contract_read),
            ("从事岗位", self.job, "联系电话", self.phone),
            ("社会保险", self.social_insurance, "脱贫人口", self.poverty),
            ("劳动力所在村（社区）", self.village, "备注", self.remarks),
        ]
        if record_id is not None:
            rows.append(("更正原因*", self.reason, "", QLabel("")))
        for r, (la, wa, lb, wb) in enumerate(rows):
            grid.addWidget(QLabel(la), r, 0)
            grid.addWidget(wa, r, 1)
            grid.addWidget(QLabel(lb), r, 2)
            grid.addWidget(wb, r, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        intro = QLabel("按《组织转移就业人员信息表》（附件2）逐项填写；带 * 的必填。性别、年龄按身份证号码计算（年龄按转移就业日）。")
        intro.setWordWrap(True)
        intro.setProperty("role", "hint")

        self.save_button = QPushButton("保存(&S)")
        self.save_button.setProperty("role", "primary")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("取消")
        self.status_label = QLabel()
        self.status_label.setProperty("role", "hint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        box = QFormLayout()
        box.addRow("补助资格：", self.subsidy)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addLayout(box)
        layout.addWidget(self.problem_panel, 1)
        layout.addLayout(buttons)

        order = [self.broker, self.hire_date, self.worker_name, self.id_number, self.education, self.ethnicity,
                 self.employer_name, self.employer_type, self.work_address, self.contract_term, self.job, self.phone,
                 self.social_insurance, self.poverty, self.village, self.remarks,
                 *([self.reason] if record_id is not None else []), self.save_button, self.cancel_button]
        for a, b in itertools.pairwise(order):
            QWidget.setTabOrder(a, b)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.revalidate)
        self._auto_type = ""
        self._auto_village = ""
        if record_id is not None:
            self._load(record_id)
        elif broker_id is not None:
            self.broker.set_broker(broker_id)
            self._broker_changed()
        self._connect()
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        self.dirty = False
        self.revalidate()
        (self.broker if record_id is None and broker_id is None else self.worker_name).setFocus()

    # --- fields --------------------------------------------------------------------------
    def _fields(self) -> dict[str, QWidget]:
        return {"broker": self.broker, "hire_date": self.hire_date, "worker_name": self.worker_name,
                "id_number": self.id_number, "education": self.education, "ethnicity": self.ethnicity,
                "employer_name": self.employer_name, "employer_type": self.employer_type,
                "work_address": self.work_address, "contract_term": self.contract_term, "job": self.job,
                "phone": self.phone, "village_name": self.village, "remarks": self.remarks, "reason": self.reason}

    def _connect(self) -> None:
        def touch(key: str):  # type: ignore[no-untyped-def]
            def handler(*_args: object) -> None:
                self.touched.add(key)
                self.dirty = True
                self._timer.start()
            return handler

        for key, w in self._fields().items():
            if not isinstance(w, (BrokerPicker, VillagePicker)):  # their own "changed" below
                on_user_edit(w, touch(key))
        self.broker.changed.connect(touch("broker"))
        self.broker.changed.connect(self._broker_changed)
        self.village.changed.connect(touch("village_name"))
        for box in (self.social_insurance, self.poverty):
            box.toggled.connect(touch("subsidy"))
        self.employer_name.textEdited.connect(self._guess_type)

    def _broker_changed(self) -> None:
        """A new broker's workers usually come from the broker's own village: pre-fill it."""
        code = self.broker.village_code()
        current, _ = self.village.value()
        if code and current in ("", self._auto_village):
            index = self.village.findData(code)
            if index > 0:
                self.village.setCurrentIndex(index)
                self._auto_village = code

    def _guess_type(self, name: str) -> None:
        guess = guess_employer_type(name)
        if self.employer_type.currentText() in ("", self._auto_type) and guess != self._auto_type:
            self.employer_type.setCurrentText(guess)
            self._auto_type = guess

    def current_input(self) -> svc.TransferInput:
        code, village_name = self.village.value()
        return svc.TransferInput(
            broker_id=self.broker.value(), worker_name=self.worker_name.text(), id_number=self.id_number.text(),
            hire_date=pydate(self.hire_date.date()), education=self.education.currentText(),
            ethnicity=self.ethnicity.currentText(), employer_name=self.employer_name.text(),
            employer_type=self.employer_type.currentText(), work_address=self.work_address.text(),
            contract_term=self.contract_term.text(), job=self.job.text(),
            social_insurance=self.social_insurance.isChecked(), phone=self.phone.text(), remarks=self.remarks.text(),
            poverty_alleviated=self.poverty.isChecked(), village_code=code, village_name=village_name,
        )

    def _load(self, record_id: int) -> None:
        detail = self.state.read(lambda s: svc.transfer_detail(s, self.profile, record_id))
        d = detail.data
        assert d.broker_id is not None and d.hire_date is not None
        self.broker.set_broker(d.broker_id)
        self.hire_date.setDate(qdate(d.hire_date))
        self.worker_name.setText(d.worker_name)
        self.id_number.setText(d.id_number)
        self.education.setCurrentText(d.education)
        self.ethnicity.setCurrentText(d.ethnicity)
        self.employer_name.setText(d.employer_name)
        self.employer_type.setCurrentText(d.employer_type)
        self.work_address.setText(d.work_address)
        self.contract_term.setText(d.contract_term)
        self.job.setText(d.job)
        self.social_insurance.setChecked(d.social_insurance)
        self.poverty.setChecked(d.poverty_alleviated)
        self.phone.setText(d.phone)
        self.village.set_value(d.village_code, d.village_name)
        self.remarks.setText(d.remarks)
        self.status_label.setText(f"原记录：{detail.created_by} {detail.created_at:%Y-%m-%d %H:%M} 登记"
                                  + (f"；{detail.claim_text}" if detail.claim_text else ""))

    # --- live checks ---------------------------------------------------------------------
    def _derived(self, data: svc.TransferInput) -> None:
        try:
            parsed = parse_id_number(data.id_number, clock.today())
        except IdNumberError:
            self.derived.setText("性别、年龄：输入完整的18位身份证号码后自动得出")
            return
        hire = data.hire_date or clock.today()
        self.derived.setText(f"性别：{parsed.gender}　年龄：{parsed.age_on(hire)} 周岁（{hire:%Y-%m-%d}）")

    def revalidate(self) -> list[Problem]:
        data = self.current_input()
        self._derived(data)
        term = parse_contract_term(data.contract_term)
        self.contract_read.setText(f"识别为：{term.describe()}" if data.contract_term.strip() else "")
        problems = svc.validate(data, self.profile)
        key = (data.broker_id, data.id_number, data.hire_date)
        if key != self._db_key:  # the broker's standing and duplicates: one indexed look-up
            self._db_key = key
            placement = self._placement()
            self._db_problems = self.state.read(lambda s: svc.check_in_database(s, data, exclude_placement=placement))
        problems = problems + self._db_problems
        if self.record_id is not None and not self.reason.text().strip():
            problems.append(Problem("reason", "更正原因：必填，更正会保留原来的内容并记下原因。"))
        self.problems = problems
        rules = self.profile.subsidy
        if rules is not None:
            facts = SubsidyFacts(data.poverty_alleviated, data.employer_type, term.kind, term.months,
                                     data.social_insurance)
            check = check_subsidy(facts, rules)
            colour = "#2e7d32" if check.qualifies else "#b36b00"
            text = f"符合（{rules.amount_yuan} 元）" if check.qualifies else "不符合：" + "；".join(check.failures)
            self.subsidy.setText(f"<span style='color:{colour}'>{text}</span>")
        shown = [p for p in problems if self.show_all or p.field in self.touched or p.severity == WARNING]
        states: dict[str, str] = {}
        for p in shown:
            if states.get(p.field) != ERROR:
                states[p.field] = p.severity
        for name, widget in self._fields().items():
            set_state(widget, states.get(name, ""))
            widget.setToolTip("\n".join(p.message for p in shown if p.field == name))
        if not shown:
            self.problem_panel.setText("<span style='color:#2e7d32'>✓ 已填写的内容没有发现问题。</span>")
        else:
            lines = [f"<span style='color:{'#c62828' if p.severity == ERROR else '#b36b00'}'>"
                     f"{'✗' if p.severity == ERROR else '⚠'} {p.message}</span>"
                     for p in sorted(shown, key=lambda p: p.severity != ERROR)]
            self.problem_panel.setText("<br>".join(lines))
        return problems

    def _placement(self) -> int | None:
        if self.record_id is None:
            return None
        record_id = self.record_id
        return self.state.read(lambda s: svc.transfer_detail(s, self.profile, record_id).placement_id)

    # --- saving --------------------------------------------------------------------------
    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self._timer.stop()
        self.show_all = True
        problems = self.revalidate()
        errors = [p for p in problems if p.severity == ERROR]
        if errors:
            self._fields().get(errors[0].field, self.worker_name).setFocus()
            QMessageBox.warning(self, "还不能保存", f"有 {len(errors)} 处需要修改（已用红框标出）：\n\n"
                                + "\n".join(p.message for p in errors[:8]))
            return
        warnings = [p for p in problems if p.severity == WARNING]
        if warnings:
            answer = QMessageBox.question(self, "请确认", "以下提醒请核实：\n\n" + "\n".join(p.message for p in warnings)
                                          + "\n\n核实无误，继续保存吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        data, user, profile = self.current_input(), self.state.user, self.profile
        record_id, reason = self.record_id, self.reason.text()
        self.save_button.setEnabled(False)

        def work(s):  # type: ignore[no-untyped-def]
            if record_id is None:
                return svc.create_transfer(s, user, profile, data)
            return svc.correct_transfer(s, user, profile, record_id, data, reason)

        self.state.in_background(work, on_done=self._saved, on_error=self._failed, parent=self, label="正在保存……")

    def _saved(self, result: svc.TransferSaved) -> None:
        self.dirty = False
        self.record_id = result.id
        self.saved.emit(result.id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from desktop.ui.tasks import show_error

        self.save_button.setEnabled(True)
        show_error(self, exc)

    def reject(self) -> None:
        if self.dirty:
            answer = QMessageBox.question(self, "放弃填写？", "填写的内容还没有保存，确定要关闭并放弃吗？",
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
