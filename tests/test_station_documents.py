"""The printable scorecard (附件3), the results list and the subsidy summary (PDF + xlsx), and their CLI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from desktop import cli
from desktop.core.models.audit import AuditEntry
from desktop.core.services import station_documents as docs
from desktop.core.services import station_evaluations as ev
from tests.station_helpers import JINDONG, add_workers, established_station, full_marks, make_jindong, users
from tests.test_application_pdf import _assert_embedded, _fonts_of

OLD = {"established_on": date(2024, 5, 10), "applied_on": date(2024, 4, 1), "hired_on": date(2024, 1, 2)}


def _two_stations(db, sign: bool = True):  # type: ignore[no-untyped-def]
    u = users(db)
    good = established_station(db, "贵州榕江劳务协作工作站", **OLD)
    weak = established_station(db, "云南镇雄劳务协作工作站", start=3000, **OLD)
    add_workers(db, u["clerk"], good, 215, start=100, hired_on=date(2025, 3, 1), retained=True)
    add_workers(db, u["clerk"], good, 12, start=400, hired_on=date(2025, 3, 1), retained=False, skilled=True)
    ids = []
    with db.session("clerk") as s:
        for sid, data in ((good, full_marks(2025, skilled_bonus=Decimal(3), verified_complaints=1)),
                          (weak, full_marks(2025, management_system=False, work_plan=False, innovation=Decimal(0),
                                            innovation_reason=""))):
            eid = ev.start_evaluation(s, u["clerk"], JINDONG, sid, 2025)
            ev.save(s, u["clerk"], JINDONG, eid, data)
            ids.append(eid)
    if sign:
        with db.session("reviewer") as s:
            for eid in ids:
                ev.sign_off(s, u["reviewer"], JINDONG, eid)
    return ids


def _text(path: Path) -> str:
    reader = PdfReader(str(path))
    return "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")


def test_scorecard_is_one_a4_page_with_every_line_and_fonts_embedded(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    eid, _ = _two_stations(db)
    out = tmp_path / "评估表.pdf"
    with db.session("clerk") as s:
        doc = docs.write_scorecard_pdf(s, JINDONG, eid, out)
        printed = s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "打印"))
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = _text(out)
    for needle in ("金东区劳务协作工作站评估表", "贵州榕江劳务协作工作站", "站点管理（20分）", "协作效果（50分）", "建立台账",
                   "留用率", "工作创新", "总分", "评估人（签字）", "审核人（签字）", "区就业服务中心（盖章）",
                   "全年输送（计入）227人", "经核实的投诉1例，5-2×1=3分", "评估结论：合格", "70,000元"):
        assert needle in text, needle
    assert doc.total == "92" and "92" in text
    for font in _fonts_of(reader.pages[0]["/Resources"]):
        _assert_embedded(font)
    assert "评估表 → 评估表.pdf" in printed


def test_a_draft_scorecard_says_it_is_not_final(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    eid, _ = _two_stations(db, sign=False)
    with db.session("clerk") as s:
        docs.write_scorecard_pdf(s, JINDONG, eid, tmp_path / "draft.pdf")
    assert "草稿：本评估尚未审核" in _text(tmp_path / "draft.pdf")


def test_results_list_and_subsidy_summary(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _two_stations(db)
    with db.session("clerk") as s:
        assert docs.write_results_pdf(s, JINDONG, 2025, tmp_path / "results.pdf", issuer="金东区就业服务中心") == 2
        summary = docs.write_subsidy_pdf(s, JINDONG, 2025, tmp_path / "sub.pdf", issuer="金东区就业服务中心")
        docs.write_subsidy_xlsx(s, JINDONG, 2025, tmp_path / "sub.xlsx", issuer="金东区就业服务中心")
    results = _text(tmp_path / "results.pdf")
    assert "2025年度劳务协作工作站评估结果公示" in results and "合格1个，不合格1个" in results
    assert results.index("贵州榕江") < results.index("云南镇雄") and "不合格" in results
    assert [r.station_name for r in summary.rows] == ["贵州榕江劳务协作工作站"]  # the failed one is owed nothing
    sub = _text(tmp_path / "sub.pdf")
    assert "2025年度劳务协作工作站补贴汇总表" in sub and "合计" in sub and "70,000" in sub
    ws = load_workbook(tmp_path / "sub.xlsx").active
    assert ws["A1"].value == "2025年度劳务协作工作站补贴汇总表" and "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[2]]
    assert header[:3] == ["序号", "工作站名称", "承建单位"] and header[-1] == "合计（元）"
    assert [c.value for c in ws[3]][1] == "贵州榕江劳务协作工作站"
    assert ws["F3"].value == 70000 and ws["F3"].number_format == "#,##0" and ws["H4"].value == 70000
    assert ws.freeze_panes == "A3" and ws.page_setup.orientation == "landscape"


def test_cli_documents(db, db_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    make_jindong(db)
    _two_stations(db)
    base = ["--db", str(db_path), "station"]
    assert cli.main([*base, "scorecard", "贵州榕江劳务协作工作站", "--year", "2025", "--out", str(tmp_path / "c.pdf")]) == 0
    assert cli.main([*base, "results", "--year", "2025", "--out", str(tmp_path / "r.pdf")]) == 0
    assert cli.main([*base, "subsidies", "--year", "2025", "--out", str(tmp_path / "s.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "已生成评估表" in out and "（2 个工作站）" in out and "合计 70000 元" in out
    assert (tmp_path / "c.pdf").stat().st_size > 10_000 and load_workbook(tmp_path / "s.xlsx").active["A1"].value
    assert cli.main([*base, "scorecard", "贵州榕江劳务协作工作站", "--year", "2026", "--out", str(tmp_path / "x.pdf")]) == 2
    assert not (tmp_path / "x.pdf").exists()


def test_a_long_list_continues_over_pages_with_the_header_repeated(tmp_path: Path) -> None:
    from desktop.core.documents.pdf.station_lists import ListDoc, render_list

    rows = [(str(i), f"第{i}工作站", "某某人力资源有限公司", "75", "合格", "50,000") for i in range(1, 81)]
    doc = ListDoc("2025年度劳务协作工作站评估结果公示", "导语。", ("序号", "工作站名称", "承建单位", "评估得分", "评估结果", "奖励"),
                  (10, 44, 48, 16, 22, 34), rows, frozenset({3, 5}), None, ("注：测试。",), "金东区就业服务中心",
                  date(2026, 11, 22))
    render_list(doc, tmp_path / "long.pdf")
    reader = PdfReader(str(tmp_path / "long.pdf"))
    pages = [p.extract_text().replace(" ", "").replace("\n", "") for p in reader.pages]
    assert len(pages) >= 3
    assert all("工作站名称" in p for p in pages if "工作站" in p)
    assert f"第2页共{len(pages)}页" in pages[1]
    assert "第80工作站" in "".join(pages) and "金东区就业服务中心" in pages[-1]
