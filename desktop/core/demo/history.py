"""What happened to each demo application on its way to certification (pure: no database).

Given the applications a demo run inserted, each with its final status, ``HistoryPlanner`` decides
the dates of the steps that status implies (村推荐 → 县级初审 → 培训考试 → 公示 → 认定, or a
rejection at a plausible stage), the publicity batches (公示批次: closed ones about monthly, one or
two open ones around today) and who is listed in which, and the objections. Dates are in order, on
or after the application date and no later than today, on working days where there is room;
publicity end dates come from the caller's ``end_of`` (the real working-day rule). ``records``
turns the plan into rows.
"""

from __future__ import annotations

import bisect
import functools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from desktop.core.demo import words
from desktop.core.demo.people import MIN_CERTIFIED_DAYS, MIN_PUBLICITY_DAYS
from desktop.core.models.broker import ApplicationStatus
from desktop.core.models.certification import ObjectionVerdict
from desktop.core.rules.workdays import WorkdayResult

S = ApplicationStatus
DAY = timedelta(days=1)
RECENT_MONTHLY = 4  # the last months always get a batch, so recent certifications find one
CERTIFIED_REASON = "公示无异议，认定"  # the status-change reason register_from_application writes


class App(NamedTuple):
    """The columns of an inserted application the history needs."""

    id: int
    status: str
    applied: date
    id_number: str
    name: str
    gender: str
    birth_date: date
    education: str
    phone: str
    village_code: str
    village_name: str


class Actor(NamedTuple):
    username: str
    display_name: str


@dataclass(frozen=True)
class ObjectionPlan:
    received_on: date
    channel: str
    content: str
    verdict: str
    reason: str = ""
    decided_on: date | None = None


@dataclass(eq=False)
class Slot:
    """A publicity batch in the making; it is written only if someone is listed in it."""

    start: date
    end: date
    rule: str
    is_open: bool
    members: list[Route] = field(default_factory=list)
    year: int = 0
    seq: int = 0
    title: str = ""


@dataclass(eq=False)
class Route:
    """One application's way: step dates (推荐, 初审, [failed exam], exam), its batch, a refusal."""

    app: App
    dates: list[date] = field(default_factory=list)
    failed_exam: bool = False  # dates include a failed first exam before the last one
    slot: Slot | None = None
    refusal: str = ""  # "village" / "county" / "objection"
    reason: str = ""  # the refusal's reason (the objection's verdict reason for "objection")
    objection: ObjectionPlan | None = None
    entry_seq: int = 0


class HistoryPlanner:
    def __init__(
        self,
        rng: random.Random,
        today: date,
        first_day: date,
        end_of: Callable[[date], WorkdayResult],
        is_workday: Callable[[date], bool],
    ) -> None:
        self.rng = rng
        self.today = today
        self.first_day = first_day
        self.end_of = end_of
        self.is_workday = functools.cache(is_workday)
        self.closed: list[Slot] = []
        self.open: list[Slot] = []
        self.routes: list[Route] = []
        self._starts: list[date] = []

    # ---- dates ------------------------------------------------------------------------------
    def _workday_from(self, d: date, last: date) -> date:
        """``d``, or the next working day if that is still no later than ``last``."""
        probe = d
        while probe <= last and probe - d < timedelta(days=10):
            if self.is_workday(probe):
                return probe
            probe += DAY
        return d

    def _chain(self, start: date, last: date, gaps: Sequence[int]) -> list[date]:
        """Dates after ``start`` spaced by ``gaps`` days (squeezed to end by ``last``), on working days."""
        room = max(0, (last - start).days)
        total = sum(gaps)
        if total > room:
            gaps = [g * room // total for g in gaps]
        out: list[date] = []
        d = start
        for g in gaps:
            d = self._workday_from(min(d + timedelta(days=g), last), last)
            out.append(d)
        return out

    def _between(self, lo: date, hi: date) -> date:
        return lo + timedelta(days=self.rng.randint(0, max(0, (hi - lo).days)))

    # ---- batches ----------------------------------------------------------------------------
    def make_slots(self, certified: int, publicised: int) -> None:
        """Closed batches about monthly (every 2–3 months for a small centre, monthly at the end)
        and open ones: one that ends today or soon, and for a busy centre one that began today."""
        months = (self.today.year - self.first_day.year) * 12 + self.today.month - self.first_day.month + 1
        per_month = certified / max(1, months)
        cadence = 1 if per_month >= 4 else 2 if per_month >= 1.5 else 3
        y, m = self.first_day.year, self.first_day.month
        for i in range(months):
            if i % cadence == 0 or i >= months - RECENT_MONTHLY:
                start = self._workday_from(date(y, m, self.rng.randint(6, 18)), date(y, m, 28))
                result = self.end_of(start)
                if start > self.first_day and result.end < self.today:
                    self.closed.append(Slot(start, result.end, result.rule, False))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        if not self.closed or self.closed[-1].start <= self.today - timedelta(days=MIN_CERTIFIED_DAYS - 10):
            # A holiday pushed last month's batch past today: one more, so anyone applied
            # MIN_CERTIFIED_DAYS ago can already be certified.
            start = self._workday_from(self.today - timedelta(days=30), self.today)
            result = self.end_of(start)
            if result.end < self.today and (not self.closed or start > self.closed[-1].start):
                self.closed.append(Slot(start, result.end, result.rule, False))
        self._starts = [s.start for s in self.closed]
        day = self.today - timedelta(days=14)
        while day <= self.today:  # the earliest start whose period reaches today
            if self.is_workday(day) and (result := self.end_of(day)).end >= self.today:
                self.open.append(Slot(day, result.end, result.rule, True))
                break
            day += DAY
        latest = self.today
        while not self.is_workday(latest) and latest > self.today - timedelta(days=14):
            latest -= DAY
        if self.open and latest > self.open[0].start and publicised >= 8:
            result = self.end_of(latest)
            self.open.append(Slot(latest, result.end, result.rule, True))

    def _closed_for(self, app: App, target: date, deadline: date) -> Slot | None:
        """The first closed batch starting on or after ``target`` (ending by ``deadline``), else the
        latest one that still starts after the application."""
        if deadline >= self.today:
            usable, starts = self.closed, self._starts
        else:
            usable = [s for s in self.closed if s.end <= deadline]
            starts = [s.start for s in usable]
        i = bisect.bisect_left(starts, target)
        if i < len(usable):
            return usable[i]
        later = [s for s in usable if s.start > app.applied]
        return later[-1] if later else None

    # ---- routes -----------------------------------------------------------------------------
    def _gaps(self, exam: bool, failed: bool) -> list[int]:
        rng = self.rng
        gaps = [rng.randint(2, 20), rng.randint(3, 30)]
        if failed:
            gaps.append(rng.randint(10, 40))
        if exam:
            gaps.append(rng.randint(15, 45) if failed else rng.randint(10, 45))
        return gaps

    def plan(self, apps: Sequence[App]) -> list[Route]:
        """Routes for ``apps`` (all of one run), batches filled and objections decided."""
        rng, today = self.rng, self.today
        self.make_slots(
            sum(a.status == S.CERTIFIED.value for a in apps), sum(a.status == S.IN_PUBLICITY.value for a in apps)
        )
        deadline = _reapply_deadlines(apps, today)
        rejected = [a for a in apps if a.status == S.REJECTED.value]
        feasible = [a.id for a in rejected if self._closed_for(a, a.applied + DAY, deadline[a.id]) is not None]
        forced = rng.choice(feasible) if feasible else None  # at least one objection upheld
        maybe = set(feasible)
        for app in apps:
            route = Route(app)
            self.routes.append(route)
            status = app.status
            last = deadline[app.id]
            if status == S.SUBMITTED.value:
                continue
            if status == S.RECOMMENDED.value:
                route.dates = self._chain(app.applied, last, self._gaps(False, False)[:1])
            elif status == S.REVIEWED.value:
                failed = (today - app.applied).days >= 45 and rng.random() < 0.2
                route.failed_exam = failed
                route.dates = self._chain(app.applied, last, self._gaps(False, failed))
            elif status == S.TRAINED.value:
                route.failed_exam = rng.random() < 0.06
                route.dates = self._chain(app.applied, last, self._gaps(True, route.failed_exam))
            elif status == S.IN_PUBLICITY.value:
                slots = [s for s in self.open if s.start > app.applied]
                assert slots, f"no open publicity after {app.applied} (in_publicity needs ≥ {MIN_PUBLICITY_DAYS} days)"
                self._publicise(route, rng.choice(slots))
            elif status == S.CERTIFIED.value:
                gaps = self._gaps(True, rng.random() < 0.06)
                target = app.applied + timedelta(days=sum(gaps) + rng.randint(3, 30))
                slot = self._closed_for(app, target, last)
                assert slot is not None, (
                    f"no closed publicity after {app.applied} (certified needs ≥ {MIN_CERTIFIED_DAYS} days)"
                )
                self._publicise(route, slot, gaps)
            else:
                self._refuse(route, last, forced == app.id or (app.id in maybe and rng.random() < 0.03))
        self._decide_objections()
        return self.routes

    def _publicise(self, route: Route, slot: Slot, gaps: list[int] | None = None) -> None:
        gaps = gaps or self._gaps(True, self.rng.random() < 0.06)
        route.failed_exam = len(gaps) == 4
        route.dates = self._chain(route.app.applied, max(route.app.applied, slot.start - DAY), gaps)
        route.slot = slot
        slot.members.append(route)

    def _refuse(self, route: Route, last: date, by_objection: bool) -> None:
        app, rng = route.app, self.rng
        if by_objection:
            slot = self._closed_for(app, app.applied + timedelta(days=rng.randint(40, 120)), last)
            if slot is not None:
                self._publicise(route, slot)
                content, reason = rng.choice(words.UPHELD_OBJECTIONS)
                received = self._between(slot.start, slot.end)
                route.refusal, route.reason = "objection", reason
                route.objection = ObjectionPlan(
                    received,
                    rng.choice(("来信", "来电", "来访")),
                    content,
                    ObjectionVerdict.UPHELD.value,
                    reason,
                    self._between(received, slot.end),
                )
                return
        if rng.random() < 0.45:
            route.refusal, route.reason = "village", rng.choice(words.VILLAGE_REFUSALS)
            route.dates = self._chain(app.applied, last, self._gaps(False, False)[:1])
        else:
            route.refusal, route.reason = "county", rng.choice(words.REVIEW_REFUSALS)
            route.dates = self._chain(app.applied, last, self._gaps(False, False))

    def _decide_objections(self) -> None:
        """A few objections found untrue in closed batches, one still pending in an open batch."""
        rng = self.rng
        certified = [r for s in self.closed for r in s.members if r.app.status == S.CERTIFIED.value]
        for route in rng.sample(certified, min(len(certified), max(2, len(certified) // 100))):
            slot = route.slot
            assert slot is not None
            content, reason = rng.choice(words.NOT_UPHELD_OBJECTIONS)
            received = self._between(slot.start, slot.end)
            route.objection = ObjectionPlan(
                received,
                rng.choice(("来信", "来电", "来访", "网络留言")),
                content,
                ObjectionVerdict.NOT_UPHELD.value,
                reason,
                self._between(received, slot.end),
            )
        listed = [r for s in self.open for r in s.members]
        if listed:
            route = rng.choice(listed)
            assert route.slot is not None
            route.objection = ObjectionPlan(
                self._between(route.slot.start, self.today),
                "来电",
                rng.choice(words.PENDING_OBJECTIONS),
                ObjectionVerdict.PENDING.value,
            )


def _reapply_deadlines(apps: Sequence[App], today: date) -> dict[int, date]:
    """The last day each application's history may reach: today, or for a rejected application
    whose applicant applied again, the day before that later application."""
    later: dict[str, list[date]] = {}
    for a in apps:
        later.setdefault(a.id_number, []).append(a.applied)
    out: dict[int, date] = {}
    for a in apps:
        nxt = [d for d in later[a.id_number] if d > a.applied] if a.status == S.REJECTED.value else []
        out[a.id] = max(a.applied, min(nxt) - DAY) if nxt else today
    return out
