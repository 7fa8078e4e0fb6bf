"""Region look-ups (行政区划): province → city → county → township → village, by code.

Data lives in ``resources/regions/`` (see its SOURCE.md): ``divisions.tsv`` holds every
province/city/county code, current and abolished, so the first six digits of any resident ID can
be named; ``villages_XX.tsv.gz`` holds the townships and villages of province ``XX``.
Files are read on first use and cached, so importing this module costs nothing.

Nothing here refuses anything: an unknown code gives ``None`` (or an explanatory string), and
callers turn that into a warning for the clerk. The ID's region is the place of first
registration, not today's 户籍 (see DOMAIN.md "People and places").
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REGIONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "regions"

PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE = 1, 2, 3, 4, 5

# Grouping codes that are not places (北京市/市辖区, 重庆市/县, 河南省/省直辖县级行政区划): kept
# for look-ups (old IDs carry 130101 市辖区) but left out of browsing lists and joined names.
PSEUDO_NAMES = frozenset(
    {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖县级行政单位"}
)
# 830000 is the Taiwan-resident code of 港澳台居民居住证, not a second 台湾省 to list.
_PERMIT_ONLY = frozenset({"830000"})
_MAX_CHAIN = 10  # successor chains are short; this only guards against a loop in the data


@dataclass(frozen=True, slots=True)
class Region:
    """One division. ``level``: 1 province, 2 city, 3 county, 4 township, 5 village/community."""

    code: str  # 6 digits for levels 1–3, 12 digits for townships and villages
    name: str
    level: int
    parent: str | None  # browsing parent; grouping placeholders (市辖区, 县) are skipped
    abolished: bool
    statistical: bool = False  # an NBS-only code (开发区, 管理区…), not in GB/T 2260
    valid_from: int | None = None  # first year in use, when the source says
    valid_to: int | None = None  # last year in use, for abolished codes, when known


@dataclass(frozen=True)
class _Divisions:
    by_code: dict[str, Region]
    full_names: dict[str, str]
    successors: dict[str, tuple[str, ...]]
    children: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class _Villages:
    text: str  # the file body, kept for fast regex search
    names: dict[str, str]
    children: dict[str, tuple[str, ...]]


def _int(value: str) -> int | None:
    return int(value) if value else None


@cache
def _divisions() -> _Divisions:
    by_code: dict[str, Region] = {}
    full_names: dict[str, str] = {}
    successors: dict[str, tuple[str, ...]] = {}
    children: dict[str, list[str]] = defaultdict(list)
    with open(REGIONS_DIR / "divisions.tsv", encoding="utf-8") as fh:
        next(fh)  # header
        for line in fh:
            code, name, level, parent, status, start, end, succ, full = line.rstrip("\n").split(
                "\t"
            )
            by_code[code] = Region(
                code=code,
                name=name,
                level=int(level),
                parent=parent or None,
                abolished=status == "abolished",
                statistical=status == "statistical",
                valid_from=_int(start),
                valid_to=_int(end),
            )
            full_names[code] = full
            if succ:
                successors[code] = tuple(succ.split(","))
            if parent:
                children[parent].append(code)
    return _Divisions(by_code, full_names, successors, {k: tuple(v) for k, v in children.items()})


@cache
def _village_text(province2: str) -> str:
    path = REGIONS_DIR / f"villages_{province2}.tsv.gz"
    if not path.exists():
        return ""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        fh.readline()  # header
        return fh.read()


@cache
def _villages(province2: str) -> _Villages:
    text = _village_text(province2)
    names: dict[str, str] = {}
    children: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        code, name, _level, parent = line.split("\t")
        names[code] = name
        children[parent].append(code)
    return _Villages(text, names, {k: tuple(v) for k, v in children.items()})


@cache
def _meta() -> dict:
    return json.loads((REGIONS_DIR / "meta.json").read_text(encoding="utf-8"))


def normalise_code(code: str) -> str | None:
    """A code as stored: 6 digits for province/city/county, 12 for township/village.

    Accepts 2 (province), 4 (city), 6, 9 (township) and 12 digits, full-width digits and spaces;
    a 12-digit code ending in six zeros is the 6-digit division. Anything else gives ``None``.
    """
    c = "".join(unicodedata.normalize("NFKC", str(code)).split())
    if not (c.isascii() and c.isdigit()):
        return None
    if len(c) in (2, 4):
        return c.ljust(6, "0")
    if len(c) == 9:
        c += "000"
    if len(c) == 12 and c.endswith("000000"):
        return c[:6]
    return c if len(c) in (6, 12) else None


def _village_region(code: str, name: str) -> Region:
    if code.endswith("000"):
        return Region(code, name, TOWNSHIP, code[:6], abolished=False)
    return Region(code, name, VILLAGE, code[:9] + "000", abolished=False)


def lookup_division(code6: str) -> Region | None:
    """Province, city or county by its 6-digit code, abolished codes included; else ``None``."""
    code = normalise_code(code6)
    if code is None or len(code) != 6:
        return None
    return _divisions().by_code.get(code)


def lookup(code: str) -> Region | None:
    """Any region (levels 1–5) by code; ``None`` when unknown."""
    c = normalise_code(code)
    if c is None:
        return None
    if len(c) == 6:
        return _divisions().by_code.get(c)
    name = _villages(c[:2]).names.get(c)
    return _village_region(c, name) if name is not None else None


def full_name(code: str) -> str | None:
    """Joined names from the province down, e.g. 四川省成都市武侯区; ``None`` when unknown."""
    c = normalise_code(code)
    if c is None:
        return None
    if len(c) == 6:
        return _divisions().full_names.get(c)
    path = region_path(c)
    if not path or path[-1].code != c:
        return None
    head = _divisions().full_names.get(c[:6], "")
    return head + "".join(r.name for r in path if r.level >= TOWNSHIP)


def describe_id_origin(code6: str) -> str:
    """Plain-Chinese place for an ID's first six digits, e.g. 四川省成都市武侯区.

    Abolished codes get （已撤销）. An unknown code names its nearest known ancestor and says
    the code is not in the table; it never raises.
    """
    code = normalise_code(code6)
    if code is None or len(code) != 6:
        return f"地区代码“{code6}”格式不正确"
    region = lookup_division(code)
    if region is not None:
        text = _divisions().full_names[code]
        return text + "（已撤销）" if region.abolished else text
    for anc in (code[:4] + "00", code[:2] + "0000"):
        known = lookup_division(anc)
        if known is not None and known.name not in PSEUDO_NAMES:
            return f"{_divisions().full_names[anc]}（代码{code}未收录）"
    return f"未知地区（代码{code}未收录）"


def current_successor(code6: str) -> Region | None:
    """For an abolished code, the current division that took it over (今属), when recorded."""
    divs = _divisions()
    region = lookup_division(code6)
    for _ in range(_MAX_CHAIN):
        if region is None or not region.abolished:
            return None if region is None or region.code == normalise_code(code6) else region
        succ = divs.successors.get(region.code)
        region = divs.by_code.get(succ[0]) if succ else None
    return None


def provinces() -> list[Region]:
    """Current provinces, autonomous regions, municipalities and SARs, by code."""
    divs = _divisions().by_code
    return [
        r
        for r in divs.values()
        if r.level == PROVINCE and not r.abolished and r.code not in _PERMIT_ONLY
    ]


def children(code: str, include_abolished: bool = False) -> list[Region]:
    """The next level down: province → cities (or counties of a municipality), city → counties,
    county → townships, township → villages. Grouping placeholders are skipped."""
    c = normalise_code(code)
    if c is None:
        return []
    if len(c) == 12:
        table = _villages(c[:2])
        return [_village_region(k, table.names[k]) for k in table.children.get(c, ())]
    divs = _divisions()
    region = divs.by_code.get(c)
    if region is None:
        return []
    if region.level == COUNTY:
        table = _villages(c[:2])
        return [_village_region(k, table.names[k]) for k in table.children.get(c, ())]
    out = []
    for k in divs.children.get(c, ()):
        r = divs.by_code[k]
        if r.name in PSEUDO_NAMES or (r.abolished and not include_abolished):
            continue
        out.append(r)
    return out


def counties_of(province2: str, include_abolished: bool = False) -> list[Region]:
    """Every county-level division of a province (2-digit code), by code."""
    prefix = str(province2)[:2]
    return [
        r
        for r in _divisions().by_code.values()
        if r.level == COUNTY
        and r.code.startswith(prefix)
        and r.name not in PSEUDO_NAMES
        and (include_abolished or not r.abolished)
    ]


def villages_of_county(code6: str) -> list[Region]:
    """Every village/community (level 5) of a county, by code; empty when none are on file."""
    c = normalise_code(code6)
    if c is None or len(c) != 6:
        return []
    table = _villages(c[:2])
    return [
        _village_region(v, table.names[v])
        for t in table.children.get(c, ())
        for v in table.children.get(t, ())
    ]


def region_path(code: str) -> list[Region]:
    """From the province down to ``code`` (placeholders skipped); empty when unknown."""
    path: list[Region] = []
    region = lookup(code)
    for _ in range(6):
        if region is None:
            break
        path.append(region)
        region = lookup(region.parent) if region.parent else None
    return path[::-1]


def _scope_prefix(scope: str | None) -> str | None:
    """The code prefix a search is limited to: 2, 4, 6, 9 or 12 digits; "" for all China."""
    if scope is None:
        return ""
    c = normalise_code(scope)
    if c is None:
        return None
    if len(c) == 12:
        return c[:9] if c.endswith("000") else c
    return c[:2] if c.endswith("0000") else c[:4] if c.endswith("00") else c


def find_villages(text: str, county_code: str | None = None, limit: int = 50) -> list[Region]:
    """Villages/communities whose name contains every word of ``text`` (or whose code starts
    with it, when ``text`` is digits), for a searchable combo box.

    ``county_code`` limits the search to a county, or any other code (province, city, township);
    without it all provinces on file are searched (the first such call reads every file, ~1 s).
    Exact names come first, then names starting with the text, then the rest, each by code.
    """
    words = unicodedata.normalize("NFKC", text or "").split()
    prefix = _scope_prefix(county_code)
    if prefix is None or limit <= 0 or not (words or prefix):
        return []
    provinces2 = (
        [prefix[:2]]
        if prefix
        else sorted(p.name[9:11] for p in REGIONS_DIR.glob("villages_*.tsv.gz"))
    )
    rest = 12 - len(prefix)
    if not words:
        patterns = [rf"^({prefix}\d{{{rest}}})\t([^\t\n]*)\t5\t"]
        others: list[str] = []
    elif len(words) == 1 and words[0].isascii() and words[0].isdigit():
        code = words[0]
        if not (code.startswith(prefix) or prefix.startswith(code)) or len(code) > 12:
            return []
        longer = max(code, prefix, key=len)
        patterns = [rf"^({longer}\d{{{12 - len(longer)}}})\t([^\t\n]*)\t5\t"]
        others = []
    else:
        first, *others = sorted(words, key=len, reverse=True)
        w = re.escape(first)
        head = rf"^({prefix}\d{{{rest}}})\t"
        patterns = [
            head + rf"({w})\t5\t",
            head + rf"({w}[^\t\n]*)\t5\t",
            head + rf"([^\t\n]+{w}[^\t\n]*)\t5\t",
        ]
    found: dict[str, Region] = {}
    for pattern in patterns:
        rx = re.compile(pattern, re.MULTILINE)
        for p in provinces2:
            for m in rx.finditer(_village_text(p)):
                code, name = m.group(1), m.group(2)
                if code in found or not all(o in name for o in others):
                    continue
                found[code] = _village_region(code, name)
                if len(found) >= limit:
                    return list(found.values())
    return list(found.values())


def data_as_of() -> str:
    """As-of dates of the shipped tables, for the About box."""
    meta = _meta()
    return f"区县级 {meta['divisions_as_of']}；乡镇、村级 {meta['villages_as_of']}"


def data_source() -> str:
    """Where the tables come from, in one line of plain Chinese."""
    meta = _meta()
    return f"区县级：{meta['divisions_source']}。乡镇、村级：{meta['villages_source']}。"
