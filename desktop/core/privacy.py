"""Personal numbers (ID, bank account, phone) masked with the profile's rules: in values and in text.

Lists, printed listings and the audit viewer show numbers masked (PIPL / GB/T 35273: no more than
the task needs); the full value is shown only on request, and that request is an audit event
(``audit_events.record_reveal``). ``scrub`` masks every number that looks like one inside free text
(an audit entry's old and new values, a creation entry's JSON), so nothing leaks by another way.
"""

from __future__ import annotations

import re

from desktop.core.idcard import mask
from desktop.core.rules.profile import PolicyProfile

#: field names that hold each kind of number, in every model of every area
ID_FIELDS = frozenset({"id_number", "worker_id_number", "broker_id_number"})
BANK_FIELDS = frozenset({"bank_account", "account_no", "bank_account_no"})
PHONE_FIELDS = frozenset({"phone", "mobile", "contact_phone", "worker_phone"})

_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_BANK = re.compile(r"(?<![0-9A-Za-z])\d{12,19}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
_LANDLINE = re.compile(r"(?<![0-9A-Za-z-])0\d{2,3}-?\d{7,8}(?![0-9A-Za-z])")


def mask_id(value: str, profile: PolicyProfile) -> str:
    m = profile.masking
    return mask(value or "", m.id_head, m.id_tail, m.mask_char)


def mask_bank(value: str, profile: PolicyProfile) -> str:
    m = profile.masking
    return mask(value or "", m.bank_head, m.bank_tail, m.mask_char)


def mask_phone(value: str, profile: PolicyProfile) -> str:
    m = profile.masking
    return mask(value or "", m.phone_head, m.phone_tail, m.mask_char)


def kind_of(field: str) -> str:
    """"id", "bank", "phone" or "" for a field name."""
    if field in ID_FIELDS:
        return "id"
    if field in BANK_FIELDS:
        return "bank"
    if field in PHONE_FIELDS:
        return "phone"
    return ""


def mask_field(field: str, value: str | None, profile: PolicyProfile) -> str | None:
    """``value`` masked when ``field`` holds a personal number, else scrubbed as free text."""
    if value is None:
        return None
    kind = kind_of(field)
    if kind == "id":
        return mask_id(value, profile)
    if kind == "bank":
        return mask_bank(value, profile)
    if kind == "phone":
        return mask_phone(value, profile)
    return scrub(value, profile)


def scrub(text: str, profile: PolicyProfile) -> str:
    """``text`` with every ID number, bank account and phone number in it masked."""
    if not text or not any(c.isdigit() for c in text):
        return text
    text = _ID.sub(lambda m: mask_id(m.group(), profile), text)
    text = _BANK.sub(lambda m: mask_bank(m.group(), profile), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group(), profile), text)
    return _LANDLINE.sub(lambda m: mask_phone(m.group(), profile), text)


def looks_unmasked(text: str) -> list[str]:
    """Full personal numbers still in ``text`` (for tests that scan every list and listing)."""
    found: list[str] = []
    text = text or ""
    for pattern in (_ID, _BANK, _MOBILE):  # each number once: an ID is not also a bank account
        found += pattern.findall(text)
        text = pattern.sub(" ", text)
    return found
