"""Workstation registry and application flow, materials with files, revocation and the re-application ban."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from desktop.core import clock
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.audit import AuditEntry
from desktop.core.models.station import Station, StationMaterial
from desktop.core.services import stations as svc
from desktop.core.services.station_materials import (
    MaterialInput,
    add_material,
    checklist,
    missing_items,
    save_material_file,
)
from tests.station_helpers import JINDONG, add_workers, established_station, station_input, users


def test_the_whole_flow_from_application_to_established(db) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db)
    with db.session("clerk", write=False) as s:
        row = s.get(Station, station_id)
        assert row.status == "active" and row.established_on == date(2026, 2, 10)
        steps = svc.steps(s, station_id)
    assert [st.label for st in steps] == ["申请", "就业服务中心初审：通过", "人社局审核：通过", "设立"]
    assert "已输送劳动力 50 人" in steps[1].opinion and steps[1].actor == "李审核"
    assert "金东人社〔2026〕15号" in steps[3].opinion


def test_review_needs_every_material_and_fifty_delivered(db) -> None:  # type: ignore[no-untyped-def]
    u = users(db)
    with db.session("clerk") as s:
        station_id = svc.apply(s, u["clerk"], JINDONG, station_input())
        for no in range(1, 7):
            add_material(s, u["clerk"], JINDONG, station_id, MaterialInput(no, date(2026, 1, 5), paper_copies=2))
    add_workers(db, u["clerk"], station_id, 49, hired_on=date(2025, 12, 1))
    add_workers(db, u["clerk"], station_id, 5, start=100, hired_on=date(2025, 12, 1), dispatched=True)
    with db.session("reviewer") as s, pytest.raises(UserError, match=r"还缺 1 项.*单位法人身份证"):
        svc.center_review(s, u["reviewer"], JINDONG, station_id, passed=True, on=date(2026, 1, 6), opinion="")
    with db.session("clerk") as s:
        add_material(s, u["clerk"], JINDONG, station_id, MaterialInput(7, date(2026, 1, 5), paper_copies=2))
    with db.session("reviewer") as s, pytest.raises(UserError, match=r"只有 49 人.*50 人以上"):
        svc.center_review(s, u["reviewer"], JINDONG, station_id, passed=True, on=date(2026, 1, 6), opinion="")
    add_workers(db, u["clerk"], station_id, 1, start=49, hired_on=date(2025, 12, 1))
    with db.session("reviewer") as s:
        svc.center_review(s, u["reviewer"], JINDONG, station_id, passed=True, on=date(2026, 1, 6), opinion="")
        assert s.get(Station, station_id).status == "center_reviewed"


def test_roles_and_four_eyes(db) -> None:  # type: ignore[no-untyped-def]
    u = users(db)
    with db.session("reviewer") as s:
        own = svc.apply(s, u["reviewer"], JINDONG, station_input())
        with pytest.raises(UserError, match="本人登记"):
            svc.center_review(s, u["reviewer"], JINDONG, own, passed=False, on=date(2026, 1, 6), opinion="不符合")
    with db.session("clerk") as s, pytest.raises(PermissionDenied, match="审核"):
        svc.center_review(s, u["clerk"], JINDONG, own, passed=False, on=date(2026, 1, 6), opinion="x")


def test_a_failed_review_keeps_the_application_and_frees_the_name(db) -> None:  # type: ignore[no-untyped-def]
    u = users(db)
    with db.session("clerk") as s:
        first = svc.apply(s, u["clerk"], JINDONG, station_input())
        with pytest.raises(UserError, match="已有名为"):
            svc.apply(s, u["clerk"], JINDONG, station_input())
    with db.session("reviewer") as s:
        with pytest.raises(UserError, match="写明原因"):
            svc.center_review(s, u["reviewer"], JINDONG, first, passed=False, on=date(2026, 1, 6), opinion=" ")
        svc.center_review(s, u["reviewer"], JINDONG, first, passed=False, on=date(2026, 1, 6), opinion="无人力资源服务许可证")
    with db.session("clerk") as s:
        assert s.get(Station, first).status == "rejected"
        second = svc.apply(s, u["clerk"], JINDONG, station_input())
    assert second != first


def test_application_checks_fields(db) -> None:  # type: ignore[no-untyped-def]
    found = dict(svc.problems(station_input(name="", head_phone="12345", term_end=date(2025, 1, 1))))
    assert set(found) == {"name", "head_phone", "term_end"}
    assert "手机号码" in found["head_phone"] or "联系电话" in found["head_phone"]
    u = users(db)
    with db.session("clerk") as s, pytest.raises(UserError, match="工作站名称"):
        svc.apply(s, u["clerk"], JINDONG, station_input(name=""))


def test_revocation_and_the_two_year_ban(db) -> None:  # type: ignore[no-untyped-def]
    station_id = established_station(db, established_on=date(2024, 5, 10), applied_on=date(2024, 4, 1),
                                     hired_on=date(2024, 1, 2))
    u = users(db)
    with db.session("reviewer") as s:
        with pytest.raises(UserError, match="选择取消资格的情形"):
            svc.revoke(s, u["reviewer"], JINDONG, station_id, on=date(2024, 11, 22), reason="随便")
        svc.revoke(s, u["reviewer"], JINDONG, station_id, on=date(2024, 11, 22), reason="主动申请取消资格",
                   detail="公司业务调整")
    with db.session("clerk", write=False) as s:
        row = s.get(Station, station_id)
        assert (row.status, row.revoked_on) == ("revoked", date(2024, 11, 22))
        assert row.revoke_reason == "主动申请取消资格：公司业务调整"
    # the same organisation under another name, on the ban's last day (2026-11-22 = today): refused
    with db.session("clerk") as s, pytest.raises(UserError) as refused:
        svc.apply(s, u["clerk"], JINDONG, station_input("新站", applied_on=date(2026, 11, 22)))
    assert "2026-11-22 为止" in str(refused.value) and "自 2026-11-23 起可以重新申请" in str(refused.value)
    with db.session("clerk") as s, pytest.raises(UserError, match="2026-11-23"):
        svc.apply(s, u["clerk"], JINDONG, station_input("新站", applied_on=date(2026, 11, 21)))
    clock.pin(datetime(2026, 11, 23, 9, 0))
    with db.session("clerk") as s:
        assert svc.apply(s, u["clerk"], JINDONG, station_input(applied_on=date(2026, 11, 23)))


def test_materials_keep_the_file_and_its_hash(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    u = users(db)
    scan = tmp_path / "营业执照.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned licence" * 100)
    with db.session("clerk") as s:
        station_id = svc.apply(s, u["clerk"], JINDONG, station_input())
        with pytest.raises(UserError, match="纸质份数，或选择"):
            add_material(s, u["clerk"], JINDONG, station_id, MaterialInput(1, date(2026, 1, 5)))
        mid = add_material(s, u["clerk"], JINDONG, station_id, MaterialInput(1, date(2026, 1, 5), 2, "加盖公章", scan))
        items = checklist(s, JINDONG, station_id)
        assert items[0].received and items[0].summary == "已收：纸质 2 份，附件 1 个"
        assert items[0].entries[0].file_sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()
        assert len(missing_items(s, JINDONG, station_id)) == 6
        out = save_material_file(s, mid, tmp_path / "out" / "copy.pdf")
        assert out.read_bytes() == scan.read_bytes()
        audit = s.scalars(select(AuditEntry.new_value).where(AuditEntry.entity == "工作站申请材料",
                                                             AuditEntry.field == "*")).all()
        assert any("sha256:" in (v or "") for v in audit)  # the audit log keeps the digest, not the bytes
    with db.session("admin") as s:
        s.execute(update(StationMaterial).where(StationMaterial.id == mid).values(content=b"tampered"))
    with db.session("clerk") as s, pytest.raises(UserError, match="校验值"):
        save_material_file(s, mid, tmp_path / "again.pdf")
    assert not (tmp_path / "again.pdf").exists()


def test_missing_file_is_a_plain_error(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    u = users(db)
    with db.session("clerk") as s:
        station_id = svc.apply(s, u["clerk"], JINDONG, station_input())
        with pytest.raises(UserError, match="找不到文件"):
            add_material(s, u["clerk"], JINDONG, station_id, MaterialInput(2, date(2026, 1, 5), 0, "", tmp_path / "x.pdf"))


def test_profiles_without_the_module_refuse(db, profile) -> None:  # type: ignore[no-untyped-def]
    u = users(db)
    with db.session("clerk") as s, pytest.raises(UserError, match="没有开启劳务协作工作站模块"):
        svc.apply(s, u["clerk"], profile, station_input())


def test_list_and_find(db) -> None:  # type: ignore[no-untyped-def]
    established_station(db)
    u = users(db)
    with db.session("clerk") as s:
        svc.apply(s, u["clerk"], JINDONG, station_input("云南镇雄工作站", builder="另一家公司"))
        rows = svc.list_stations(s)
        assert [r.status_label for r in rows] == ["已设立", "已申请（待初审）"]
        assert svc.find_station(s, "云南镇雄工作站").name == "云南镇雄工作站"
        with pytest.raises(UserError, match="名称相近的有：云南镇雄工作站"):
            svc.find_station(s, "镇雄")
        actions = svc.available_actions(rows[0], u["clerk"])
        assert actions[0].key == "revoke" and not actions[0].allowed
