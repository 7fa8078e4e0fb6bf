"""显示完整号码: one record's full ID number, bank account or phone, shown on request and audited.

Lists, detail views and printed listings show these numbers masked (privacy.py). When the counter
needs the full value (to check it against the card, to ring the person) the clerk presses a
button; this service returns the values for that one record and writes one audit event per field
(who, which record, which field). The 审计 role may not reveal: it inspects the log, not people.

Each area registers its models with ``register``: the entity name is the model's
``__audit_entity__``, so the event names the record exactly as its own audit entries do.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from desktop.core import audit_events
from desktop.core.errors import UserError
from desktop.core.models.account import Role
from desktop.core.models.broker import BrokerApplication
from desktop.core.models.registry import Broker
from desktop.core.privacy import kind_of
from desktop.core.services.accounts import SignedInUser, require

FIELD_LABELS = {"id": "身份证号码", "bank": "银行账号", "phone": "联系电话"}
REVEALERS = (Role.CLERK, Role.REVIEWER, Role.ADMIN)

_models: dict[str, tuple[type, tuple[str, ...], str]] = {}


def register(model: type, fields: tuple[str, ...], name_field: str = "name") -> None:
    """Allow revealing ``fields`` of ``model`` (each one a personal-number field of privacy.py)."""
    for f in fields:
        if not kind_of(f):
            raise ValueError(f"{f} is not a personal-number field (privacy.py)")
    _models[model.__audit_entity__] = (model, fields, name_field)  # type: ignore[attr-defined]


register(BrokerApplication, ("id_number", "phone", "bank_account"))
register(Broker, ("id_number", "phone"))


@dataclass(frozen=True)
class RevealedField:
    field: str
    label: str
    value: str


@dataclass(frozen=True)
class Revealed:
    entity: str
    record_id: int
    name: str
    fields: tuple[RevealedField, ...]

    def value(self, field: str) -> str:
        return next(f.value for f in self.fields if f.field == field)


def revealable_fields(entity: str) -> tuple[str, ...]:
    return _models[entity][1] if entity in _models else ()


def reveal(session: Session, user: SignedInUser, entity: str, record_id: int,
           fields: tuple[str, ...] | None = None) -> Revealed:
    """The full values of ``fields`` (default: all registered) of one record; each one audited."""
    require(user, *REVEALERS, action="显示完整号码")
    if entity not in _models:
        raise UserError(f"“{entity}”没有可以显示的完整号码。")
    model, allowed, name_field = _models[entity]
    wanted = fields or allowed
    refused = [f for f in wanted if f not in allowed]
    if refused:
        raise UserError(f"“{entity}”的 {'、'.join(refused)} 不能显示完整号码。")
    row = session.get(model, record_id)
    if row is None:
        raise UserError("这条记录不存在，请刷新列表。")
    name = str(getattr(row, name_field, "") or "")
    shown = []
    for f in wanted:
        value = str(getattr(row, f) or "")
        if not value:
            continue
        label = FIELD_LABELS[kind_of(f)]
        audit_events.record_reveal(session, entity, str(record_id), f, f"{name} 的{label}")
        shown.append(RevealedField(f, label, value))
    return Revealed(entity, record_id, name, tuple(shown))
