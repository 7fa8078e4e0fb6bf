"""The dashboard and the broker-performance pages as a clerk uses them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from desktop.core.models.certification import PublicityBatch
from desktop.core.models.performance import BrokerWork, TrainingAttendance, VillagePopulation
from desktop.core.rules.profile import load_profile
from desktop.core.services import cultivation
from desktop.ui.charts import BarChart, HBarChart
from desktop.ui.dashboard.page import DashboardPage
from desktop.ui.main_window import MainWindow
from desktop.ui.performance.coverage_page import CoveragePage, PopulationDialog
from desktop.ui.performance.points_page import PointsPage, WorkDialog
from desktop.ui.performance.ranking_page import RankingPage
from desktop.ui.performance.training_page import AttendanceDialog, SessionDialog, TrainingPage
from tests.insights_factories import add_broker
from tests.transfer_factories import add_transfer, worker_id
from tests.ui_helpers import signed_in_state, type_text


def seed(db) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        a = add_broker(s, "甲", village="510923001002").id
        b = add_broker(s, "乙").id
        for n in range(1, 6):
            add_transfer(s, a if n % 2 else b, id_number=worker_id(n, birth=date(1990, 1, n)),
                         hire_date=date(2026, n, 3), seq=n)
        s.add(PublicityBatch(year=2026, seq=1, title="第1批", start_date=date(2026, 11, 10),
                             end_date=date(2026, 11, 17), working_days=5))


def test_dashboard_shows_figures_and_opens_the_page_of_a_todo(qtbot, db, profile) -> None:  # type: ignore[no-untyped-def]
    seed(db)
    page = DashboardPage(signed_in_state(db, profile))
    qtbot.addWidget(page)
    page.targets = {"publicity"}
    page.reload()
    qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
    assert page.brokers_tile.value.text() == "2 名"
    assert page.transfers_tile.value.text() == "5 人次"
    assert page.subsidy_tile is not None and page.subsidy_tile.value.text() == "0 人"
    assert "11月 5" in page.months.toolTip() or "5月 1" in page.months.toolTip()
    first = page.todo.item(0)
    assert first.text().startswith("⚠ 2026年第1批公示已于 11月17日 期满")
    with qtbot.waitSignal(page.navigate) as signal:
        page.todo.itemClicked.emit(first)
    assert signal.args == ["publicity"]


def test_main_window_puts_the_dashboard_first_and_pages_by_module(qtbot, db, profile) -> None:  # type: ignore[no-untyped-def]
    sichuan = MainWindow(signed_in_state(db, profile))
    qtbot.addWidget(sichuan)
    titles = [sichuan.nav.item(i).text() for i in range(sichuan.nav.count())]
    assert titles[:4] == ["工作台", "经纪人申请", "公示管理", "经纪人名册"]
    assert "金牌推荐" in titles and "村级覆盖" not in titles and "积分排名" not in titles
    qtbot.waitUntil(lambda: sichuan.dashboard.data is not None, timeout=10_000)
    sichuan.open_target("publicity")
    assert sichuan.stack.currentWidget() is sichuan.publicity
    chongqing = MainWindow(signed_in_state(db, load_profile("chongqing")))
    qtbot.addWidget(chongqing)
    titles = [chongqing.nav.item(i).text() for i in range(chongqing.nav.count())]
    assert titles[0] == "工作台" and {"村级覆盖", "集中培育", "积分排名"} <= set(titles) and "金牌推荐" not in titles
    qtbot.waitUntil(lambda: chongqing.dashboard.data is not None, timeout=10_000)
    chongqing.state.tasks.wait_idle()
    sichuan.state.tasks.wait_idle()


def test_population_typed_in_and_shown_in_coverage(qtbot, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    state = signed_in_state(db, load_profile("chongqing"))
    page = CoveragePage(state)
    qtbot.addWidget(page)
    dialog = PopulationDialog(state, "510923001002", page)
    qtbot.addWidget(dialog)
    assert dialog.village.currentText() == "盐井街道 田坝子社区居委会"
    qtbot.keyClicks(dialog.registered, "10001")
    qtbot.keyClicks(dialog.resident, "9000")
    dialog.submit()
    assert dialog.result() == PopulationDialog.DialogCode.Accepted
    with db.session("clerk", write=False) as s:
        row = s.scalar(select(VillagePopulation))
    assert (row.registered, row.resident, row.created_by) == (10001, 9000, "clerk")
    page.reload()
    qtbot.waitUntil(lambda: page.report is not None, timeout=10_000)
    tops = [page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())]
    town = next(t for t in tops if t.text(0) == "盐井街道")
    village = next(town.child(i) for i in range(town.childCount()) if town.child(i).text(0) == "田坝子社区居委会")
    assert (village.text(3), village.text(5), village.text(7)) == ("10,001", "3", "3")
    # a bad figure stays in the dialog with its message; Esc asks before discarding
    dialog = PopulationDialog(state, "510923001002", page)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.registered, "五千")
    dialog.submit()
    assert "户籍人口应填写整数" in dialog.message.text() and dialog.isVisible()
    asked: list[int] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(1) or QMessageBox.StandardButton.No)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [1] and dialog.isVisible()  # kept: the clerk said no


def test_training_session_attendance_and_days(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    cq = load_profile("chongqing")
    with db.session("clerk") as s:
        a = add_broker(s, "王小明").id
        add_broker(s, "李四")
    state = signed_in_state(db, cq)
    page = TrainingPage(state)
    qtbot.addWidget(page)
    dialog = SessionDialog(state, page)
    qtbot.addWidget(dialog)
    type_text(dialog.name, "2026年第一期集中培育")
    qtbot.keyClicks(dialog.days, "1")
    dialog.submit()
    assert dialog.result() == SessionDialog.DialogCode.Accepted, dialog.message.text()
    page.reload()
    session = page.sessions[0]
    attend = AttendanceDialog(state, session, page)
    qtbot.addWidget(attend)
    type_text(attend.picker.box, "小明")
    qtbot.keyClick(attend.picker.box, Qt.Key.Key_Return)  # searches; does not press OK
    assert attend.isVisible() or attend.result() != AttendanceDialog.DialogCode.Accepted
    assert attend.picker.results.count() == 1
    attend.picker.results.item(0).setCheckState(Qt.CheckState.Checked)
    attend.submit()
    assert attend.result() == AttendanceDialog.DialogCode.Accepted, attend.message.text()
    with db.session("clerk", write=False) as s:
        assert s.scalar(select(TrainingAttendance.broker_id)) == a
    page.reload()
    assert page.model.total == 2  # both are under 4 days
    assert {page.model.row_at(i).days_text for i in range(2)} == {"0", "1"}
    assert page.model.row_at(0).name == "李四"  # fewest days first, not sorted by the first column


def test_points_work_entry_and_ranking(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    cq = load_profile("chongqing")
    with db.session("clerk") as s:
        add_broker(s, "王小明")
    state = signed_in_state(db, cq)
    page = PointsPage(state)
    qtbot.addWidget(page)
    dialog = WorkDialog(state, page)
    qtbot.addWidget(dialog)
    type_text(dialog.picker.box, "小明")
    dialog.picker.search()
    dialog.quantity.setValue(4)
    dialog.submit()
    assert dialog.result() == WorkDialog.DialogCode.Accepted, dialog.message.text()
    with db.session("clerk", write=False) as s:
        assert s.scalar(select(BrokerWork.quantity)) == 4
    page.reload()
    qtbot.waitUntil(lambda: page.ranking is not None, timeout=10_000)
    assert page.model.row_at(0).points == 4  # 4 data updates × 1


def test_ranking_page_lists_and_exports_the_nominations(qtbot, db, profile, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seed(db)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    page = RankingPage(signed_in_state(db, profile))
    qtbot.addWidget(page)
    page.reload()
    qtbot.waitUntil(lambda: page.ranking is not None, timeout=10_000)
    assert [page.model.row_at(i).broker.name for i in range(page.model.rowCount())] == ["甲", "乙"]
    assert "推荐名额 100 名" in page.summary.text()
    page.export_list()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert (tmp_path / "2026年度金牌劳务经纪人推荐名单.xlsx").exists()
    assert (tmp_path / "2026年度金牌劳务经纪人推荐名单.pdf").exists()


def test_charts_draw_and_describe_their_data(qtbot) -> None:  # type: ignore[no-untyped-def]
    bars, hbars = BarChart("近 12 个月"), HBarChart("状态")
    for chart in (bars, hbars):
        qtbot.addWidget(chart)
        chart.resize(400, 200)
        assert not chart.grab().isNull()  # empty: says so
        chart.set_data([("1月", 3), ("2月", 0), ("3月", 12)], highlight=[2], unit=" 人次")
        image = chart.grab().toImage()
        assert not image.isNull()
    assert bars.toolTip() == "近 12 个月：1月 3 人次；2月 0 人次；3月 12 人次"
    assert hbars.accessibleDescription().startswith("状态：1月 3 人次")


def test_training_session_days_follow_the_profile_step(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    state = signed_in_state(db, load_profile("chongqing"))
    dialog = SessionDialog(state)
    qtbot.addWidget(dialog)
    type_text(dialog.name, "以会代训")
    qtbot.keyClicks(dialog.days, "0.3")
    dialog.submit()
    assert "0.5 的整数倍" in dialog.message.text()
    with db.session("clerk", write=False) as s:
        assert cultivation.list_sessions(s, 2026) == []
    assert Decimal("0.5")  # the step the message names comes from the profile


def test_reviewer_withdraws_an_attendance_from_the_list(qtbot, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    cq = load_profile("chongqing")
    clerk = signed_in_state(db, cq)
    with db.session("clerk") as s:
        a = add_broker(s, "王小明").id
        sid = cultivation.create_session(s, clerk.user, cq, cultivation.SessionInput(
            "培育", date(2026, 3, 2), date(2026, 3, 3), Decimal("2")))
        cultivation.add_attendance(s, clerk.user, cq, sid, (a,))
    page = TrainingPage(signed_in_state(db, cq, "reviewer"))
    qtbot.addWidget(page)
    page.reload()
    assert page.attendee_model.rowCount() == 1 and page.withdraw.isEnabled()
    page.attendee_table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("误登记，实际未参加", True))
    page.withdraw_selected()
    assert page.attendee_model.row_at(0).withdrawn
    assert page.attendee_model.data(page.attendee_model.index(0, 4)) == "已撤销：误登记，实际未参加"
