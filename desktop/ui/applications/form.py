"""The application entry form (劳务经纪人认定申请表, 附件1): live checks as the clerk types."""

from __future__ import annotations

import itertools
from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.idcard import IdNumberError, normalise, parse_id_number
from desktop.core.photo import load_photo_file
from desktop.core.rules.eligibility import ERROR, WARNING, Problem
from desktop.core.services import applications as svc
from desktop.ui.applications.timeline import TimelineWidget
from desktop.ui.applications.village_picker import VillagePicker
from desktop.ui.printing import PdfActions
from desktop.ui.reveal import BUTTON_TEXT, MaskedFields
from desktop.ui.session import AppState
from desktop.ui.style import set_state
from desktop.ui.widgets import on_user_edit

PHOTO_BOX = (105, 147)  # 35 × 49 mm at 3 px/mm: the 2寸 proportion


class ApplicationForm(QDialog):
    """New or existing application; emits ``saved(id)`` or ``open_existing(id)``."""

    saved = Signal(int)
    open_existing = Signal(int)

    def __init__(self, state: AppState, application_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.profile = state.profile
        self.application_id = application_id
        self.version = 0
        self.photo: bytes | None = None
        self.touched: set[str] = set()
        self.show_all = False
        self.dirty = False
        self.problems: list[Problem] = []
        self._auto_gender = ""
        self._auto_birth = ""
        self._dup_checked = ""
        self.setWindowTitle("劳务经纪人认定申请" + ("（新建）" if application_id is None else ""))
        self.resize(980, 690)
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.revalidate)
        if application_id is not None:
            self._load(application_id)
        self._connect_changes()
        self.dirty = False
        self.revalidate()

    # --- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        b = self.profile.broker
        self.name = QLineEdit()
        self.name.setMaxLength(50)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(18)
        self.id_number.setPlaceholderText("18位，末位X可小写")
        self.gender = QComboBox()
        self.gender.addItems(["", "男", "女"])
        self.birth_month = QLineEdit()
        self.birth_month.setPlaceholderText("如 1985-03（按身份证自动填）")
        self.birth_month.setInputMask("0000-00;_")
        self.political_status = self._combo(b.political_statuses)
        self.education = self._combo(b.education_levels)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("手机11位，或 区号-号码")
        self.employer = QLineEdit()
        self.bank_account = QLineEdit()
        self.bank_account.setMaxLength(23)
        self.bank_name = QLineEdit()
        self.bank_name.setPlaceholderText("如 农村信用社××支行")
        self.home_address = QLineEdit()
        self.village = VillagePicker(self.state.center.county_code)
        self.category = self._combo(b.categories)
        today = clock.today()
        self.application_date = QDateEdit(QDate(today.year, today.month, today.day))
        self.application_date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.application_date.setCalendarPopup(True)
        self.application_date.setDisplayFormat("yyyy-MM-dd")
        self.profile_text = QPlainTextEdit()
        self.profile_text.setPlaceholderText("工作经历、组织劳务输出的经验等（Ctrl+回车 保存）")
        self.profile_text.setTabChangesFocus(True)
        self.declarations = [QCheckBox(text) for text in b.declarations]
        self.hukou_confirmed = QCheckBox(f"已核对户口簿，户籍在{self.profile.region.name}")

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        rows = [
            [("姓名(&A)", self.name), ("身份证号码(&I)", self.id_number)],
            [("性别", self.gender), ("出生年月", self.birth_month)],
            [("政治面貌", self.political_status), ("学历", self.education)],
            [("联系电话(&T)", self.phone), ("工作单位", self.employer)],
            [("个人银行账号", self.bank_account), ("开户银行", self.bank_name)],
            [("常住村（社区）(&V)", self.village), ("申请人类别", self.category)],
            [("家庭住址", self.home_address), ("申请日期", self.application_date)],
        ]
        for r, pair in enumerate(rows):
            for c, (label, widget) in enumerate(pair):
                lab = QLabel(label + "：")
                lab.setBuddy(widget)
                lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(lab, r, c * 2)
                grid.addWidget(widget, r, c * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.photo_label = QLabel("2寸近期彩照\n（未选择）")
        self.photo_label.setFixedSize(*PHOTO_BOX)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_label.setStyleSheet("border: 1px solid #888; background: #fafafa; color: #777;")
        self.photo_button = QPushButton("选择照片…")
        self.photo_clear = QPushButton("清除照片")
        photo_col = QVBoxLayout()
        photo_col.addWidget(self.photo_label)
        photo_col.addWidget(self.photo_button)
        photo_col.addWidget(self.photo_clear)
        photo_col.addStretch(1)

        top = QHBoxLayout()
        top.addLayout(grid, 1)
        top.addLayout(photo_col)

        decl_box = QGroupBox("申请条件（经办人核实后勾选）")
        decl = QHBoxLayout(decl_box)
        for box in self.declarations:
            decl.addWidget(box)
        decl.addWidget(self.hukou_confirmed)
        decl.addStretch(1)
        self.hukou_confirmed.setVisible(False)

        intro = QGroupBox("个人简介")
        intro_layout = QVBoxLayout(intro)
        intro_layout.addWidget(self.profile_text)
        self.profile_text.setMinimumHeight(60)
        self.profile_text.setMaximumHeight(130)

        self.problem_panel = QLabel()
        self.problem_panel.setWordWrap(True)
        self.problem_panel.setTextFormat(Qt.TextFormat.RichText)
        self.problem_panel.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidget(self.problem_panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(92)

        self.save_button = QPushButton("保存(&S)")
        self.save_button.setProperty("role", "primary")
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        self.cancel_button = QPushButton("取消")
        self.pdf = PdfActions(self, self._render_pdf_request, default_name=self._pdf_name)
        self.reveal_button = QPushButton(BUTTON_TEXT)
        self.masked = MaskedFields(self.state, "经纪人申请", {"id_number": self.id_number, "phone": self.phone,
                                                            "bank_account": self.bank_account}, self.reveal_button)
        buttons = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setProperty("role", "hint")
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.reveal_button)
        buttons.addWidget(self.pdf.print_button)
        buttons.addWidget(self.pdf.save_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        page = QWidget()
        form_layout = QVBoxLayout(page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addLayout(top)
        form_layout.addWidget(decl_box)
        form_layout.addWidget(intro)
        form_layout.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        if self.application_id is None:
            layout.addWidget(page, 1)
            self.timeline = None
        else:
            self.tabs = QTabWidget()
            self.tabs.addTab(page, "申请表(&1)")
            self.timeline = TimelineWidget(self.state, self.application_id)
            self.timeline.changed.connect(self._workflow_changed)
            self.tabs.addTab(self.timeline, "办理进度(&2)")
            layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

        order = [self.name, self.id_number, self.gender, self.birth_month, self.political_status,
                 self.education, self.phone, self.employer, self.bank_account, self.bank_name,
                 self.village, self.category, self.home_address, self.application_date,
                 *self.declarations, self.hukou_confirmed, self.profile_text, self.photo_button,
                 self.save_button, self.cancel_button]
        for a, b_ in itertools.pairwise(order):
            QWidget.setTabOrder(a, b_)
        self.name.setFocus()

        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.photo_button.clicked.connect(self._choose_photo)
        self.photo_clear.clicked.connect(self._clear_photo)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        self._update_pdf_buttons()

    @staticmethod
    def _combo(items: list[str] | tuple[str, ...]) -> QComboBox:
        box = QComboBox()
        box.addItem("")
        box.addItems(list(items))
        return box

    def _fields(self) -> dict[str, QWidget]:
        return {
            "name": self.name, "id_number": self.id_number, "gender": self.gender,
            "birth_month": self.birth_month, "political_status": self.political_status,
            "education": self.education, "phone": self.phone, "employer": self.employer,
            "bank_account": self.bank_account, "bank_name": self.bank_name,
            "home_address": self.home_address, "village": self.village,
            "category": self.category, "application_date": self.application_date,
            "profile_text": self.profile_text, "hukou_confirmed": self.hukou_confirmed,
            "declarations": self.declarations[0] if self.declarations else self.name,
        }

    def _connect_changes(self) -> None:
        def touch(key: str):  # type: ignore[no-untyped-def]
            def handler(*_args: object) -> None:
                self.touched.add(key)
                self.dirty = True
                self._timer.start()
            return handler

        for key, w in self._fields().items():
            on_user_edit(w, touch(key))
        self.village.changed.connect(touch("village"))
        for box in self.declarations:
            box.toggled.connect(touch("declarations"))
        self.id_number.textEdited.connect(self._id_typed)

    # --- reading and filling --------------------------------------------------------------
    def current_input(self) -> svc.ApplicationInput:
        birth = self.birth_month.text()
        qd = self.application_date.date()
        code, village_name = self.village.value()
        return svc.ApplicationInput(
            name=self.name.text(),
            gender=self.gender.currentText(),
            birth_month=birth if len(birth.replace("-", "").strip()) == 6 else "",
            id_number=self.masked.value("id_number"),
            political_status=self.political_status.currentText(),
            education=self.education.currentText(),
            phone=self.masked.value("phone"),
            employer=self.employer.text(),
            bank_account=self.masked.value("bank_account"),
            bank_name=self.bank_name.text(),
            home_address=self.home_address.text(),
            profile_text=self.profile_text.toPlainText(),
            village_code=code,
            village_name=village_name,
            category=self.category.currentText(),
            application_date=date(qd.year(), qd.month(), qd.day()),
            declarations=tuple(b.text() for b in self.declarations if b.isChecked()),
            hukou_confirmed=self.hukou_confirmed.isChecked(),
            photo=self.photo,
            photo_type="jpeg" if self.photo else "",
        )

    def _load(self, application_id: int) -> None:
        detail = self.state.read(lambda s: svc.get_application(s, application_id))
        d = detail.data
        self.version = detail.version
        self.name.setText(d.name)
        self._dup_checked = d.id_number
        self.gender.setCurrentText(d.gender)
        self.birth_month.setText(d.birth_month)
        self.political_status.setCurrentText(d.political_status)
        self.education.setCurrentText(d.education)
        self.employer.setText(d.employer)
        self.bank_name.setText(d.bank_name)
        self.home_address.setText(d.home_address)
        self.village.set_value(d.village_code, d.village_name)
        self.category.setCurrentText(d.category)
        if d.application_date:
            self.application_date.setDate(QDate(d.application_date.year, d.application_date.month,
                                                d.application_date.day))
        self.profile_text.setPlainText(d.profile_text)
        for box in self.declarations:
            box.setChecked(box.text() in d.declarations)
        self.hukou_confirmed.setChecked(d.hukou_confirmed)
        self._set_photo(d.photo)
        self.setWindowTitle(f"劳务经纪人认定申请 — {d.name}（{detail.status_label}）")
        self.status_label.setText(
            f"录入：{detail.created_by} {detail.created_at:%Y-%m-%d %H:%M}　"
            f"最后修改：{detail.updated_by} {detail.updated_at:%Y-%m-%d %H:%M}"
        )
        editable = detail.status in svc.EDITABLE_STATUSES and self.state.user.role.value != "auditor"
        for w in (*self._fields().values(), self.photo_button, self.photo_clear):
            w.setEnabled(editable)
        self.save_button.setEnabled(editable)
        # ID, phone and bank account show masked until 显示完整号码 (audited) is pressed.
        self.masked.load(application_id, {"id_number": d.id_number, "phone": d.phone,
                                          "bank_account": d.bank_account}, editable)

    def _id_typed(self, text: str) -> None:
        """Fill gender and birth month from a complete, valid ID; look for an existing record."""
        value = normalise(text)
        if value != text and text.upper() == value:
            pos = self.id_number.cursorPosition()
            self.id_number.setText(value)
            self.id_number.setCursorPosition(pos)
        if len(value) != 18:
            return
        try:
            parsed = parse_id_number(value, clock.today())
        except IdNumberError:
            return
        if self.gender.currentText() in ("", self._auto_gender):
            self.gender.setCurrentText(parsed.gender)
            self._auto_gender = parsed.gender
        month = f"{parsed.birth_date:%Y-%m}"
        if self.birth_month.text().replace("-", "").strip() in ("", self._auto_birth.replace("-", "")):
            self.birth_month.setText(month)
            self._auto_birth = month
        self._check_duplicate(parsed.value)

    def _check_duplicate(self, id_number: str) -> None:
        if id_number == self._dup_checked:
            return
        self._dup_checked = id_number
        existing = self.state.read(lambda s: _open_summary(s, id_number))
        if existing is None or existing[0] == self.application_id:
            return
        existing_id, name, label = existing
        answer = QMessageBox.question(
            self,
            "已有申请记录",
            f"身份证号码 {id_number[:6]}…{id_number[-4:]} 已有{name}的申请记录（状态：{label}）。\n"
            "每人只能有一条有效申请。是否打开原记录？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.dirty = False
            self.open_existing.emit(existing_id)
            self.accept()

    def _workflow_changed(self) -> None:
        """A workflow step changed the status: reload the fields' editability and tell the list."""
        assert self.application_id is not None
        if not self.dirty:
            self._load(self.application_id)
            self.dirty = False
        self.saved.emit(self.application_id)

    # --- photo ---------------------------------------------------------------------------
    def _choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择2寸照片", "", "照片 (*.jpg *.jpeg *.png *.JPG *.JPEG *.PNG)")
        if not path:
            return
        try:
            data = load_photo_file(path)
        except UserError as exc:
            QMessageBox.warning(self, "照片不能使用", str(exc))
            return
        self._set_photo(data)
        self.dirty = True

    def set_photo_file(self, path: str) -> None:
        self._set_photo(load_photo_file(path))
        self.dirty = True

    def _clear_photo(self) -> None:
        self._set_photo(None)
        self.dirty = True

    def _set_photo(self, data: bytes | None) -> None:
        self.photo = data
        if not data:
            self.photo_label.setPixmap(QPixmap())
            self.photo_label.setText("2寸近期彩照\n（未选择）")
            return
        pix = QPixmap()
        pix.loadFromData(data)
        self.photo_label.setPixmap(
            pix.scaled(self.photo_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                       Qt.TransformationMode.SmoothTransformation)
        )

    # --- validation ----------------------------------------------------------------------
    def revalidate(self) -> list[Problem]:
        data = self.current_input()
        problems = svc.validate(data, self.profile)
        self.problems = problems
        needs_hukou = any(p.field == "hukou_confirmed" for p in problems)
        self.hukou_confirmed.setVisible(needs_hukou or self.hukou_confirmed.isChecked())
        shown = [p for p in problems if self.show_all or p.field in self.touched or p.severity == WARNING
                 or p.field == "hukou_confirmed"]
        fields = self._fields()
        states: dict[str, str] = {}
        for p in shown:
            if states.get(p.field) != ERROR:
                states[p.field] = p.severity
        for key, widget in fields.items():
            set_state(widget, states.get(key, ""))
            widget.setToolTip("\n".join(p.message for p in shown if p.field == key))
        if not shown:
            self.problem_panel.setText("<span style='color:#2e7d32'>✓ 已填写的内容没有发现问题。</span>")
        else:
            order = {key: i for i, key in enumerate(fields)}
            lines = [
                f"<span style='color:{'#c62828' if p.severity == ERROR else '#b36b00'}'>"
                f"{'✗' if p.severity == ERROR else '⚠'} {p.message}</span>"
                for p in sorted(shown, key=lambda p: (p.severity != ERROR, order.get(p.field, 99)))
            ]
            self.problem_panel.setText("<br>".join(lines))
        return problems

    # --- saving --------------------------------------------------------------------------
    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self._timer.stop()
        self.show_all = True
        problems = self.revalidate()
        errors = [p for p in problems if p.severity == ERROR]
        if errors:
            self._fields().get(errors[0].field, self.name).setFocus()
            QMessageBox.warning(
                self, "还不能保存",
                f"有 {len(errors)} 处需要修改（已用红框标出）：\n\n" + "\n".join(p.message for p in errors[:8]),
            )
            return
        warnings = [p for p in problems if p.severity == WARNING]
        if warnings:
            answer = QMessageBox.question(
                self, "请确认",
                "以下提醒请核实：\n\n" + "\n".join(p.message for p in warnings) + "\n\n核实无误，继续保存吗？",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        data = self.current_input()
        profile = self.profile
        app_id, version = self.application_id, self.version
        self.save_button.setEnabled(False)

        def work(s):  # type: ignore[no-untyped-def]
            if app_id is None:
                return svc.create_application(s, profile, data)
            svc.update_application(s, profile, app_id, version, data)
            return app_id

        self.state.in_background(work, on_done=self._saved, on_error=self._save_failed, parent=self,
                                 label="正在保存……")

    def _saved(self, application_id: int) -> None:
        self.application_id = application_id
        self.dirty = False
        self.saved.emit(application_id)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, svc.DuplicateApplication):
            QMessageBox.information(self, "已有申请记录", str(exc))
            self.dirty = False
            self.open_existing.emit(exc.existing_id)
            self.accept()
            return
        from desktop.ui.tasks import show_error

        show_error(self, exc)

    def reject(self) -> None:
        if self.dirty:
            answer = QMessageBox.question(
                self, "放弃修改？", "填写的内容还没有保存，确定要关闭并放弃吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    # --- printing ------------------------------------------------------------------------
    def _update_pdf_buttons(self) -> None:
        saved = self.application_id is not None
        self.pdf.set_enabled(saved, "先保存申请，再打印申请表。" if not saved else "")

    def _pdf_name(self) -> str:
        return f"申请认定表_{self.name.text().strip() or '未命名'}.pdf"

    def _render_pdf_request(self):  # type: ignore[no-untyped-def]
        from desktop.core.services.printing import print_application_pdf

        app_id, profile = self.application_id, self.profile
        return lambda s, out: print_application_pdf(s, profile, app_id, out)


def _open_summary(session, id_number: str) -> tuple[int, str, str] | None:  # type: ignore[no-untyped-def]
    row = svc.find_open_by_id_number(session, id_number)
    if row is None:
        return None
    return row.id, row.name, row.status_enum.label
