"""The one place that reads the clock, so tests can pin "today" and records share one time zone.

Times are stored as naive local wall-clock time: every counter of a centre is in China Standard
Time, which has no daylight saving, so local time is unambiguous and reads naturally in exports.
"""

from __future__ import annotations

from datetime import date, datetime

_fixed: datetime | None = None


def now() -> datetime:
    return _fixed if _fixed is not None else datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()


def pin(moment: datetime | None) -> None:
    """Freeze the clock at ``moment`` (None releases it). For tests and demo data only."""
    global _fixed
    _fixed = moment
