"""Screenshots of the annual filing area (docs/screenshots/filing_*.png), offscreen at 1366×768.

On a county demo database (clock pinned to 10 December, inside the filing reminder): the 年度备案
page, the export dialog after writing onto a "USB stick" (a temporary folder offered as the plugged-in
drive), page 1 of the filing PDF, the .xlsx as LibreOffice prints it (or, without LibreOffice, its
cells drawn by render_xlsx_cells), the consolidation dialog with a conflict, and the backup dialogs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshots import render_pdf_page  # noqa: E402  (needs ROOT on sys.path)

OUT = ROOT / "docs" / "screenshots"


def wait(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    import time

    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not condition():
        QApplication.processEvents()
        if time.monotonic() > end:
            raise TimeoutError("the dialog did not finish")
        time.sleep(0.02)
    QApplication.processEvents()


FONTS_CONF = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <alias><family>宋体</family><prefer><family>WenQuanYi Zen Hei</family></prefer></alias>
  <alias><family>黑体</family><prefer><family>WenQuanYi Zen Hei</family></prefer></alias>
</fontconfig>
"""


def render_xlsx(xlsx: Path, png: Path, work: Path) -> str:
    """The sheet as LibreOffice Calc prints it (page 1 at 110 dpi); returns how it was made."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        # The office PC has 宋体/黑体; here the shipped WenQuanYi font stands in for both.
        conf = work / "fonts.conf"
        conf.write_text(FONTS_CONF.format(fonts=ROOT / "resources" / "fonts", cache=work / "fc-cache"), encoding="utf-8")
        env = {**os.environ, "HOME": str(work), "FONTCONFIG_FILE": str(conf)}
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(xlsx)],
                       check=True, capture_output=True, timeout=180, env=env)
        render_pdf_page(work / (xlsx.stem + ".pdf"), png)
        return "LibreOffice Calc"
    render_xlsx_cells(xlsx, png)
    return "cells drawn from openpyxl (LibreOffice not installed)"


def render_xlsx_cells(xlsx: Path, png: Path, rows: int = 30) -> None:
    """A plain drawing of the sheet's first rows and columns (widths from the file), for machines
    without LibreOffice."""
    from openpyxl import load_workbook
    from PIL import Image, ImageDraw, ImageFont

    from desktop.core.documents.fonts import shipped_font_path

    ws = load_workbook(xlsx).active
    font = ImageFont.truetype(str(shipped_font_path()), 14)
    widths = [int((ws.column_dimensions[chr(65 + i)].width or 8) * 8) for i in range(10)]
    image = Image.new("RGB", (sum(widths) + 60, rows * 24 + 20), "white")
    draw = ImageDraw.Draw(image)
    y = 10
    for r in range(1, rows + 1):
        x = 50
        draw.text((10, y + 4), str(r), fill="#888", font=font)
        for c, w in enumerate(widths, 1):
            value = ws.cell(r, c).value
            text = value.strftime("%Y年%m月%d日") if isinstance(value, datetime) else ("" if value is None else str(value))
            draw.rectangle((x, y, x + w, y + 24), outline="#ccc")
            draw.text((x + 3, y + 4), text.replace("\n", "")[: w // 8], fill="black", font=font)
            x += w
        y += 24
    image.save(png)


def county_file(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["四川省劳务经纪人备案信息表"])
    ws.append(["填报市（州）：遂宁市"])
    ws.append(["序号", "姓名", "性别", "身份证号码", "学历水平", "参加培训时间", "认定时间", "主要服务区域", "联系电话", "备注"])
    for k, row in enumerate(rows, 1):
        ws.append([k, *row])
    ws.append(["填报人：刘某", None, None, "审核人：", None, None, "填报日期：2026年12月12日"])
    wb.save(path)
    return path


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from desktop.core import clock
    from desktop.core.app import open_database
    from desktop.core.demo import DEMO_PASSWORD, generate_demo
    from desktop.core.drives import Drive
    from desktop.core.services import accounts, filing
    from desktop.core.services import center as center_service
    from desktop.ui.app import make_application
    from desktop.ui.filing.backup_dialogs import RestoreDialog, UsbBackupDialog
    from desktop.ui.filing.consolidation_dialog import ConsolidationDialog
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import AppState
    from desktop.ui.tasks import TaskRunner

    OUT.mkdir(parents=True, exist_ok=True)
    clock.pin(datetime(2026, 12, 10, 9, 30))
    work = Path(tempfile.mkdtemp(prefix="labordesk-filing-shots-"))
    os.environ["LABORDESK_HOME"] = str(work)
    app = make_application()
    db = open_database(work / "demo.db").db
    generate_demo(db, size="county")
    with db.session("jingban") as s:
        center = center_service.load_center(s)
        assert center is not None
        profile = center.profile()
        user = accounts.sign_in(s, profile, "jingban", DEMO_PASSWORD).user
    assert user is not None
    state = AppState(db, center, profile, user, TaskRunner())
    window = MainWindow(state)
    window.resize(1366, 768)
    window.show()
    window.nav.setCurrentRow(window.pages.index(window.filing))
    page = window.filing
    page.reviewer.setText("李审核")
    QApplication.processEvents()
    window.grab().save(str(OUT / "filing_page.png"))

    stick = work / "KINGSTON"
    stick.mkdir()
    dialog = page.export_dialog()
    dialog._timer.stop()  # keep the offered "stick" (a temporary folder) in the list
    dialog.refresh_drives([Drive(stick, "KINGSTON（E:）", 7_650_000_000, 7_750_000_000)])
    dialog.show()
    dialog.start()
    wait(lambda: not dialog.running)
    dialog.grab().save(str(OUT / "filing_export_dialog.png"))
    dialog.close()

    xlsx = next(stick.glob("*.xlsx"))
    render_pdf_page(next(stick.glob("*.pdf")), OUT / "filing_pdf_p1.png")
    how = render_xlsx(xlsx, OUT / "filing_xlsx.png", work)
    print(f"filing_xlsx.png: {how}")

    with db.session("jingban", write=False) as s:
        rows = filing.filing_rows(s, filing.FilingQuery(2026))
    def typed(r, **over):  # type: ignore[no-untyped-def]
        values = [r.name, r.gender, r.id_number, r.education, r.training_month.replace("-", "年") + "月",
                  f"{r.certified_on:%Y/%m/%d}", r.service_area, r.phone, r.remarks]
        for k, v in over.items():
            values[{"phone": 7, "area": 6, "id": 2, "edu": 3}[k]] = v
        return values

    other = county_file(work / "射洪市.xlsx", [typed(rows[0]), typed(rows[1], phone="13700001234"),
                                              typed(rows[2], area="太和镇新华村", edu="大专")])
    third = county_file(work / "蓬溪县.xlsx", [typed(rows[3]), typed(rows[4], id=rows[4].id_number[:-1] + "0"),
                                              typed(rows[5], id=510921197604120000.0)])
    merge = ConsolidationDialog(state, window)
    merge.add_files([xlsx, other, third])
    wait(lambda: merge.result is not None)
    merge.choose(0, 1)
    merge.show()
    QApplication.processEvents()
    merge.grab().save(str(OUT / "filing_consolidation.png"))
    merge.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    merge.grab().save(str(OUT / "filing_consolidation_problems.png"))
    merge.close()

    backup = UsbBackupDialog(state, window)
    backup._timer.stop()
    backup.refresh_drives([Drive(stick, "KINGSTON（E:）", 7_650_000_000, 7_750_000_000)])
    backup.passphrase.setText("春眠不觉晓-2026")
    backup.again.setText("春眠不觉晓-2026")
    backup.show()
    backup.start()
    wait(lambda: not backup.running)
    backup.grab().save(str(OUT / "backup_usb_dialog.png"))
    backup.close()

    with db.session("admin") as s:
        admin = accounts.sign_in(s, profile, "admin", DEMO_PASSWORD).user
    assert admin is not None
    admin_state = AppState(db, center, profile, admin, TaskRunner())
    restore = RestoreDialog(admin_state, lambda _m: None, window)
    restore.set_file(next(stick.glob("*.ldbackup")))
    restore.passphrase.setText("春眠不觉晓-2026")
    restore.show()
    restore.check()
    wait(lambda: restore.checked is not None or "口令" in restore.status.text())
    restore.grab().save(str(OUT / "backup_restore_dialog.png"))
    restore.reject()

    window.backups.enabled = False  # no exit backup of the demo
    window.close()
    app.processEvents()
    print(f"filing screenshots written to {OUT} (reminder shown for {date(2026, 12, 10)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
