"""Application intake rules and the service: checks, duplicates, corrections kept in the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desktop.core.audit import verify_chain
from desktop.core.models import AuditEntry, BrokerApplication
from desktop.core.rules.eligibility import ERROR, WARNING
from desktop.core.services import applications as svc
from tests.factories import application_input, make_id


def errors(problems, field=None):  # type: ignore[no-untyped-def]
    return [p for p in problems if p.severity == ERROR and (field is None or p.field == field)]


def test_complete_input_has_no_errors(profile) -> None:  # type: ignore[no-untyped-def]
    assert errors(svc.validate(application_input(), profile)) == []


@pytest.mark.parametrize(
    "application_date,ok",
    [
        (date(2026, 3, 14), False),  # day before the 18th birthday
        (date(2026, 3, 15), True),  # the 18th birthday
    ],
)
def test_minimum_age_on_application_date(profile, application_date, ok) -> None:  # type: ignore[no-untyped-def]
    data = application_input(id_number=make_id(date(2008, 3, 15)), application_date=application_date)
    assert (errors(svc.validate(data, profile), "id_number") == []) is ok


def test_maximum_age_65_inclusive(profile) -> None:  # type: ignore[no-untyped-def]
    born = date(1960, 11, 21)
    last_day_65 = application_input(id_number=make_id(born), application_date=date(2026, 11, 20))
    day_66 = application_input(id_number=make_id(born), application_date=date(2026, 11, 21))
    assert errors(svc.validate(last_day_65, profile)) == []
    problems = errors(svc.validate(day_66, profile), "id_number")
    assert problems and "66 周岁" in problems[0].message


def test_gender_and_birth_month_must_agree_with_id(profile) -> None:  # type: ignore[no-untyped-def]
    problems = svc.validate(application_input(gender="女", birth_month="1985-04"), profile)
    assert errors(problems, "gender") and "第17位" in errors(problems, "gender")[0].message
    assert errors(problems, "birth_month")


def test_out_of_province_id_needs_hukou_confirmation(profile) -> None:  # type: ignore[no-untyped-def]
    yunnan = make_id(date(1985, 3, 15), county="532501")
    problems = svc.validate(application_input(id_number=yunnan), profile)
    hukou = [p for p in problems if p.field == "hukou_confirmed"]
    assert hukou and hukou[0].severity == ERROR and "云南省" in hukou[0].message
    confirmed = svc.validate(application_input(id_number=yunnan, hukou_confirmed=True), profile)
    assert [p.severity for p in confirmed if p.field == "hukou_confirmed"] == [WARNING]


def test_unknown_region_code_only_warns(profile) -> None:  # type: ignore[no-untyped-def]
    odd = make_id(date(1985, 3, 15), county="519999")
    problems = svc.validate(application_input(id_number=odd), profile)
    assert not errors(problems, "id_number")
    assert any(p.severity == WARNING and "查不到" in p.message for p in problems)


def test_phone_and_bank_account(profile) -> None:  # type: ignore[no-untyped-def]
    assert errors(svc.validate(application_input(phone="1381234567"), profile), "phone")
    assert errors(svc.validate(application_input(phone="12812345678"), profile), "phone")
    assert not errors(svc.validate(application_input(phone="0825-6221234"), profile), "phone")
    assert errors(svc.validate(application_input(bank_account="12345678901"), profile), "bank_account")
    luhn_bad = svc.validate(application_input(bank_account="6217995510001234568"), profile)
    assert [p.severity for p in luhn_bad if p.field == "bank_account"] == [WARNING]


def test_required_fields_and_declarations(profile) -> None:  # type: ignore[no-untyped-def]
    problems = svc.validate(application_input(name="", home_address="", declarations=("身体健康",)), profile)
    assert {p.field for p in errors(problems)} == {"name", "home_address"}
    unchecked = [p for p in problems if p.field == "declarations"]
    assert unchecked[0].severity == WARNING and "诚信守法" in unchecked[0].message


def test_create_then_find_by_name_and_id_prefix(db, profile) -> None:  # type: ignore[no-untyped-def]
    data = application_input()
    with db.session("clerk") as s:
        app_id = svc.create_application(s, profile, data)
    with db.session("clerk", write=False) as s:
        by_name = svc.search_applications(s, profile, svc.ApplicationQuery(text="镕"))
        by_prefix = svc.search_applications(s, profile, svc.ApplicationQuery(text=data.id_number[:10]))
        lower_x = svc.count_applications(s, svc.ApplicationQuery(text="51092319850315"))
        detail = svc.get_application(s, app_id)
    assert [r.id for r in by_name] == [app_id] == [r.id for r in by_prefix]
    assert by_name[0].id_number_masked == data.id_number[:6] + "********" + data.id_number[-4:]
    assert by_name[0].phone_masked == "138****5678"
    assert lower_x == 1
    assert detail.created_by == "clerk"
    assert detail.data.name == "王镕䶮"


def test_like_wildcards_are_escaped(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        svc.create_application(s, profile, application_input())
    with db.session("clerk", write=False) as s:
        assert svc.count_applications(s, svc.ApplicationQuery(text="%")) == 0
        assert svc.count_applications(s, svc.ApplicationQuery(text="_")) == 0


def test_duplicate_id_opens_existing(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        first = svc.create_application(s, profile, application_input())
    with pytest.raises(svc.DuplicateApplication) as info:
        with db.session("clerk") as s:
            svc.create_application(s, profile, application_input(name="另一个人"))
    assert info.value.existing_id == first
    with db.session("clerk", write=False) as s:
        assert s.scalar(select(BrokerApplication.id).where(BrokerApplication.name == "另一个人")) is None


def test_rejected_application_allows_a_new_one(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        first = svc.create_application(s, profile, application_input())
        s.get(BrokerApplication, first).status = "rejected"
    with db.session("clerk") as s:
        second = svc.create_application(s, profile, application_input())
    assert second != first


def test_invalid_input_saves_nothing(db, profile) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(svc.ValidationFailed) as info:
        with db.session("clerk") as s:
            svc.create_application(s, profile, application_input(phone="123"))
    assert "联系电话" in str(info.value)
    with db.session("clerk", write=False) as s:
        assert svc.count_applications(s, svc.ApplicationQuery()) == 0


def test_correction_keeps_old_value_with_who_and_when(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        app_id = svc.create_application(s, profile, application_input())
    with db.session("reviewer") as s:
        version = svc.get_application(s, app_id).version
        svc.update_application(s, profile, app_id, version, application_input(phone="13900000000"))
    with db.session("auditor", write=False) as s:
        change = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "经纪人申请", AuditEntry.field == "phone")
        ).one()
        assert (change.old_value, change.new_value, change.actor) == ("13812345678", "13900000000", "reviewer")
        created = s.scalars(select(AuditEntry).where(AuditEntry.action == "create",
                                                      AuditEntry.entity == "经纪人申请")).one()
        assert created.actor == "clerk" and "王镕䶮" in (created.new_value or "")
        assert verify_chain(s) is None


def test_stale_version_is_refused(db, profile) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        app_id = svc.create_application(s, profile, application_input())
    with db.session("clerk") as s:
        svc.update_application(s, profile, app_id, 1, application_input(phone="13900000000"))
    with pytest.raises(svc.UserError, match="已被"):
        with db.session("reviewer") as s:
            svc.update_application(s, profile, app_id, 1, application_input(phone="13700000000"))
