"""Screenshots of the transfer area into docs/screenshots/: the transfer list, the entry form, the
biennial review, the subsidy page and a claim-roster page, offscreen at 1366×768 on demo data
(the county demo plus transfer records from bench/transfer_bulk.py)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="use a copy of this demo database (e.g. the city bench) instead of a new one")
    parser.add_argument("--transfers", type=int, default=20_000)
    args = parser.parse_args()

    import pypdfium2 as pdfium
    from PySide6.QtWidgets import QApplication
    from transfer_bulk import fill

    from desktop.core import clock
    from desktop.core.app import open_database
    from desktop.core.demo import DEMO_PASSWORD, generate_demo
    from desktop.core.services import accounts, subsidy
    from desktop.core.services import center as center_service
    from desktop.core.services.subsidy_documents import print_roster_pdf
    from desktop.ui.app import make_application
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import AppState
    from desktop.ui.tasks import TaskRunner
    from desktop.ui.transfers.form import TransferForm
    from scripts.screenshots import render_pdf_page

    OUT.mkdir(parents=True, exist_ok=True)
    clock.pin(datetime(2026, 11, 22, 9, 30))
    work = Path(tempfile.mkdtemp(prefix="labordesk-transfer-shots-"))
    os.environ["LABORDESK_HOME"] = str(work)
    app = make_application()
    path = work / "demo.db"
    if args.db:
        shutil.copy(args.db, path)
        db = open_database(path).db
    else:
        db = open_database(path).db
        generate_demo(db, size="county")
        fill(db, args.transfers)
    with db.session("admin") as s:
        center = center_service.load_center(s)
        assert center is not None
        profile = center.profile()
        reviewer = accounts.sign_in(s, profile, "shenhe", DEMO_PASSWORD).user
        result = subsidy.build_batch(s, reviewer, profile, date(2025, 1, 1), date(2025, 6, 30))
        assert result.batch_id is not None
        print_roster_pdf(s, reviewer, profile, result.batch_id, work / "roster.pdf", center.center_name)
    render_pdf_page(work / "roster.pdf", OUT / "claim_roster_p1.png")
    last = len(pdfium.PdfDocument(str(work / "roster.pdf"))) - 1
    render_pdf_page(work / "roster.pdf", OUT / "claim_roster_last.png", page=last)

    assert reviewer is not None
    state = AppState(db, center, profile, reviewer, TaskRunner())
    window = MainWindow(state)
    window.resize(1366, 768)
    window.show()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]

    def page(title: str) -> None:
        window.nav.setCurrentRow(titles.index(title))
        QApplication.processEvents()

    page("转移就业")
    window.grab().save(str(OUT / "transfer_list.png"))
    form = TransferForm(state, parent=window)
    form.show()
    form.worker_name.setText("阿说木呷")
    form.id_number.setText("51342319980512")
    form.contract_term.setText("11个月")
    form.employer_name.setText("东莞市长安精密电子有限公司")
    form.employer_name.textEdited.emit("东莞市长安精密电子有限公司")
    form.show_all = True
    form.revalidate()
    QApplication.processEvents()
    form.grab().save(str(OUT / "transfer_form.png"))
    form.dirty = False
    form.close()
    page("两年复核")
    window.grab().save(str(OUT / "review.png"))
    page("服务补助")
    window.grab().save(str(OUT / "subsidy.png"))
    window.close()
    app.processEvents()
    db.dispose()
    print(f"transfer screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
