"""The facts-and-points form of the evaluation page (附件3's inputs), read into an EvaluationInput."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.services.station_evaluations import EvaluationInput
from desktop.ui.widgets import date_edit, pydate, qdate


def _spin(suffix: str, top: int = 100_000) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, top)
    box.setSuffix(suffix)
    box.setMinimumWidth(76)
    return box


def _points(top: int, special: str = "") -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0, top)
    box.setSingleStep(0.5)
    box.setDecimals(1)
    box.setSuffix(" 分")
    if special:
        box.setSpecialValueText(special)
    return box


class EvaluationForm(QWidget):
    """Every input of the scorecard; ``changed`` fires on any edit."""

    def __init__(self, ledger_items: tuple[str, ...], on_change: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.evaluated_on = date_edit(clock.today(), maximum=clock.today())
        self.evaluator = QLineEdit()
        self.management_system = QCheckBox("有管理制度和劳务协作协议")
        self.onsite_office = QCheckBox("两地均有实际工作地点")
        self.responsible_person = QCheckBox("设专人负责两地对接")
        self.unreported_changes = _spin(" 次")
        self.accidents = _spin(" 次")
        self.verified_complaints = _spin(" 次")
        self.work_plan = QCheckBox("有年度输送计划")
        self.contracts_missing = _spin(" 人")
        self.ledger = [QCheckBox(item) for item in ledger_items]
        self.worker_surveyed, self.worker_satisfied = _spin(" 人"), _spin(" 人")
        self.employer_surveyed, self.employer_satisfied = _spin(" 家"), _spin(" 家")
        self.events_held = _spin(" 场", 365)
        self.events_note = QLineEdit()
        self.events_note.setPlaceholderText("活动日期和名称，如：3月12日 榕江专场招聘会")
        self.skilled_bonus = _points(5, "不加分")
        self.innovation = _points(10)
        self.innovation_reason = QPlainTextEdit()
        self.innovation_reason.setTabChangesFocus(True)
        self.innovation_reason.setPlaceholderText("工作创新的理由（给分时必填）")
        self.innovation_reason.setMaximumHeight(56)

        head = QFormLayout()
        head.addRow("评估日期：", self.evaluated_on)
        head.addRow("评估人：", self.evaluator)

        site = QGridLayout()
        site.addWidget(self.management_system, 0, 0, 1, 2)
        site.addWidget(self.onsite_office, 1, 0, 1, 2)
        site.addWidget(self.responsible_person, 2, 0, 1, 2)
        for row, (label, box) in enumerate((("负责人变动未报备：", self.unreported_changes),
                                            ("安全责任事故：", self.accidents),
                                            ("经核实的投诉：", self.verified_complaints)), 3):
            site.addWidget(QLabel(label), row, 0)
            site.addWidget(box, row, 1)

        work = QGridLayout()
        work.addWidget(self.work_plan, 0, 0, 1, 2)
        work.addWidget(QLabel("未签劳动合同："), 1, 0)
        work.addWidget(self.contracts_missing, 1, 1)
        work.addWidget(QLabel("台账（在的打勾）："), 2, 0, 1, 2)
        for i, box in enumerate(self.ledger):
            work.addWidget(box, 3 + i // 2, i % 2)

        effect = QGridLayout()
        effect.addWidget(QLabel("输送人员 受访/满意："), 0, 0)
        effect.addLayout(_pair(self.worker_surveyed, self.worker_satisfied), 0, 1)
        effect.addWidget(QLabel("企业 受访/满意："), 1, 0)
        effect.addLayout(_pair(self.employer_surveyed, self.employer_satisfied), 1, 1)
        effect.addWidget(QLabel("劳务对接活动："), 2, 0)
        effect.addWidget(self.events_held, 2, 1)
        effect.addWidget(self.events_note, 3, 0, 1, 2)

        judge = QFormLayout()
        judge.addRow("技术技能人才加分：", self.skilled_bonus)
        judge.addRow("工作创新：", self.innovation)
        judge.addRow("创新理由：", self.innovation_reason)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        for title, inner in (("站点管理", site), ("工作管理", work), ("协作效果", effect), ("评估人评分", judge)):
            box = QGroupBox(title)
            box.setLayout(inner)
            layout.addWidget(box)
        layout.addStretch(1)

        for w in self._inputs():
            for name in ("dateChanged", "textChanged", "toggled", "valueChanged"):
                signal = getattr(w, name, None)
                if signal is not None:
                    signal.connect(lambda *_a: on_change())
                    break

    def _inputs(self) -> list[QWidget]:
        return [self.evaluated_on, self.evaluator, self.management_system, self.onsite_office, self.responsible_person,
                self.unreported_changes, self.accidents, self.verified_complaints, self.work_plan,
                self.contracts_missing, *self.ledger, self.worker_surveyed, self.worker_satisfied,
                self.employer_surveyed, self.employer_satisfied, self.events_held, self.events_note,
                self.skilled_bonus, self.innovation, self.innovation_reason]

    def set_editable(self, editable: bool) -> None:
        for w in self._inputs():
            if isinstance(w, (QLineEdit, QPlainTextEdit)):
                w.setReadOnly(not editable)
            else:
                w.setEnabled(editable)

    def load(self, data: EvaluationInput) -> None:
        for w in self._inputs():
            w.blockSignals(True)
        try:
            self.evaluated_on.setDate(qdate(data.evaluated_on))
            self.evaluator.setText(data.evaluator)
            for key in ("management_system", "onsite_office", "responsible_person", "work_plan"):
                getattr(self, key).setChecked(getattr(data, key))
            for key in ("unreported_changes", "accidents", "verified_complaints", "contracts_missing",
                        "worker_surveyed", "worker_satisfied", "employer_surveyed", "employer_satisfied",
                        "events_held"):
                getattr(self, key).setValue(getattr(data, key))
            for box in self.ledger:
                box.setChecked(box.text() in data.ledger_present)
            self.events_note.setText(data.events_note)
            self.skilled_bonus.setValue(float(data.skilled_bonus or 0))
            self.innovation.setValue(float(data.innovation))
            self.innovation_reason.setPlainText(data.innovation_reason)
        finally:
            for w in self._inputs():
                w.blockSignals(False)

    def data(self) -> EvaluationInput:
        bonus = Decimal(str(self.skilled_bonus.value()))
        return EvaluationInput(
            evaluated_on=pydate(self.evaluated_on.date()), evaluator=self.evaluator.text(),
            management_system=self.management_system.isChecked(), onsite_office=self.onsite_office.isChecked(),
            responsible_person=self.responsible_person.isChecked(), unreported_changes=self.unreported_changes.value(),
            verified_complaints=self.verified_complaints.value(), accidents=self.accidents.value(),
            work_plan=self.work_plan.isChecked(), contracts_missing=self.contracts_missing.value(),
            ledger_present=tuple(b.text() for b in self.ledger if b.isChecked()),
            worker_surveyed=self.worker_surveyed.value(), worker_satisfied=self.worker_satisfied.value(),
            employer_surveyed=self.employer_surveyed.value(), employer_satisfied=self.employer_satisfied.value(),
            events_held=self.events_held.value(), events_note=self.events_note.text(),
            skilled_bonus=bonus if bonus > 0 else None, innovation=Decimal(str(self.innovation.value())),
            innovation_reason=self.innovation_reason.toPlainText(),
        )


def _pair(a: QWidget, b: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(a)
    row.addWidget(QLabel("/"))
    row.addWidget(b)
    row.addStretch(1)
    return row
