"""Screenshots of the cooperation fund (劳务合作金) on the 红河 demo, offscreen at 1366×768:
the account with a request waiting for the company's signature, the approval dialog, and the
first page of an account statement; plus the cooperatives page, the 四清 registry and a page of
the distribution report."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshots import render_pdf_page  # noqa: E402  (needs ROOT on sys.path)

OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from desktop.core import clock
    from desktop.core.app import open_database
    from desktop.core.demo import DEMO_PASSWORD, generate_demo
    from desktop.core.demo.fund import COMPANY_SIGNER
    from desktop.core.services import accounts, fund_documents, fund_queries
    from desktop.core.services import center as center_service
    from desktop.ui.app import make_application
    from desktop.ui.fund.request_dialogs import ApprovalDialog
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import AppState
    from desktop.ui.tasks import TaskRunner

    OUT.mkdir(parents=True, exist_ok=True)
    clock.pin(datetime(2026, 11, 22, 9, 30))
    work = Path(tempfile.mkdtemp(prefix="labordesk-fund-shots-"))
    os.environ["LABORDESK_HOME"] = str(work)
    app = make_application()
    db = open_database(work / "honghe.db").db
    generate_demo(db, size="small", profile_name="honghe")
    with db.session("admin") as s:
        center = center_service.load_center(s)
        assert center is not None
        profile = center.profile()
        user = accounts.sign_in(s, profile, COMPANY_SIGNER[0], DEMO_PASSWORD).user
        clerk = accounts.sign_in(s, profile, "jingban", DEMO_PASSWORD).user
    assert user is not None and clerk is not None

    # 1. The company's signatory opens the account: a request signed by the cooperative is waiting.
    state = AppState(db, center, profile, user, TaskRunner())
    window = MainWindow(state)
    window.resize(1366, 768)
    window.show()
    window.nav.setCurrentRow(window.pages.index(window.fund_account))
    page = window.fund_account
    page.reload()
    page.request_table.selectRow(0)
    QApplication.processEvents()
    window.grab().save(str(OUT / "fund_account_pending.png"))

    # 2. The approval dialog for that request.
    request = page.selected_request()
    assert request is not None and request.status == "pending"
    dialog = ApprovalDialog(state, request.id, window)
    dialog.opinion.setPlainText("票据已核对，同意垫支。")
    dialog.show()
    QApplication.processEvents()
    dialog.grab().save(str(OUT / "fund_approval_dialog.png"))
    dialog.dirty = False
    dialog.close()

    # 3. The cooperatives page and the 四清 registry (the clerk's view).
    clerk_state = AppState(db, center, profile, clerk, TaskRunner())
    clerk_window = MainWindow(clerk_state)
    clerk_window.resize(1366, 768)
    clerk_window.show()
    titles = [clerk_window.nav.item(i).text() for i in range(clerk_window.nav.count())]
    clerk_window.nav.setCurrentRow(titles.index("劳务合作社"))
    coops = clerk_window.pages[titles.index("劳务合作社")]
    village = coops.tree.topLevelItem(0).child(0).child(0)
    coops.tree.setCurrentItem(village)
    QApplication.processEvents()
    clerk_window.grab().save(str(OUT / "fund_cooperatives.png"))
    clerk_window.nav.setCurrentRow(titles.index("劳动力与四清"))
    workers = clerk_window.pages[titles.index("劳动力与四清")]
    workers.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    clerk_window.grab().save(str(OUT / "fund_four_clear.png"))

    # 4. A statement and a distribution report, first pages as PNG.
    with db.session("admin") as s:
        accounts_ = fund_queries.account_summaries(s, profile)
        account = next(a for a in accounts_ if a.pending_requests)
        statement = fund_documents.statement_report(s, profile, account.id, date(2026, 1, 1), clock.today())
        fund_documents.write_report(s, statement, work / "statement.pdf")
        distribution = fund_documents.distribution_report(s, profile, account.agreement_id, account.starts_on,
                                                          clock.today())
        fund_documents.write_report(s, distribution, work / "distribution.pdf")
    render_pdf_page(work / "statement.pdf", OUT / "fund_statement_p1.png")
    render_pdf_page(work / "distribution.pdf", OUT / "fund_distribution_p1.png")
    window.close()
    clerk_window.close()
    app.processEvents()
    print(f"fund screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
