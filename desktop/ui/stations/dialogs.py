"""Dialogs of the workstation page: the application (附件1), flow steps, materials, a roster worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from desktop.core import clock
from desktop.core.services import station_materials as materials
from desktop.core.services import station_roster as roster
from desktop.core.services import stations as svc
from desktop.ui.session import AppState
from desktop.ui.widgets import FormDialog, date_edit, pydate, qdate


class GuardedDialog(FormDialog):
    """A form dialog that asks before Esc or 取消 throws typed input away."""

    dirty = False

    def watch(self, *widgets: QWidget) -> None:
        for w in widgets:
            for name in ("textChanged", "dateChanged", "valueChanged", "currentIndexChanged", "toggled"):
                signal = getattr(w, name, None)
                if signal is not None:
                    signal.connect(self._touched)
                    break

    def _touched(self, *_args: object) -> None:
        self.dirty = True

    def accept(self) -> None:
        self.dirty = False
        super().accept()

    def reject(self) -> None:
        if self.dirty:
            answer = QMessageBox.question(self, "放弃填写？", "填写的内容还没有保存，确定要关闭并放弃吗？",
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()


def _text_box(placeholder: str, height: int = 90) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setMaximumHeight(height)
    return box


class StationDialog(GuardedDialog):
    """新建申请 or 修改 the 附件1 fields."""

    def __init__(self, state: AppState, station_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.station_id = state, station_id
        self.new_id: int | None = None
        self.setWindowTitle("劳务协作工作站设立申请（附件1）" if station_id is None else "修改工作站信息")
        self.resize(640, 600)
        self.name = QLineEdit()
        self.name.setPlaceholderText("如：贵州榕江劳务协作工作站")
        self.builder = QLineEdit()
        self.partner_region = QLineEdit()
        self.partner_region.setPlaceholderText("省市县，如：贵州省黔东南州榕江县")
        self.head_name, self.head_phone = QLineEdit(), QLineEdit()
        self.partner_org, self.partner_head, self.partner_phone = QLineEdit(), QLineEdit(), QLineEdit()
        self.address = QLineEdit()
        self.term_end = date_edit(clock.today().replace(year=clock.today().year + 3))
        self.no_term = QCheckBox("未填写经营期限")
        self.intro = _text_box("劳务协作工作站简介")
        self.applied_on = date_edit(clock.today(), maximum=clock.today())
        form = QFormLayout()
        for label, widget in (("工作站名称：", self.name), ("申请机构（承建单位）：", self.builder),
                              ("省外劳务协作地区：", self.partner_region), ("申请机构负责人：", self.head_name),
                              ("负责人联系电话：", self.head_phone), ("合作机构名称：", self.partner_org),
                              ("合作机构负责人：", self.partner_head), ("合作机构联系电话：", self.partner_phone),
                              ("劳务协作工作站地址：", self.address)):
            form.addRow(label, widget)
        term = QHBoxLayout()
        term.addWidget(QLabel("自申请之日起至"))
        term.addWidget(self.term_end)
        term.addWidget(self.no_term)
        term.addStretch(1)
        form.addRow("申请经营期限：", term)
        form.addRow("工作站简介：", self.intro)
        form.addRow("申请日期：", self.applied_on)
        self.set_body(form, ok_text="保存")
        if station_id is not None:
            self._load()
        self.watch(self.name, self.builder, self.partner_region, self.head_name, self.head_phone, self.partner_org,
                   self.partner_head, self.partner_phone, self.address, self.term_end, self.intro, self.no_term)

    def _load(self) -> None:
        from desktop.core.services.station_file import station_file

        data = self.state.read(lambda s: station_file(s, self.state.profile, self.station_id).station)
        for key in ("name", "builder", "partner_region", "head_name", "head_phone", "partner_org", "partner_head",
                    "partner_phone", "address"):
            getattr(self, key).setText(getattr(data, key))
        self.intro.setPlainText(data.intro)
        if data.term_end:
            self.term_end.setDate(qdate(data.term_end))
        self.no_term.setChecked(data.term_end is None)
        self.applied_on.setDate(qdate(data.applied_on))
        self.applied_on.setEnabled(False)

    def data(self) -> svc.StationInput:
        return svc.StationInput(
            self.name.text(), self.builder.text(), self.partner_region.text(), self.head_name.text(),
            self.head_phone.text(), self.partner_org.text(), self.partner_head.text(), self.partner_phone.text(),
            self.address.text(), None if self.no_term.isChecked() else pydate(self.term_end.date()),
            self.intro.toPlainText(), pydate(self.applied_on.date()),
        )

    def submit(self) -> None:
        data, user, profile = self.data(), self.state.user, self.state.profile
        if self.station_id is None:
            self.new_id = self.attempt(lambda: self.state.write(lambda s: svc.apply(s, user, profile, data)))
        else:
            sid = self.station_id
            self.attempt(lambda: self.state.write(lambda s: svc.update_application(s, user, profile, sid, data)))


STEP_TEXT = {
    "center_review": ("就业服务中心初审", "初审通过", "初审不通过", "初审日期："),
    "bureau_review": ("录入人社局审核意见", "审核通过", "审核不通过", "审核日期（人社局意见上的日期）："),
    "establish": ("登记设立", "", "", "设立日期（发文日期）："),
    "revoke": ("取消工作站资格", "", "", "取消日期："),
}


class StepDialog(GuardedDialog):
    """初审 / 人社局审核 (pass or fail with opinion), 设立 (date and document), 取消资格 (reason)."""

    def __init__(self, state: AppState, station_id: int, key: str, parent: QWidget | None = None,
                 preset_reason: str = "") -> None:
        super().__init__(parent)
        self.state, self.station_id, self.key = state, station_id, key
        title, yes, no, date_label = STEP_TEXT[key]
        self.setWindowTitle(title)
        self.on = date_edit(clock.today(), maximum=clock.today())
        self.yes, self.no = QRadioButton(yes), QRadioButton(no)
        self.yes.setChecked(True)
        self.opinion = _text_box("意见；不通过时必须写明原因")
        self.document = QLineEdit()
        self.document.setPlaceholderText("如：金东人社〔2026〕15号")
        self.reason = QComboBox()
        self.reason.addItems(state.profile.station.revocation_reasons if state.profile.station else [])
        if preset_reason:
            self.reason.setCurrentText(preset_reason)
        form = QFormLayout()
        form.addRow(date_label, self.on)
        if key in ("center_review", "bureau_review"):
            choice = QHBoxLayout()
            choice.addWidget(self.yes)
            choice.addWidget(self.no)
            choice.addStretch(1)
            form.addRow("结论：", choice)
            form.addRow("意见：", self.opinion)
            if key == "center_review":
                hint = QLabel("通过初审前会核对：申请材料 7 项齐全；输送名册中计入的输送劳动力达到申请条件。")
                hint.setProperty("role", "hint")
                hint.setWordWrap(True)
                form.addRow("", hint)
        elif key == "establish":
            form.addRow("设立文件：", self.document)
        else:
            form.addRow("取消情形（办法第八条）：", self.reason)
            self.opinion.setPlaceholderText("具体情况，如：2025、2026 年度评估均不合格")
            form.addRow("具体情况：", self.opinion)
            warn = QLabel("取消后不能恢复；被取消的工作站 2 年内不得重新申报。")
            warn.setProperty("role", "fieldWarning")
            form.addRow("", warn)
        self.set_body(form)
        self.watch(self.opinion, self.document)

    def submit(self) -> None:
        on, opinion, passed = pydate(self.on.date()), self.opinion.toPlainText(), self.yes.isChecked()
        user, profile, sid = self.state.user, self.state.profile, self.station_id
        if self.key == "center_review":
            self.attempt(lambda: self.state.write(lambda s: svc.center_review(
                s, user, profile, sid, passed=passed, on=on, opinion=opinion)))
        elif self.key == "bureau_review":
            self.attempt(lambda: self.state.write(lambda s: svc.bureau_review(
                s, user, profile, sid, passed=passed, on=on, opinion=opinion)))
        elif self.key == "establish":
            doc = self.document.text()
            self.attempt(lambda: self.state.write(lambda s: svc.establish(s, user, profile, sid, on=on, document=doc)))
        else:
            reason = self.reason.currentText()
            answer = QMessageBox.question(self, "取消工作站资格", f"确定以“{reason}”取消这个工作站的资格吗？取消后不能恢复。",
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer == QMessageBox.StandardButton.Yes:
                self.attempt(lambda: self.state.write(lambda s: svc.revoke(
                    s, user, profile, sid, on=on, reason=reason, detail=opinion)))


class MaterialDialog(GuardedDialog):
    """Record a received item of the 第四条 checklist: paper copies and/or a scanned file."""

    def __init__(self, state: AppState, station_id: int, item_no: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.station_id = state, station_id
        self.setWindowTitle("登记申请材料")
        self.resize(560, 300)
        self.item = QComboBox()
        items = state.profile.station.application_materials if state.profile.station else ()
        self.item.addItems([f"（{i}）{name}" for i, name in enumerate(items, 1)])
        self.item.setCurrentIndex(max(0, item_no - 1))
        self.received_on = date_edit(clock.today(), maximum=clock.today())
        self.copies = QSpinBox()
        self.copies.setRange(0, 99)
        self.copies.setValue(2)
        self.note = QLineEdit()
        self.file_label = QLabel("未选择文件（可只登记纸质份数）")
        self.file_label.setWordWrap(True)
        self.path: Path | None = None
        choose = QPushButton("选择扫描件/照片(&F)…")
        choose.clicked.connect(self.choose)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(choose)
        form = QFormLayout()
        form.addRow("材料：", self.item)
        form.addRow("收到日期：", self.received_on)
        form.addRow("纸质份数：", self.copies)
        form.addRow("附件文件：", file_row)
        form.addRow("备注：", self.note)
        self.set_body(form, ok_text="登记")
        self.watch(self.note, self.copies)

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择材料文件", "", "扫描件或照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)")
        if path:
            self.path = Path(path)
            self.file_label.setText(self.path.name)
            self.dirty = True

    def submit(self) -> None:
        data = materials.MaterialInput(self.item.currentIndex() + 1, pydate(self.received_on.date()),
                                       self.copies.value(), self.note.text(), self.path)
        user, profile, sid = self.state.user, self.state.profile, self.station_id
        self.attempt(lambda: self.state.write(lambda s: materials.add_material(s, user, profile, sid, data)))


class WorkerDialog(GuardedDialog):
    """Enter or correct one delivered worker (附件2 columns + the evaluation's columns)."""

    RETAINED = ("未登记", "是", "否")

    def __init__(self, state: AppState, station_id: int, worker_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.station_id, self.worker_id = state, station_id, worker_id
        self.warnings: list[str] = []
        self.setWindowTitle("录入输送劳动力" if worker_id is None else "修改输送劳动力")
        self.name, self.id_number, self.hukou, self.employer = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.id_number.setMaxLength(18)
        self.hukou.setPlaceholderText("如：贵州省黔东南州榕江县（不填按身份证号码登记地）")
        self.hired_on = date_edit(clock.today(), maximum=clock.today())
        self.si_months = QSpinBox()
        self.si_months.setRange(0, roster.MAX_SI_MONTHS)
        self.si_months.setSuffix(" 个月")
        self.dispatched, self.skilled = QCheckBox("劳务派遣人员"), QCheckBox("技术技能人才")
        self.retained = QComboBox()
        self.retained.addItems(self.RETAINED)
        self.note = QLineEdit()
        form = QFormLayout()
        for label, widget in (("姓名：", self.name), ("身份证号：", self.id_number), ("户籍：", self.hukou),
                              ("入职企业：", self.employer), ("入职时间：", self.hired_on),
                              ("社保连续月数（在本区）：", self.si_months), ("", self.dispatched), ("", self.skilled),
                              ("6个月后是否在职：", self.retained), ("备注：", self.note)):
            form.addRow(label, widget)
        self.set_body(form, ok_text="保存")
        if worker_id is not None:
            row = state.read(lambda s: roster.worker_input(s, worker_id))
            for key in ("name", "id_number", "hukou", "employer", "note"):
                getattr(self, key).setText(getattr(row, key))
            if row.hired_on:
                self.hired_on.setDate(qdate(row.hired_on))
            self.si_months.setValue(row.si_months)
            self.dispatched.setChecked(row.dispatched)
            self.skilled.setChecked(row.skilled)
            self.retained.setCurrentIndex({None: 0, True: 1, False: 2}[row.retained])
        self.watch(self.name, self.id_number, self.hukou, self.employer, self.hired_on, self.si_months, self.note)

    def data(self) -> roster.WorkerInput:
        retained = {0: None, 1: True, 2: False}[self.retained.currentIndex()]
        return roster.WorkerInput(self.name.text(), self.id_number.text(), self.hukou.text(), self.employer.text(),
                                  pydate(self.hired_on.date()), self.si_months.value(), self.dispatched.isChecked(),
                                  self.skilled.isChecked(), retained, self.note.text())

    def submit(self) -> None:
        data, user, profile = self.data(), self.state.user, self.state.profile
        if self.worker_id is None:
            sid = self.station_id
            result = self.attempt(lambda: self.state.write(lambda s: roster.add_worker(s, user, profile, sid, data)))
            self.warnings = result[1] if result else []
        else:
            wid = self.worker_id
            self.warnings = self.attempt(lambda: self.state.write(
                lambda s: roster.update_worker(s, user, profile, wid, data))) or []


class ReasonDialog(GuardedDialog):
    """One required reason (更正原因)."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = _text_box(prompt)
        form = QFormLayout()
        form.addRow("原因：", self.text)
        self.set_body(form)
        self.watch(self.text)
        self.value = ""

    def submit(self) -> None:
        if not self.text.toPlainText().strip():
            self.message.setText("请写明原因。")
            return
        self.value = self.text.toPlainText().strip()
        self.accept()
