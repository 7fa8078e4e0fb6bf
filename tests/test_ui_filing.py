"""The 年度备案 page, the export dialog, consolidation, and the backup menu and dialogs."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from desktop.core.backup import local, sealed
from desktop.core.db.database import Database
from desktop.core.documents import delivery
from desktop.core.models.audit import AuditEntry
from desktop.core.rules.profile import PolicyProfile
from desktop.ui.filing.backup_dialogs import RestoreDialog, UsbBackupDialog
from desktop.ui.filing.consolidation_dialog import ConsolidationDialog
from desktop.ui.filing.page import FilingPage
from desktop.ui.main_window import MainWindow
from tests.test_consolidation import IDS, counties  # noqa: F401  (fixture)
from tests.test_filing import add_broker, make_id
from tests.ui_helpers import signed_in_state


@pytest.fixture(autouse=True)
def _quiet_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(sealed, "SCRYPT_LOG_N", 12)


def brokers(db: Database, n: int = 3) -> None:
    for i in range(n):
        add_broker(db, f"经纪人{i}", make_id(date(1980, 1, 2 + i), seq=i), date(2021, 7, 18))


def test_page_lists_the_year_masked_and_exports_to_a_folder(qtbot, qtmodeltester, db: Database,  # type: ignore[no-untyped-def]
                                                            profile: PolicyProfile, tmp_path: Path) -> None:
    brokers(db)
    state = signed_in_state(db, profile)
    page = FilingPage(state)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 3 and "共 3 人" in page.count_label.text()
    assert "********" in page.model.data(page.model.index(0, 3))
    page.year.setValue(2020)
    assert page.model.rowCount() == 0 and not page.export_button.isEnabled()
    page.year.setValue(2026)
    page.reviewer.setText("李审核")

    dialog = page.export_dialog()  # a child of the page: closed with it
    dialog.refresh_drives([])
    assert not dialog.drive_box.isEnabled() and not dialog.start_button.isEnabled()  # no stick, no folder yet
    out = tmp_path / "U盘"
    out.mkdir()
    dialog.set_folder(out)
    assert dialog.start_button.isEnabled()
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert "完成" in dialog.status.text() and dialog.bar.value() == 100
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf", ".txt", ".xlsx"]
    with db.session("t", write=False) as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "导出")).one().actor == "clerk"


def test_export_dialog_reports_a_full_stick(qtbot, db: Database, profile: PolicyProfile, tmp_path: Path,  # type: ignore[no-untyped-def]
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    brokers(db)
    page = FilingPage(signed_in_state(db, profile))
    qtbot.addWidget(page)
    dialog = page.export_dialog()

    def full(_fd: int, _data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(delivery.os, "write", full)
    dialog.set_folder(tmp_path)
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert "空间不足" in dialog.status.text() and dialog.start_button.isEnabled()
    assert not any(p.suffix in (".xlsx", ".pdf", ".part") for p in tmp_path.iterdir())


def test_cancel_while_writing_leaves_nothing(qtbot, db: Database, profile: PolicyProfile, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    brokers(db)
    page = FilingPage(signed_in_state(db, profile))
    qtbot.addWidget(page)
    dialog = page.export_dialog()
    real_write = os.write

    def slow(fd: int, data: bytes) -> int:
        time.sleep(0.05)
        return real_write(fd, data[:4096])  # a slow stick: small pieces

    monkeypatch.setattr(delivery.os, "write", slow)
    stick = tmp_path / "U盘"
    stick.mkdir()
    dialog.set_folder(stick)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=20_000)
    dialog.reject()  # 取消 while writing: asks (patched: yes), then stops
    assert (dialog.running and dialog.isVisible() is False) or dialog.running
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert "已取消" in dialog.status.text()
    assert list(stick.iterdir()) == []


def test_consolidation_dialog_needs_every_decision(qtbot, db: Database, profile: PolicyProfile,  # type: ignore[no-untyped-def]
                                                   counties: list[Path], tmp_path: Path) -> None:  # noqa: F811
    state = signed_in_state(db, profile, "reviewer")
    dialog = ConsolidationDialog(state)
    qtbot.addWidget(dialog)
    dialog.add_files(counties)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20_000)
    assert dialog.conflicts.rowCount() == 1 and dialog.problems.rowCount() == 3
    assert "********" in dialog.conflicts.item(0, 0).text()  # the ID is masked in the list
    assert "13800001111" in dialog.conflicts.item(0, 3).text()  # the differing values are shown in full
    assert not dialog.write_button.isEnabled() and "处问题" in dialog.message.text()
    dialog.skip_bad.setChecked(True)
    assert not dialog.write_button.isEnabled() and "尚未决定" in dialog.message.text()
    dialog.choose(0, 1)
    assert dialog.write_button.isEnabled() and dialog.decisions() == {IDS[2]: 1}
    export = dialog.export_dialog()
    assert export is not None  # a child of the dialog
    out = tmp_path / "市里U盘"
    out.mkdir()
    export.set_folder(out)
    export.start()
    qtbot.waitUntil(lambda: not export.running, timeout=20_000)
    assert "汇总 6 人" in export.status.text()
    assert len(list(out.glob("*汇总）.xlsx"))) == 1
    dialog.choose(0, None)
    assert dialog.decisions() == {IDS[2]: None}


def test_backup_menu_roles_timer_and_exit(qtbot, db: Database, profile: PolicyProfile) -> None:  # type: ignore[no-untyped-def]
    clerk_window = MainWindow(signed_in_state(db, profile, "clerk"))
    qtbot.addWidget(clerk_window)
    menu = clerk_window.backups
    assert menu.usb_action.isEnabled() and not menu.restore_action.isEnabled()
    assert clerk_window.filing in clerk_window.pages
    assert db.path is not None
    folder = local.auto_folder(db.path)
    menu.tick()
    qtbot.waitUntil(lambda: len(local.list_backups(folder)) == 1, timeout=20_000)
    qtbot.waitUntil(lambda: "已自动备份" in menu.last_message, timeout=5_000)
    menu.on_exit()  # nothing changed since
    assert len(local.list_backups(folder)) == 1
    admin_window = MainWindow(signed_in_state(db, profile, "admin"))
    qtbot.addWidget(admin_window)
    assert admin_window.backups.restore_action.isEnabled()


def test_usb_backup_and_refused_restore(qtbot, db: Database, profile: PolicyProfile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    brokers(db, 1)
    dialog = UsbBackupDialog(signed_in_state(db, profile))
    qtbot.addWidget(dialog)
    dialog.set_folder(tmp_path)
    dialog.passphrase.setText("春眠不觉晓-2026")
    dialog.again.setText("春眠不觉晓-2025")
    dialog.start()
    assert "不一致" in dialog.status.text() and not dialog.running
    dialog.again.setText("春眠不觉晓-2026")
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    made = next(tmp_path.glob("*.ldbackup"))

    restored: list[str] = []
    restore = RestoreDialog(signed_in_state(db, profile, "admin"), restored.append)
    qtbot.addWidget(restore)
    restore.set_file(made)
    assert "演示" not in restore.file_label.text() and "大英县农民工服务中心" in restore.file_label.text()
    restore.passphrase.setText("wrong-passphrase")
    restore.check()
    qtbot.waitUntil(lambda: "口令不对" in restore.status.text(), timeout=20_000)
    assert not restore.restore_button.isEnabled() and restored == []
    restore.passphrase.setText("春眠不觉晓-2026")
    restore.check()
    qtbot.waitUntil(lambda: restore.restore_button.isEnabled(), timeout=20_000)
    assert "检查通过" in restore.status.text()
    restore.restore()  # confirmed (patched question: yes)
    qtbot.waitUntil(lambda: restored != [], timeout=20_000)
    assert "程序将关闭" in restored[0]
    assert not [p for p in os.listdir(db.path.parent / "backups") if p.startswith(".restore-")]
    assert len(list((db.path.parent / "backups").glob("*before-restore*"))) == 1


def test_restore_dialog_discards_a_checked_backup_on_close(qtbot, db: Database, profile: PolicyProfile,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path) -> None:
    made = backups_file(db, profile, tmp_path)
    restore = RestoreDialog(signed_in_state(db, profile, "admin"), lambda _m: None)
    qtbot.addWidget(restore)
    restore.set_file(made)
    restore.passphrase.setText("春眠不觉晓-2026")
    restore.check()
    qtbot.waitUntil(lambda: restore.restore_button.isEnabled(), timeout=20_000)
    restore.reject()  # nothing replaced; the decrypted copy is removed
    assert not [p for p in os.listdir(db.path.parent / "backups") if p.startswith(".restore-")]
    assert not list((db.path.parent / "backups").glob("*before-restore*"))


def backups_file(db: Database, profile: PolicyProfile, folder: Path) -> Path:
    from desktop.core.services import backups
    from desktop.core.services import center as center_service
    from tests.test_backup import CLERK

    with db.session("t", write=False) as s:
        info = center_service.load_center(s)
    assert info is not None
    return backups.backup_to_folder(db, CLERK, profile, info, folder, "春眠不觉晓-2026").file
