"""Benchmark: rendering the 公示 notice PDF (and .xlsx) for 500 / 2 000 / 5 000 people.

Target (docs/PERFORMANCE.md): 2 000 rows in under 1.5 s, and the time per row flat as the list
grows (a single platypus Table is quadratic: 500 rows 0.13 s, 5 000 rows 3.9 s).

    .venv/bin/python bench/bench_publicity_notice.py [--sizes 500 2000 5000] [--runs 3] [--xlsx]
    .venv/bin/python bench/bench_publicity_notice.py --screenshot   # docs/screenshots/publicity_notice_p1.png
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.core.documents.excel.publicity_notice import write_publicity_notice_xlsx  # noqa: E402
from desktop.core.documents.fonts import register_cjk_fonts  # noqa: E402
from desktop.core.documents.pdf.publicity_notice import (  # noqa: E402
    NoticeRow,
    PublicityNotice,
    render_publicity_notice,
)
from desktop.core.idcard import check_digit, mask  # noqa: E402
from desktop.core.rules.workdays import publicity_end_date  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国秀英志强丽华明军红梅海燕文斌春兰德福玉桂芳永刚平勇敏静杰涛超霞鹏辉"
TOWNS = ("岳家镇", "响滩镇", "驷马镇", "云台镇", "得胜镇", "江口街道", "白衣镇", "土兴镇")
VILLAGES = ("白衣村", "石垭村", "龙凤社区", "新民村", "蒙家山村", "金宝社区", "三合村", "双河口村")


def sample_notice(rows: int, seed: int = 7) -> PublicityNotice:
    rnd = random.Random(seed)
    people = []
    for i in range(1, rows + 1):
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2, 2))))
        if i == 3:
            name = "朱镕䶮"  # a rare character (CJK Extension A) must print
        birth = date(rnd.randint(1961, 2005), rnd.randint(1, 12), rnd.randint(1, 28))
        body = f"511923{birth:%Y%m%d}{rnd.randint(0, 999):03d}"
        people.append(
            NoticeRow(
                seq=i,
                name=name,
                gender="男" if int(body[16]) % 2 else "女",
                village=rnd.choice(TOWNS) + rnd.choice(VILLAGES),
                id_number_masked=mask(body + check_digit(body), 6, 4),
            )
        )
    start = date(2026, 11, 23)
    period = publicity_end_date(start, 5)
    return PublicityNotice(
        title="关于2026年第3批劳务经纪人拟认定人员名单的公示",
        lead=(
            "根据《四川省劳务经纪人认定管理办法》有关规定，经个人申请、村（社区）推荐、县级初审和"
            "线上培训考试，现将2026年第3批拟认定劳务经纪人人员名单予以公示，接受社会监督。"
        ),
        rows=people,
        start=start,
        end=period.end,
        objection_phone="0825-7821234",
        objection_address="大英县蓬莱镇东门路12号县农民工服务中心二楼",
        issuer="大英县农民工服务中心",
        issue_date=date(2026, 11, 20),
        rule_text=period.rule,
        working_days=5,
    )


def median_seconds(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def screenshot() -> Path:
    import pypdfium2 as pdfium

    out = ROOT / "docs" / "screenshots" / "publicity_notice_p1.png"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "notice.pdf"
        render_publicity_notice(sample_notice(60), pdf)
        doc = pdfium.PdfDocument(str(pdf))
        try:
            doc[0].render(scale=110 / 72).to_pil().save(out)
        finally:
            doc.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--xlsx", action="store_true", help="also time the .xlsx")
    parser.add_argument("--screenshot", action="store_true", help="only write the page-1 screenshot")
    args = parser.parse_args()
    if args.screenshot:
        print(f"wrote {screenshot()}")
        return 0

    print(f"machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}")
    register_cjk_fonts()  # once per process in the app too; not part of a render
    render_publicity_notice(sample_notice(50), io.BytesIO())  # warm-up: font subsetting caches
    print(f"{'rows':>6} {'PDF s':>7} {'ms/row':>7} {'pages':>6} {'KiB':>6}" + ("  xlsx s  ms/row" if args.xlsx else ""))
    for n in args.sizes:
        notice = sample_notice(n)
        buf = io.BytesIO()

        def pdf(notice: PublicityNotice = notice, buf: io.BytesIO = buf) -> None:
            buf.seek(0)
            buf.truncate()
            render_publicity_notice(notice, buf)

        t = median_seconds(pdf, args.runs)
        pages = buf.getvalue().count(b"/Type /Page\n") or buf.getvalue().count(b"/Type /Page ")
        line = f"{n:>6} {t:>7.3f} {t / n * 1000:>7.3f} {pages:>6} {len(buf.getvalue()) // 1024:>6}"
        if args.xlsx:
            tx = median_seconds(lambda notice=notice: write_publicity_notice_xlsx(notice, io.BytesIO()), args.runs)
            line += f"  {tx:>6.3f}  {tx / n * 1000:>6.3f}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
