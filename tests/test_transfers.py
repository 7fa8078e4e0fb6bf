"""Transfer entry, duplicates, corrections as new versions, withdrawal, and the paged lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.account import Role
from desktop.core.models.audit import AuditEntry
from desktop.core.models.transfer import TransferRecord
from desktop.core.rules.eligibility import ERROR, WARNING
from desktop.core.services import transfer_search as search
from desktop.core.services import transfers
from tests.transfer_factories import add_broker, add_transfer, signed_in, transfer_input, worker_id


def test_live_checks_name_every_problem_by_field(profile) -> None:  # type: ignore[no-untyped-def]
    data = transfer_input(None, worker_name="", employer_name="", ethnicity="火星族", education="博士后",
                          id_number="51092319900615123", hire_date=date(2026, 12, 1), phone="12345")
    problems = {p.field: p for p in transfers.validate(data, profile)}
    assert set(problems) >= {"broker", "worker_name", "employer_name", "ethnicity", "education", "id_number",
                             "hire_date", "phone"}
    assert all(p.severity == ERROR for p in problems.values())
    assert "18位" in problems["id_number"].message


def test_age_comes_from_the_id_at_the_hire_date_and_under_16_is_refused(profile) -> None:  # type: ignore[no-untyped-def]
    young = worker_id(3, birth=date(2010, 3, 2))
    problems = transfers.validate(transfer_input(1, id_number=young, hire_date=date(2026, 3, 1)), profile)
    assert any(p.field == "id_number" and "未满 16 周岁" in p.message for p in problems)
    assert not [p for p in transfers.validate(transfer_input(1, id_number=young, hire_date=date(2026, 3, 2)), profile)
                if p.severity == ERROR]


def test_unreadable_contract_term_is_only_a_warning(profile) -> None:  # type: ignore[no-untyped-def]
    problems = transfers.validate(transfer_input(1, contract_term="看老板"), profile)
    assert [(p.field, p.severity) for p in problems] == [("contract_term", WARNING)]


def test_create_derives_gender_and_age_and_refuses_the_same_worker_the_same_day(db, profile) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in("clerk")
    with db.session("clerk") as s:
        a, b = add_broker(s, "甲", 1), add_broker(s, "乙", 2)
        saved = transfers.create_transfer(s, clerk, profile, transfer_input(a.id, 5, education="中专"))
        record = s.get(TransferRecord, saved.id)
        assert (record.gender, record.age, record.education, record.contract_months) == ("男", 34, "中专/中技", 12)
        again = transfers.create_transfer(s, clerk, profile, transfer_input(b.id, 5, hire_date=date(2025, 9, 1)))
        assert any("已有 1 次转移记录" in w for w in again.warnings)
        with pytest.raises(UserError, match="同一人同一天只能登记一次"):
            transfers.create_transfer(s, clerk, profile, transfer_input(b.id, 5))


def test_an_auditor_cannot_log_transfers(db, profile) -> None:  # type: ignore[no-untyped-def]
    auditor = replace(signed_in("clerk"), role=Role.AUDITOR)
    with db.session("clerk") as s:
        broker = add_broker(s)
        with pytest.raises(PermissionDenied):
            transfers.create_transfer(s, auditor, profile, transfer_input(broker.id))


def test_revoked_broker_cannot_get_new_transfers(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        broker = add_broker(s)
        broker.status, broker.revoked_on = "revoked", date(2025, 6, 1)
        s.flush()
        with pytest.raises(UserError, match="资格已于2025-06-01取消"):
            transfers.create_transfer(s, signed_in(), profile, transfer_input(broker.id, hire_date=date(2025, 7, 1)))
        transfers.create_transfer(s, signed_in(), profile, transfer_input(broker.id, hire_date=date(2025, 5, 1)))


def test_a_correction_keeps_the_old_version_and_the_history_shows_both(db, profile) -> None:  # type: ignore[no-untyped-def]
    clerk, reviewer = signed_in("clerk"), signed_in("reviewer")
    with db.session("clerk") as s:
        broker = add_broker(s)
        first = transfers.create_transfer(s, clerk, profile, transfer_input(broker.id, 7, employer_name="旧单位有限公司"))
    with db.session("clerk") as s:
        with pytest.raises(UserError, match="更正原因"):
            transfers.correct_transfer(s, clerk, profile, first.id, transfer_input(broker.id, 7), "")
        fixed = transfers.correct_transfer(s, clerk, profile, first.id,
                                           transfer_input(broker.id, 7, employer_name="新单位有限公司"), "单位名称写错")
        assert fixed.placement_id == first.id != fixed.id
        with pytest.raises(UserError, match="只能更正当前有效的版本"):
            transfers.correct_transfer(s, clerk, profile, first.id, transfer_input(broker.id, 7), "再改")
    with db.session("reviewer") as s:
        transfers.void_transfer(s, reviewer, fixed.id, "重复登记")
        history = transfers.transfer_history(s, profile, first.id)
        assert [(v.kind, v.status_label, v.reason) for v in history] == [
            ("新增", "已更正", ""), ("更正", "已更正", "单位名称写错"), ("作废", "已作废", "重复登记")]
        assert search.count_transfers(s, search.TransferQuery()) == 0
        assert search.count_transfers(s, search.TransferQuery(include_history=True)) == 3
        changes = s.scalars(select(AuditEntry.new_value).where(AuditEntry.field == "status")).all()
        assert "superseded" in changes


def test_county_list_filters_by_year_village_employer_broker_and_text(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        a = add_broker(s, "甲", 1)
        b = add_broker(s, "乙", 2)
        add_transfer(s, a.id, seq=1, hire_date=date(2024, 5, 1), village_code="510923101201", employer_name="甲公司")
        add_transfer(s, a.id, seq=2, hire_date=date(2025, 5, 1), village_code="510923101202", employer_name="乙厂")
        add_transfer(s, b.id, seq=3, hire_date=date(2025, 6, 1), village_code="510923102201", employer_name="甲公司",
                     worker_name="李%四")
    with db.session("clerk", write=False) as s:
        def ids(**q: object) -> list[str]:
            query = search.TransferQuery(**q)  # type: ignore[arg-type]
            rows = search.search_transfers(s, profile, query)
            assert search.count_transfers(s, query) == len(rows)
            assert search.search_page(s, profile, query) == (len(rows), rows)
            return sorted(r.worker_name for r in rows)

        assert ids() == ["劳动力1", "劳动力2", "李%四"]
        assert ids(year=2025) == ["劳动力2", "李%四"]
        assert ids(village_code="510923101000") == ["劳动力1", "劳动力2"]  # a township: its villages
        assert ids(village_code="510923101202") == ["劳动力2"]
        assert ids(employer="甲公") == ["劳动力1", "李%四"]
        assert ids(broker_id=b.id) == ["李%四"]
        assert ids(text="%") == ["李%四"]  # LIKE wildcards are escaped
        assert ids(text=worker_id(2)[:17]) == ["劳动力2"]
        assert ids(text="5") == ids(text="5109") == ["劳动力1", "劳动力2", "李%四"]  # the first digits typed
        row = search.search_transfers(s, profile, search.TransferQuery(year=2024))[0]
        assert row.id_number_masked.count("*") == 8 and row.subsidy_text == "符合"
        assert search.transfer_years(s) == [2025, 2024]
