"""The printable performance lists, read back: nominations, villages short of brokers, training."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from desktop.core.models.audit import AuditEntry
from desktop.core.rules.profile import load_profile
from desktop.core.services import accounts, cultivation
from desktop.core.services import performance_documents as docs
from desktop.core.services.coverage import PopulationInput, record_population
from tests.conftest import ADMIN_PASSWORD, COUNTY
from tests.insights_factories import add_broker
from tests.transfer_factories import add_transfer, worker_id


def user(db, profile):  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        return accounts.sign_in(s, profile, "clerk", ADMIN_PASSWORD).user


def cells(path: Path) -> list[tuple]:  # type: ignore[type-arg]
    ws = load_workbook(path).active
    return [tuple(c for c in row) for row in ws.iter_rows(values_only=True)]


def test_nomination_list_read_back(db, profile, tmp_path) -> None:  # type: ignore[no-untyped-def]
    clerk = user(db, profile)
    with db.session("clerk") as s:
        a = add_broker(s, "王镕䶮", village="510923001002")
        for n in range(1, 4):
            add_transfer(s, a.id, id_number=worker_id(n, birth=date(1990, 1, n)), hire_date=date(2026, n, 3), seq=n,
                         poverty_alleviated=n == 1)
        add_broker(s, "李四")
    quota = load_profile("sichuan", {"gold_medal.quota_per_year": 1})
    with db.session("clerk") as s:
        written = docs.write_nominations(s, clerk, quota, 2026, "大英县农民工服务中心", tmp_path)
    rows = cells(written.xlsx)
    assert rows[0][0] == "2026年度金牌劳务经纪人推荐名单"
    header = next(i for i, r in enumerate(rows) if r[0] == "名次")
    assert rows[header][:8] == ("名次", "姓名", "身份证号码", "主要服务区域", "认定时间", "本年转移人次", "其中脱贫人口",
                                "上年转移人次")
    first = rows[header + 1]
    assert first[0] == 1 and first[1] == "王镕䶮" and first[2] == a.id_number[:6] + "********" + a.id_number[-4:]
    assert (first[5], first[6], first[7]) == (3, 1, 0)
    assert not any(r[1] == "李四" for r in rows)  # outside the quota of 1
    assert any(isinstance(r[0], str) and r[0].startswith("排名规则") for r in rows)
    text = "".join(PdfReader(written.pdf).pages[0].extract_text().split())
    assert "金牌劳务经纪人推荐名单" in text and "王镕䶮" in text and a.id_number not in text
    with db.session("clerk", write=False) as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.entity == "金牌劳务经纪人推荐名单")) == "导出"


def test_coverage_and_training_lists_read_back(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cq = load_profile("chongqing")
    clerk = user(db, cq)
    with db.session("clerk") as s:
        record_population(s, clerk, cq, COUNTY, PopulationInput("510923001002", 10001, 4000, date(2025, 12, 31)))
        add_broker(s, "甲", village="510923001002")
        b = add_broker(s, "乙").id
        sid = cultivation.create_session(s, clerk, cq, cultivation.SessionInput(
            "培育", date(2026, 3, 2), date(2026, 3, 5), Decimal("3.5")))
        cultivation.add_attendance(s, clerk, cq, sid, (b,))
    with db.session("clerk") as s:
        cov = docs.write_coverage(s, clerk, cq, COUNTY, "大英县", tmp_path)
        trn = docs.write_training(s, clerk, cq, 2026, "大英县农民工服务中心", tmp_path)
    rows = cells(cov.xlsx)
    village = next(r for r in rows if r[1] == "田坝子社区居委会")
    assert village == ("盐井街道", "田坝子社区居委会", 10001, 4000, 10001, "户籍", 3, 1, 2)
    assert cov.rows == 197  # every village of the county is short of someone (none has enough brokers)
    rows = cells(trn.xlsx)
    assert rows[0][0] == "2026年集中培育不足 4 天的劳务经纪人"
    people = {r[1]: r for r in rows if r[0] in (1, 2)}
    assert people["乙"][5:7] == (1, "3.5") and people["甲"][5:7] == (0, "0")
