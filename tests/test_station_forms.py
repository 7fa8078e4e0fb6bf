"""The workstation's counter forms: 附件1 (filled and blank) and the 附件2 roster as PDF and .xlsx,
the masking choice and its audit, the .xlsx read back and imported again, and the CLI."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop import cli
from desktop.core.documents.excel.roster_import import import_roster
from desktop.core.errors import PermissionDenied
from desktop.core.idcard import mask
from desktop.core.models.account import Role
from desktop.core.models.audit import AuditEntry
from desktop.core.models.station import StationWorker
from desktop.core.services import station_forms as forms
from desktop.core.services.accounts import SignedInUser
from desktop.core.services.station_roster import add_worker
from desktop.core.services.stations import apply
from tests.station_helpers import JINDONG, add_workers, established_station, make_jindong, station_input, users, worker

TITLED = replace(JINDONG, station=replace(JINDONG.station, application_form_title="测试区劳务协作工作站设立申请表",
                                          roster_title="测试区累计输送劳动力名册"))
FACTS = ("name", "id_number", "hukou", "employer", "hired_on", "si_months", "dispatched", "skilled", "retained", "note")


def _pages(path: Path) -> list[str]:
    """Each page's text with all white space removed (pypdfium2)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        return ["".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()


def _audit(db, action: str) -> list[str]:  # type: ignore[no-untyped-def]
    with db.session("t", write=False) as s:
        return list(s.scalars(select(AuditEntry.detail).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _facts(db, station_id: int) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    columns = [getattr(StationWorker, f) for f in FACTS]
    with db.session("t", write=False) as s:
        return sorted(tuple(r) for r in s.execute(select(*columns).where(StationWorker.station_id == station_id)))


# --- 附件1 -------------------------------------------------------------------------------------


def test_application_form_is_filled_from_the_record_with_the_profiles_title(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    u = users(db)
    out = tmp_path / "申请表.pdf"
    with db.session("clerk") as s:
        sid = apply(s, u["clerk"], JINDONG, station_input())
        doc = forms.write_application_pdf(s, TITLED, sid, out)
    (text,) = _pages(out)
    assert doc.title == "测试区劳务协作工作站设立申请表" and text.count("测试区劳务协作工作站设立申请表") == 1
    assert "金东区劳务协作工作站设立申请表" not in text
    for needle in ("附件1", "工作站名称：贵州榕江劳务协作工作站", "申请日期：2026年1月5日",
                   "申请机构（盖章）（承建单位）", "金华市金才人力资源有限公司", "省外劳务协作地区（省市县）", "贵州省黔东南州榕江县",
                   "申请机构负责人陈立新联系电话13905791234", "合作机构名称榕江县就业局",
                   "合作机构负责人杨光联系电话0855-6621234", "劳务协作工作站地址金华市金东区多湖街道光南路88号",
                   "申请经营期限自申请之日起至2029年12月31日为止", "为区内制造业企业输送贵州籍务工人员。",
                   "申请机构承诺本单位保证本表所填信息和提供的所有材料真实、有效、合法。", "机构法人签名：",
                   "区就业服务中心意见：", "区人力资源和社会保障局意见：", "（公章）"):
        assert needle in text, needle
    assert text.count("（公章）") == 2
    assert _audit(db, "打印") == ["测试区劳务协作工作站设立申请表（贵州榕江劳务协作工作站） → 申请表.pdf"]


def test_a_value_not_recorded_leaves_its_cell_empty(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    u = users(db)
    with db.session("clerk") as s:
        sid = apply(s, u["clerk"], JINDONG, station_input(partner_org="", partner_head="", partner_phone="",
                                                          term_end=None, intro=""))
        forms.write_application_pdf(s, JINDONG, sid, tmp_path / "a.pdf")
    (text,) = _pages(tmp_path / "a.pdf")
    assert "合作机构名称合作机构负责人联系电话劳务协作工作站地址" in text  # three empty cells in a row
    assert "申请经营期限自申请之日起至年月日为止" in text and "None" not in text


def test_blank_application_form(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        doc = forms.write_application_pdf(s, JINDONG, None, tmp_path / "blank.pdf")
    (text,) = _pages(tmp_path / "blank.pdf")
    assert doc.station_name == "" and text.startswith("附件1金东区劳务协作工作站设立申请表工作站名称：申请日期：年月日")
    assert "申请机构（盖章）（承建单位）省外劳务协作地区（省市县）申请机构负责人联系电话合作机构名称" in text
    assert "自申请之日起至年月日为止" in text and "机构法人签名：" in text
    assert _audit(db, "打印") == ["金东区劳务协作工作站设立申请表（空白表） → blank.pdf"]


def test_overlong_values_stay_inside_the_table_on_one_page(tmp_path: Path) -> None:
    from desktop.core.documents.pdf.station_application import (
        LEFT,
        TABLE_W,
        StationApplicationDoc,
        render_station_application,
    )

    rules = JINDONG.station
    assert rules is not None
    doc = StationApplicationDoc(
        rules.application_form_title, rules.application_commitment, ("区就业服务中心意见", "区人力资源和社会保障局意见"),
        station_name="某" * 100, builder="浙江省金华市某某人力资源开发服务有限公司金东分公司" * 4,
        partner_region="贵州省黔东南苗族侗族自治州榕江县、从江县、黎平县" * 4, head_name="欧阳某某", head_phone="0579-82123456",
        partner_org="榕江县人力资源和社会保障局就业服务中心" * 5, partner_head="杨光", partner_phone="13905791234",
        address="金华市金东区多湖街道光南路88号金东人力资源产业园A座5楼501室" * 4, term_end=date(2030, 1, 1),
        intro=("为区内制造业企业输送贵州籍务工人员，建立两地联合招聘直通车。" * 12 + "\n") * 6, applied_on=date(2026, 1, 5))
    render_station_application(doc, tmp_path / "long.pdf")
    pdf = pdfium.PdfDocument(str(tmp_path / "long.pdf"))
    try:
        assert len(pdf) == 1
        text = pdf[0].get_textpage()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
        assert min(b[0] for b in boxes) >= LEFT - 0.5 and max(b[2] for b in boxes) <= LEFT + TABLE_W + 0.5
        assert min(b[1] for b in boxes) > 0
        shown = "".join(text.get_text_range().split())
    finally:
        pdf.close()
    assert "……" in shown and "机构法人签名：" in shown and "区人力资源和社会保障局意见：" in shown


# --- 附件2 -------------------------------------------------------------------------------------


def _roster_station(db, n: int = 70) -> int:  # type: ignore[no-untyped-def]
    u = users(db)
    sid = established_station(db, workers=n)
    add_workers(db, u["clerk"], sid, 3, start=500, hired_on=date(2026, 4, 1), dispatched=True)
    return sid


def test_roster_pdf_masks_ids_and_repeats_the_header_line_on_every_page(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sid = _roster_station(db)
    u = users(db)
    out = tmp_path / "名册.pdf"
    with db.session("clerk") as s:
        done = forms.write_roster_pdf(s, u["clerk"], TITLED, sid, out,
                                      forms.RosterOptions(filler="王小红", phone="0579-82123456"))
        full_ids = list(s.scalars(select(StationWorker.id_number).where(StationWorker.station_id == sid)))
    pages = _pages(out)
    assert done.pages == len(pages) >= 3 and (done.rows, done.people, done.delivered) == (73, 73, 70)
    assert "测试区累计输送劳动力名册" in pages[0] and "附件2" in pages[0]
    for number, page in enumerate(pages, 1):
        assert "填报单位（盖章）：金华市金才人力资源有限公司" in page, number
        assert "填报日期：2026年11月22日填表人：王小红联系电话：0579-82123456" in page, number
        assert "序号姓名身份证号户籍入职企业入职时间" in page, number
        assert f"第{number}页共{len(pages)}页" in page
    text = "".join(pages)
    m = JINDONG.masking
    assert not any(n in text for n in full_ids)
    assert all(mask(n, m.id_head, m.id_tail, m.mask_char) in text for n in full_ids)
    assert "合计：名册共73行，73人；按办法计入输送劳动力70人" in pages[-1] and "不计入3行" in pages[-1]
    assert "注意：申请设立劳务协作站需已为区内企业累计输送省外劳动力50人以上。" in pages[-1]
    assert text.index("2025-12-01") < text.index("2026-04-01")  # oldest first
    assert _audit(db, "打印") == [f"测试区累计输送劳动力名册 贵州榕江劳务协作工作站，73 行，身份证号码已遮盖 → {out.name}"]


def test_the_totals_never_stand_alone_on_the_last_page(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sid = established_station(db, workers=50)  # 50 rows fill two pages exactly: the totals need a third
    u = users(db)
    with db.session("clerk") as s:
        done = forms.write_roster_pdf(s, u["clerk"], JINDONG, sid, tmp_path / "r.pdf")
    pages = _pages(tmp_path / "r.pdf")
    assert done.pages == len(pages) == 3
    assert "序号姓名身份证号户籍入职企业入职时间48" in pages[2] and "合计：名册共50行" in pages[2]
    assert "入职时间47" not in pages[2] and "务工46" in pages[1]


def test_full_ids_are_an_explicit_choice_for_reviewers_and_audited(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sid = _roster_station(db, 50)
    u = users(db)
    full = forms.RosterOptions(full_id=True)
    with db.session("clerk") as s, pytest.raises(PermissionDenied, match="完整身份证号码"):
        forms.write_roster_pdf(s, u["clerk"], JINDONG, sid, tmp_path / "clerk.pdf", full)
    with db.session("clerk") as s, pytest.raises(PermissionDenied):
        forms.write_roster_xlsx(s, u["clerk"], JINDONG, sid, tmp_path / "clerk.xlsx", full)
    assert not (tmp_path / "clerk.pdf").exists() and not (tmp_path / "clerk.xlsx").exists()
    with db.session("reviewer") as s:
        forms.write_roster_pdf(s, u["reviewer"], JINDONG, sid, tmp_path / "存档.pdf", full)
        ids = list(s.scalars(select(StationWorker.id_number).where(StationWorker.station_id == sid)))
    text = "".join(_pages(tmp_path / "存档.pdf"))
    assert all(n in text for n in ids) and "身份证号已部分隐藏" not in text
    assert _audit(db, "打印")[-1].endswith("53 行，完整身份证号码 → 存档.pdf")
    auditor = SignedInUser(99, "auditor", "审计员", Role.AUDITOR, False)
    with db.session("auditor", events_only=True) as s:  # the auditor prints the masked listing only
        forms.write_roster_pdf(s, auditor, JINDONG, sid, tmp_path / "审计.pdf")
        forms.write_application_pdf(s, JINDONG, sid, tmp_path / "审计申请表.pdf")
        with pytest.raises(PermissionDenied):
            forms.write_roster_xlsx(s, auditor, JINDONG, sid, tmp_path / "审计.xlsx", full)
    assert _audit(db, "打印")[-2].endswith("53 行，身份证号码已遮盖 → 审计.pdf")


def test_roster_xlsx_reads_back_cell_by_cell_and_imports_again(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    u = users(db)
    with db.session("clerk") as s:
        sid = apply(s, u["clerk"], JINDONG, station_input())
        for i, changes in enumerate(({}, {"retained": None, "skilled": True}, {"retained": False, "si_months": 1},
                                     {"dispatched": True, "note": "派遣工，不计入"})):
            add_worker(s, u["clerk"], JINDONG, sid, worker(i, hired_on=date(2026, 3, 1 + i), **changes))
    masked, full = tmp_path / "名册.xlsx", tmp_path / "名册（完整）.xlsx"
    with db.session("reviewer") as s:
        forms.write_roster_xlsx(s, u["reviewer"], JINDONG, sid, masked)
        done = forms.write_roster_xlsx(s, u["reviewer"], JINDONG, sid, full, forms.RosterOptions(full_id=True))
    assert done.rows == 4 and done.pages == 0
    ws = load_workbook(full).active
    assert (ws["A1"].value, ws["A2"].value) == ("附件2", "累计输送劳动力名册")
    assert ws["A3"].value == "填报单位（盖章）：金华市金才人力资源有限公司"
    assert ws["F3"].value.startswith("填报日期：2026年11月22日\u3000\u3000填表人：\u3000")  # blank: filled in by hand
    assert [c.value for c in ws[4]] == ["序号", "姓名", "身份证号", "户籍", "入职企业", "入职时间", "社保连续月数",
                                        "是否派遣", "是否技术技能人才", "6个月后是否在职", "备注"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5, max_row=8)]
    first = worker(0, hired_on=date(2026, 3, 1))
    assert rows[0] == [1, "务工0", first.id_number, "贵州省黔东南州榕江县", "金华市某机械有限公司", "2026-03-01", 6, "否",
                       "否", "是", None]
    assert [r[8:10] for r in rows] == [["否", "是"], ["是", None], ["否", "否"], ["否", "是"]]
    assert rows[2][6] == 1 and rows[3][7] == "是" and rows[3][10] == "派遣工，不计入"
    assert ws["C5"].data_type == "s" and ws["C5"].number_format == "@"
    assert ws.freeze_panes == "A5" and ws.print_title_rows == "$4:$4" and ws.page_setup.orientation == "portrait"
    assert str(ws["A10"].value).startswith("合计：名册共 4 行，4 人；按办法计入输送劳动力 2 人")
    assert load_workbook(masked).active["C5"].value == mask(first.id_number, 6, 4)

    # the full copy imports into another station's roster and restores every fact of every row
    with db.session("clerk") as s:
        other = apply(s, u["clerk"], JINDONG, station_input("贵州从江劳务协作工作站", builder="金华市另一人力资源有限公司"))
    report = import_roster(db, JINDONG, other, full, user=u["clerk"])
    assert (report.total_rows, report.imported, report.bad_rows) == (4, 4, [])
    assert _facts(db, other) == _facts(db, sid)
    # the masked copy cannot be imported: every ID number is refused
    report = import_roster(db, JINDONG, other, masked, user=u["clerk"], dry_run=True)
    assert report.bad_row_count == 4 and report.imported == 0
    assert _audit(db, "导出") == ["累计输送劳动力名册 贵州榕江劳务协作工作站，4 行，身份证号码已遮盖 → 名册.xlsx",
                                 "累计输送劳动力名册 贵州榕江劳务协作工作站，4 行，完整身份证号码 → 名册（完整）.xlsx"]


def test_cli_application_form_and_roster(db, db_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    make_jindong(db)
    sid = _roster_station(db, 50)
    base = ["--db", str(db_path), "station"]
    assert cli.main([*base, "application-form", str(sid), "--out", str(tmp_path / "a.pdf")]) == 0
    assert cli.main([*base, "application-form", "--blank", "--out", str(tmp_path / "b.pdf")]) == 0
    assert cli.main([*base, "application-form", "--out", str(tmp_path / "c.pdf")]) == 2
    assert cli.main([*base, "roster", "贵州榕江劳务协作工作站", "--out", str(tmp_path / "r.pdf")]) == 0
    assert cli.main([*base, "roster", str(sid), "--out", str(tmp_path / "r.xlsx"), "--full-id"]) == 0
    assert cli.main([*base, "roster", str(sid), "--out", str(tmp_path / "x.xlsx"), "--full-id", "--user", "clerk"]) == 2
    captured = capsys.readouterr()
    assert "已生成“贵州榕江劳务协作工作站”的金东区劳务协作工作站设立申请表" in captured.out
    assert "已生成空白金东区劳务协作工作站设立申请表" in captured.out and "请加 --blank" in captured.err
    assert "（53 行，53 人，计入输送 50 人，3 页；身份证号码已部分隐藏）" in captured.out
    assert "完整身份证号码（已记入审计日志）" in captured.out and "需要审核、管理员角色" in captured.err
    pages = _pages(tmp_path / "r.pdf")
    assert "填表人：陈立新" in pages[0]
    assert "序号姓名身份证号户籍入职企业入职时间53" in pages[-1] and "合计：名册共53行" in pages[-1]
    assert not (tmp_path / "c.pdf").exists() and not (tmp_path / "x.xlsx").exists()
    number = load_workbook(tmp_path / "r.xlsx").active["C5"].value
    assert len(number) == 18 and "*" not in number
