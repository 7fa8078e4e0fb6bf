"""Service-subsidy claims: who qualifies, double claims refused with the earlier claim, the roster."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from desktop.cli import main
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.audit import AuditEntry
from desktop.core.models.transfer import SubsidyClaimMonth, SubsidyClaimRow
from desktop.core.services import subsidy
from desktop.core.services.subsidy_documents import write_claim_roster
from tests.transfer_factories import add_broker, add_transfer, signed_in, worker_id

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def _batch(db, profile, period=YEAR, **kw):  # type: ignore[no-untyped-def]
    with db.session("reviewer") as s:
        return subsidy.build_batch(s, signed_in("reviewer"), profile, *period, **kw)


def test_each_condition_decides_who_is_claimed(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        b = add_broker(s).id
        add_transfer(s, b, seq=1, contract_term="2025.3.1-2026.2.28", contract_months=12)  # exactly 1 year: yes
        add_transfer(s, b, seq=2, contract_term="11个月", contract_months=11)
        add_transfer(s, b, seq=3, social_insurance=False)
        add_transfer(s, b, seq=4, poverty_alleviated=False)
        add_transfer(s, b, seq=5, employer_type="个体工商户", employer_name="张记面馆")
        add_transfer(s, b, seq=6, contract_kind="open", contract_months=None, contract_term="无固定期限")
        add_transfer(s, b, seq=7, hire_date=date(2026, 1, 5))  # outside the period
    preview = _batch(db, profile, preview=True)
    assert (preview.batch_id, preview.claimed, preview.not_qualifying, preview.total_fen) == (None, 2, 4, 60000)
    with db.session("clerk", write=False) as s:
        assert s.scalar(select(func.count()).select_from(SubsidyClaimRow)) == 0
    result = _batch(db, profile)
    assert result.claimed == 2 and result.total_fen == 60000
    with db.session("clerk", write=False) as s:
        claimed = sorted(s.scalars(select(SubsidyClaimRow.worker_name)))
        months = s.scalar(select(func.count()).select_from(SubsidyClaimMonth))
    assert claimed == ["劳动力1", "劳动力6"] and months == 24


def test_a_worker_claimed_by_any_broker_is_refused_with_the_earlier_claim_shown(db, profile) -> None:  # type: ignore[no-untyped-def]
    worker = worker_id(9)
    with db.session("clerk") as s:
        a, b = add_broker(s, "甲经纪", 1).id, add_broker(s, "乙经纪", 2).id
        add_transfer(s, a, id_number=worker, hire_date=date(2025, 3, 10))
    first = _batch(db, profile, (date(2025, 1, 1), date(2025, 6, 30)))
    with db.session("clerk") as s:
        add_transfer(s, b, id_number=worker, hire_date=date(2025, 9, 1), worker_name="劳动力9")  # within 12 months
        add_transfer(s, b, seq=3, hire_date=date(2025, 9, 2))
    second = _batch(db, profile, (date(2025, 7, 1), date(2025, 12, 31)))
    assert second.claimed == 1 and len(second.refused) == 1
    refused = second.refused[0]
    assert refused.broker_name == "乙经纪"
    assert (f"已在第 {first.batch_id} 批（2025-01-01至2025-06-30）由经纪人甲经纪申领（入职 2025-03-10，"
            "补助期 2025年3月至2026年2月）") in refused.reason
    with db.session("clerk", write=False) as s:
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "拒绝重复申领"))
    assert "甲经纪" in detail


def test_same_worker_twice_in_one_period_is_claimed_once_and_after_the_period_again(db, profile) -> None:  # type: ignore[no-untyped-def]
    worker = worker_id(4)
    with db.session("clerk") as s:
        a, b = add_broker(s, "甲", 1).id, add_broker(s, "乙", 2).id
        add_transfer(s, a, id_number=worker, hire_date=date(2025, 2, 1))
        add_transfer(s, b, id_number=worker, hire_date=date(2025, 12, 20))  # Dec 2025: inside Feb 2025 + 12 months
        add_transfer(s, b, id_number=worker, hire_date=date(2026, 2, 3))  # Feb 2026: a new period
    result = _batch(db, profile, (date(2025, 1, 1), date(2026, 6, 30)))
    assert result.claimed == 2 and len(result.refused) == 1
    assert "本批已申领该劳动力 2025-02-01 入职（经纪人甲）的补助" in result.refused[0].reason


def test_the_database_refuses_an_overlapping_claim_even_past_the_service(db, profile) -> None:  # type: ignore[no-untyped-def]
    worker = worker_id(6)
    with db.session("clerk") as s:
        add_transfer(s, add_broker(s).id, id_number=worker, hire_date=date(2025, 5, 1))
    _batch(db, profile)
    with pytest.raises(Exception, match="UNIQUE"), db.session("reviewer") as s:
        s.add(SubsidyClaimMonth(claim_row_id=1, id_number=worker, month=202605 - 1))
        s.flush()


def test_withdrawing_a_claim_frees_the_worker_and_keeps_the_row(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        add_transfer(s, add_broker(s).id, seq=1)
    _batch(db, profile)
    with db.session("reviewer") as s:
        with pytest.raises(PermissionDenied):
            subsidy.withdraw_claim(s, signed_in("clerk"), 1, "理由")
        subsidy.withdraw_claim(s, signed_in("reviewer"), 1, "复核发现未参加社保")
        row = s.get(SubsidyClaimRow, 1)
        assert (row.status, row.withdraw_reason) == ("withdrawn", "复核发现未参加社保")
        assert s.scalar(select(func.count()).select_from(SubsidyClaimMonth)) == 0
    with pytest.raises(UserError, match="没有符合条件且未申领的人员"):
        _batch(db, profile, (date(2025, 3, 2), date(2025, 12, 31)))
    assert _batch(db, profile).claimed == 1  # claimable again once withdrawn


def test_roster_pdf_and_xlsx_with_totals_in_figures_and_capitals(db, profile, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        a, b = add_broker(s, "甲经纪", 1).id, add_broker(s, "乙经纪", 2).id
        for i in range(1, 34):
            add_transfer(s, a if i % 3 else b, seq=i, hire_date=date(2025, 1 + i % 12, 3))
    batch = _batch(db, profile)
    with db.session("reviewer") as s:
        result = write_claim_roster(s, signed_in("reviewer"), profile, batch.batch_id, tmp_path, "大英县农民工服务中心")
    assert (result.people, result.total_fen, result.capitals) == (33, 990000, "玖仟玖佰元整")
    ws = load_workbook(result.xlsx)["申领名册"]
    assert ws["A1"].value == "四川省劳务经纪人就业创业服务补助申领名册"
    assert [c.value for c in ws[3]][:5] == ["序号", "劳务经纪人", "劳动力姓名", "性别", "身份证号码"]
    assert ws["K4"].value == Decimal("300") and ws["K4"].number_format == "#,##0.00"
    assert ws["A37"].value == "合计" and ws["C37"].value == "33 人" and ws["K37"].value == Decimal("9900")
    texts = [c.value for row in ws.iter_rows(min_row=38) for c in row if c.value]
    assert "合计：33 人，补助金额 9,900.00 元；人民币（大写）：玖仟玖佰元整。" in texts
    by_broker = load_workbook(result.xlsx)["按劳务经纪人汇总"]
    assert [(r[1].value, r[3].value) for r in by_broker.iter_rows(min_row=3, max_row=4)] == [("甲经纪", 22), ("乙经纪", 11)]
    pdf = pdfium.PdfDocument(str(result.pdf))
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert len(pdf) == result.pages >= 2 and "玖仟玖佰元整" in text and "第 1 页 共" in text
    pdf.close()


def test_cli_subsidy_roster(db, db_path, profile, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        add_transfer(s, add_broker(s).id, seq=1)
    db.dispose()
    args = ["--db", str(db_path), "subsidy", "roster", "--from", "2025-01-01", "--to", "2025-12-31", "--out",
            str(tmp_path / "u盘")]
    assert main(args) == 0
    assert "已生成第 1 批申领：1 人" in capsys.readouterr().out
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "重新输出" in out and "壹佰元" not in out and "叁佰元整" in out
    assert sorted(p.suffix for p in (tmp_path / "u盘").iterdir()) == [".pdf", ".xlsx"]
