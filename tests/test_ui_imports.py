"""The GUI import dialog: checks first, shows bad rows by Excel row number, imports on request."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from desktop.core.services import applications as svc
from desktop.ui.imports import application_import_dialog
from tests.factories import make_id
from tests.ui_helpers import signed_in_state

HEADER = ["姓名", "性别", "出生年月", "政治面貌", "学历", "联系电话", "工作单位", "身份证号码", "个人银行账号",
          "开户银行", "家庭住址", "个人简介", "常住村（社区）", "申请日期"]


def row(seq: int, id_number: str | None = None) -> list[object]:
    idn = id_number or make_id(date(1980, 5, 1 + seq), seq=seq)
    return ["张" + "一二三四五"[seq % 5], "男", f"{idn[6:10]}-{idn[10:12]}", "群众", "初中", f"1381234{seq:04d}", "",
            idn, "", "", "大英县蓬莱镇", "", "蓬莱镇白衣村", "2026-11-20"]


def test_dry_run_report_then_import_good_rows(qtbot, db, profile, tmp_path) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年白衣村劳务经纪人申请汇总"])
    ws.append(HEADER)
    ws.append(row(1))
    bad_id = make_id(date(1980, 5, 3), seq=3)
    ws.append(row(2, bad_id[:-1] + ("1" if bad_id[-1] != "1" else "2")))
    ws.append(row(4))
    path = tmp_path / "申请.xlsx"
    wb.save(path)

    state = signed_in_state(db, profile)
    dialog = application_import_dialog(state)
    qtbot.addWidget(dialog)
    dialog.check(path)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert not dialog.import_all.isEnabled()
    assert dialog.import_good.isEnabled() and "2 行" in dialog.import_good.text()
    rows = {dialog.problems.item(r, 0).text() for r in range(dialog.problems.rowCount())
            if dialog.problems.item(r, 3).text() == "问题"}
    assert rows == {"4"}  # the bad ID is on Excel row 4
    assert state.read(lambda s: svc.count_applications(s, svc.ApplicationQuery())) == 0  # dry run wrote nothing
    dialog.run(skip_bad=True)
    qtbot.waitUntil(lambda: dialog.imported == 2, timeout=10_000)
    assert state.read(lambda s: svc.count_applications(s, svc.ApplicationQuery())) == 2
