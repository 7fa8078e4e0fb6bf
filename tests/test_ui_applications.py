"""The application page as a clerk uses it: type the form with the keyboard, save, find it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.core.services import applications as svc
from desktop.ui.applications.form import ApplicationForm
from desktop.ui.applications.list_page import ApplicationListPage, make_model
from tests.factories import application_input, make_id
from tests.ui_helpers import signed_in_state, type_text

ID = make_id(date(1985, 3, 15))


def fill_form(qtbot, form: ApplicationForm, id_number: str = ID) -> None:  # type: ignore[no-untyped-def]
    type_text(form.name, "王镕䶮")
    qtbot.keyClicks(form.id_number, id_number.lower())
    form.political_status.setCurrentText("中共党员")
    form.education.setCurrentText("高中")
    qtbot.keyClicks(form.phone, "13812345678")
    type_text(form.employer, "蓬莱镇白衣村村民委员会")
    qtbot.keyClicks(form.bank_account, "6217995510001234566")
    type_text(form.bank_name, "中国邮政储蓄银行大英县支行")
    type_text(form.village, "白衣村")
    form.category.setCurrentText("村干部")
    type_text(form.home_address, "大英县蓬莱镇白衣村3组12号")
    for box in form.declarations:
        box.setChecked(True)


def test_form_typed_saved_and_found_in_list(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    state = signed_in_state(db, profile)
    page = ApplicationListPage(state)
    qtbot.addWidget(page)
    page.new_application()
    form = page.current_form
    fill_form(qtbot, form)
    # Gender and birth month were derived from the ID number as it was typed.
    assert form.gender.currentText() == "男"
    assert form.birth_month.text() == "1985-03"
    assert form.id_number.text() == ID  # lower-case x normalised (if any)
    with qtbot.waitSignal(form.saved, timeout=10_000):
        qtbot.keyClick(form.home_address, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: page.model.total == 1)
    row = page.model.row_at(0)
    assert row.name == "王镕䶮"
    assert row.id_number_masked == ID[:6] + "********" + ID[-4:]
    page.search.setText("镕䶮")
    page.apply_filters()
    assert page.model.total == 1
    page.search.setText(ID[:8])
    page.apply_filters()
    assert page.model.total == 1
    page.search.setText("张三")
    page.apply_filters()
    assert page.model.total == 0


def test_form_shows_error_for_wrong_check_digit_and_saves_nothing(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    state = signed_in_state(db, profile)
    form = ApplicationForm(state)
    qtbot.addWidget(form)
    bad = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    fill_form(qtbot, form, id_number=bad)
    form.revalidate()
    assert form.id_number.property("state") == "error"
    assert "校验位" in form.problem_panel.text()
    form.save()
    assert shown and "身份证号码" in shown[0]
    assert state.read(lambda s: svc.count_applications(s, svc.ApplicationQuery())) == 0
    form.dirty = False


def test_duplicate_id_opens_the_existing_record(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with db.session("clerk") as s:
        existing = svc.create_application(s, profile, application_input(id_number=ID))
    state = signed_in_state(db, profile)
    form = ApplicationForm(state)
    qtbot.addWidget(form)
    with qtbot.waitSignal(form.open_existing) as blocker:
        qtbot.keyClicks(form.id_number, ID)
    assert blocker.args == [existing]


def test_escape_with_unsaved_changes_asks_first(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def no(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    state = signed_in_state(db, profile)
    form = ApplicationForm(state)
    qtbot.addWidget(form)
    form.show()
    type_text(form.name, "李四")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert asked and form.isVisible()
    form.dirty = False


def test_list_model_loads_lazily(qtbot, db, profile, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        for i in range(450):
            svc.create_application(s, profile, application_input(id_number=make_id(date(1980, 1, 1 + i % 28), seq=i,
                                                                                   county=f"5109{21 + i // 100:02d}")))
    state = signed_in_state(db, profile)
    model = make_model(state)
    model.set_query(svc.ApplicationQuery())
    assert model.total == 450
    assert model.rowCount() < model.total
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 400
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 200
    names = [model.row_at(i).name for i in range(model.rowCount())]
    assert names == sorted(names)
    qtmodeltester.check(model)
    QApplication.processEvents()
