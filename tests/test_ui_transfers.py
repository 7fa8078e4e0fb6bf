"""The transfer pages through the GUI: the list, the entry form, the review and the subsidy page."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from desktop.core.models.registry import Broker
from desktop.core.models.transfer import SubsidyClaimBatch, TransferRecord
from desktop.core.rules.profile import load_profile
from desktop.core.services import transfer_search as search
from desktop.ui.main_window import MainWindow
from desktop.ui.transfers.form import TransferForm
from desktop.ui.transfers.page import COLUMNS, TransfersPage
from desktop.ui.transfers.review_page import ReviewPage
from desktop.ui.transfers.subsidy_page import SubsidyPage
from desktop.ui.transfers.widgets import ReasonDialog, transfer_model
from tests.transfer_factories import add_broker, add_transfer, worker_id
from tests.ui_helpers import signed_in_state, type_text


def _pages(window: MainWindow) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_pages_follow_the_profile_modules(qtbot, db, profile) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(signed_in_state(db, profile))
    qtbot.addWidget(window)
    pages = _pages(window)
    start = pages.index("转移就业")
    assert pages[start:start + 3] == ["转移就业", "两年复核", "服务补助"]
    chongqing = MainWindow(signed_in_state(db, load_profile("chongqing")))
    qtbot.addWidget(chongqing)
    assert "转移就业" in _pages(chongqing) and "两年复核" not in _pages(chongqing) and "服务补助" not in _pages(chongqing)
    jindong = MainWindow(signed_in_state(db, load_profile("jindong")))
    qtbot.addWidget(jindong)
    assert "转移就业" not in _pages(jindong)


def test_list_loads_lazily_and_filters_in_the_database(qtbot, db, profile, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        a = add_broker(s, "甲", 1)
        b = add_broker(s, "乙", 2)
        for i in range(450):
            add_transfer(s, a.id if i % 3 else b.id, id_number=worker_id(i, birth=date(1970 + i // 100, 1, 1)),
                         hire_date=date(2024 + i % 2, 1 + i % 12, 1 + i % 28), worker_name=f"工人{i}")
    state = signed_in_state(db, profile)
    model = transfer_model(state, COLUMNS, search.TransferQuery())
    model.set_query(search.TransferQuery())
    assert model.total == 450 and model.rowCount() == 200 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 400
    model.set_query(search.TransferQuery(text="工人1"))  # a search: count and page from one scan
    assert model.total == 111 and model.rowCount() == 111
    qtmodeltester.check(model)

    page = TransfersPage(state)
    qtbot.addWidget(page)
    assert page.model.total == 450
    page.year.setCurrentIndex(page.year.findData(2025))
    assert page.model.total == 225
    type_text(page.employer, "不存在的单位")
    page.apply_filters()
    assert page.model.total == 0 and "共 0 人次" in page.count_label.text()
    QApplication.processEvents()


def test_the_list_opens_once_newest_first_and_a_view_queries_nothing(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.paged_model import PagedTableModel
    from desktop.ui.widgets import paged_table_view

    asked: list[object] = []
    bare = PagedTableModel(COLUMNS, lambda q: asked.append(q) or 0, lambda q, o, n: [], search.TransferQuery())
    view = paged_table_view(bare, (80,))
    qtbot.addWidget(view)
    assert asked == []  # making the view sorts nothing and loads nothing: the page decides

    with db.session("clerk") as s:
        a = add_broker(s, "甲", 1)
        for i, day in enumerate((date(2024, 3, 1), date(2026, 5, 2), date(2025, 7, 9))):
            add_transfer(s, a.id, id_number=worker_id(i), hire_date=day, worker_name=f"工人{i}")
    state = signed_in_state(db, profile)
    counts: list[search.TransferQuery] = []
    real = search.count_transfers
    monkeypatch.setattr(search, "count_transfers", lambda s, q: counts.append(q) or real(s, q))
    page = TransfersPage(state)
    qtbot.addWidget(page)
    assert len(counts) == 1 and counts[0].order == "recent"  # one query on opening, in the default order
    assert [page.model.row_at(i).hire_date for i in range(3)] == [date(2026, 5, 2), date(2025, 7, 9), date(2024, 3, 1)]
    assert page.table.horizontalHeader().sortIndicatorSection() == -1
    page.table.sortByColumn(COLUMNS.index(next(c for c in COLUMNS if c.sort_key == "hire_date")),
                            Qt.SortOrder.AscendingOrder)  # a click on the 日期 header
    assert page.model.row_at(0).hire_date == date(2024, 3, 1)


def test_the_form_checks_while_typing_and_saves_with_enter(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: pytest.fail(f"{title}: {text}"))
    with db.session("clerk") as s:
        broker_id = add_broker(s, "王经纪", 1).id
    state = signed_in_state(db, profile)
    form = TransferForm(state, broker_id=broker_id)
    qtbot.addWidget(form)
    form.hire_date.setDate(QDate(2025, 3, 1))
    type_text(form.worker_name, "阿说木呷")
    type_text(form.id_number, worker_id(3))
    form.revalidate()
    assert "性别：男" in form.derived.text() and "34 周岁" in form.derived.text()
    type_text(form.employer_name, "东莞市长安精密电子有限公司")
    assert form.employer_type.currentText() == "企业"  # guessed from the name, still editable
    type_text(form.contract_term, "11个月")
    form.education.setCurrentText("初中")
    form.social_insurance.setChecked(True)
    form.poverty.setChecked(True)
    form.revalidate()
    assert "识别为：11个月" in form.contract_read.text()
    assert "劳动合同期限11个月，不满1年" in form.subsidy.text()
    form.contract_term.setText("1年")
    form.revalidate()
    assert "符合（300 元）" in form.subsidy.text()
    form.show()
    with qtbot.waitSignal(form.saved, timeout=10_000):
        qtbot.keyClick(form.job, Qt.Key.Key_Return)
    with db.session("clerk", write=False) as s:
        record = s.scalar(select(TransferRecord))
    assert (record.worker_name, record.hire_date, record.contract_months, record.broker_id) == (
        "阿说木呷", date(2025, 3, 1), 12, broker_id)


def test_escape_asks_before_discarding(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, *a, **k: asked.append(title)
                        or QMessageBox.StandardButton.No)
    form = TransferForm(signed_in_state(db, profile))
    qtbot.addWidget(form)
    form.show()
    type_text(form.worker_name, "张三")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert asked == ["放弃填写？"] and form.isVisible()


def test_reviewer_revokes_a_flagged_broker_from_the_review_page(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    with db.session("clerk") as s:
        low = add_broker(s, "少少", 1)
        busy = add_broker(s, "多多", 2)
        for i in range(10):
            add_transfer(s, busy.id, id_number=worker_id(i), hire_date=date(2025, 1 + i, 3))
    page = ReviewPage(signed_in_state(db, profile, "reviewer"))
    qtbot.addWidget(page)
    assert page.model.total == 1 and page.model.row_at(0).name == "少少"
    assert "<b>1</b> 人" in page.summary.text()
    page.table.selectRow(0)
    monkeypatch.setattr(ReasonDialog, "exec", lambda self: ReasonDialog.DialogCode.Accepted)
    monkeypatch.setattr(ReasonDialog, "text", lambda self: "两年无转移记录，本人同意")
    page.decide("revoked")
    page.state.tasks.wait_idle()
    qtbot.waitUntil(lambda: page.model.row_at(0).status_label == "已取消资格", timeout=5000)
    with db.session("clerk", write=False) as s:
        assert s.get(Broker, low.id).status == "revoked"
    clerk_page = ReviewPage(signed_in_state(db, profile, "clerk"))
    qtbot.addWidget(clerk_page)
    assert not clerk_page.revoke_button.isEnabled() and not clerk_page.fraud_button.isEnabled()


def test_subsidy_page_previews_then_creates_a_batch(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    questions: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: questions.append(text)
                        or QMessageBox.StandardButton.Yes)
    with db.session("clerk") as s:
        broker = add_broker(s, "王经纪", 1)
        add_transfer(s, broker.id, seq=1, hire_date=date(2026, 2, 1))
        add_transfer(s, broker.id, seq=2, hire_date=date(2026, 3, 1), social_insurance=False)
    page = SubsidyPage(signed_in_state(db, profile, "reviewer"))
    qtbot.addWidget(page)
    assert "还没有申领批次" in page.total_label.text()
    page.create_batch()
    qtbot.waitUntil(lambda: bool(page.batches), timeout=10_000)
    assert "可以申领 1 人，合计 300.00 元（叁佰元整）" in questions[0] and "不符合补助条件 1 人次" in questions[0]
    assert page.lines_model.rowCount() == 1 and "叁佰元整" in page.total_label.text()
    with db.session("clerk", write=False) as s:
        assert s.scalar(select(SubsidyClaimBatch.period_from)) == date(2026, 1, 1)


def test_import_dialog_checks_then_imports_for_the_chosen_broker(qtbot, db, profile, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.transfers.dialogs import import_dialog

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    from tests.transfer_sheets import good_row, write_sheet

    with db.session("clerk") as s:
        broker_id = add_broker(s, "王经纪", 1).id
    path = write_sheet(tmp_path / "a.xlsx", [good_row(1, worker_id(1)), good_row(2, worker_id(2))], broker="")
    dialog = import_dialog(signed_in_state(db, profile), None)
    qtbot.addWidget(dialog)
    dialog.check(path)  # no broker on the sheet and none chosen: the file is refused with the reason
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "表上没有填写劳务经纪人姓名" in shown[0] and not dialog.import_all.isEnabled()
    dialog.broker_picker.set_broker(broker_id)
    dialog.broker_picker.changed.emit()  # choosing the broker checks the file again
    qtbot.waitUntil(lambda: dialog.import_all.isEnabled(), timeout=10_000)
    dialog.run(skip_bad=False)
    qtbot.waitUntil(lambda: dialog.imported == 2, timeout=10_000)
