"""Screenshots of the security screens (账号管理, 中心设置, 审计日志, masked detail view, database in use),
rendered offscreen on demo data at 1366×768 into docs/screenshots/."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.core import audit_events, clock
    from desktop.core.app import open_database
    from desktop.core.db.instance import DatabaseInUse, Holder
    from desktop.core.demo import DEMO_PASSWORD, generate_demo
    from desktop.core.models.account import Role
    from desktop.core.services import account_admin, accounts, reveal, settings
    from desktop.core.services import applications as svc
    from desktop.core.services import center as center_service
    from desktop.ui.app import make_application
    from desktop.ui.applications.form import ApplicationForm
    from desktop.ui.instance_dialog import InUseDialog
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import AppState
    from desktop.ui.tasks import TaskRunner

    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="labordesk-security-shots-"))
    os.environ["LABORDESK_HOME"] = str(work)
    app = make_application()
    clock.pin(datetime(2026, 11, 22, 9, 0))
    db = open_database(work / "demo.db").db
    generate_demo(db, size="small")

    def signed(username: str):  # type: ignore[no-untyped-def]
        with db.session(username) as s:
            user = accounts.sign_in(s, profile, username, DEMO_PASSWORD).user
        assert user is not None
        return user

    with db.session("admin") as s:
        center = center_service.load_center(s)
        assert center is not None
        profile = center.profile()
    admin = signed("admin")
    clock.pin(datetime(2026, 11, 22, 9, 10))
    with db.session("admin") as s:
        account_admin.create_account(s, admin, profile, username="wangli", display_name="王丽", role=Role.CLERK,
                                     temporary_password="Temp#2026a")
        old = account_admin.create_account(s, admin, profile, username="zhaogang", display_name="赵刚",
                                           role=Role.REVIEWER, temporary_password="Temp#2026b")
        account_admin.set_disabled(s, admin, old.id, True, "调离")
    clock.pin(datetime(2026, 11, 22, 9, 20))
    for _ in range(profile.security.lockout_failures):
        with db.session("jingban") as s:
            accounts.sign_in(s, profile, "jingban", "wrong-password")
    clerk = signed("shenhe")
    with db.session("shenhe") as s:
        first = svc.search_applications(s, profile, svc.ApplicationQuery(limit=1))[0]
        reveal.reveal(s, clerk, "经纪人申请", first.id, ("id_number",))
        audit_events.record_export(s, "公示批次", "公示名单", work / "公示名单.xlsx", 12, "1")
    clock.pin(datetime(2026, 11, 22, 9, 30))

    state = AppState(db, center, profile, signed("admin"), TaskRunner())
    window = MainWindow(state)
    window.resize(1366, 768)
    window.show()
    window.nav.setCurrentRow(window.pages.index(window.accounts_page))
    window.accounts_page.table.selectRow(1)  # the locked account: 解锁 is offered
    QApplication.processEvents()
    window.grab().save(str(OUT / "accounts.png"))

    with db.session("admin") as s:  # the centre shortened its idle lock earlier
        state.center = settings.set_override(s, state.user, "security.idle_lock_minutes", 5)
    state.profile = state.center.profile()
    window.nav.setCurrentRow(window.pages.index(window.settings_page))
    page = window.settings_page
    QApplication.processEvents()
    window.grab().save(str(OUT / "settings.png"))
    page.grid.editors["security.audit_retention_months"].setText("3")  # below the national floor
    page.grid.changed.emit()
    QMessageBox.question = lambda *_a, **_k: QMessageBox.StandardButton.Yes  # type: ignore[method-assign]
    page.save()
    QApplication.processEvents()
    window.grab().save(str(OUT / "settings_refused.png"))
    page.view = None  # nothing to ask about when the window closes
    window.close()

    auditor = AppState(db, center, profile, signed("shenji"), TaskRunner())
    window = MainWindow(auditor)
    window.resize(1366, 768)
    window.show()
    window.nav.setCurrentRow(window.pages.index(window.audit_page))
    page = window.audit_page
    page._set_range(0)
    page.table.selectRow(3)
    QApplication.processEvents()
    window.grab().save(str(OUT / "audit_log.png"))
    window.close()

    form = ApplicationForm(AppState(db, center, profile, clerk, TaskRunner()), first.id)
    form.show()
    QApplication.processEvents()
    form.grab().save(str(OUT / "application_masked.png"))
    form.dirty = False
    form.close()

    since = (clock.now() - timedelta(minutes=42)).strftime("%Y-%m-%d %H:%M")
    dialog = InUseDialog(DatabaseInUse(work / "labordesk.db", Holder(5120, "GUITAI-02", "clerk", since)))
    dialog.show()
    QApplication.processEvents()
    dialog.grab().save(str(OUT / "database_in_use.png"))
    dialog.close()
    db.dispose()
    for widget in QApplication.topLevelWidgets():
        widget.deleteLater()
    app.processEvents()
    print(f"security screenshots written to {OUT}", flush=True)
    # Qt objects are torn down in no fixed order when the interpreter exits; a script that has
    # written its files has nothing left to do.
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
