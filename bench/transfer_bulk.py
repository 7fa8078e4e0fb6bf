"""A simple bulk generator of transfer records for the benchmarks (not the demo data).

Adds ``count`` current ``TransferRecord`` rows to a database that already has active brokers (the
city demo's ~9 700), spread over 2024-01-01 … 2026-11-20 with a skewed number per broker (about one
broker in eight logs fewer than 10 a year, so the review has brokers to flag). Workers repeat now
and then on other days (a second 人次). Rows are inserted with ``sqlite.bulk_insert`` in one
transaction; no audit entries are written (these rows exist only to be queried).

    python bench/transfer_bulk.py --db city.db [--count 300000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from desktop.core.app import open_database
from desktop.core.db.database import Database
from desktop.core.db.sqlite import bulk_insert
from desktop.core.idcard import check_digit
from desktop.core.models.registry import Broker, BrokerStatus
from desktop.core.models.transfer import TransferRecord

EMPLOYERS = [
    ("东莞市长安精密电子有限公司", "广东省东莞市长安镇振安路88号"), ("深圳市龙华富士康科技集团", "广东省深圳市龙华区东环二路2号"),
    ("成都京东方光电科技有限公司", "四川省成都市高新区合作路1188号"), ("宁波舜宇光学科技股份有限公司", "浙江省余姚市阳明街道舜宇路66-68号"),
    ("苏州工业园区三星半导体有限公司", "江苏省苏州市工业园区星海街15号"), ("遂宁市天齐锂业股份有限公司", "四川省遂宁市射洪市经开区"),
    ("中建三局第一建设工程有限责任公司", "湖北省武汉市东西湖区"), ("厦门宏发电声股份有限公司", "福建省厦门市集美区东林路91号"),
    ("张记面馆", "四川省遂宁市船山区"), ("浙江吉利汽车有限公司", "浙江省宁波市杭州湾新区"),
]
JOBS = ["普工", "操作工", "装配工", "质检员", "焊工", "电工", "厨师", "保洁", "仓管员", "司机"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅建国志文斌辉鹏飞林云波宇浩凯"
TERMS = [("1年", "fixed", 12), ("2年", "fixed", 24), ("3年", "fixed", 36), ("11个月", "fixed", 11), ("无固定期限", "open", None),
         ("6个月", "fixed", 6)]
FIRST, LAST = date(2024, 1, 1), date(2026, 11, 20)


def _worker(rng: random.Random, n: int, county: str) -> tuple[str, str, date]:
    birth = date(1966, 1, 1) + timedelta(days=rng.randrange(0, 365 * 38))
    seq = n % 1000
    body = f"{county}{birth:%Y%m%d}{seq:03d}"
    return body + check_digit(body), "男" if seq % 2 else "女", birth


def fill(db: Database, count: int, seed: int = 4) -> int:
    rng = random.Random(seed)
    with db.session("bench", write=False) as s:
        brokers = s.execute(select(Broker.id, Broker.service_village_code, Broker.service_area, Broker.id_number,
                                   Broker.certified_on).where(Broker.status == BrokerStatus.ACTIVE.value)).all()
    if not brokers:
        raise SystemExit("no active brokers: run `labordesk demo --size city` on this database first")
    # weights: most brokers are busy, one in eight hardly logs anything
    weights = [0.15 if i % 8 == 0 else 1.0 + (i % 5) for i in range(len(brokers))]
    now = datetime(2026, 11, 22, 9, 0)
    rows, used, workers = [], set(), []
    chosen = rng.choices(range(len(brokers)), weights=weights, k=count)
    for n, index in enumerate(chosen):
        broker_id, village, area, broker_number, certified = brokers[index]
        if workers and rng.random() < 0.1:
            id_number, gender, birth, name = workers[rng.randrange(len(workers))]
        else:
            id_number, gender, birth = _worker(rng, n, broker_number[:6])
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
            workers.append((id_number, gender, birth, name))
        start = max(FIRST, certified)  # nobody logs transfers before being certified
        hire = start + timedelta(days=rng.randrange(max(1, (LAST - start).days)))
        while (id_number, hire) in used:
            hire += timedelta(days=1)
        used.add((id_number, hire))
        age = hire.year - birth.year - ((hire.month, hire.day) < (birth.month, birth.day))
        employer, address = rng.choice(EMPLOYERS)
        term, kind, months = rng.choice(TERMS)
        rows.append({
            "broker_id": broker_id, "worker_name": name, "gender": gender, "id_number": id_number, "age": age,
            "education": rng.choice(("初中", "初中", "高中", "小学", "中专/中技", "大专")),
            "ethnicity": "汉族" if rng.random() < 0.93 else "彝族", "employer_name": employer, "work_address": address,
            "contract_term": term, "job": rng.choice(JOBS), "social_insurance": rng.random() < 0.8,
            "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}", "remarks": "", "hire_date": hire,
            "poverty_alleviated": rng.random() < 0.3, "employer_type": "个体工商户" if employer == "张记面馆" else "企业",
            "contract_kind": kind, "contract_months": months, "contract_start": None, "contract_end": None,
            "village_code": village, "village_name": area, "status": "current", "root_id": None, "supersedes_id": None,
            "change_reason": "", "source": "demo", "import_id": None, "created_at": now, "created_by": "bench",
            "updated_at": now, "updated_by": "bench",
        })
    with db.session("bench") as s:
        for i in range(0, len(rows), 20_000):
            bulk_insert(s.connection(), TransferRecord.__table__, rows[i:i + 20_000])
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--count", type=int, default=300_000)
    args = parser.parse_args()
    db = open_database(args.db).db
    start = time.perf_counter()
    n = fill(db, args.count)
    print(f"added {n} transfer records in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
