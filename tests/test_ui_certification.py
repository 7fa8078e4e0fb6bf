"""End to end through the GUI: one application from entry to certified broker, as the counter does it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop.core import clock
from desktop.ui.applications.form import ApplicationForm
from desktop.ui.applications.list_page import ApplicationListPage
from desktop.ui.applications.timeline import StepDialog, TrainingDialog
from desktop.ui.publicity.dialogs import NewBatchDialog, ObjectionDialog
from desktop.ui.publicity.page import PublicityPage
from desktop.ui.registry.page import RegistryPage
from tests.test_ui_applications import ID, fill_form
from tests.ui_helpers import signed_in_state, type_text


def action_button(form: ApplicationForm, key: str) -> QPushButton:
    assert form.timeline is not None
    button = form.timeline.findChild(QPushButton, f"action_{key}")
    assert button is not None, key
    return button


def test_application_walks_from_entry_to_certified(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: pytest.fail(f"{title}: {text}"))
    clock.pin(datetime(2026, 10, 8, 9, 0))
    clerk = signed_in_state(db, profile, "clerk")
    reviewer = signed_in_state(db, profile, "reviewer")

    # 1. The clerk types the application.
    page = ApplicationListPage(clerk)
    qtbot.addWidget(page)
    page.new_application()
    form = page.current_form
    fill_form(qtbot, form)
    with qtbot.waitSignal(form.saved, timeout=10_000):
        qtbot.keyClick(form.home_address, Qt.Key.Key_Return)
    app_id = page.model.row_at(0).id

    # 2. Village recommendation recorded by the clerk; review is not offered to the clerk.
    form = ApplicationForm(clerk, app_id)
    qtbot.addWidget(form)
    assert [b.objectName() for b in form.timeline.findChildren(QPushButton)] == ["action_recommend", "action_reject"]
    assert not action_button(form, "reject").isEnabled()  # needs the reviewer role
    clock.pin(datetime(2026, 10, 10, 9, 0))
    dialog = StepDialog(clerk, app_id, "recommend")
    qtbot.addWidget(dialog)
    type_text(dialog.opinion, "同意推荐")
    dialog.submit()
    form.timeline.refresh()
    review = action_button(form, "review")
    assert not review.isEnabled() and "审核" in review.toolTip()

    # 3. The reviewer passes the county review (four-eyes: a different person entered it).
    clock.pin(datetime(2026, 10, 12, 9, 0))
    reviewer_form = ApplicationForm(reviewer, app_id)
    qtbot.addWidget(reviewer_form)
    assert action_button(reviewer_form, "review").isEnabled()
    dialog = StepDialog(reviewer, app_id, "review")
    qtbot.addWidget(dialog)
    type_text(dialog.opinion, "符合条件")
    dialog.submit()
    assert dialog.result() == StepDialog.DialogCode.Accepted

    # 4. Training result typed in by the clerk.
    clock.pin(datetime(2026, 10, 30, 9, 0))
    training = TrainingDialog(clerk, app_id)
    qtbot.addWidget(training)
    training.month.setText("2026-10")
    qtbot.keyClicks(training.score, "88")
    qtbot.keyClicks(training.certificate, "SC2026-00088")
    training.submit()
    assert "核对" in training.message.text()  # must confirm against the platform first
    training.sure.setChecked(True)
    training.submit()
    assert training.result() == TrainingDialog.DialogCode.Accepted

    # 5. The clerk creates the publicity batch; an objection comes in and is not upheld.
    clock.pin(datetime(2026, 11, 2, 9, 0))
    batch_dialog = NewBatchDialog(clerk)
    qtbot.addWidget(batch_dialog)
    assert batch_dialog.people.count() == 1
    batch_dialog.start.setDate(QDate(2026, 11, 2))
    assert "2026-11-06" in batch_dialog.end_label.text()
    qtbot.keyClicks(batch_dialog.phone, "0825-1234567")
    type_text(batch_dialog.address, "大英县人社局二楼")
    batch_dialog.submit()
    assert batch_dialog.batch_id is not None
    publicity_page = PublicityPage(clerk)
    qtbot.addWidget(publicity_page)
    assert publicity_page.people_table.item(0, 4).text() == ID[:6] + "********" + ID[-4:]
    assert not publicity_page.close_button.isEnabled()  # the clerk cannot certify
    objection = ObjectionDialog(clerk, batch_dialog.batch_id, publicity_page.people)
    qtbot.addWidget(objection)
    type_text(objection.content, "反映其不在村居住")
    objection.submit()

    # 6. The reviewer decides the objection and closes the batch on its last day.
    clock.pin(datetime(2026, 11, 6, 17, 0))
    reviewer_page = PublicityPage(reviewer)
    qtbot.addWidget(reviewer_page)
    from desktop.ui.publicity.dialogs import VerdictDialog

    verdict = VerdictDialog(reviewer, reviewer_page.objections[0])
    qtbot.addWidget(verdict)
    type_text(verdict.reason, "经村委核实，本人长期在村居住")
    verdict.submit()
    reviewer_page.reload()
    reviewer_page.close_batch()
    assert reviewer_page.people_table.item(0, 5).text() == "已认定"
    assert not reviewer_page.close_button.isEnabled()  # closed: read-only

    # 7. The broker is in the registry, and the timeline shows every step.
    registry_page = RegistryPage(clerk)
    qtbot.addWidget(registry_page)
    assert registry_page.model.total == 1
    broker = registry_page.model.row_at(0)
    assert (broker.name, broker.certified_on, broker.certificate_no) == ("王镕䶮", date(2026, 11, 6), "SC2026-00088")
    final = ApplicationForm(clerk, app_id)
    qtbot.addWidget(final)
    steps = [final.timeline.tree.topLevelItem(i).text(1) for i in range(final.timeline.tree.topLevelItemCount())]
    assert steps == ["申请", "村（社区）推荐：通过", "县级初审：通过", "培训考试：通过", "公示", "认定"]
    assert not final.save_button.isEnabled()  # certified applications are read-only
