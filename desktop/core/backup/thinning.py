"""Which automatic backups to keep: every copy of today and yesterday, then the newest copy of each
of the last ``keep_daily`` days, then of each of ``keep_weekly`` weeks (Monday to Sunday), then of
each of ``keep_monthly`` months; the rest are removed. This is the scheme Anki uses for its
collection backups (12 / 10 / 9 by default), so a year of daily work leaves about 33 files that
still reach back about a year.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from desktop.core.rules.profile import BackupRules


def _day(moment: datetime) -> int:
    return moment.toordinal()


def _week(moment: datetime) -> int:
    return (moment.toordinal() - 1) // 7  # ordinal 1 (0001-01-01) is a Monday: weeks start on Monday


def _month(moment: datetime) -> int:
    return moment.year * 12 + moment.month


def obsolete_backups(moments: Iterable[datetime], today: date, rules: BackupRules) -> list[datetime]:
    """The backup times (of ``moments``) to delete, newest first."""
    left = {"daily": rules.keep_daily, "weekly": rules.keep_weekly, "monthly": rules.keep_monthly}
    stages = (("daily", _day), ("weekly", _week), ("monthly", _month))
    recent_from = (today - timedelta(days=1)).toordinal()
    last: dict[str, int | None] = {"daily": None, "weekly": None, "monthly": None}
    obsolete = []
    for moment in sorted(moments, reverse=True):
        if moment.toordinal() >= recent_from:
            stage = None  # today and yesterday: always kept, and they do not use up a slot
        else:
            stage = next((name for name, _ in stages if left[name] > 0), "")
            if not stage:
                obsolete.append(moment)
                continue
            key = dict(stages)[stage]
            previous = last[stage]
            if previous is not None and key(moment) >= previous:
                obsolete.append(moment)  # a newer copy of this day / week / month is already kept
                continue
            left[stage] -= 1
        last.update(daily=_day(moment), weekly=_week(moment), monthly=_month(moment))
    return obsolete
