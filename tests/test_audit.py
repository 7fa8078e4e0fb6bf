"""The audit chain: every change chained by hash; an edited or deleted entry is named."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from desktop.core.audit import GENESIS, AuditFact, entry_hash, record_event, verify_chain
from desktop.core.services import applications as svc
from tests.factories import application_input


def _make_history(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        app_id = svc.create_application(s, profile, application_input())
    with db.session("clerk") as s:
        svc.update_application(s, profile, app_id, 1, application_input(phone="13900000000"))
        record_event(s, AuditFact("打印", "经纪人申请", str(app_id)))


def test_chain_verifies(db, profile) -> None:  # type: ignore[no-untyped-def]
    _make_history(db, profile)
    with db.session("auditor", write=False) as s:
        assert verify_chain(s) is None


def test_edited_entry_is_named(db, profile) -> None:  # type: ignore[no-untyped-def]
    _make_history(db, profile)
    with db.engine.begin() as conn:
        target = conn.execute(text("SELECT id FROM audit_entry WHERE field = 'phone'")).scalar_one()
        conn.execute(text("UPDATE audit_entry SET new_value = '13700000000' WHERE id = :i"), {"i": target})
    with db.session("auditor", write=False) as s:
        problem = verify_chain(s)
    assert problem is not None and problem.entry_id == target and "改动" in problem.message


def test_deleted_entry_is_named(db, profile) -> None:  # type: ignore[no-untyped-def]
    _make_history(db, profile)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE id = 3"))
    with db.session("auditor", write=False) as s:
        problem = verify_chain(s)
    assert problem is not None and problem.entry_id == 3 and "缺失" in problem.message


def test_deleting_the_last_entry_is_detected(db, profile) -> None:  # type: ignore[no-untyped-def]
    _make_history(db, profile)
    with db.engine.begin() as conn:
        last = conn.execute(text("SELECT max(id) FROM audit_entry")).scalar_one()
        conn.execute(text("DELETE FROM audit_entry WHERE id = :i"), {"i": last})
    with db.session("auditor", write=False) as s:
        problem = verify_chain(s)
    assert problem is not None and problem.entry_id == last


def test_entry_hash_keeps_the_canonical_json_format() -> None:
    """The hash ``labordesk check`` verifies: sha256 of the compact JSON list of the fields."""
    at = datetime(2026, 11, 22, 9, 30, 0, 15)
    facts = [
        AuditFact("create", "经纪人申请", "7", "*", None, '{"name": "王\\"镕䶮", "note": "a\\nb"}'),
        AuditFact("update", "经纪人申请", "7", "phone", "139\t0000", "\u2028\x00\x1f\\/</>"),
        AuditFact("登录", detail="😀 emoji, 全角　空格", outcome="失败"),
        AuditFact("导入", "培训考试", 12, "*"),  # type: ignore[arg-type]  # not a str: the full encoder
    ]
    for prev in (GENESIS, "ab" * 32):
        for fact in facts:
            fields = [prev, at.isoformat(sep=" "), "张经办", fact.action, fact.entity, fact.entity_id, fact.field,
                      fact.old_value, fact.new_value, fact.outcome, fact.detail]
            payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
            assert entry_hash(prev, at, "张经办", fact) == hashlib.sha256(payload.encode("utf-8")).hexdigest()


_VALUES = st.one_of(
    st.none(), st.just(""), st.just(b""), st.text(), st.integers(), st.booleans(), st.binary(max_size=8),
    st.dates(), st.datetimes(), st.decimals(allow_nan=False, allow_infinity=False, places=2),
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.dictionaries(st.sampled_from(["id", "name", "a", "Z", "名称", "id_number", "hire_date", "\"q"]),
                                     _VALUES, max_size=8), min_size=1, max_size=4),
       skip=st.frozensets(st.sampled_from(["id", "name", "Z"])), new_id=st.integers(1, 10**9))
def test_bulk_facts_equal_creation_fact(rows, skip, new_id) -> None:  # type: ignore[no-untyped-def]
    """The importers' fast creation facts are byte for byte what ``creation_fact`` writes (the
    chain's hashes depend on it), whatever the keys, the skipped fields and the values."""
    from desktop.core.audit import creation_fact
    from desktop.core.documents.excel.importing import FactMaker

    model = type("Model", (), {"__audit_entity__": "测试", "__audit_skip__": skip})
    make = FactMaker(model).make
    for i, values in enumerate(rows):  # one maker for several rows: its caches must not leak between them
        kept = {k: v for k, v in values.items() if k not in skip}
        own_id = {"id": new_id + i} | kept
        assert make(new_id + i, values) == creation_fact("测试", str(new_id + i), own_id)
