"""Start-up of the GUI: open the database, first-run setup or demo, sign-in, main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop.core import paths
from desktop.core.app import OpenedDatabase, open_database
from desktop.core.db.instance import DatabaseInUse
from desktop.core.errors import UserError
from desktop.core.rules.profile import ProfileError
from desktop.core.services import center as center_service
from desktop.ui.collector import GuiThreadCollector
from desktop.ui.idle_lock import IdleLock
from desktop.ui.main_window import MainWindow
from desktop.ui.session import AppState
from desktop.ui.setup_dialog import SetupDialog
from desktop.ui.signin_dialog import SignInDialog
from desktop.ui.style import install_fonts
from desktop.ui.tasks import TaskRunner


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("LaborDesk")
    app.setApplicationDisplayName("劳务服务管理台")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    install_fonts(app)  # type: ignore[arg-type]
    if not any(isinstance(child, GuiThreadCollector) for child in app.children()):
        GuiThreadCollector(app)
    return app  # type: ignore[return-value]


READ_ONLY_NOTICE = "只读方式打开：另一个劳务服务管理台正在使用这个数据库，本窗口只能查看，不能保存。"


def open_or_explain(target: str | Path | None, *, read_only: bool = False) -> OpenedDatabase | None:
    try:
        opened = open_database(target, read_only=read_only)
    except DatabaseInUse as exc:
        from desktop.ui.instance_dialog import InUseDialog

        choice = InUseDialog(exc).exec()
        if choice == InUseDialog.FREE:
            return open_or_explain(target)
        if choice == InUseDialog.READ_ONLY:
            return open_or_explain(target, read_only=True)
        return None
    except UserError as exc:
        QMessageBox.critical(None, "无法打开数据库", str(exc))
    except OSError as exc:
        QMessageBox.critical(None, "无法打开数据库", f"无法打开或创建数据库文件：{exc}\n请检查文件夹是否存在、是否有写入权限。")
    else:
        if read_only:
            opened.warnings.insert(0, READ_ONLY_NOTICE)
        return opened
    return None


def demo_database_path() -> Path:
    return paths.data_dir() / "demo.db"


def run_gui(db: str | Path | None = None) -> int:
    app = make_application()
    _arm_first_screen_capture()
    opened = open_or_explain(db)
    if opened is None:
        return 1
    database = opened.db
    with database.session("启动", write=False) as s:
        center = center_service.load_center(s)
    demo_hint = ""
    if center is None:
        setup = SetupDialog(database)
        code = setup.exec()
        if code == SetupDialog.DEMO:
            database.dispose()
            opened = open_or_explain(demo_database_path())
            if opened is None:
                return 1
            database = opened.db
            from desktop.core.demo import DEMO_PASSWORD, generate_demo

            with database.session("启动", write=False) as s:
                needs_data = center_service.load_center(s) is None
            if needs_data:
                _with_wait("正在生成演示数据……", lambda: generate_demo(database, size="small"))
            demo_hint = f"演示账号：admin（管理员）、jingban（经办）、shenhe（审核），密码均为 {DEMO_PASSWORD}"
        elif code != QDialog.DialogCode.Accepted:
            return 0
        with database.session("启动", write=False) as s:
            center = center_service.load_center(s)
        assert center is not None
    try:
        profile = center.profile()
    except ProfileError as exc:
        QMessageBox.critical(None, "政策配置文件有误", f"{exc}\n\n请联系技术支持修正该文件后再打开。")
        return 1
    signin = SignInDialog(database, center, profile, hint=demo_hint)
    if signin.exec() != QDialog.DialogCode.Accepted or signin.user is None:
        return 0
    state = AppState(database, center, profile, signin.user, TaskRunner())
    window = MainWindow(state, opened.warnings)
    window.idle_lock = IdleLock(state, window)  # type: ignore[attr-defined]
    window.show()
    code = app.exec()
    database.dispose()
    return code


def _arm_first_screen_capture() -> None:
    """On a machine with no screen (LABORDESK_FIRST_SCREEN_PNG set): save the first window, then stop."""
    target = os.environ.get("LABORDESK_FIRST_SCREEN_PNG")
    if not target:
        return
    from PySide6.QtCore import QTimer

    def capture() -> None:
        window = QApplication.activeModalWidget() or next(
            (w for w in QApplication.topLevelWidgets() if w.isVisible()), None
        )
        if window is None:
            QTimer.singleShot(500, capture)
            return
        window.grab().save(target)
        print(f"首屏“{window.windowTitle()}”已保存：{target}", flush=True)
        if isinstance(window, QDialog):
            window.reject()
        QApplication.closeAllWindows()
        QApplication.exit(0)

    QTimer.singleShot(1500, capture)


def _with_wait(label: str, fn) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    box = QProgressDialog(label, "", 0, 0)
    box.setCancelButton(None)
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    box.setMinimumDuration(0)
    box.show()
    QApplication.processEvents()
    try:
        fn()
    finally:
        box.close()


def main() -> int:
    db = None
    args = sys.argv[1:]
    if "--db" in args:
        i = args.index("--db")
        db = args[i + 1] if i + 1 < len(args) else None
    return run_gui(db)
