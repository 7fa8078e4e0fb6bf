"""Regenerate docs/screenshots/: the main screens, rendered offscreen on demo data at 1366×768."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def render_pdf_page(pdf: Path, png: Path, page: int = 0, dpi: int = 110) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        doc[page].render(scale=dpi / 72).to_pil().save(png)
    finally:
        doc.close()


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from desktop.core import clock
    from desktop.core.app import open_database
    from desktop.core.demo import DEMO_PASSWORD, generate_demo
    from desktop.core.services import accounts
    from desktop.core.services import applications as svc
    from desktop.core.services import center as center_service
    from desktop.core.services.printing import print_application_pdf
    from desktop.ui.app import make_application
    from desktop.ui.applications.form import ApplicationForm
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import AppState
    from desktop.ui.setup_dialog import SetupDialog
    from desktop.ui.tasks import TaskRunner

    OUT.mkdir(parents=True, exist_ok=True)
    clock.pin(datetime(2026, 11, 22, 9, 30))
    work = Path(tempfile.mkdtemp(prefix="labordesk-shots-"))
    os.environ["LABORDESK_HOME"] = str(work)
    app = make_application()

    empty = open_database(work / "empty.db").db
    setup = SetupDialog(empty)
    setup.center_name.setText("大英县农民工服务中心")
    setup.show()
    QApplication.processEvents()
    setup.grab().save(str(OUT / "setup_dialog.png"))
    setup.close()

    db = open_database(work / "demo.db").db
    generate_demo(db, size="small")
    with db.session("admin") as s:
        center = center_service.load_center(s)
        assert center is not None
        profile = center.profile()
        user = accounts.sign_in(s, profile, "jingban", DEMO_PASSWORD).user
    assert user is not None
    state = AppState(db, center, profile, user, TaskRunner())
    window = MainWindow(state)
    window.resize(1366, 768)
    window.show()
    QApplication.processEvents()
    window.grab().save(str(OUT / "application_list.png"))

    form = ApplicationForm(state, None, window)
    form.show()
    form.name.setText("王镕䶮")
    form.id_number.setText("510923198503151235")
    form.phone.setText("1381234567")
    form.gender.setCurrentText("女")
    form.show_all = True
    form.revalidate()
    QApplication.processEvents()
    form.grab().save(str(OUT / "application_form_error.png"))
    form.dirty = False
    form.close()

    with db.session("jingban") as s:
        first = svc.search_applications(s, profile, svc.ApplicationQuery(limit=1))[0]
        pdf = work / "form.pdf"
        print_application_pdf(s, profile, first.id, pdf)
    render_pdf_page(pdf, OUT / "application_form_p1.png")
    window.close()
    app.processEvents()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
