"""``labordesk dashboard``, ``ranking``, ``coverage``, ``training under`` and ``import population``."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from desktop import cli
from desktop.core.models.center import CenterSettings
from tests.insights_factories import add_broker
from tests.transfer_factories import add_transfer, worker_id


def run(capsys, *argv: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_dashboard_and_gold_ranking(db, db_path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with db.session("clerk") as s:
        a = add_broker(s, "甲").id
        for n in range(1, 4):
            add_transfer(s, a, id_number=worker_id(n, birth=date(1990, 1, n)), hire_date=date(2026, n, 2), seq=n)
    code, out = run(capsys, "--db", str(db_path), "dashboard")
    assert code == 0 and "劳务经纪人：在册 1 名" in out and "今年 3 人次" in out
    code, out = run(capsys, "--db", str(db_path), "ranking", "gold", "--year", "2026", "--out", str(tmp_path))
    assert code == 0 and "1\t甲\t" in out and "名额 100 名" in out
    assert (tmp_path / "2026年度金牌劳务经纪人推荐名单.xlsx").exists()


def test_chongqing_commands(db, db_path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with db.session("admin") as s:
        s.query(CenterSettings).update({"profile_name": "chongqing"})
        add_broker(s, "甲", village="510923001002")
    wb = Workbook()
    ws = wb.active
    ws.append(["乡镇（街道）", "村（社区）", "区划代码", "户籍人口", "常住人口", "统计时点"])
    ws.append(["盐井街道", "田坝子社区", None, 12000, 9000, "2025-12-31"])
    wb.save(tmp_path / "人口.xlsx")
    code, out = run(capsys, "--db", str(db_path), "import", "population", str(tmp_path / "人口.xlsx"))
    assert code == 0 and "导入 1 行" in out
    code, out = run(capsys, "--db", str(db_path), "coverage")
    assert code == 0 and "田坝子社区居委会\t12000人（户籍）\t应配 3\t已有 1\t缺 2" in out
    code, out = run(capsys, "--db", str(db_path), "training", "under", "--year", "2026")
    assert code == 0 and "不足 4 天的 1 名" in out and "甲" in out
    code, out = run(capsys, "--db", str(db_path), "ranking", "points", "--year", "2026")
    assert code == 0 and "1\t甲\t" in out
