"""Writing and verifying the hash-chained audit trail (审计日志).

Model changes are captured automatically at flush time for every ``Audited`` model; security
events (sign-in, export, print, reveal…) are written with ``record_event``. Both go through
``_append``, which reads the chain head under the write lock, so the chain has no forks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from desktop.core import clock
from desktop.core.db.sqlite import bulk_insert
from desktop.core.models.audit import AuditEntry, AuditHead
from desktop.core.models.base import Audited

GENESIS = "0" * 64
# One encoder for every entry: json.dumps with options builds a new encoder per call.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_json_str: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]  # what _CANONICAL uses
SYSTEM_ACTOR = "系统"


@dataclass(frozen=True)
class AuditFact:
    action: str
    entity: str = ""
    entity_id: str = ""
    field: str = ""
    old_value: str | None = None
    new_value: str | None = None
    outcome: str = "成功"
    detail: str = ""


def actor_of(session: Session) -> str:
    return str(session.info.get("actor") or SYSTEM_ACTOR)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()[:16]
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def entry_hash(prev_hash: str, at: datetime, actor: str, fact: AuditFact) -> str:
    return _digest(prev_hash, at.isoformat(sep=" "), actor, fact)


def _digest(prev_hash: str, at_text: str, actor: str, fact: AuditFact) -> str:
    """sha256 of the canonical JSON list [prev_hash, at, actor, action, entity, entity_id, field,
    old_value, new_value, outcome, detail] — the format ``labordesk check`` verifies.

    When every item is a str or None (always, for facts this module writes) the list is joined
    from each item's JSON string directly, which gives the encoder's bytes without building an
    encoder per call (what ``JSONEncoder.encode`` does)."""
    items = (prev_hash, at_text, actor, fact.action, fact.entity, fact.entity_id, fact.field,
             fact.old_value, fact.new_value, fact.outcome, fact.detail)
    try:
        payload = "[" + ",".join(["null" if v is None else _json_str(v) for v in items]) + "]"
    except TypeError:  # an item that is not a str (an int id from a caller): the full encoder
        payload = _CANONICAL.encode(list(items))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append_facts(session: Session, facts: Iterable[AuditFact]) -> None:
    facts = list(facts)
    if not facts:
        return
    conn = session.connection()
    head = conn.execute(
        select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == 1).with_for_update()
    ).first()
    if head is None:
        conn.execute(AuditHead.__table__.insert().values(id=1, last_id=0, last_hash=GENESIS))
        last_id, prev = 0, GENESIS
    else:
        last_id, prev = head
    actor = actor_of(session)
    at = clock.now()
    at_text = at.isoformat(sep=" ")
    rows = []
    for fact in facts:
        last_id += 1
        digest = _digest(prev, at_text, actor, fact)
        rows.append(
            {
                "id": last_id,
                "at": at,
                "actor": actor,
                "action": fact.action,
                "entity": fact.entity,
                "entity_id": fact.entity_id,
                "field": fact.field,
                "old_value": fact.old_value,
                "new_value": fact.new_value,
                "outcome": fact.outcome,
                "detail": fact.detail,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    bulk_insert(conn, AuditEntry.__table__, rows)
    conn.execute(update(AuditHead).where(AuditHead.id == 1).values(last_id=last_id, last_hash=prev))


def record_event(session: Session, fact: AuditFact) -> None:
    """Append a security or business event (sign-in, export, print…) to the chain."""
    append_facts(session, [fact])


def creation_fact(entity: str, entity_id: str, values: dict[str, Any]) -> AuditFact:
    """One entry for a new record: every non-empty field as a JSON object (blobs as a hash)."""
    shown = {k: _text(v) for k, v in values.items() if v not in (None, "", b"")}
    return AuditFact("create", entity, entity_id, "*", None, json.dumps(shown, ensure_ascii=False, sort_keys=True))


def _facts_for(obj: Audited, action: str) -> list[AuditFact]:
    state = inspect(obj)
    entity = type(obj).__audit_entity__ or type(obj).__name__
    entity_id = ",".join(str(v) for v in state.identity or ()) or str(getattr(obj, "id", ""))
    if action == "create":
        values = {
            attr.key: getattr(obj, attr.key)
            for attr in state.mapper.column_attrs
            if attr.key not in type(obj).__audit_skip__ and attr.key not in state.unloaded
        }
        return [creation_fact(entity, entity_id, values)]
    facts: list[AuditFact] = []
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in type(obj).__audit_skip__:
            continue
        hist = state.attrs[key].history
        if action == "create":
            continue
        if action == "update" and hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if _text(old) != _text(new):
                facts.append(AuditFact("update", entity, entity_id, key, _text(old), _text(new)))
        elif action == "delete":
            old = hist.unchanged[0] if hist.unchanged else (hist.deleted[0] if hist.deleted else None)
            facts.append(AuditFact("delete", entity, entity_id, key, _text(old), None))
    return facts


def _after_flush(session: Session, _flush_context: object) -> None:
    facts: list[AuditFact] = []
    for obj in session.new:
        if isinstance(obj, Audited):
            facts.extend(_facts_for(obj, "create"))
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            facts.extend(_facts_for(obj, "update"))
    for obj in session.deleted:
        if isinstance(obj, Audited):
            facts.extend(_facts_for(obj, "delete"))
    append_facts(session, facts)


def install(session_factory: Any) -> None:
    """Attach the automatic model auditing to a sessionmaker (or Session class)."""
    event.listen(session_factory, "after_flush", _after_flush)


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    message: str


def verify_chain(session: Session, batch: int = 5000) -> ChainProblem | None:
    """Walk the whole chain; return the first entry that was altered or removed, else None."""
    prev = GENESIS
    expected_id = 1
    last_seen = 0
    while True:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.id > last_seen).order_by(AuditEntry.id).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for row in rows:
            if row.id != expected_id:
                return ChainProblem(expected_id, f"审计日志第 {expected_id} 条缺失（被删除）。")
            if row.prev_hash != prev:
                return ChainProblem(row.id, f"审计日志第 {row.id} 条与前一条不衔接，前面的记录被改动或删除。")
            fact = AuditFact(
                row.action, row.entity, row.entity_id, row.field,
                row.old_value, row.new_value, row.outcome, row.detail,
            )
            if entry_hash(prev, row.at, row.actor, fact) != row.hash:
                return ChainProblem(row.id, f"审计日志第 {row.id} 条的内容被改动过。")
            prev = row.hash
            expected_id += 1
            last_seen = row.id
        session.expunge_all()
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is not None and (head.last_id != last_seen or head.last_hash != prev):
        return ChainProblem(last_seen + 1, f"审计日志末尾的第 {last_seen + 1} 条起被删除。")
    return None
