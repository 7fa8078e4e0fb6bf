"""Policy profiles: the four shipped regions load, match DOMAIN.md, and bad files are refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from desktop.core.rules.profile import (
    Band,
    PolicyProfile,
    ProfileError,
    available_profiles,
    band_points,
    load_profile,
    profiles_dir,
)

REGIONS = ["chongqing", "honghe", "jindong", "sichuan"]


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    """A private copy of the shipped profiles that a test may break."""
    target = tmp_path / "policies"
    shutil.copytree(profiles_dir(), target)
    return target


def edit(directory: Path, file: str, old: str, new: str) -> None:
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refused(name: str, directory: Path, overrides: dict | None = None) -> ProfileError:
    with pytest.raises(ProfileError) as info:
        load_profile(name, overrides, directory=directory)
    return info.value


# --- the shipped profiles ------------------------------------------------------------------


def test_profiles_dir_is_the_repository_resources() -> None:
    assert profiles_dir() == Path(__file__).resolve().parents[1] / "resources" / "policies"
    assert (profiles_dir() / "_base.toml").is_file()


def test_available_profiles_lists_the_four_regions_not_the_base() -> None:
    assert available_profiles() == [
        ("chongqing", "重庆市"),
        ("honghe", "云南省红河哈尼族彝族自治州"),
        ("jindong", "浙江省金华市金东区"),
        ("sichuan", "四川省"),
    ]


@pytest.mark.parametrize("name", REGIONS)
def test_every_region_loads_with_national_defaults(name: str) -> None:
    p = load_profile(name)
    assert isinstance(p, PolicyProfile)
    assert p.name == name
    assert p.source_files == ("_base.toml", f"{name}.toml")
    assert p.overrides == ()
    assert p.workflow.four_eyes is True
    assert (p.publicity.working_days, p.publicity.id_mask_head, p.publicity.id_mask_tail) == (
        5,
        6,
        4,
    )
    m = p.masking
    assert (m.id_head, m.id_tail, m.phone_head, m.phone_tail, m.bank_head, m.bank_tail) == (
        6, 4, 3, 4, 4, 4,
    )  # fmt: skip
    s = p.security
    assert (s.password_min_length, s.password_min_classes) == (8, 3)
    assert (s.lockout_failures, s.lockout_minutes, s.idle_lock_minutes) == (5, 15, 10)
    assert s.audit_retention_months == 6
    assert (p.bank.account_min_digits, p.bank.account_max_digits) == (12, 19)
    assert p.bank.luhn_failure_blocks is False
    assert p.working_age.min_age == 16
    assert p.calendar.weekend_days == (6, 7)
    assert p.region.division_code.startswith(p.region.province_code)
    assert p.broker.political_statuses == (
        "中共党员", "中共预备党员", "共青团员", "民主党派", "无党派人士", "群众",
    )  # fmt: skip
    for level in ("小学", "初中", "高中", "中专/中技", "大专", "本科", "研究生"):
        assert level in p.broker.education_levels


def test_phone_patterns_match_domain() -> None:
    import re

    p = load_profile("sichuan")
    assert re.fullmatch(p.phone.mobile_pattern, "13912345678")
    assert not re.fullmatch(p.phone.mobile_pattern, "12912345678")
    assert not re.fullmatch(p.phone.mobile_pattern, "1391234567")
    assert re.fullmatch(p.phone.landline_pattern, "028-85123456")
    assert re.fullmatch(p.phone.landline_pattern, "08318123456")


def test_sichuan_matches_seed_000() -> None:
    p = load_profile("sichuan")
    assert (p.region.name, p.region.province_code, p.region.seeds) == ("四川省", "51", ("000",))
    b = p.broker
    assert (b.age_min, b.age_max, b.home_province_codes) == (18, 65, ("51",))
    assert b.categories == ("村干部", "致富带头人", "乡村能工巧匠", "其他")
    assert b.declarations == ("身体健康", "诚信守法", "具备电脑和智能手机使用操作能力")
    assert b.application_form_title == "四川省劳务经纪人申请认定表"
    assert b.form_footnote == "注：此表由县级审核机构进行统一存档备案管理。"
    assert b.commitment_text.startswith("本人自愿申请成为劳务经纪人")
    assert (b.photo_width_mm, b.photo_height_mm) == (35, 49)
    assert p.workflow.township_review is False
    mods = p.modules
    assert mods.broker and mods.transfer and mods.review and mods.subsidy
    assert mods.gold_medal and mods.filing
    assert not (mods.coverage or mods.training or mods.points or mods.station or mods.fund)
    assert p.transfer is not None and p.transfer.form_title == "四川省劳务经纪人组织转移就业人员信息表"
    assert p.review is not None
    assert (p.review.cycle_years, p.review.consecutive_years) == (2, 2)
    assert p.review.min_transfers_per_year == 10 and p.review.fraud_revokes_at_once
    assert p.subsidy is not None
    assert (p.subsidy.amount_yuan, p.subsidy.min_contract_months) == (300, 12)
    assert p.subsidy.requires_poverty_alleviated and p.subsidy.requires_social_insurance
    assert p.subsidy.employer_types == ("企业",)
    assert p.gold_medal is not None
    assert (p.gold_medal.quota_per_year, p.gold_medal.award_yuan) == (100, 20000)
    assert p.filing is not None
    assert (p.filing.deadline_month, p.filing.deadline_day) == (12, 25)
    assert p.filing.form_title == "四川省劳务经纪人备案信息表"
    assert p.filing.note == "备注：此表由各市（州）每年更新汇总后报省农民工办"
    assert p.station is None and p.fund is None and p.coverage is None
    title = p.publicity.title_template.format(year=2024, batch=3)
    assert title == "关于2024年第3批劳务经纪人拟认定人员名单的公示"


def test_chongqing_matches_seeds_001_and_003() -> None:
    p = load_profile("chongqing")
    assert (p.region.province_code, p.region.seeds) == ("50", ("001", "003"))
    for category in ("网格员", "基层社保员", "人力资源企业骨干", "劳务经纪能人", "农村致富带头人"):
        assert category in p.broker.categories
    assert "具备电脑和智能手机操作能力" in p.broker.declarations
    assert p.workflow.township_review is True
    assert p.modules.coverage and p.modules.training and p.modules.points
    assert not (p.modules.review or p.modules.subsidy or p.modules.filing or p.modules.station)
    assert p.training is not None and p.training.min_days_per_year == 4
    assert p.points is not None and p.points.weight_transfers > 0
    cov = p.coverage
    assert cov is not None
    assert (cov.population_per_broker, cov.min_per_village) == (5000, 1)
    needed = {pop: cov.brokers_needed(pop) for pop in (0, 1, 4999, 5000, 5001, 10000, 10001, 23000)}
    assert needed == {0: 1, 1: 1, 4999: 1, 5000: 1, 5001: 2, 10000: 2, 10001: 3, 23000: 5}


def test_honghe_matches_seed_002() -> None:
    p = load_profile("honghe")
    assert (p.region.province_code, p.region.division_code) == ("53", "532500")
    assert p.modules.fund and p.modules.broker and not p.modules.station
    f = p.fund
    assert f is not None
    assert f.cooperative_levels == ("县（市）级", "乡（镇）级", "村级")
    assert f.advance_items == ("交通费", "体检费", "培训费", "途中伙食费")
    assert f.required_signoffs == 2 and len(f.signoff_parties) == 2
    assert f.four_clear_items == ("就业情况", "技能情况", "就业意愿", "技能培训意愿")
    assert "劳务经纪人绩效奖励" in f.income_uses


def test_jindong_station_rules_match_seed_004() -> None:
    p = load_profile("jindong")
    assert (p.region.province_code, p.region.seeds) == ("33", ("004",))
    assert p.modules.station and not p.modules.broker
    st = p.station
    assert st is not None
    assert st.local_province_codes == ("33",)
    assert (st.min_social_insurance_months, st.exclude_dispatched) == (2, True)
    assert (st.application_min_delivered, len(st.application_materials)) == (50, 7)
    assert (st.revoke_after_failing_years, st.reapply_ban_years) == (2, 2)
    assert st.retention_check_months == 6
    assert st.establishment_subsidy_yuan == 10000
    sc = st.score
    assert (sc.total, sc.pass_min, sc.incident_veto_count) == (100, 60, 3)
    assert sum(item.points for item in sc.items().values()) == 100
    assert (sc.responsible_person.points, sc.responsible_person.deduction) == (5, 2)
    assert (sc.incidents.deduction, sc.contracts.deduction, sc.ledger.deduction) == (2, 1, 3)
    assert (sc.ledger.points, len(sc.ledger_items)) == (10, 5)
    assert (sc.skilled_bonus_min_count, sc.skilled_bonus_min, sc.skilled_bonus_max) == (10, 2, 5)
    assert (sc.innovation.points, sc.innovation.bands) == (10, ())
    ex = st.excellent
    assert (ex.min_operating_years, ex.min_score, ex.min_delivered) == (2, 80, 300)
    assert (ex.min_skilled_percent, ex.min_retention_percent) == (10, 60)
    assert (ex.cycle_years, ex.recheck_years, ex.award_yuan) == (2, 2, 20000)
    assert ex.require_complete_ledger


@pytest.mark.parametrize(
    ("item", "cases"),
    [
        ("worker_satisfaction", {0: 0, 49.99: 0, 50: 3, 74.99: 3, 75: 5, 100: 5}),
        ("employer_satisfaction", {Fraction(99, 2): 0, 50: 3, Decimal("75.0"): 5}),
        ("matchmaking", {0: 0, 1: 5, 2: 10, 7: 10}),
        ("delivered", {0: 0, 99: 0, 100: 3, 200: 3, 201: 8, 300: 8, 301: 10, 5000: 10}),
        (
            "retention",
            {0: 0, 39.9: 0, 40: 5, 50: 5, 50.01: 10, Fraction(121, 2): 15, 60: 10, 61: 15},
        ),
    ],
)
def test_station_band_boundaries_are_exact(item: str, cases: dict) -> None:
    station = load_profile("jindong").station
    assert station is not None
    bands = getattr(station.score, item).bands
    assert {value: band_points(bands, value) for value in cases} == cases


def test_station_annual_subsidy_bands() -> None:
    station = load_profile("jindong").station
    assert station is not None
    bands = station.annual_subsidy_bands
    got = {score: band_points(bands, score) for score in (0, 59, 60, 69, 70, 79, 80, 89, 90, 100)}
    assert got == {0: 0, 59: 0, 60: 40000, 69: 40000, 70: 50000, 79: 50000,
                   80: 60000, 89: 60000, 90: 70000, 100: 70000}  # fmt: skip
    assert band_points(bands, Fraction(1799, 20)) == 60000  # 89.95


def test_band_points_outside_every_band_is_an_error() -> None:
    bands = (Band(0, True, 10, False, 1), Band(10, True, float("inf"), False, 2))
    assert str(bands[0]) == "[0, 10)" and str(bands[1]) == "[10, +inf)"
    with pytest.raises(ValueError, match="不在任何分档内"):
        band_points(bands, -1)


def test_retirement_ages_follow_the_2025_schedule() -> None:
    age = load_profile("jindong").working_age
    assert age.retirement_age_months("男", date(1964, 12, 31)) == 60 * 12
    assert age.retirement_age_months("男", date(1965, 1, 1)) == 60 * 12 + 1
    assert age.retirement_age_months("男", date(1965, 4, 30)) == 60 * 12 + 1
    assert age.retirement_age_months("男", date(1965, 5, 1)) == 60 * 12 + 2
    assert age.retirement_age_months("男", date(1990, 1, 1)) == 63 * 12
    assert age.retirement_age_months("女", date(1969, 12, 1)) == 55 * 12
    assert age.retirement_age_months("女", date(1970, 1, 1)) == 55 * 12 + 1
    assert age.retirement_age_months("女", date(1995, 6, 1)) == 58 * 12


def test_value_at_reads_dotted_keys() -> None:
    p = load_profile("jindong")
    assert p.value_at("broker.age_max") == 65
    assert p.value_at("station.score.delivered.points") == 15


def test_profile_module_does_not_import_qt() -> None:
    code = "import sys, desktop.core.rules.profile; print('PySide6' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


# --- refused files -------------------------------------------------------------------------


def test_wrong_type_names_file_and_key(policies: Path) -> None:
    edit(policies, "sichuan.toml", "age_max = 65", 'age_max = "六十五"')
    err = refused("sichuan", policies)
    assert (err.file, err.key) == ("sichuan.toml", "broker.age_max")
    assert str(err) == '策略文件 sichuan.toml 中的 broker.age_max 应为整数，现为 "六十五"。'


def test_boolean_is_not_an_integer(policies: Path) -> None:
    edit(policies, "sichuan.toml", "age_min = 18", "age_min = true")
    assert refused("sichuan", policies).key == "broker.age_min"


def test_unknown_key_is_refused(policies: Path) -> None:
    edit(policies, "sichuan.toml", "age_max = 65", "age_max = 65\nage_maximum = 70")
    err = refused("sichuan", policies)
    assert (err.file, err.key) == ("sichuan.toml", "broker.age_maximum")
    assert "不是可识别的键" in str(err)


def test_unknown_section_is_refused(policies: Path) -> None:
    edit(policies, "honghe.toml", "[fund]", "[funds]\nx = 1\n\n[fund]")
    err = refused("honghe", policies)
    assert (err.file, err.key) == ("honghe.toml", "funds")


def test_missing_key_is_refused(policies: Path) -> None:
    edit(policies, "sichuan.toml", "deadline_day = 25", "")
    err = refused("sichuan", policies)
    assert (err.file, err.key) == ("sichuan.toml", "filing.deadline_day")
    assert str(err) == "策略文件 sichuan.toml 中的 filing.deadline_day 未填写（应为整数）。"


def test_missing_required_section_is_refused(policies: Path) -> None:
    edit(policies, "sichuan.toml", 'application_form_title = "四川省劳务经纪人申请认定表"', "")
    assert refused("sichuan", policies).key == "broker.application_form_title"


def test_bad_toml_names_file_and_key(policies: Path) -> None:
    edit(policies, "sichuan.toml", "age_max = 65", "age_max = 六十五")
    err = refused("sichuan", policies)
    assert (err.file, err.key) == ("sichuan.toml", "broker.age_max")
    assert "不是有效的 TOML" in str(err) and "行" in str(err)


def test_error_in_base_names_the_base_file(policies: Path) -> None:
    edit(policies, "_base.toml", "password_min_length = 8", "password_min_length = 6")
    err = refused("jindong", policies)
    assert (err.file, err.key) == ("_base.toml", "security.password_min_length")
    assert "应在 8 到 64 之间，现为 6" in str(err)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            "audit_retention_months = 6",
            "audit_retention_months = 3",
            "security.audit_retention_months",
        ),
        ("password_min_classes = 3", "password_min_classes = 2", "security.password_min_classes"),
        ("id_head = 6", "id_head = 14", "masking.id_tail"),
        (
            'holiday_source = "chinese_calendar"',
            'holiday_source = "lunar"',
            "calendar.holiday_source",
        ),
        ("mobile_pattern = '^1[3-9]", "mobile_pattern = '^1[3-9", "phone.mobile_pattern"),
        ('"jpeg", "png"]', '"jpeg", "gif"]', "broker.photo_formats"),
        ('title_template = "关于{year}', 'title_template = "关于{yr}', "publicity.title_template"),
    ],
)
def test_base_values_out_of_range_are_refused(policies: Path, old: str, new: str, key: str) -> None:
    edit(policies, "_base.toml", old, new)
    err = refused("sichuan", policies)
    assert (err.file, err.key) == ("_base.toml", key)


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        ('"[100, 200]"', '"[100, 199]"', "station.score.delivered.bands", "没有首尾相接"),
        ('"(200, 300]"', '"[200, 300]"', "station.score.delivered.bands", "没有首尾相接"),
        ('"(300, +inf)"', '"(300, 1000)"', "station.score.delivered.bands", "+inf"),
        ('"[0, 100)"', '"0 to 100"', "station.score.delivered.bands", "写法有误"),
        ('{ range = "[60, 70)", yuan = 40000 }', '{ range = "[60, 70)", points = 40000 }',
         "station.annual_subsidy_bands", "yuan"),
        ('{ range = "(60, +inf)", points = 15 }', '{ range = "(60, +inf)", points = 16 }',
         "station.score.retention.bands", "超过该项满分"),
        ("total = 100", "total = 90", "station.score.total", "各项满分之和 100"),
    ],
)  # fmt: skip
def test_bad_scoring_tables_are_refused(policies: Path, old: str, new: str, key: str, words: str) -> None:
    edit(policies, "jindong.toml", old, new)
    err = refused("jindong", policies)
    assert (err.file, err.key) == ("jindong.toml", key)
    assert words in str(err)


def test_cross_field_checks(policies: Path) -> None:
    edit(policies, "sichuan.toml", "age_min = 18", "age_min = 70")
    assert refused("sichuan", policies).key == "broker.age_max"


def test_module_enabled_without_its_section_is_refused(policies: Path) -> None:
    edit(policies, "sichuan.toml", "filing = true", "filing = true\nfund = true")
    err = refused("sichuan", policies)
    assert (err.file, err.key) == ("sichuan.toml", "fund")


def test_module_dependencies_are_checked(policies: Path) -> None:
    edit(policies, "sichuan.toml", "transfer = true", "transfer = false")
    assert refused("sichuan", policies).key == "modules.review"


def test_extends_problems_are_refused(policies: Path) -> None:
    edit(policies, "honghe.toml", 'extends = "_base"', 'extends = "_basis"')
    err = refused("honghe", policies)
    assert (err.file, err.key) == ("honghe.toml", "extends")
    assert "_basis.toml 不存在" in str(err)
    (policies / "_loop.toml").write_text('extends = "honghe"\n', encoding="utf-8")
    edit(policies, "honghe.toml", 'extends = "_basis"', 'extends = "_loop"')
    assert "循环引用" in str(refused("honghe", policies))


def test_unknown_profile_and_unsafe_names_are_refused(policies: Path) -> None:
    assert refused("hainan", policies).file == "hainan.toml"
    assert "不存在" in str(refused("../sichuan", policies))


def test_profile_chain_of_three_files(policies: Path) -> None:
    (policies / "chengdu.toml").write_text(
        'extends = "sichuan"\n[region]\nname = "成都市"\ndivision_code = "510100"\n[publicity]\nworking_days = 7\n',
        encoding="utf-8",
    )
    p = load_profile("chengdu", directory=policies)
    assert p.source_files == ("_base.toml", "sichuan.toml", "chengdu.toml")
    assert (p.region.name, p.region.province_code, p.publicity.working_days) == ("成都市", "51", 7)
    assert ("chengdu", "成都市") in available_profiles(policies)


# --- overrides -----------------------------------------------------------------------------


def test_overrides_are_applied_and_recorded() -> None:
    overrides = {
        "broker.age_max": 60,
        "publicity.working_days": 7,
        "review.min_transfers_per_year": 12,
    }
    p = load_profile("sichuan", overrides)
    assert p.review is not None
    assert (p.broker.age_max, p.publicity.working_days, p.review.min_transfers_per_year) == (
        60,
        7,
        12,
    )
    assert dict(p.overrides) == overrides
    assert load_profile("sichuan").broker.age_max == 65  # the file itself is untouched


def test_override_can_replace_a_band_table() -> None:
    bands = [{"range": "[0, 100)", "points": 0}, {"range": "[100, +inf)", "points": 10}]
    p = load_profile("jindong", {"station.score.delivered.bands": bands})
    assert p.station is not None
    assert band_points(p.station.score.delivered.bands, 150) == 10


def test_override_with_wrong_type_is_refused() -> None:
    err = refused("sichuan", profiles_dir(), {"broker.age_max": "六十"})
    assert (err.file, err.key) == ("sichuan.toml（覆盖值）", "broker.age_max")
    assert str(err) == '策略文件 sichuan.toml（覆盖值） 中的 broker.age_max 应为整数，现为 "六十"。'


def test_override_below_national_floor_is_refused() -> None:
    err = refused("sichuan", profiles_dir(), {"security.lockout_failures": 0})
    assert err.key == "security.lockout_failures"


@pytest.mark.parametrize("key", ["broker.age_maxx", "nosuch.key", "broker", "broker..age_max", "name"])
def test_override_with_unknown_key_is_refused(key: str) -> None:
    err = refused("sichuan", profiles_dir(), {key: 60})
    assert err.key in (key, "broker.age_maxx", "nosuch") and err.file.startswith("sichuan.toml")


def test_broken_table_header_names_the_table(policies: Path) -> None:
    edit(policies, "sichuan.toml", "[filing]", "[filing")
    err = refused("sichuan", policies)
    assert (err.file, err.key) == ("sichuan.toml", "filing")


def test_honghe_fund_sharing_and_registry_parameters() -> None:
    f = load_profile("honghe").fund
    assert f is not None
    assert f.revenue_income_kind in f.income_kinds
    assert (f.broker_reward_percent, f.public_works_percent, f.remainder_rule) == (30, 40, "largest_remainder")
    assert (f.four_clear_recheck_months, f.advance_overdue_days) == (12, 180)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("fund.public_works_percent", 80, "之和不能超过 100"),
        ("fund.broker_reward_percent", 12.345, "两位小数"),
        ("fund.revenue_income_kind", "工资", "应为 fund.income_kinds 中的一项"),
        ("fund.four_clear_items", ["就业情况"], "应恰好 4 项"),
        ("fund.signoff_parties", ["甲", "甲"], "重复"),
        ("fund.remainder_rule", "round", "largest_remainder"),
    ],
)
def test_fund_parameters_are_checked(key: str, value: object, says: str) -> None:
    with pytest.raises(ProfileError) as err:
        load_profile("honghe", {key: value})
    assert err.value.key == key and says in str(err.value)
