"""集中培育 (chongqing): the year's training sessions with who attended, and each broker's days in
the year with the list of those under the profile's minimum."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core import clock
from desktop.core.errors import UserError
from desktop.core.models.performance import TrainingMode
from desktop.core.rules.performance import plain_days
from desktop.core.services import cultivation
from desktop.core.services import performance_documents as documents
from desktop.ui.paged_model import Column, PagedTableModel
from desktop.ui.performance.common import (
    BrokerSearch,
    EntryDialog,
    ListModel,
    export_to_folder,
    frame_page,
    hint_label,
    summary_label,
    year_combo,
)
from desktop.ui.session import AppState
from desktop.ui.widgets import date_edit, fill, paged_table_view, pydate, search_box, text_table

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
DAYS_COLUMNS: list[Column[cultivation.BrokerDays]] = [
    Column("姓名", lambda r: r.name),  # not sortable: paged_table_view would start the list sorted by it
    Column("身份证号码", lambda r: r.id_number_masked),
    Column("主要服务区域", lambda r: r.service_area, "service_area"),
    Column("认定时间", lambda r: f"{r.certified_on:%Y-%m-%d}", "certified_on"),
    Column("参加次数", lambda r: r.sessions, align=RIGHT),
    Column("培育天数", lambda r: r.days_text, "days", align=RIGHT),
    Column("是否达标", lambda r: "达标" if r.meets else "不足"),
    Column("备注", lambda r: "当年新认定" if r.joined_in_year else ""),
]


ATTENDEE_COLUMNS: list[Column[cultivation.AttendeeRow]] = [
    Column("姓名", lambda p: p.name),
    Column("身份证号码", lambda p: p.id_number_masked),
    Column("主要服务区域", lambda p: p.service_area),
    Column("天数", lambda p: plain_days(p.days), align=RIGHT),
    Column("状态", lambda p: f"已撤销：{p.withdraw_reason}" if p.withdrawn else "已签到"),
]


def _days(text: str) -> Decimal:
    try:
        return Decimal(text.strip() or "x")
    except InvalidOperation:
        raise UserError(f"天数“{text.strip()}”不是数字，请填写如 1、0.5、2.5。") from None


class TrainingPage(QWidget):
    title = "集中培育"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        rules = state.profile.training
        assert rules is not None
        self.sessions: list[cultivation.SessionRow] = []
        self.people: list[cultivation.AttendeeRow] = []
        self.year = year_combo()
        self.new_session = QPushButton("登记培育(&N)…")
        self.export = QPushButton("导出培育不足名单…")
        writer = state.user.role.value in ("clerk", "reviewer", "admin")
        self.new_session.setEnabled(writer)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year)
        bar.addStretch(1)
        bar.addWidget(self.new_session)
        bar.addWidget(self.export)
        self.summary = summary_label()

        self.session_table = text_table(["开始日期", "培育名称", "形式", "天数", "人数", "地点"], (88, 330, 92, 42, 46))
        # A session may have thousands of attendees: a lazy model, not one table item per cell.
        self.attendee_model = ListModel(ATTENDEE_COLUMNS)
        self.attendee_table = paged_table_view(self.attendee_model, (60, 168, 150, 36))
        self.attendee_table.setSortingEnabled(False)
        self.attendee_table.verticalHeader().setVisible(False)
        self.add_people = QPushButton("登记签到…")
        self.withdraw = QPushButton("撤销签到…")
        self.add_people.setEnabled(writer)
        self.withdraw.setEnabled(state.user.role.value in ("reviewer", "admin"))
        self.withdraw.setToolTip("撤销签到需要审核或管理员角色；撤销后记录保留，不再计入天数。")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.attendee_title = QLabel("参加人员")
        right_layout.addWidget(self.attendee_title)
        right_layout.addWidget(self.attendee_table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_people)
        buttons.addWidget(self.withdraw)
        right_layout.addLayout(buttons)
        split = QSplitter()
        split.addWidget(self.session_table)
        split.addWidget(right)
        split.setSizes([690, 510])

        self.under_only = QCheckBox(f"只看不足 {rules.min_days_per_year} 天的")
        self.under_only.setChecked(True)
        self.search = search_box("查找：姓名", self.apply_filters, self)
        profile = state.profile
        self.model: PagedTableModel[cultivation.BrokerDays, cultivation.DaysQuery] = PagedTableModel(
            DAYS_COLUMNS,
            lambda q: state.read(lambda s: cultivation.count_days(s, profile, q)),
            lambda q, off, n: state.read(lambda s: cultivation.broker_days(s, profile, replace(q, offset=off, limit=n))),
            cultivation.DaysQuery(clock.today().year, under_only=True),
        )
        self.days_table = paged_table_view(self.model, (80, 160, 240, 95, 70, 70, 70))
        days_page = QWidget()
        days_layout = QVBoxLayout(days_page)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.under_only)
        filters.addStretch(1)
        days_layout.addLayout(filters)
        days_layout.addWidget(self.days_table, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(days_page, "每人培育天数")
        self.tabs.addTab(split, "培育记录与签到")
        rule = hint_label(f"规则：每名劳务经纪人每年集中培育时间不少于 {rules.min_days_per_year} 天（恰好 {rules.min_days_per_year} 天达标）；"
                          f"天数按 {plain_days(rules.day_step)} 天记录，培育计入开始日期所在年度。")
        frame_page(self, "集中培育", bar, self.summary, body=self.tabs, rule=rule)

        self.year.currentIndexChanged.connect(self.reload)
        self.under_only.toggled.connect(self.apply_filters)
        self.session_table.itemSelectionChanged.connect(self._show_attendees)
        self.new_session.clicked.connect(self.open_new_session)
        self.add_people.clicked.connect(self.open_attendance)
        self.withdraw.clicked.connect(self.withdraw_selected)
        self.export.clicked.connect(self.export_list)

    # --- loading ---------------------------------------------------------------------------
    @property
    def current_year(self) -> int:
        return int(self.year.currentData())

    def reload(self) -> None:
        year, profile = self.current_year, self.state.profile
        summary = self.state.read(lambda s: cultivation.training_summary(s, profile, year))
        self.summary.setText(f"{year}年：参加统计的在册经纪人 {summary.brokers:,} 名，集中培育不足 {summary.min_days} 天的 "
                             f"{summary.under:,} 名。")
        self.sessions = self.state.read(lambda s: cultivation.list_sessions(s, year))
        fill(self.session_table, [[f"{r.start_date:%Y-%m-%d}", r.title, r.mode_label, plain_days(r.days),
                                    str(r.attendees), r.location] for r in self.sessions])
        if self.sessions:
            self.session_table.selectRow(0)
        self._show_attendees()
        self.apply_filters()

    def apply_filters(self) -> None:
        self.model.set_query(replace(self.model.query, year=self.current_year, under_only=self.under_only.isChecked(),
                                     text=self.search.text(), offset=0))

    def _selected_session(self) -> cultivation.SessionRow | None:
        rows = self.session_table.selectionModel().selectedRows()
        return self.sessions[rows[0].row()] if rows and rows[0].row() < len(self.sessions) else None

    def _show_attendees(self) -> None:
        session = self._selected_session()
        self.add_people.setEnabled(session is not None and self.new_session.isEnabled())
        if session is None:
            self.people = []
            self.attendee_title.setText("参加人员（先在左边选一次培育）")
        else:
            profile = self.state.profile
            self.people = self.state.read(lambda s: cultivation.attendees(s, profile, session.id))
            present = sum(1 for p in self.people if not p.withdrawn)
            self.attendee_title.setText(f"“{session.title}”参加人员：{present} 名")
        self.attendee_model.set_items(self.people)

    # --- actions ---------------------------------------------------------------------------
    def open_new_session(self) -> None:
        if SessionDialog(self.state, self).exec():
            self.reload()

    def open_attendance(self) -> None:
        session = self._selected_session()
        if session is not None and AttendanceDialog(self.state, session, self).exec():
            self.reload()

    def withdraw_selected(self) -> None:
        rows = self.attendee_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.people) or self.attendee_model.row_at(rows[0].row()).withdrawn:
            QMessageBox.information(self, "撤销签到", "请先在右边选一条已签到的记录。")
            return
        person = self.attendee_model.row_at(rows[0].row())
        reason, ok = QInputDialog.getText(self, "撤销签到", f"撤销{person.name}的这次签到，原因（记录会保留）：")
        if not ok:
            return
        try:
            self.state.write(lambda s: cultivation.withdraw_attendance(s, self.state.user, person.attendance_id, reason))
        except UserError as exc:
            QMessageBox.warning(self, "无法撤销", str(exc))
            return
        self.reload()

    def export_list(self) -> None:
        year, user, profile, center = self.current_year, self.state.user, self.state.profile, self.state.center
        export_to_folder(self, self.state, "选择保存培育不足名单的文件夹",
                         lambda s, folder: documents.write_training(s, user, profile, year, center.center_name, folder))


class SessionDialog(EntryDialog):
    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("登记集中培育")
        self.resize(520, 360)
        today = clock.today()
        self.name = QLineEdit()
        self.name.setPlaceholderText(f"如：{today.year}年第一期劳务经纪人集中培育")
        self.start = date_edit(today, maximum=today)
        self.end = date_edit(today)
        self.days = QLineEdit()
        self.days.setPlaceholderText("如 2、0.5（半天）")
        self.mode = QComboBox()
        for mode in TrainingMode:
            self.mode.addItem(mode.label, mode.value)
        self.location = QLineEdit()
        self.organiser = QLineEdit(state.center.center_name)
        self.note = QLineEdit()
        form = QFormLayout()
        form.addRow("培育名称：", self.name)
        form.addRow("开始日期：", self.start)
        form.addRow("结束日期：", self.end)
        form.addRow("培育天数：", self.days)
        form.addRow("形式：", self.mode)
        form.addRow("地点：", self.location)
        form.addRow("主办单位：", self.organiser)
        form.addRow("备注：", self.note)
        self.set_body(form, ok_text="保存")
        self.start.dateChanged.connect(lambda d: self.end.setDate(d) if self.end.date() < d else None)
        self.watch(self.name, self.days, self.location, self.note)
        self.name.setFocus()

    def submit(self) -> None:
        state = self.state

        def save() -> int:
            data = cultivation.SessionInput(self.name.text(), pydate(self.start.date()), pydate(self.end.date()),
                                            _days(self.days.text()), str(self.mode.currentData()),
                                            self.location.text(), self.organiser.text(), self.note.text())
            return state.write(lambda s: cultivation.create_session(s, state.user, state.profile, data))

        self.attempt(save)


class AttendanceDialog(EntryDialog):
    """Tick the brokers who attended (search by name, tick, search the next); days default to the session's."""

    def __init__(self, state: AppState, session: cultivation.SessionRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.session = session
        self.setWindowTitle(f"登记签到：{session.title}")
        self.resize(560, 560)
        self.picker = BrokerSearch(state, checkable=True)
        self.days = QLineEdit(plain_days(session.days))
        form = QFormLayout()
        form.addRow("参加天数：", self.days)
        note = QLabel(f"这次培育共 {plain_days(session.days)} 天；只参加了一部分的，请分开登记并填写实际天数。")
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        self.set_body(self.picker, form, note, ok_text="登记签到")
        self.picker.results.itemChanged.connect(self._touch)
        self.picker.box.setFocus()

    def submit(self) -> None:
        state, session = self.state, self.session

        def save() -> int:
            ids = tuple(self.picker.ticked)
            days = _days(self.days.text())
            return state.write(lambda s: cultivation.add_attendance(s, state.user, state.profile, session.id, ids, days))

        self.attempt(save)
