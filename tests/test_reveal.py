"""显示完整号码: full numbers for one record on request, each field an audit event; masked otherwise."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox
from sqlalchemy import select

from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models import AuditEntry, BrokerApplication
from desktop.core.models.account import Role
from desktop.core.privacy import mask_bank, scrub
from desktop.core.services import applications as svc
from desktop.core.services import reveal
from desktop.core.services.accounts import SignedInUser
from desktop.ui.applications.form import ApplicationForm
from desktop.ui.applications.list_page import ApplicationListPage
from tests.factories import application_input
from tests.ui_helpers import signed_in_state

CLERK = SignedInUser(2, "clerk", "张经办", Role.CLERK, False)
DATA = application_input()


def make_application(db, profile) -> int:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        return svc.create_application(s, profile, DATA)


def reveal_events(db) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.field)
                         .where(AuditEntry.action == "查看完整号码").order_by(AuditEntry.id)).all()
    return [tuple(r) for r in rows]


def test_reveal_returns_full_numbers_and_audits_each_field(db, profile) -> None:  # type: ignore[no-untyped-def]
    app_id = make_application(db, profile)
    with db.session("clerk") as s:
        shown = reveal.reveal(s, CLERK, "经纪人申请", app_id)
    assert shown.value("id_number") == DATA.id_number and shown.value("bank_account") == DATA.bank_account
    assert shown.value("phone") == DATA.phone and shown.name == DATA.name
    assert reveal_events(db) == [("clerk", "经纪人申请", str(app_id), f) for f in ("id_number", "phone", "bank_account")]
    with db.session("clerk") as s:
        reveal.reveal(s, CLERK, "经纪人申请", app_id, ("phone",))
    assert reveal_events(db)[-1][3] == "phone" and len(reveal_events(db)) == 4


def test_auditor_may_not_reveal_and_unknown_things_are_refused(db, profile) -> None:  # type: ignore[no-untyped-def]
    app_id = make_application(db, profile)
    auditor = SignedInUser(9, "auditor", "赵审计", Role.AUDITOR, False)
    with pytest.raises(PermissionDenied), db.session("auditor") as s:
        reveal.reveal(s, auditor, "经纪人申请", app_id)
    with pytest.raises(UserError, match="不能显示"), db.session("clerk") as s:
        reveal.reveal(s, CLERK, "经纪人申请", app_id, ("home_address",))
    with pytest.raises(UserError, match="不存在"), db.session("clerk") as s:
        reveal.reveal(s, CLERK, "经纪人申请", app_id + 100)
    with pytest.raises(UserError), db.session("clerk") as s:
        reveal.reveal(s, CLERK, "公示批次", 1)
    with pytest.raises(ValueError):
        reveal.register(BrokerApplication, ("name",))
    assert reveal_events(db) == []


def test_bank_accounts_and_numbers_in_text_are_masked_by_the_profile(profile) -> None:  # type: ignore[no-untyped-def]
    assert mask_bank("6217995510001234567", profile) == "6217***********4567"
    text = f"身份证 {DATA.id_number}，电话 13812345678 或 0838-1234567，卡号 6217995510001234567，日期 2026-11-22"
    assert scrub(text, profile) == ("身份证 510923********1258，电话 138****5678 或 083*****4567，"
                                    "卡号 6217***********4567，日期 2026-11-22")


def test_detail_form_masks_until_revealed_and_saves_stored_numbers(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: pytest.fail(f"{title}: {text}"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    app_id = make_application(db, profile)
    state = signed_in_state(db, profile, "clerk")
    form = ApplicationForm(state, app_id)
    qtbot.addWidget(form)
    assert form.id_number.text() == "510923********1258" and form.id_number.isReadOnly()
    assert form.bank_account.text() == "6217***********4567" and form.phone.text() == "138****5678"
    assert form.reveal_button.isVisible() or form.reveal_button.isVisibleTo(form)
    assert all(p.severity != "error" for p in form.revalidate())  # the stored numbers are checked
    form.employer.setText("新的工作单位")
    form.touched.add("employer")
    with qtbot.waitSignal(form.saved, timeout=10_000):
        form.save()
    with db.session("t", write=False) as s:
        stored = s.get(BrokerApplication, app_id)
        assert (stored.id_number, stored.bank_account, stored.employer) == (DATA.id_number, DATA.bank_account,
                                                                            "新的工作单位")
    assert reveal_events(db) == []

    form = ApplicationForm(state, app_id)
    qtbot.addWidget(form)
    form.reveal_button.click()
    assert form.id_number.text() == DATA.id_number and not form.id_number.isReadOnly()
    assert form.bank_account.text() == DATA.bank_account and not form.reveal_button.isEnabled()
    assert len(reveal_events(db)) == 3
    form.dirty = False


def test_list_page_button_reveals_the_selected_record(qtbot, db, profile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: errors.append(text))
    app_id = make_application(db, profile)
    page = ApplicationListPage(signed_in_state(db, profile, "clerk"))
    qtbot.addWidget(page)
    page.reveal_button.click()
    assert errors == ["请先在列表中选中一条记录。"]
    page.table.selectRow(0)
    page.reveal_button.click()
    dialog = page.findChild(QDialog)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert DATA.id_number in texts and DATA.bank_account in texts and any("审计日志" in t for t in texts)
    assert [e[2] for e in reveal_events(db)] == [str(app_id)] * 3
