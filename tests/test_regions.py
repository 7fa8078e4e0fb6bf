"""Region table look-ups: names for ID codes, abolished codes, the five-level hierarchy."""

from __future__ import annotations

import ast
import gzip
import time
from pathlib import Path

import pytest

from desktop.core import regions
from desktop.core.regions import (
    COUNTY,
    PROVINCE,
    TOWNSHIP,
    VILLAGE,
    Region,
    children,
    counties_of,
    current_successor,
    describe_id_origin,
    find_villages,
    lookup,
    lookup_division,
    normalise_code,
    provinces,
    region_path,
    villages_of_county,
)

PROFILE_PROVINCES = ("51", "50", "53", "33")


def test_load_time_of_county_table_is_printed() -> None:
    regions._divisions.cache_clear()
    start = time.perf_counter()
    table = regions._divisions()
    elapsed = time.perf_counter() - start
    print(f"\ndivisions.tsv: {len(table.by_code)} codes loaded in {elapsed * 1000:.1f} ms")
    assert len(table.by_code) > 7000


def test_core_module_does_not_import_qt() -> None:
    tree = ast.parse(Path(regions.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert not imported & {"PySide6", "shiboken6"}
    assert "desktop.ui" not in Path(regions.__file__).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("510107", "四川省成都市武侯区"),
        ("110000", "北京市"),
        ("110101", "北京市东城区"),  # 市辖区 placeholder left out
        ("500229", "重庆市城口县"),  # 县 placeholder left out
        ("419001", "河南省济源市"),  # 省直辖县级行政区划 left out
        ("532501", "云南省红河哈尼族彝族自治州个旧市"),
        ("330783", "浙江省金华市东阳市"),
        ("510122", "四川省成都市双流县（已撤销）"),
        ("512222", "四川省万县地区开县（已撤销）"),  # named as it was while in use
    ],
)
def test_describe_id_origin(code: str, expected: str) -> None:
    assert describe_id_origin(code) == expected


def test_lookup_division_current() -> None:
    r = lookup_division("510107")
    assert r == Region("510107", "武侯区", COUNTY, "510100", False, valid_from=1990)
    beijing = lookup_division("110000")
    assert beijing is not None and beijing.name == "北京市" and beijing.level == PROVINCE
    assert beijing.parent is None and not beijing.abolished


@pytest.mark.parametrize(
    ("code", "name", "successor"),
    [
        ("500112", "渝北区", "500157"),  # 2025: 江北区、渝北区 → 两江新区
        ("500105", "江北区", "500157"),
        ("510211", "江北区", "500157"),  # Sichuan's 重庆市江北区 before 1997, via 500105
        ("512222", "开县", "500154"),  # 万县地区开县 → 开县 (重庆) → 开州区
        ("513425", "会理县", "513402"),
        ("330103", "下城区", "330105"),
    ],
)
def test_abolished_codes_resolve_and_point_to_today(code: str, name: str, successor: str) -> None:
    r = lookup_division(code)
    assert r is not None and r.abolished and r.name == name
    assert describe_id_origin(code).endswith("（已撤销）")
    now = current_successor(code)
    assert now is not None and now.code == successor and not now.abolished


def test_current_code_has_no_successor() -> None:
    assert current_successor("510107") is None
    assert current_successor("999999") is None


@pytest.mark.parametrize("code", ["999999", "510199", "", "abc", "5101071", "51010700100X"])
def test_unknown_codes_give_none_never_raise(code: str) -> None:
    assert lookup_division(code) is None
    assert isinstance(describe_id_origin(code), str)


def test_unknown_code_names_nearest_known_ancestor() -> None:
    assert describe_id_origin("510199") == "四川省成都市（代码510199未收录）"
    assert describe_id_origin("999999") == "未知地区（代码999999未收录）"


def test_normalise_code() -> None:
    assert normalise_code("51") == "510000"
    assert normalise_code("5101") == "510100"
    assert normalise_code("５１０１０７") == "510107"  # full-width digits
    assert normalise_code("510107001") == "510107001000"
    assert normalise_code("510107000000") == "510107"
    assert normalise_code("51010") is None


def test_provinces() -> None:
    codes = [p.code for p in provinces()]
    assert len(codes) == 34
    assert codes == sorted(codes)
    assert {"510000", "500000", "530000", "330000", "810000"} <= set(codes)
    assert "830000" not in codes  # residence-permit code, not a second 台湾省


def test_statistical_codes_are_marked() -> None:
    r = lookup_division("232761")
    assert r is not None and r.name == "加格达奇区" and r.statistical and not r.abolished


def test_children_of_municipality_skip_placeholders() -> None:
    names = {c.name for c in children("500000")}
    assert {"城口县", "万州区", "两江新区"} <= names
    assert not names & {"市辖区", "县", "渝北区"}
    assert "渝北区" in {c.name for c in children("500000", include_abolished=True)}


@pytest.mark.parametrize("province", PROFILE_PROVINCES)
def test_villages_exist_for_profile_provinces(province: str) -> None:
    counties = counties_of(province)
    assert counties and all(c.level == COUNTY and c.code.startswith(province) for c in counties)
    with_villages = [c for c in counties if villages_of_county(c.code)]
    # Every county has villages on file, except those set up after the NBS 2023 edition.
    assert len(with_villages) >= len(counties) - 1
    sample = villages_of_county(with_villages[0].code)
    assert all(v.level == VILLAGE and len(v.code) == 12 for v in sample)
    print(f"\n{province}: {len(counties)} counties, villages in {len(with_villages)}")


def test_village_counts_per_profile_province() -> None:
    for province in PROFILE_PROVINCES:
        path = regions.REGIONS_DIR / f"villages_{province}.tsv.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            levels = [line.split("\t")[2] for line in fh.readlines()[1:]]
        print(f"{province}: {levels.count('4')} townships, {levels.count('5')} villages")
        assert levels.count("4") > 900 and levels.count("5") > 10000


def test_hierarchy_is_consistent_down_to_villages() -> None:
    province = lookup_division("510000")
    assert province is not None
    for city in children(province.code):
        assert city.parent == province.code and not city.abolished
        for county in children(city.code):
            assert county.parent == city.code and county.code[:4] == city.code[:4]
    for town in children("510107"):
        assert town.level == TOWNSHIP and town.parent == "510107"
        assert town.code.startswith("510107") and town.code.endswith("000")
        for village in children(town.code):
            assert village.parent == town.code and village.code[:9] == town.code[:9]
            assert lookup(village.code) == village


def test_region_path_of_a_village() -> None:
    village = villages_of_county("510107")[0]
    path = region_path(village.code)
    assert [r.level for r in path] == [1, 2, 3, 4, 5]
    assert [r.code for r in path[:3]] == ["510000", "510100", "510107"]
    assert path[-1] == village
    assert regions.full_name(village.code) == "四川省成都市武侯区" + path[3].name + village.name


def test_region_path_in_municipality_skips_placeholder() -> None:
    town = children("500229")[0]
    assert [r.code for r in region_path(town.code)] == ["500000", "500229", town.code]
    assert region_path("999999") == []


def test_new_county_has_townships_but_no_villages_yet() -> None:
    towns = children("500157")
    assert len(towns) > 30 and all(t.level == TOWNSHIP for t in towns)
    assert villages_of_county("500157") == []


def test_find_villages_in_county() -> None:
    found = find_villages("桥", county_code="510107", limit=5)
    assert 0 < len(found) <= 5
    assert all(v.level == VILLAGE and "桥" in v.name and v.code.startswith("510107") for v in found)


def test_find_villages_exact_name_first_and_limit() -> None:
    village = villages_of_county("530102")[3]
    found = find_villages(village.name, county_code="53")
    assert found[0].name == village.name
    assert len(find_villages("村", county_code="53", limit=7)) == 7


def test_find_villages_by_several_words_and_by_code() -> None:
    village = villages_of_county("330783")[0]
    half = len(village.name) // 2
    words = f"{village.name[half:]} {village.name[:half]}"
    assert village in find_villages(words, county_code="330783")
    assert find_villages(village.code[:10], county_code="330783")[0].code.startswith(
        village.code[:10]
    )


def test_find_villages_bad_scope_or_empty_text() -> None:
    assert find_villages("村", county_code="abc") == []
    assert find_villages("") == []
    assert find_villages("   ", county_code="510107", limit=3)  # empty text lists the county
    assert find_villages("没有这样的村名称", county_code="51") == []


def test_data_as_of_and_source_are_stated() -> None:
    assert "2026-09-11" in regions.data_as_of() and "2023-06-30" in regions.data_as_of()
    src = regions.data_source()
    assert "民政部" in src and "国家统计局" in src and "CC BY 4.0" in src
    assert (regions.REGIONS_DIR / "SOURCE.md").exists()


def test_shipped_region_files_stay_small() -> None:
    total = sum(p.stat().st_size for p in regions.REGIONS_DIR.iterdir())
    print(f"\nresources/regions: {total / 1e6:.1f} MB")
    assert total < 15_000_000
