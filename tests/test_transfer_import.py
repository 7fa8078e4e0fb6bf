"""Importing 附件2 sheets as brokers send them: layout quirks, every kind of bad row, the file kept."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.core.documents.excel.transfer_import import import_transfers
from desktop.core.errors import UserError
from desktop.core.models.audit import AuditEntry
from desktop.core.models.transfer import TransferImport, TransferRecord
from tests.transfer_factories import add_broker, add_transfer, signed_in, worker_id
from tests.transfer_sheets import good_row, write_sheet


@pytest.fixture
def broker(db):  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        return add_broker(s, "王经纪", 1, village_code="510923101201", service_area="蓬莱镇白衣村")


def _import(db, profile, path: Path, **options):  # type: ignore[no-untyped-def]
    return import_transfers(db, profile, path, user=signed_in("clerk"), **options)


def _count(db) -> int:  # type: ignore[no-untyped-def]
    with db.session("clerk", write=False) as s:
        return s.scalar(select(func.count()).select_from(TransferRecord)) or 0


def test_a_sheet_in_the_seed_layout_imports_and_the_file_is_kept(db, profile, broker, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [good_row(i, worker_id(i)) for i in range(1, 8)]
    rows[1] = good_row(2, worker_id(2), 备注="入职日期：2025-04-10；夜班", 劳动合同期限="1年")
    rows[2] = good_row(3, worker_id(3), 性别="男", 年龄=34, 文化程度="中专", 民族="汉", 是否参加社保="否", 备注="")
    path = write_sheet(tmp_path / "王经纪.xlsx", rows, blank_rows=2)
    report = _import(db, profile, path)
    assert report.bad_rows == [] and report.imported == 7, report.lines()
    with db.session("clerk", write=False) as s:
        records = {r.worker_name: r for r in s.scalars(select(TransferRecord))}
        first = records["张1"]
        assert (first.hire_date, first.contract_months, first.poverty_alleviated, first.employer_type) == (
            date(2025, 3, 1), 12, True, "企业")
        assert (first.gender, first.age, first.broker_id, first.village_code) == ("男", 34, broker.id, "510923101201")
        assert (records["张2"].hire_date, records["张2"].remarks) == (date(2025, 4, 10), "夜班")
        assert (records["张3"].education, records["张3"].ethnicity, records["张3"].social_insurance) == (
            "中专/中技", "汉族", False)
        kept = s.scalar(select(TransferImport))
        content = path.read_bytes()
        assert kept.content == content and kept.file_sha256 == hashlib.sha256(content).hexdigest()
        assert (kept.sheet_broker_name, kept.fill_date, kept.imported_rows) == ("王经纪", date(2025, 6, 30), 7)
        created = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "转移就业",
                                                                              AuditEntry.action == "create"))
        assert created == 7


@pytest.mark.parametrize("fill", [datetime(2025, 6, 30), 45838, "2025-06-30"])
def test_fill_date_in_its_own_cell_as_date_serial_or_text_is_the_fallback_hire_date(
        db, profile, broker, tmp_path, fill) -> None:  # type: ignore[no-untyped-def]
    path = write_sheet(tmp_path / "a.xlsx", [good_row(1, worker_id(1), 劳动合同期限="1年", 备注="")],
                       fill_date=fill, split_label_cells=True)
    report = _import(db, profile, path)
    assert report.imported == 1
    assert any("按填表日期 2025-06-30" in w.reason for w in report.warnings)
    with db.session("clerk", write=False) as s:
        assert s.scalar(select(TransferRecord.hire_date)) == date(2025, 6, 30)


def test_a_hire_date_column_as_text_or_serial(db, profile, broker, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [good_row(1, worker_id(1), 入职日期="2025年5月6日"), good_row(2, worker_id(2), 入职日期=45783)]
    path = write_sheet(tmp_path / "a.xlsx", rows, extra_titles=["入职日期"])
    assert _import(db, profile, path).imported == 2
    with db.session("clerk", write=False) as s:
        assert sorted(s.scalars(select(TransferRecord.hire_date))) == [date(2025, 5, 6), date(2025, 5, 6)]


BAD = [
    ({"身份证号码": 510923199006151234}, "身份证号码", "超过 15 位的数字已经丢失"),
    ({"身份证号码": "510923900615123"}, "身份证号码", "15位旧版身份证号码"),
    ({"身份证号码": "51092319900615123X"}, "身份证号码", "校验位不正确"),
    ({"性别": "女"}, "性别", "与身份证号码不一致"),
    ({"民族": "火星族"}, "民族", "不是56个民族的名称之一"),
    ({"文化程度": "博士后"}, "文化程度", "不是可识别的文化程度"),
    ({"组织劳动力姓名": None}, "组织劳动力姓名", "请填写组织劳动力姓名"),
    ({"就业单位名称": "  "}, "就业单位名称", "请填写就业单位名称"),
    ({"是否参加社保": "不清楚"}, "是否参加社保", "看不出是否参加社保"),
    ({"备注": "入职日期：2027-01-05"}, "转移就业日期", "晚于今天"),
    ({"身份证号码": worker_id(8, birth=date(2012, 1, 1))}, "身份证号码", "未满 16 周岁"),
]


@pytest.mark.parametrize(("change", "column", "reason"), BAD, ids=[b[2][:8] for b in BAD])
def test_each_kind_of_bad_row_is_reported_by_row_column_and_reason_and_nothing_is_written(
        db, profile, broker, tmp_path, change, column, reason) -> None:  # type: ignore[no-untyped-def]
    rows = [good_row(1, worker_id(1)), good_row(2, worker_id(2), **change), good_row(3, worker_id(3))]
    path = write_sheet(tmp_path / "a.xlsx", rows, blank_rows=0)
    report = _import(db, profile, path)
    assert [(p.row, p.column) for p in report.bad_rows] == [(6, column)], report.lines()  # title lines + header: row 6
    assert reason in report.bad_rows[0].reason
    assert report.imported == 0 and _count(db) == 0
    assert "没有写入任何数据" in report.lines()[-1]


def test_skip_bad_writes_the_good_rows_and_dry_run_writes_nothing(db, profile, broker, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [good_row(1, worker_id(1)), good_row(2, worker_id(2), 民族="火星族"), good_row(3, worker_id(3))]
    path = write_sheet(tmp_path / "a.xlsx", rows)
    dry = _import(db, profile, path, dry_run=True, skip_bad=True)
    assert (dry.total_rows, dry.good_rows, _count(db)) == (3, 2, 0)
    report = _import(db, profile, path, skip_bad=True)
    assert (report.imported, _count(db)) == (2, 2)
    with db.session("clerk", write=False) as s:
        kept = s.scalar(select(TransferImport))
        assert (kept.bad_rows, kept.skip_bad) == (1, True) and "火星族" in kept.report


def test_the_same_worker_the_same_day_twice_in_the_file_or_already_logged(db, profile, broker, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        other = add_broker(s, "李经纪", 2)
        add_transfer(s, other.id, id_number=worker_id(9), hire_date=date(2025, 3, 1))
    rows = [good_row(1, worker_id(1)), good_row(2, worker_id(1)), good_row(3, worker_id(9)),
            good_row(4, worker_id(4)), good_row(5, worker_id(4), 劳动合同期限="2025.9.1-2026.8.31")]
    report = _import(db, profile, write_sheet(tmp_path / "a.xlsx", rows, blank_rows=0))
    reasons = {p.row: p.reason for p in report.bad_rows}
    assert set(reasons) == {5, 6, 7}, report.lines()  # rows 8 and 9: the same worker on two days is two 人次
    assert "与第 6 行是同一人同一天" in reasons[5] and "已由经纪人李经纪登记" in reasons[7]


def test_no_way_to_know_the_hire_date_refuses_the_row(db, profile, broker, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_sheet(tmp_path / "a.xlsx", [good_row(1, worker_id(1), 劳动合同期限="1年", 备注="")], fill_date="    年  月  日")
    report = _import(db, profile, path)
    assert report.bad_rows[0].column == "劳动合同期限" and "无法确定转移就业（入职）日期" in report.bad_rows[0].reason


def test_the_broker_comes_from_the_option_or_the_sheet(db, profile, broker, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_sheet(tmp_path / "a.xlsx", [good_row(1, worker_id(1))], broker="赵某")
    with pytest.raises(UserError, match="在册劳务经纪人中没有“赵某”"):
        _import(db, profile, path)
    with pytest.raises(UserError, match="与所选经纪人王经纪不一致"):
        _import(db, profile, path, broker_id_number=broker.id_number)
    with db.session("clerk") as s:
        add_broker(s, "王经纪", 3)
    same_name = write_sheet(tmp_path / "b.xlsx", [good_row(1, worker_id(1))])
    with pytest.raises(UserError, match="有 2 位“王经纪”"):
        _import(db, profile, same_name)
    assert _import(db, profile, same_name, broker_id_number=broker.id_number).imported == 1


def test_a_missing_required_column_is_a_problem_of_the_file(db, profile, broker, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "组织劳动力姓名", "身份证号码", "就业单位名称", "是否参加社保"])
    ws.append([1, "张三", worker_id(1), "某公司", "是"])
    wb.save(tmp_path / "a.xlsx")
    report = _import(db, profile, tmp_path / "a.xlsx", broker_id_number=broker.id_number)
    assert [p.column for p in report.bad_rows] == ["劳动合同期限"]
