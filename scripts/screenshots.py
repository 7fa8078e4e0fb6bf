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


def certification_screens(db, center, profile, window, work: Path) -> None:  # type: ignore[no-untyped-def]
    """Walk two demo applications through the workflow into a batch with an objection."""
    from decimal import Decimal

    from PySide6.QtWidgets import QApplication

    from desktop.core import clock
    from desktop.core.demo import DEMO_PASSWORD
    from desktop.core.services import accounts, publicity, publicity_documents, workflow
    from desktop.ui.applications.form import ApplicationForm
    from desktop.ui.session import AppState
    from desktop.ui.tasks import TaskRunner

    with db.session("shenhe") as s:
        reviewer = accounts.sign_in(s, profile, "shenhe", DEMO_PASSWORD).user
        clerk = accounts.sign_in(s, profile, "jingban", DEMO_PASSWORD).user
        reviewed = [a for a, *_ in s.execute(
            __import__("sqlalchemy").text("SELECT id FROM broker_application WHERE status='reviewed' ORDER BY id LIMIT 2"))]
        for app_id in reviewed:
            workflow.record_training(s, clerk, app_id, workflow.TrainingInput(
                f"{clock.today():%Y-%m}", Decimal("90"), True, f"SC{app_id:06d}"))
        trained = [i for i, *_ in publicity.eligible_applications(s)][:12]
        batch_id = publicity.create_batch(s, clerk, profile, publicity.BatchInput(
            tuple(trained), clock.today(), "0825-4821234", "大英县人力资源和社会保障局二楼农民工服务中心",
            center.center_name))
        people = publicity.batch_people(s, profile, batch_id)
        publicity.record_objection(s, clerk, batch_id, people[1].application_id, received_on=clock.today(),
                                   channel="来电", content="群众来电反映该申请人常年在外务工，不在本村居住。")
        publicity_documents.write_notice_pdf(s, profile, batch_id, work / "notice.pdf")
    render_pdf_page(work / "notice.pdf", OUT / "publicity_notice_p1.png")
    state = AppState(db, center, profile, reviewer, TaskRunner())
    form = ApplicationForm(state, reviewed[0] if reviewed else people[0].application_id, window)
    form.tabs.setCurrentIndex(1)
    form.show()
    QApplication.processEvents()
    form.grab().save(str(OUT / "application_timeline.png"))
    form.close()
    window.nav.setCurrentRow(window.pages.index(window.publicity))
    window.publicity.reload(batch_id)
    QApplication.processEvents()
    window.grab().save(str(OUT / "publicity_batch.png"))


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
    window.nav.setCurrentRow(window.pages.index(window.applications))  # the dashboard comes first
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
    certification_screens(db, center, profile, window, work)
    window.close()
    app.processEvents()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
