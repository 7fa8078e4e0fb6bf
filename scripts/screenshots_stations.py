"""Regenerate the workstation screenshots in docs/screenshots/ (offscreen, jindong demo data, 1366×768):
a station's file, its roster, the evaluation page, the 优秀站点 check, the printed scorecard, the
application form (附件1), the roster's print dialog and the printed roster (附件2)."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshots import render_pdf_page  # noqa: E402  (needs ROOT on sys.path)

OUT = ROOT / "docs" / "screenshots"
STATION = "贵州榕江劳务协作工作站"


def settle() -> None:
    """Let queued layout work (row heights after a scroll bar appears) run before a grab."""
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()


def main() -> int:
    from PySide6.QtCore import Qt

    from desktop.core import clock
    from desktop.core.app import open_database
    from desktop.core.demo import DEMO_PASSWORD, generate_demo
    from desktop.core.services import accounts, station_documents, station_evaluations, station_forms
    from desktop.core.services import center as center_service
    from desktop.core.services.stations import find_station
    from desktop.ui.app import make_application
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import AppState
    from desktop.ui.stations.excellent_dialog import ExcellentDialog
    from desktop.ui.stations.forms import RosterPrintDialog
    from desktop.ui.tasks import TaskRunner

    OUT.mkdir(parents=True, exist_ok=True)
    clock.pin(datetime(2026, 11, 22, 9, 30))
    work = Path(tempfile.mkdtemp(prefix="labordesk-station-shots-"))
    os.environ["LABORDESK_HOME"] = str(work)
    app = make_application()
    db = open_database(work / "demo.db").db
    generate_demo(db, size="small", profile_name="jindong")
    with db.session("shenhe") as s:
        center = center_service.load_center(s)
        assert center is not None
        profile = center.profile()
        user = accounts.sign_in(s, profile, "shenhe", DEMO_PASSWORD).user
        station_id = find_station(s, STATION).id
        pending_id = find_station(s, "贵州从江劳务协作工作站").id
        evaluation_id = station_evaluations.find_evaluation(s, station_id, 2025)
        assert evaluation_id is not None
        station_documents.write_scorecard_pdf(s, profile, evaluation_id, work / "scorecard.pdf")
        station_forms.write_application_pdf(s, profile, station_id, work / "application.pdf")
        station_forms.write_roster_pdf(s, user, profile, station_id, work / "roster.pdf",
                                       station_forms.default_options(s, station_id))
    render_pdf_page(work / "scorecard.pdf", OUT / "station_scorecard_p1.png")
    render_pdf_page(work / "application.pdf", OUT / "station_application_form.png")
    render_pdf_page(work / "roster.pdf", OUT / "station_roster_p1.png")
    assert user is not None
    state = AppState(db, center, profile, user, TaskRunner())
    window = MainWindow(state)
    window.resize(1366, 768)
    window.show()
    window.nav.setCurrentRow(window.pages.index(window.stations))
    page = window.stations
    page.reload(station_id)
    settle()
    window.grab().save(str(OUT / "station_file.png"))
    page.tabs.setCurrentIndex(2)
    evaluation = page.evaluation_tab
    evaluation.year.setCurrentIndex(evaluation.year.findData(2025))
    settle()
    window.grab().save(str(OUT / "station_evaluation.png"))
    # the sister station's roster: workers who do not count, and four the first station counts too
    page.reload(pending_id)
    page.tabs.setCurrentIndex(1)
    page.roster_tab.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    settle()
    window.grab().save(str(OUT / "station_roster.png"))
    roster_dialog = RosterPrintDialog(state, pending_id, "贵州从江劳务协作工作站", window)
    roster_dialog.show()
    settle()
    roster_dialog.grab().save(str(OUT / "station_roster_print.png"))
    roster_dialog.close()
    dialog = ExcellentDialog(state, station_id, window)
    dialog.show()
    settle()
    dialog.grab().save(str(OUT / "station_excellent.png"))
    dialog.close()
    window.close()
    app.processEvents()
    db.dispose()
    print(f"workstation screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
