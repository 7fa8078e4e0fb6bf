"""The rows of a planned demo history, exactly as the workflow and publicity services write them.

``RecordMaker`` turns the routes of ``history.HistoryPlanner`` into column dicts: the publicity
batches (numbered and titled as ``publicity.create_batch`` does), then per application its steps
with the services' own wording, training results, publicity entries, objections and, for the
certified, the broker registry row ``registry.register_from_application`` would make.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from desktop.core.demo import words
from desktop.core.demo.history import Actor, App, Route, Slot
from desktop.core.models.broker import ApplicationStatus
from desktop.core.models.certification import BatchStatus, StepKind
from desktop.core.models.registry import BrokerStatus
from desktop.core.services.workflow import TrainingInput, training_opinion

S = ApplicationStatus
TRAINING_FILE = "导入：省平台{year}年{month}月培训考试成绩.xlsx"
MANUAL = "手工录入"


@dataclass
class HistoryRows:
    """Rows to insert; ``steps`` and ``training`` in layers (the n-th of each application), so
    one application appears once per layer and ids grow along its history."""

    steps: list[list[dict[str, Any]]] = field(default_factory=list)
    training: list[list[dict[str, Any]]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    objections: list[dict[str, Any]] = field(default_factory=list)
    brokers: list[dict[str, Any]] = field(default_factory=list)


class RecordMaker:
    def __init__(
        self,
        rng: random.Random,
        *,
        clerk: Actor,
        reviewer: Actor,
        province_code: str,
        title_template: str,
        working_days: int,
    ) -> None:
        self.rng = rng
        self.clerk, self.reviewer = clerk, reviewer
        self.cert_prefix = words.CERTIFICATE_PREFIXES.get(province_code, "PX")
        self.title_template = title_template
        self.working_days = working_days
        self._certificates: set[str] = set()

    def batches(
        self, slots: Sequence[Slot], last_seq: dict[int, int], phone: str, address: str, issuer: str
    ) -> list[tuple[Slot, dict[str, Any]]]:
        """The batches with people in them, numbered on from ``last_seq`` (year → last 第N批)."""
        used = sorted((s for s in slots if s.members), key=lambda s: s.start)
        seqs = dict(last_seq)
        out = []
        for slot in used:
            slot.year = slot.start.year
            slot.seq = seqs[slot.year] = seqs.get(slot.year, 0) + 1
            slot.title = self.title_template.format(year=slot.year, batch=slot.seq)
            ordered = sorted(slot.members, key=lambda r: (r.app.village_code, r.app.village_name, r.app.name))
            for i, route in enumerate(ordered, start=1):
                route.entry_seq = i
            out.append(
                (
                    slot,
                    {
                        "year": slot.year,
                        "seq": slot.seq,
                        "title": slot.title,
                        "lead": "根据劳务经纪人认定有关规定，经个人申请、村（社区）推荐、县级初审和线上培训考试，"
                        f"以下 {len(slot.members)} 名同志拟认定为劳务经纪人，现予以公示。",
                        "start_date": slot.start,
                        "end_date": slot.end,
                        "working_days": self.working_days,
                        "calendar_rule": slot.rule,
                        "objection_phone": phone,
                        "objection_address": address,
                        "issuer": issuer,
                        "status": (BatchStatus.OPEN if slot.is_open else BatchStatus.CLOSED).value,
                        "closed_on": None if slot.is_open else slot.end,
                        "closed_by": "" if slot.is_open else self.reviewer.display_name,
                    },
                )
            )
        return out

    def rows(self, routes: Sequence[Route], batch_ids: dict[int, int]) -> HistoryRows:
        """The rows of ``routes`` once their batches are written (``batch_ids``: id(slot) → id)."""
        out = HistoryRows()
        for route in routes:
            steps, training = self._steps(route, batch_ids)
            for layer, step in zip(_layers(out.steps, len(steps)), steps, strict=True):
                layer.append(step)
            for layer, result in zip(_layers(out.training, len(training)), training, strict=True):
                layer.append(result)
            app, slot = route.app, route.slot
            if slot is not None:
                outcome = "" if slot.is_open else "rejected" if route.refusal else "certified"
                out.entries.append(
                    {
                        "batch_id": batch_ids[id(slot)],
                        "application_id": app.id,
                        "seq": route.entry_seq,
                        "outcome": outcome,
                    }
                )
            if route.objection is not None:
                assert slot is not None
                o = route.objection
                out.objections.append(
                    {
                        "batch_id": batch_ids[id(slot)],
                        "application_id": app.id,
                        "received_on": o.received_on,
                        "channel": o.channel,
                        "content": o.content,
                        "verdict": o.verdict,
                        "verdict_reason": o.reason,
                        "decided_by": self.reviewer.display_name if o.decided_on else "",
                        "decided_on": o.decided_on,
                    }
                )
            if app.status == S.CERTIFIED.value:
                assert slot is not None and training
                passed = training[-1]
                out.brokers.append(
                    {
                        "application_id": app.id,
                        "id_number": app.id_number,
                        "name": app.name,
                        "gender": app.gender,
                        "birth_date": app.birth_date,
                        "education": app.education,
                        "phone": app.phone,
                        "service_village_code": app.village_code,
                        "service_area": app.village_name,
                        "training_month": passed["completed_month"],
                        "certificate_no": passed["certificate_no"],
                        "certified_on": slot.end,
                        "source": "workflow",
                        "status": BrokerStatus.ACTIVE.value,
                        "revoked_on": None,
                        "revoke_reason": "",
                        "remarks": "",
                    }
                )
        return out

    def _step(
        self, app: App, kind: StepKind, passed: bool, on: date, opinion: str, actor: Actor, batch_id: int | None = None
    ) -> dict[str, Any]:
        return {
            "application_id": app.id,
            "kind": kind.value,
            "passed": passed,
            "occurred_on": on,
            "opinion": opinion,
            "actor": actor.username,
            "actor_name": actor.display_name,
            "publicity_batch_id": batch_id,
        }

    def _steps(self, route: Route, batch_ids: dict[int, int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rng, app, clerk, reviewer = self.rng, route.app, self.clerk, self.reviewer
        steps: list[dict[str, Any]] = []
        training: list[dict[str, Any]] = []
        dates = iter(route.dates)
        if not route.dates:
            return steps, training
        on = next(dates)
        if route.refusal == "village":
            steps.append(self._step(app, StepKind.VILLAGE_RECOMMENDATION, False, on, route.reason, clerk))
            steps.append(self._step(app, StepKind.REJECTION, False, on, f"村（社区）不予推荐：{route.reason}", clerk))
            return steps, training
        steps.append(
            self._step(app, StepKind.VILLAGE_RECOMMENDATION, True, on, rng.choice(words.RECOMMEND_OPINIONS), clerk)
        )
        if len(route.dates) == 1:
            return steps, training
        reviewed = on = next(dates)
        if route.refusal == "county":
            steps.append(self._step(app, StepKind.COUNTY_REVIEW, False, on, route.reason, reviewer))
            steps.append(self._step(app, StepKind.REJECTION, False, on, f"县级初审不通过：{route.reason}", reviewer))
            return steps, training
        steps.append(self._step(app, StepKind.COUNTY_REVIEW, True, on, rng.choice(words.REVIEW_OPINIONS), reviewer))
        exams = list(dates)
        for i, on in enumerate(exams):
            passed = not (route.failed_exam and i == 0)
            result = self._exam(app, on, exams[i - 1] if i else reviewed, passed)
            training.append(result)
            steps.append(
                self._step(
                    app,
                    StepKind.TRAINING,
                    passed,
                    on,
                    training_opinion(
                        TrainingInput(result["completed_month"], result["score"], passed, result["certificate_no"])
                    ),
                    clerk,
                )
            )
        slot = route.slot
        if slot is None:
            return steps, training
        batch_id = batch_ids[id(slot)]
        steps.append(
            self._step(
                app,
                StepKind.PUBLICITY,
                True,
                slot.start,
                f"列入《{slot.title}》，公示期 {slot.start:%Y-%m-%d} 至 {slot.end:%Y-%m-%d}",
                clerk,
                batch_id,
            )
        )
        if slot.is_open:
            return steps, training
        if route.refusal == "objection":
            steps.append(
                self._step(
                    app, StepKind.REJECTION, False, slot.end, f"公示期间异议成立：{route.reason}", reviewer, batch_id
                )
            )
        else:
            steps.append(
                self._step(
                    app,
                    StepKind.CERTIFICATION,
                    True,
                    slot.end,
                    f"公示无异议，认定为劳务经纪人（{slot.title}）",
                    reviewer,
                    batch_id,
                )
            )
        return steps, training

    def _exam(self, app: App, recorded: date, earliest: date, passed: bool) -> dict[str, Any]:
        """A training result recorded on ``recorded`` for a course finished after ``earliest``."""
        rng = self.rng
        finished = max(earliest, recorded - timedelta(days=rng.randint(0, 8)))
        score = Decimal(rng.randint(60, 100) if passed else rng.randint(32, 59))
        certificate = ""
        while passed and (not certificate or certificate in self._certificates):
            certificate = f"{self.cert_prefix}{finished.year}{rng.randrange(10**6):06d}"
        self._certificates.add(certificate)
        imported = rng.random() < 0.7
        source = TRAINING_FILE.format(year=finished.year, month=finished.month) if imported else MANUAL
        return {
            "application_id": app.id,
            "completed_month": f"{finished:%Y-%m}",
            "score": score,
            "passed": passed,
            "certificate_no": certificate,
            "source": source,
        }


def _layers(layers: list[list[dict[str, Any]]], n: int) -> Iterator[list[dict[str, Any]]]:
    while len(layers) < n:
        layers.append([])
    return iter(layers[:n])
