"""Yearly training (集中培育): sessions, attendance, days per broker per year, the under-minimum list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.performance import TrainingMode
from desktop.core.rules.profile import load_profile
from desktop.core.services import accounts
from desktop.core.services.cultivation import (
    DaysQuery,
    SessionInput,
    add_attendance,
    attendees,
    broker_days,
    count_days,
    create_session,
    list_sessions,
    training_summary,
    withdraw_attendance,
)
from tests.conftest import ADMIN_PASSWORD
from tests.insights_factories import add_broker


@pytest.fixture
def cq():  # type: ignore[no-untyped-def]
    return load_profile("chongqing")


def user(db, name: str = "clerk"):  # type: ignore[no-untyped-def]
    with db.session(name) as s:
        return accounts.sign_in(s, load_profile("sichuan"), name, ADMIN_PASSWORD).user


def session_input(start: date, days: str, title: str = "2026年劳务经纪人集中培育") -> SessionInput:
    return SessionInput(title, start, start.replace(day=start.day + 2), Decimal(days), TrainingMode.CLASSROOM.value,
                        "县就业服务中心三楼会议室", "县人力社保局")


def test_days_per_broker_and_the_under_minimum_boundary(db, cq) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db)
    with db.session("clerk") as s:
        a = add_broker(s, "甲").id  # 3 + 0.5 = 3.5 days → under 4
        b = add_broker(s, "乙").id  # 3 + 1 = 4 days → meets it exactly
        c = add_broker(s, "丙").id  # nothing this year; 3 days last year do not count
        d = add_broker(s, "丁", certified_on=date(2027, 1, 5)).id  # certified after the year: not counted
        first = create_session(s, clerk, cq, session_input(date(2026, 3, 2), "3"))
        half = create_session(s, clerk, cq, session_input(date(2026, 9, 7), "1", "以会代训"))
        old = create_session(s, clerk, cq, session_input(date(2025, 9, 1), "3", "2025年培育"))
        assert add_attendance(s, clerk, cq, first, (a, b)) == 2
        add_attendance(s, clerk, cq, half, (a,), Decimal("0.5"))
        add_attendance(s, clerk, cq, half, (b,))
        add_attendance(s, clerk, cq, old, (c,))
        assert add_attendance(s, clerk, cq, first, (a,)) == 0  # already there: skipped
    with db.session("clerk", write=False) as s:
        rows = {r.name: r for r in broker_days(s, cq, DaysQuery(2026))}
        under = broker_days(s, cq, DaysQuery(2026, under_only=True))
        summary = training_summary(s, cq, 2026)
        sessions = list_sessions(s, 2026)
    assert set(rows) == {"甲", "乙", "丙"} and d not in {r.broker_id for r in rows.values()}
    assert (rows["甲"].days_text, rows["甲"].sessions, rows["甲"].meets) == ("3.5", 2, False)
    assert (rows["乙"].days_text, rows["乙"].meets) == ("4", True)
    assert (rows["丙"].days_text, rows["丙"].sessions, rows["丙"].meets) == ("0", 0, False)
    assert [r.name for r in under] == ["丙", "甲"]  # fewest days first
    assert (summary.brokers, summary.under, summary.min_days) == (3, 2, 4)
    assert [(x.title, x.attendees) for x in sessions] == [("以会代训", 2), ("2026年劳务经纪人集中培育", 2)]


def test_withdrawn_attendance_stops_counting_and_stays_on_record(db, cq) -> None:  # type: ignore[no-untyped-def]
    clerk, reviewer = user(db), user(db, "reviewer")
    with db.session("clerk") as s:
        a = add_broker(s, "甲").id
        sid = create_session(s, clerk, cq, session_input(date(2026, 3, 2), "3"))
        create_session(s, clerk, cq, session_input(date(2026, 5, 4), "1"))
        add_attendance(s, clerk, cq, sid, (a,))
    with db.session("clerk", write=False) as s:
        att = attendees(s, cq, sid)[0]
    with db.session("clerk") as s, pytest.raises(PermissionDenied):
        withdraw_attendance(s, clerk, att.attendance_id, "误登记")
    with db.session("reviewer") as s:
        with pytest.raises(UserError, match="原因"):
            withdraw_attendance(s, reviewer, att.attendance_id, " ")
        withdraw_attendance(s, reviewer, att.attendance_id, "误登记，实际未参加")
    with db.session("clerk", write=False) as s:
        kept = attendees(s, cq, sid)
        assert count_days(s, cq, DaysQuery(2026, under_only=True)) == 1
        assert broker_days(s, cq, DaysQuery(2026))[0].days == 0
    assert kept[0].withdrawn and kept[0].withdraw_reason == "误登记，实际未参加"
    with db.session("clerk") as s:  # and may be recorded again afterwards
        assert add_attendance(s, clerk, cq, sid, (a,)) == 1


def test_session_and_attendance_checks(db, cq) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db)
    with db.session("clerk") as s:
        a = add_broker(s, "甲").id
        late = add_broker(s, "戊", certified_on=date(2026, 11, 1)).id
        with pytest.raises(UserError, match=r"0\.5 的整数倍"):
            create_session(s, clerk, cq, session_input(date(2026, 3, 2), "1.2"))
        with pytest.raises(UserError, match="超过了起止日期"):
            create_session(s, clerk, cq, session_input(date(2026, 3, 2), "3.5"))
        with pytest.raises(UserError, match="已经开始"):
            create_session(s, clerk, cq, session_input(date(2026, 12, 2), "1"))
        with pytest.raises(UserError, match="培育名称"):
            create_session(s, clerk, cq, session_input(date(2026, 3, 2), "1", " "))
        sid = create_session(s, clerk, cq, session_input(date(2026, 3, 2), "2"))
        with pytest.raises(UserError, match="多于这次培育"):
            add_attendance(s, clerk, cq, sid, (a,), Decimal("2.5"))
        with pytest.raises(UserError, match="在册"):
            add_attendance(s, clerk, cq, sid, (late,))
        with pytest.raises(UserError, match="没有集中培育"):
            add_attendance(s, clerk, load_profile("sichuan"), sid, (a,))


def test_days_search_by_name(db, cq) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        add_broker(s, "王小明")
        add_broker(s, "李_花")
    with db.session("clerk", write=False) as s:
        assert [r.name for r in broker_days(s, cq, DaysQuery(2026, text="小明"))] == ["王小明"]
        assert [r.name for r in broker_days(s, cq, DaysQuery(2026, text="_"))] == ["李_花"]
