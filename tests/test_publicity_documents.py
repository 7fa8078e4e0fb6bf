"""The publicity notice of a batch (公示名单): built from the batch, written atomically, audited; CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from desktop import cli
from desktop.core.app import open_database
from desktop.core.audit import verify_chain
from desktop.core.db.database import Database
from desktop.core.errors import UserError
from desktop.core.models.audit import AuditEntry
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services import accounts, publicity, publicity_documents, workflow
from desktop.core.services import applications as svc
from tests.conftest import ADMIN_PASSWORD
from tests.factories import application_input, make_id

ISSUER = "大英县农民工服务中心"


def _batch(db: Database, profile: PolicyProfile) -> tuple[int, list[str]]:
    """Two applicants through the workflow into one batch; their full ID numbers."""
    users = {}
    for name in ("clerk", "reviewer"):
        with db.session(name) as s:
            users[name] = accounts.sign_in(s, profile, name, ADMIN_PASSWORD).user
    clerk, reviewer = users["clerk"], users["reviewer"]
    ids, numbers = [], []
    for seq in (1, 2):
        number = make_id(date(1985, 3, 15), seq=seq)
        with db.session("clerk") as s:
            app_id = svc.create_application(s, profile, application_input(id_number=number,
                                                                           application_date=date(2026, 10, 8)))
            workflow.record_recommendation(s, clerk, app_id, recommended=True, on=date(2026, 10, 10), opinion="")
        with db.session("reviewer") as s:
            workflow.county_review(s, reviewer, profile, app_id, passed=True, on=date(2026, 10, 12), opinion="")
        with db.session("clerk") as s:
            workflow.record_training(s, clerk, app_id, workflow.TrainingInput("2026-10", None, True, f"SC-{seq}"))
        ids.append(app_id)
        numbers.append(number)
    with db.session("clerk") as s:
        batch_id = publicity.create_batch(s, clerk, profile, publicity.BatchInput(
            tuple(ids), date(2026, 11, 23), "0825-7821234", "大英县蓬莱镇东门路12号", ISSUER))
    return batch_id, numbers


def test_notice_is_built_from_the_batch_masked(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    batch_id, numbers = _batch(db, profile)
    with db.session("t", write=False) as s:
        notice = publicity_documents.notice_for(s, profile, batch_id)
    assert notice.title == "关于2026年第1批劳务经纪人拟认定人员名单的公示"
    assert (notice.start, notice.issue_date, notice.issuer, notice.working_days) == (
        date(2026, 11, 23), date(2026, 11, 23), ISSUER, 5)
    assert notice.end == date(2026, 11, 27) and "2026" in notice.rule_text
    assert (notice.objection_phone, notice.objection_address) == ("0825-7821234", "大英县蓬莱镇东门路12号")
    assert [r.seq for r in notice.rows] == [1, 2]
    assert {r.id_number_masked for r in notice.rows} == {n[:6] + "********" + n[-4:] for n in numbers}
    assert "拟认定为劳务经纪人" in notice.lead

    pdf, xlsx = tmp_path / "out" / "notice.pdf", tmp_path / "notice.xlsx"
    with db.session("clerk") as s:
        publicity_documents.write_notice_pdf(s, profile, batch_id, pdf)
        publicity_documents.write_notice_xlsx(s, profile, batch_id, xlsx)
    text = "".join(PdfReader(pdf).pages[0].extract_text().split())
    assert notice.rows[0].id_number_masked in text and numbers[0] not in text
    values = [c for r in load_workbook(xlsx).active.iter_rows(values_only=True) for c in r if c]
    assert notice.rows[1].id_number_masked in values
    assert [p.name for p in tmp_path.rglob("*.part")] == []
    with db.session("t", write=False) as s:
        events = s.execute(select(AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.actor)
                           .where(AuditEntry.action.in_(("打印", "导出")))).all()
        assert [tuple(e) for e in events] == [("打印", "公示批次", str(batch_id), "clerk"),
                                              ("导出", "公示批次", str(batch_id), "clerk")]
        assert verify_chain(s) is None


@pytest.mark.parametrize("ref", ["abc", "", "2026-", "-1", "2026-x", "3.5"])
def test_find_batch_refuses_text_with_a_user_error(db: Database, ref: str) -> None:
    with db.session("t", write=False) as s, pytest.raises(UserError, match="编号"):
        publicity.find_batch(s, ref)


def test_cli_publicity_list_and_print(db_path: Path, profile: PolicyProfile, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", str(db_path), "publicity"]
    assert cli.main([*base, "list"]) == 0
    assert "还没有公示批次" in capsys.readouterr().out
    db = open_database(db_path).db
    try:
        batch_id, _ = _batch(db, profile)
    finally:
        db.dispose()
    assert cli.main([*base, "list"]) == 0
    listed = capsys.readouterr().out
    assert f"{batch_id}\t2026-1\t公示中\t2026-11-23 至 2026-11-27\t2 人，异议 0 条" in listed
    out = tmp_path / "公示.pdf"
    assert cli.main([*base, "print", "2026-1", "--out", str(out)]) == 0
    assert "2 人" in capsys.readouterr().out and out.stat().st_size > 0
    assert cli.main([*base, "print", str(batch_id), "--out", str(tmp_path / "again.pdf")]) == 0
    assert cli.main([*base, "print", "2026-7", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "没有找到公示批次" in capsys.readouterr().err
    assert cli.main([*base, "print", "abc", "--out", str(tmp_path / "x.pdf")]) == 2
    assert not (tmp_path / "x.pdf").exists()
    db = open_database(db_path).db
    try:
        with db.session("t", write=False) as s:
            printed = s.scalars(select(AuditEntry.actor).where(AuditEntry.action == "打印")).all()
            assert printed == ["命令行", "命令行"]
    finally:
        db.dispose()
