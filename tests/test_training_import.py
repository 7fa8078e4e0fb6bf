"""Importing training and exam results (培训考试结果) from the provincial platform's .xlsx."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop import cli
from desktop.core.app import open_database
from desktop.core.audit import verify_chain
from desktop.core.db.database import Database
from desktop.core.documents.excel.importing import ImportCancelled, ImportReport
from desktop.core.documents.excel.training_import import import_training_results
from desktop.core.errors import PermissionDenied
from desktop.core.models import BrokerApplication
from desktop.core.models.account import Role
from desktop.core.models.audit import AuditEntry
from desktop.core.models.certification import ApplicationStep, TrainingResult
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services import accounts, workflow
from desktop.core.services import applications as svc
from desktop.core.services.accounts import SignedInUser
from tests.conftest import ADMIN_PASSWORD
from tests.factories import application_input, make_id

HEADER = ["姓名", "身份证号码", "培训完成时间", "考试成绩", "是否合格", "合格证编号"]
NAME = "王镕䶮"  # application_input's name


def sign_in(db: Database, profile: PolicyProfile, name: str) -> SignedInUser:
    with db.session(name) as s:
        signed = accounts.sign_in(s, profile, name, ADMIN_PASSWORD).user
    assert signed is not None
    return signed


def person_id(i: int) -> str:
    return make_id(date(1980 + i // 100, 3, 15), seq=i)


def applications(db: Database, profile: PolicyProfile, n: int, *, reviewed: int | None = None) -> list[int]:
    """``n`` applications entered by the clerk; the first ``reviewed`` (default all) passed review."""
    clerk, reviewer = sign_in(db, profile, "clerk"), sign_in(db, profile, "reviewer")
    ids = []
    with db.session("clerk") as s:
        for i in range(n):
            data = application_input(id_number=person_id(i), application_date=date(2026, 10, 8))
            ids.append(svc.create_application(s, profile, data))
    for app_id in ids[: n if reviewed is None else reviewed]:
        with db.session("clerk") as s:
            workflow.record_recommendation(s, clerk, app_id, recommended=True, on=date(2026, 10, 10), opinion="")
        with db.session("reviewer") as s:
            workflow.county_review(s, reviewer, profile, app_id, passed=True, on=date(2026, 10, 12), opinion="")
    return ids


def row(i: int, **over: Any) -> dict[str, Any]:
    values = {"姓名": NAME, "身份证号码": person_id(i), "培训完成时间": "2026-10", "考试成绩": 86,
              "是否合格": "合格", "合格证编号": f"SC2026-{i:04d}"}
    values.update(over)
    return values


def write_xlsx(path: Path, rows: list[dict[str, Any] | None], *, header: list[str] = HEADER,
               title: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append([] if r is None else [r.get(h) for h in header])
    wb.save(path)
    return path


def statuses(db: Database) -> list[str]:
    with db.session("t", write=False) as s:
        return list(s.scalars(select(BrokerApplication.status).order_by(BrokerApplication.id)))


def count(db: Database, model: type) -> int:
    with db.session("t", write=False) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def problems(report: ImportReport) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in report.bad_rows}


def test_good_file_records_results_like_the_form(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    ids = applications(db, profile, 3)
    clerk = sign_in(db, profile, "clerk")
    rows = [
        row(0),
        row(1, 考试成绩="55", 是否合格="未通过", 合格证编号=None),
        row(2, 培训完成时间=datetime(2026, 9, 30), 考试成绩="90.45", 是否合格="通过", 姓名=" 王 镕䶮 "),
    ]
    report = import_training_results(db, write_xlsx(tmp_path / "platform.xlsx", rows, title="培训考试结果"),
                                      user=clerk)
    assert report.bad_rows == [] and (report.total_rows, report.imported) == (3, 3)
    assert statuses(db) == ["trained", "reviewed", "trained"]  # a fail stays 待培训考试, as on the form
    with db.session("t", write=False) as s:
        results = s.scalars(select(TrainingResult).order_by(TrainingResult.id)).all()
        assert [(r.application_id, r.completed_month, r.passed, r.certificate_no) for r in results] == [
            (ids[0], "2026-10", True, "SC2026-0000"), (ids[1], "2026-10", False, ""), (ids[2], "2026-09", True, "SC2026-0002")]
        assert [Decimal(str(r.score)) for r in results] == [Decimal("86"), Decimal("55"), Decimal("90.5")]
        assert results[0].source == "导入：platform.xlsx" and results[0].created_by == "clerk"
        step = s.scalars(select(ApplicationStep).where(ApplicationStep.application_id == ids[0],
                                                       ApplicationStep.kind == "training")).one()
        assert (step.actor, step.actor_name, step.occurred_on, step.passed) == ("clerk", "张经办", date(2026, 11, 22), True)
        assert step.opinion == "培训完成 2026-10，成绩 86.0，合格，合格证 SC2026-0000"
        assert [e.label for e in workflow.timeline(s, ids[1])][-1] == "培训考试：未通过"
        app = s.get(BrokerApplication, ids[0])
        assert (app.updated_by, app.version) == ("clerk", 4)  # submitted 1, recommended 2, reviewed 3
        # one audit entry per imported row (result, step and status change together), plus the summary
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "导入")).all()
        summary = [e for e in entries if not e.entity_id]
        assert len(summary) == 1 and summary[0].detail == "platform.xlsx，3 行" and summary[0].actor == "clerk"
        per_row = {int(e.entity_id): e for e in entries if e.entity_id}
        assert sorted(per_row) == ids and {(e.entity, e.field, e.old_value) for e in per_row.values()} == {("培训考试", "*", None)}
        steps = {x.application_id: x for x in s.scalars(select(ApplicationStep).where(ApplicationStep.kind == "training"))}
        for r in results:
            shown = {"completed_month": r.completed_month, "id": str(r.id), "passed": "是" if r.passed else "否",
                     "score": str(Decimal(str(r.score))), "source": r.source,
                     "step": {"actor": "clerk", "actor_name": "张经办", "id": str(steps[r.application_id].id),
                              "kind": "training", "occurred_on": "2026-11-22", "opinion": steps[r.application_id].opinion}}
            if r.passed:
                shown |= {"certificate_no": r.certificate_no, "status": "reviewed→trained"}
            assert per_row[r.application_id].new_value == json.dumps(shown, ensure_ascii=False, sort_keys=True)
        written = s.scalars(select(AuditEntry.action).where(AuditEntry.id >= min(e.id for e in entries))).all()
        assert written == ["导入"] * 4  # nothing else: no entries per field, table or status change
        assert verify_chain(s) is None


def test_each_bad_row_is_reported_and_nothing_is_written(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    applications(db, profile, 12, reviewed=11)  # application 11 still waits for the village (待村推荐)
    bad_id = person_id(3)[:17] + ("0" if person_id(3)[17] != "0" else "1")
    rows = [
        row(0),                                        # 2: good
        row(1, 姓名="王小明"),                            # 3: name differs from the application
        row(0, 身份证号码=make_id(date(1990, 1, 1), seq=77)),  # 4: no application for this ID
        row(11),                                       # 5: application is 待村推荐
        row(2, 培训完成时间="2026-13"),                    # 6: not a month
        row(3, 培训完成时间="2026-12"),                    # 7: after this month (today 2026-11-22)
        row(4, 考试成绩="优秀"),                           # 8: not a score
        row(5, 考试成绩=120),                              # 9: out of range
        row(6, 是否合格="也许"),                            # 10
        row(7, 合格证编号=""),                              # 11: pass without certificate
        row(8), row(8, 考试成绩=91),                        # 12, 13: same ID twice
        row(9, 身份证号码=bad_id),                          # 14: check digit
        row(10, 是否合格=None),                             # 15: empty
    ]
    report = import_training_results(db, write_xlsx(tmp_path / "bad.xlsx", rows), user=sign_in(db, profile, "clerk"))
    assert problems(report) == {
        (3, "姓名"), (4, "身份证号码"), (5, "身份证号码"), (6, "培训完成时间"), (7, "培训完成时间"),
        (8, "考试成绩"), (9, "考试成绩"), (10, "是否合格"), (11, "合格证编号"), (12, "身份证号码"),
        (13, "身份证号码"), (14, "身份证号码"), (15, "是否合格"),
    }
    why = {p.row: p.reason for p in report.bad_rows}
    assert "王镕䶮" in why[3] and "不一致" in why[3]
    assert "没有这个身份证号码的认定申请" in why[4]
    assert "待村推荐" in why[5] and "待培训考试" in why[5]
    assert "2026-13" in why[6] and "晚于本月" in why[7]
    assert "优秀" in why[8] and "0—100" in why[9]
    assert "也许" in why[10] and "合格证" in why[11]
    assert "第 13 行" in why[12] and "第 12 行" in why[13]
    assert "校验位" in why[14]
    assert report.imported == 0 and report.bad_row_count == 13
    assert report.lines()[-1].startswith("共 14 行，导入 0 行，有问题 13 行（未写入）")
    assert count(db, TrainingResult) == 0 and "trained" not in statuses(db)


def test_skip_bad_and_dry_run(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    ids = applications(db, profile, 3)
    clerk = sign_in(db, profile, "clerk")
    path = write_xlsx(tmp_path / "mixed.xlsx", [row(0), row(1, 是否合格="?"), row(2, 是否合格="否", 合格证编号="")])
    dry = import_training_results(db, path, user=clerk, dry_run=True, skip_bad=True)
    assert (dry.total_rows, dry.good_rows, dry.imported) == (3, 2, 0) and problems(dry) == {(3, "是否合格")}
    assert count(db, TrainingResult) == 0
    refused = import_training_results(db, path, user=clerk)
    assert refused.imported == 0 and count(db, TrainingResult) == 0
    done = import_training_results(db, path, user=clerk, skip_bad=True)
    assert (done.imported, done.bad_row_count) == (2, 1)
    assert statuses(db) == ["trained", "reviewed", "reviewed"]
    # the passed one is no longer waiting for a result: importing the file again refuses it
    again = import_training_results(db, path, user=clerk, dry_run=True)
    assert "待公示" in {p.row: p.reason for p in again.bad_rows}[2]
    with db.session("t", write=False) as s:
        imported = s.execute(select(AuditEntry.entity_id, AuditEntry.detail).where(AuditEntry.action == "导入")).all()
        assert sorted(imported) == [("", "mixed.xlsx，2 行（跳过有问题的 1 行）"), (str(ids[0]), ""),
                                    (str(ids[2]), "")]
        assert verify_chain(s) is None


def test_missing_column_cancel_and_roles(db: Database, profile: PolicyProfile, tmp_path: Path) -> None:
    applications(db, profile, 1)
    clerk = sign_in(db, profile, "clerk")
    report = import_training_results(db, write_xlsx(tmp_path / "m.xlsx", [row(0)], header=HEADER[:4] + HEADER[5:]),
                                     user=clerk)
    assert problems(report) == {(1, "是否合格")} and "缺少这一列" in report.bad_rows[0].reason
    with pytest.raises(ImportCancelled):
        import_training_results(db, write_xlsx(tmp_path / "c.xlsx", [row(0)]), user=clerk, cancel=lambda: True)
    auditor = SignedInUser(99, "audit", "审计员", Role.AUDITOR, False)
    with pytest.raises(PermissionDenied):
        import_training_results(db, tmp_path / "c.xlsx", user=auditor)
    assert count(db, TrainingResult) == 0 and statuses(db) == ["reviewed"]


def test_cli_import_training(db_path: Path, profile: PolicyProfile, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(db_path).db
    try:
        applications(db, profile, 2)
    finally:
        db.dispose()
    good = write_xlsx(tmp_path / "good.xlsx", [row(0), row(1)])
    bad = write_xlsx(tmp_path / "bad.xlsx", [row(0), row(1, 考试成绩=101)])
    base = ["--db", str(db_path), "import", "training"]
    assert cli.main([*base, str(bad)]) == 1
    assert "第 3 行【考试成绩】" in capsys.readouterr().out
    assert cli.main([*base, str(good), "--user", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
    (tmp_path / "not.xlsx").write_bytes(b"plain text")
    assert cli.main([*base, str(tmp_path / "not.xlsx")]) == 2
    assert cli.main([*base, str(good), "--dry-run"]) == 0
    assert cli.main([*base, str(good), "--user", "clerk"]) == 0
    assert "以账号 clerk（张经办）" in capsys.readouterr().out
    db = open_database(db_path).db
    try:
        assert statuses(db) == ["trained", "trained"]
        with db.session("t", write=False) as s:
            assert set(s.scalars(select(ApplicationStep.actor).where(ApplicationStep.kind == "training"))) == {"clerk"}
            assert verify_chain(s) is None
    finally:
        db.dispose()


def test_cli_default_user_is_the_first_admin(db_path: Path, profile: PolicyProfile, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(db_path).db
    try:
        applications(db, profile, 1)
    finally:
        db.dispose()
    path = write_xlsx(tmp_path / "one.xlsx", [row(0)])
    assert cli.main(["--db", str(db_path), "import", "training", str(path)]) == 0
    assert "以账号 admin（管理员）" in capsys.readouterr().out


def test_bulk_audit_facts_equal_creation_fact() -> None:
    from desktop.core.audit import creation_fact
    from desktop.core.documents.excel.importing import FactMaker

    now = datetime(2026, 11, 22, 9, 30)
    rows = [
        {"application_id": 7, "completed_month": "2026-10", "score": Decimal("86.0"), "passed": True,
         "certificate_no": "SC-1", "source": "导入：a.xlsx", "created_at": now, "created_by": "clerk"},
        {"application_id": 8, "completed_month": "2026-10", "score": None, "passed": False, "certificate_no": "",
         "source": "导入：a.xlsx", "created_at": now, "created_by": "clerk"},
    ]
    step = {"application_id": 7, "kind": "training", "passed": False, "occurred_on": date(2026, 11, 22),
            "opinion": "培训完成 2026-10，不合格", "actor": "clerk", "actor_name": "张经办", "publicity_batch_id": None}
    make = FactMaker(TrainingResult).make
    skip = TrainingResult.__audit_skip__
    for i, values in enumerate(rows, start=40):
        kept = {k: v for k, v in values.items() if k not in skip}
        assert make(i, values) == creation_fact("培训考试", str(i), {"id": i} | kept)
    assert FactMaker(ApplicationStep).make(3, step) == creation_fact("认定流程", "3", {"id": 3} | step)


def test_import_entry_is_canonical_json() -> None:
    from desktop.core.documents.excel.training_import import ImportEntry

    user = SignedInUser(3, "clerk", '张"经办\\', Role.CLERK, False)
    entry = ImportEntry(user, date(2026, 11, 22))
    base = {"application_id": 7, "completed_month": "2026-10", "source": "导入：\"a\".xlsx"}
    cases = [
        base | {"score": Decimal("86.0"), "passed": True, "certificate_no": 'SC"1\\\n'},
        base | {"score": None, "passed": False, "certificate_no": ""},
        base | {"score": Decimal("0.5"), "passed": False, "certificate_no": "X"},
    ]
    for result in cases:
        fact = entry.fact(result, 41, 99, "培训完成 2026-10，合格")
        shown = {"completed_month": "2026-10", "id": "41", "passed": "是" if result["passed"] else "否",
                 "source": result["source"],
                 "step": {"actor": "clerk", "actor_name": user.display_name, "id": "99", "kind": "training",
                          "occurred_on": "2026-11-22", "opinion": "培训完成 2026-10，合格"}}
        if result["score"] is not None:
            shown["score"] = str(result["score"])
        if result["certificate_no"]:
            shown["certificate_no"] = result["certificate_no"]
        if result["passed"]:
            shown["status"] = "reviewed→trained"
        assert (fact.action, fact.entity, fact.entity_id, fact.field, fact.old_value) == ("导入", "培训考试", "7", "*", None)
        assert fact.new_value == json.dumps(shown, ensure_ascii=False, sort_keys=True)
        assert json.loads(fact.new_value) == shown


def test_status_moves_by_ids_when_the_new_results_are_not_consecutive(db: Database, profile: PolicyProfile) -> None:
    from desktop.core.documents.excel.training_import import _move_to_trained

    ids = applications(db, profile, 3)
    with db.session("clerk") as s:  # results 5 and 9 are not a range that only this import wrote
        assert _move_to_trained(s, [5, 9], [ids[0], ids[2]], "clerk", datetime(2026, 11, 22, 9, 30)) == 2
    assert statuses(db) == ["trained", "reviewed", "trained"]
