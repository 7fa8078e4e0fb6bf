"""Demo data for the jindong profile: stations on both sides of the pass line, every tier, 优秀站点."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from desktop.core.app import open_database
from desktop.core.audit import verify_chain
from desktop.core.demo import generate_demo
from desktop.core.models.station import Station, StationWorker
from desktop.core.rules.profile import load_profile
from desktop.core.services import station_awards, station_evaluations
from desktop.core.services.station_file import station_file
from desktop.core.services.stations import list_stations

JINDONG = load_profile("jindong")


def test_jindong_demo_has_stations_across_the_pass_line_and_tiers(tmp_path: Path) -> None:
    db = open_database(tmp_path / "demo.db").db
    try:
        summary = generate_demo(db, size="small", profile_name="jindong")
        assert "劳务协作工作站 9 个" in summary
        with db.session("t", write=False) as s:
            rows = {r.name: r for r in list_stations(s)}
            assert {r.status for r in rows.values()} == {"active", "applied", "revoked"}
            results = station_evaluations.results(s, 2025)
            assert {r.subsidy_yuan for r in results} >= {40000, 50000, 60000, 70000, 0}
            assert any(r.passed for r in results) and any(not r.passed for r in results)
            assert any(r.vetoed and r.total >= 60 for r in results)
            excellent = rows["贵州榕江劳务协作工作站"].id
            assert station_awards.is_excellent(s, excellent)
            assert station_awards.subsidy_summary(s, JINDONG, 2025).total_yuan > 0
            weak = station_file(s, JINDONG, rows["河南固始劳务协作工作站"].id)
            assert "连续评估不合格" in weak.notices[0]
            revoked = station_file(s, JINDONG, rows["广西都安劳务协作工作站"].id)
            assert "不得重新申报" in revoked.notices[0]
            pending = station_file(s, JINDONG, rows["贵州从江劳务协作工作站"].id)
            assert sum(not m.received for m in pending.materials) == 2 and pending.delivered >= 50
            assert s.scalar(select(func.count()).select_from(StationWorker)) > 2000
            assert verify_chain(s) is None
        again = generate_demo(db, size="small", profile_name="jindong")  # stations are made once
        assert "劳务协作工作站" not in again
        with db.session("t", write=False) as s:
            assert s.scalar(select(func.count()).select_from(Station)) == 9
    finally:
        db.dispose()
