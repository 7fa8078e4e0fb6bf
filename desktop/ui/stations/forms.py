"""Printing a station's counter forms: the 附件1 application (filled or blank) from the 档案 tab, and
the 附件2 roster (PDF or .xlsx) from the 输送名册 tab, with the full-ID-number choice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models.account import Role
from desktop.core.services import station_forms as forms
from desktop.core.services.station_roster import roster_summary
from desktop.ui.printing import PdfActions
from desktop.ui.session import AppState


def _safe(name: str) -> str:
    """A file name part without the characters Windows refuses."""
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name).strip() or "工作站"


class ApplicationFormMenu:
    """The 申请表（附件1） button of the 档案 tab: print or save the station's form, or a blank one."""

    def __init__(self, owner: QWidget, state: AppState) -> None:
        self.owner = owner
        self.state = state
        self.station_id: int | None = None
        self.station_name = ""
        title = state.profile.station.application_form_title if state.profile.station else "设立申请表"
        self.title = title
        self.filled = PdfActions(owner, lambda: self._job(self.station_id), lambda: self._name(self.station_name))
        self.blank = PdfActions(owner, lambda: self._job(None), lambda: self._name("空白"))
        self.button = QPushButton("申请表（附件1）")
        self.button.setToolTip(f"打印或另存《{title}》：按本站登记的信息填好，或空白表供申请单位手工填写。")
        menu = QMenu(owner)
        self.actions: dict[str, QAction] = {}
        for key, text, slot in (("print", "打印本站申请表…", self.filled.print_document),
                                ("save", "本站申请表另存为PDF…", self.filled.save_pdf),
                                ("blank_print", "打印空白申请表…", self.blank.print_document),
                                ("blank_save", "空白申请表另存为PDF…", self.blank.save_pdf)):
            action = QAction(text, owner)
            action.triggered.connect(lambda _c=False, f=slot: f())
            menu.addAction(action)
            self.actions[key] = action
        self.button.setMenu(menu)

    def show_station(self, station_id: int | None, name: str = "") -> None:
        self.station_id, self.station_name = station_id, name
        for key in ("print", "save"):
            self.actions[key].setEnabled(station_id is not None)

    def _job(self, station_id: int | None) -> Any:
        profile = self.state.profile
        return lambda s, out: forms.write_application_pdf(s, profile, station_id, out)

    def _name(self, who: str) -> str:
        return f"{_safe(who)}_{self.title}.pdf"


class RosterPrintDialog(QDialog):
    """打印 / 另存 / 导出 the 附件2 roster of one station. The ID numbers are masked unless the
    (审核/管理员) user ticks 完整身份证号码; either way the file is in the audit log."""

    def __init__(self, state: AppState, station_id: int, station_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.station_id = station_id
        self.station_name = station_name
        rules = state.profile.station
        self.title = rules.roster_title if rules else "累计输送劳动力名册"
        self.setWindowTitle(f"{self.title}（附件2）")
        profile = state.profile

        def load(s: Any) -> tuple[forms.RosterOptions, int]:
            return forms.default_options(s, station_id), roster_summary(s, profile, station_id).rows

        defaults, rows = state.read(load)
        self.rows = rows
        about = QLabel(f"{station_name}：名册共 {rows} 行，按入职时间从早到晚排列，每页重复表头。")
        about.setWordWrap(True)
        self.filler = QLineEdit(defaults.filler)
        self.phone = QLineEdit(defaults.phone)
        for edit in (self.filler, self.phone):
            edit.setPlaceholderText("留空则打印空格，由填表人手写")
        self.full = QCheckBox("打印 / 导出完整身份证号码（存档报送、再次导入用）")
        allowed = state.user.role in (Role.REVIEWER, Role.ADMIN)
        self.full.setEnabled(allowed)
        self.full.setToolTip("每次输出完整号码都记入审计日志。" if allowed else "需要审核或管理员账号。")
        m = profile.masking
        self.hint = QLabel(f"不勾选时，身份证号只显示前 {m.id_head} 位和后 {m.id_tail} 位；这样导出的 Excel 不能再导入名册。"
                           + ("" if allowed else "完整号码需审核或管理员账号。"))
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "hint")
        form = QFormLayout()
        form.addRow("填表人：", self.filler)
        form.addRow("联系电话：", self.phone)
        form.addRow("", self.full)

        self.pdf = PdfActions(self, self._pdf_job, self._pdf_name)
        self.xlsx_button = QPushButton("导出Excel(&X)…")
        self.close_button = QPushButton("关闭")
        self.pdf.print_button.setDefault(True)
        buttons = QHBoxLayout()
        for b in (self.pdf.print_button, self.pdf.save_button, self.xlsx_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.close_button.clicked.connect(self.reject)
        self.setMinimumWidth(520)

    def options(self) -> forms.RosterOptions:
        return forms.RosterOptions(self.full.isChecked(), self.filler.text(), self.phone.text())

    def _stem(self) -> str:
        return f"{_safe(self.station_name)}_{self.title}{'（完整号码）' if self.full.isChecked() else ''}"

    def _pdf_name(self) -> str:
        return f"{self._stem()}.pdf"

    def _pdf_job(self) -> Any:
        state, station_id, options = self.state, self.station_id, self.options()
        return lambda s, out: forms.write_roster_pdf(s, state.user, state.profile, station_id, out, options)

    def export_xlsx(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出Excel", f"{self._stem()}.xlsx", "Excel 文件 (*.xlsx)")
        if not path:
            return
        out = Path(path if path.lower().endswith(".xlsx") else path + ".xlsx")
        state, station_id, options = self.state, self.station_id, self.options()

        def done(result: forms.RosterWritten) -> None:
            ids = "完整身份证号码（已记入审计日志）" if result.full_id else "身份证号码已部分隐藏"
            QMessageBox.information(self, "已导出", f"已导出 {result.rows} 行（{ids}）：\n{out}")

        state.in_background(lambda s: forms.write_roster_xlsx(s, state.user, state.profile, station_id, out, options),
                            on_done=done, parent=self, label="正在导出名册……")
