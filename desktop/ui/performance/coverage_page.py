"""村级覆盖 (chongqing): brokers each village needs by population and has, grouped by township;
population entry with its history, the Excel import, and the shortfall list to print."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desktop.core import clock, regions
from desktop.core.services import coverage
from desktop.core.services import performance_documents as documents
from desktop.ui.performance.common import (
    EntryDialog,
    alive,
    export_to_folder,
    frame_page,
    hint_label,
    int_or_none,
    summary_label,
)
from desktop.ui.session import AppState
from desktop.ui.widgets import date_edit, pydate

SHORT = QColor("#b42318")
HEADERS = ["乡镇（街道）/ 村（社区）", "户籍人口", "常住人口", "计算人口", "统计时点", "应配", "已有", "缺"]
CODE_ROLE = Qt.ItemDataRole.UserRole


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


class CoveragePage(QWidget):
    title = "村级覆盖"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.report: coverage.CoverageReport | None = None
        rules = state.profile.coverage
        assert rules is not None
        per = f"{rules.population_per_broker:,}"
        basis = {"registered": "户籍人口", "resident": "常住人口", "larger": "户籍、常住人口中较大者"}
        rule = hint_label(f"规则：按{basis[rules.population_basis]}计，{per} 人以下配 1 名，每增加 {per} 人（不足也算）增配 1 名，"
                          f"每个村（社区）至少 {rules.min_per_village} 名。未录入人口的村按至少 {rules.min_per_village} 名计。")
        self.only_short = QCheckBox("只看缺经纪人的村（社区）")
        self.only_short.setChecked(True)
        self.enter = QPushButton("录入村人口(&N)…")
        self.import_button = QPushButton("导入村人口（Excel）…")
        self.export = QPushButton("导出配置不足名单…")
        writer = state.user.role.value in ("clerk", "reviewer", "admin")
        for b in (self.enter, self.import_button):
            b.setEnabled(writer)
            b.setToolTip("" if writer else "审计账号只能查看。")
        bar = QHBoxLayout()
        bar.addWidget(self.only_short)
        bar.addStretch(1)
        bar.addWidget(self.enter)
        bar.addWidget(self.import_button)
        bar.addWidget(self.export)
        self.summary = summary_label()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(HEADERS)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate((0, 90, 90, 90, 95, 55, 55, 55)):
            if width:
                self.tree.setColumnWidth(col, width)
        header.setStretchLastSection(False)
        hint = hint_label("双击一个村（社区）录入或查看它的人口。乡镇一行是其下各村的合计。")
        frame_page(self, "村级覆盖：按人口配置劳务经纪人", rule, bar, self.summary, body=self.tree, rule=hint)
        self.only_short.toggled.connect(self._fill)
        self.enter.clicked.connect(lambda: self.open_population(""))
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.import_button.clicked.connect(self.open_import)
        self.export.clicked.connect(self.export_list)

    def reload(self) -> None:
        profile, county = self.state.profile, self.state.center.county_code
        self.summary.setText("正在统计……")
        self.state.in_background(lambda s: coverage.coverage_report(s, profile, county), write=False,
                                 on_done=self.show_report, parent=self, label="正在统计村级覆盖……")

    def show_report(self, report: coverage.CoverageReport) -> None:
        if not alive(self):
            return
        self.report = report
        text = (f"共 {len(report.villages)} 个村（社区），{report.short_villages} 个缺少劳务经纪人，"
                f"合计还缺 {report.short_brokers} 名；{report.missing_population} 个村（社区）未录入人口。")
        if report.unlinked_brokers:
            text += f"另有 {report.unlinked_brokers} 名在册经纪人未关联服务村，未计入。"
        self.summary.setText(text)
        self._fill()

    def _fill(self) -> None:
        if self.report is None:
            return
        self.tree.clear()
        only = self.only_short.isChecked()
        towns = coverage.shortfall_by_township(self.report) if only else self.report.townships
        for town in towns:
            top = QTreeWidgetItem([town.name, "", "", "", "", str(town.needed), str(town.brokers), str(town.short)])
            top.setToolTip(0, f"{len(town.villages)} 个村（社区）" + (f"，其中 {town.short_villages} 个缺经纪人" if town.short else ""))
            for v in town.villages:
                child = QTreeWidgetItem([v.name, _n(v.registered), _n(v.resident), _n(v.population),
                                         f"{v.as_of:%Y-%m-%d}" if v.as_of else "未录入", str(v.needed), str(v.brokers),
                                         str(v.short) if v.short else ""])
                child.setData(0, CODE_ROLE, v.code)
                child.setToolTip(3, f"人口依据：{v.basis}")
                if v.short:
                    child.setForeground(7, QBrush(SHORT))
                top.addChild(child)
            for col in range(1, 8):
                top.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if town.short:
                top.setForeground(7, QBrush(SHORT))
            self.tree.addTopLevelItem(top)
            for i in range(top.childCount()):
                for col in range(1, 8):
                    top.child(i).setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if only:
            self.tree.expandAll()

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        code = item.data(0, CODE_ROLE)
        if code:
            self.open_population(str(code))

    def open_population(self, village_code: str) -> None:
        dialog = PopulationDialog(self.state, village_code, self)
        if dialog.exec():
            self.reload()

    def open_import(self) -> None:
        from desktop.ui.imports import population_import_dialog

        population_import_dialog(self.state, self).exec()
        self.reload()

    def export_list(self) -> None:
        user, profile, center = self.state.user, self.state.profile, self.state.center
        export_to_folder(self, self.state, "选择保存配置不足名单的文件夹",
                         lambda s, folder: documents.write_coverage(s, user, profile, center.county_code,
                                                                     center.county_name, folder))


class PopulationDialog(EntryDialog):
    """One village's population on a date; the figures entered before are listed under it."""

    def __init__(self, state: AppState, village_code: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("录入村（社区）人口")
        self.resize(620, 520)
        self.village = QComboBox()
        self.village.setEditable(True)
        self.village.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.village.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.village.completer().setCompletionMode(self.village.completer().CompletionMode.PopupCompletion)
        towns: dict[str, str] = {}
        for v in regions.villages_of_county(state.center.county_code):
            town = towns.get(v.parent or "") or towns.setdefault(v.parent or "", coverage.township_name(v.code))
            self.village.addItem(f"{town} {v.name}", v.code)
        index = self.village.findData(village_code) if village_code else -1
        self.village.setCurrentIndex(index)
        self.registered = QLineEdit()
        self.registered.setPlaceholderText("户籍人口（人）")
        self.resident = QLineEdit()
        self.resident.setPlaceholderText("常住人口（人）")
        self.as_of = date_edit(clock.today(), maximum=clock.today())
        self.note = QLineEdit()
        self.note.setPlaceholderText("来源，如：2026年统计年报、公安户籍数据")
        form = QFormLayout()
        form.addRow("村（社区）：", self.village)
        form.addRow("户籍人口：", self.registered)
        form.addRow("常住人口：", self.resident)
        form.addRow("统计时点：", self.as_of)
        form.addRow("备注：", self.note)
        self.history = QTableWidget(0, 5)
        self.history.setHorizontalHeaderLabels(["统计时点", "户籍人口", "常住人口", "录入人", "备注"])
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        caption = QLabel("以前录入的人口（最新一条计入配置；更正请录入新的一条）：")
        caption.setProperty("role", "hint")
        self.set_body(form, caption, self.history, ok_text="保存")
        self.village.currentIndexChanged.connect(self._show_history)
        self._show_history()
        self.watch(self.registered, self.resident, self.note, self.as_of)
        (self.registered if village_code else self.village).setFocus()

    def _show_history(self) -> None:
        code = self.village.currentData()
        rows = self.state.read(lambda s: coverage.population_history(s, code)) if code else []
        self.history.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((f"{row.as_of:%Y-%m-%d}", _n(row.registered), _n(row.resident), row.created_by,
                                      row.note or row.source)):
                self.history.setItem(r, c, QTableWidgetItem(text))

    def data(self) -> coverage.PopulationInput:
        from desktop.core.errors import UserError

        code = self.village.currentData()
        if not code or self.village.currentText() != self.village.itemText(self.village.currentIndex()):
            raise UserError("请从列表中选择村（社区）：输入村名的一部分后在下拉列表里点选。")
        as_of: date = pydate(self.as_of.date())
        return coverage.PopulationInput(str(code), int_or_none(self.registered.text(), "户籍人口"),
                                        int_or_none(self.resident.text(), "常住人口"), as_of, self.note.text())

    def submit(self) -> None:
        state = self.state

        def save() -> int:
            data = self.data()
            return state.write(lambda s: coverage.record_population(s, state.user, state.profile,
                                                                    state.center.county_code, data))

        self.attempt(save)
