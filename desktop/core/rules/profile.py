"""Policy profiles (策略文件): the per-region rule parameters read from resources/policies/*.toml.

A profile file `extends` another (normally `_base.toml`, the national defaults) and states what its
region's documents say. `load_profile` resolves that chain, applies a centre's own overrides, checks
every key against the frozen dataclasses of profile_sections.py (re-exported here) and raises
`ProfileError`, whose text names the file and the key. Units: money is integer 元 (keys end in
`_yuan`), percentages are numbers 0–100, ages whole years, contract terms whole months. Scoring
tables are `Band` lists in interval notation ("[100, 200]" includes both ends, "(200, 300]"
excludes 200); see `band_points`.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, fields, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

# The section dataclasses live in profile_sections; every public name there is re-exported here.
from desktop.core.rules.profile_sections import *  # noqa: F403
from desktop.core.rules.profile_sections import Band, Bands, Check, Modules, PolicyProfile, _num

OVERRIDE_LABEL = "（覆盖值）"
_NAME_RE = re.compile(r"[a-z0-9_]+")
_RANGE_RE = re.compile(r"\s*([\[(])\s*([^,\s]+)\s*,\s*([^\])\s]+)\s*([\])])\s*")


def profiles_dir() -> Path:
    """The shipped profiles: <repo>/resources/policies."""
    return Path(__file__).resolve().parents[3] / "resources" / "policies"


class ProfileError(ValueError):
    """A profile file or override that cannot be used; str() names the file and the key."""

    def __init__(self, file: str, key: str, message: str) -> None:
        self.file, self.key, self.message = file, key, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"策略文件 {self.file}" + (f" 中的 {self.key}" if self.key else "")
        return f"{where} {self.message}"


_INTERNAL = {"name", "source_files", "overrides"}
# Module → the module it builds on; a profile may not switch one on without the other.
_REQUIRES = {
    "transfer": "broker",
    "review": "transfer",
    "subsidy": "transfer",
    "gold_medal": "transfer",
    "filing": "broker",
    "coverage": "broker",
    "training": "broker",
    "points": "broker",
}
_KINDS = {
    int: "整数",
    float: "数字",
    bool: "true 或 false",
    str: "文字",
    date: "日期（如 1965-01-01）",
}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _num(value)
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _unwrap(tp: Any) -> tuple[Any, Check]:
    """(bare type, its Check) for `X`, `X | None` and `Annotated[X, Check]`."""
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    if typing.get_origin(tp) is Annotated:
        return typing.get_args(tp)[0], tp.__metadata__[0]
    return tp, Check()


def _kind(tp: Any) -> str:
    tp, _ = _unwrap(tp)
    if typing.get_origin(tp) is tuple:
        item = _unwrap(typing.get_args(tp)[0])[0]
        return "分档列表" if item is Band else f"{_KINDS[item]}列表"
    return "表" if is_dataclass(tp) else _KINDS[tp]


@dataclass
class _Ctx:
    leaf: str
    origin: dict[str, str]  # dotted key → the file (or override label) that set it last

    def err(self, key: str, message: str) -> ProfileError:
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            if (found := self.origin.get(".".join(parts[:n]))) is not None:
                return ProfileError(found, key, message)
        return ProfileError(self.leaf, key, message)


def _fields(cls: Any, data: Mapping[str, Any], prefix: str, ctx: _Ctx) -> dict[str, Any]:
    hints = typing.get_type_hints(cls, include_extras=True)
    schema = [f for f in fields(cls) if f.name not in _INTERNAL or cls is not PolicyProfile]
    for k in data:
        if k not in {f.name for f in schema}:
            raise ctx.err(prefix + k, "不是可识别的键（可能拼写有误，或放错了节）。")
    values: dict[str, Any] = {}
    for f in schema:
        key, tp = prefix + f.name, hints[f.name]
        if f.name in data:
            values[f.name] = _convert(tp, data[f.name], key, ctx)
        elif f.default is not MISSING:
            values[f.name] = f.default
        elif typing.get_origin(tp) in (types.UnionType, typing.Union):
            values[f.name] = None
        else:
            raise ProfileError(ctx.leaf, key, f"未填写（应为{_kind(tp)}）。")
    return values


def _convert(tp: Any, raw: Any, key: str, ctx: _Ctx, pos: str = "") -> Any:
    bare, check = _unwrap(tp)
    if is_dataclass(bare):
        if not isinstance(raw, dict):
            raise ctx.err(key, f"应为一个表（[{key}]），现为 {_show(raw)}。")
        return bare(**_fields(bare, raw, key + ".", ctx))
    if typing.get_origin(bare) is tuple:
        item = typing.get_args(bare)[0]
        if not isinstance(raw, (list, tuple)):
            raise ctx.err(key, f"应为{_kind(bare)}，现为 {_show(raw)}。")
        if not raw:
            raise ctx.err(key, "不能为空列表。")
        if item is Band:
            return _bands(raw, key, check.value_key, ctx)
        return tuple(_convert(item, v, key, ctx, f"第 {i} 项") for i, v in enumerate(raw, 1))
    number = isinstance(raw, (int, float)) and not isinstance(raw, bool)
    ok = {
        bool: isinstance(raw, bool),
        int: number and isinstance(raw, int),
        float: number and math.isfinite(raw),
        str: isinstance(raw, str),
        date: isinstance(raw, date) and not isinstance(raw, datetime),
    }[bare]
    if not ok:
        raise ctx.err(key, f"{pos}应为{_KINDS[bare]}，现为 {_show(raw)}。")
    lo, hi = check.lo, check.hi
    if number and ((lo is not None and raw < lo) or (hi is not None and raw > hi)):
        limit = (
            f"在 {_num(lo)} 到 {_num(hi)} 之间"
            if lo is not None and hi is not None
            else (f"不小于 {_num(lo)}" if lo is not None else f"不大于 {_num(hi)}")
        )
        raise ctx.err(key, f"{pos}应{limit}，现为 {_num(raw)}。")
    if bare is str:
        if not raw.strip():
            raise ctx.err(key, f"{pos}不能为空。")
        if check.choices and raw not in check.choices:
            allowed = "、".join(f'"{c}"' for c in check.choices)
            raise ctx.err(key, f"{pos}应为 {allowed} 之一，现为 {_show(raw)}。")
        if check.pattern and not re.fullmatch(check.pattern, raw):
            raise ctx.err(key, f"{pos}应为{check.hint}，现为 {_show(raw)}。")
        if check.regex:
            try:
                re.compile(raw)
            except re.error:
                raise ctx.err(key, f"{pos}不是有效的正则表达式：{_show(raw)}。") from None
    return raw


def _bound(text: str) -> float | None:
    if text in ("inf", "+inf", "∞", "+∞"):
        return math.inf
    for conv in (int, float):
        try:
            value = conv(text)
        except ValueError:
            continue
        return value if math.isfinite(value) else None
    return None


def _bands(raw: Sequence[Any], key: str, value_key: str, ctx: _Ctx) -> Bands:
    out: list[Band] = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict) or set(item) != {"range", value_key}:
            shape = f'{{ range = "[下限, 上限)", {value_key} = 整数 }}'
            raise ctx.err(key, f"第 {i} 档应写成 {shape}，现为 {_show(item)}。")
        m = _RANGE_RE.fullmatch(item["range"]) if isinstance(item["range"], str) else None
        lo, hi = (_bound(m.group(2)), _bound(m.group(3))) if m else (None, None)
        closed = m is not None and m.group(1) == "[" and m.group(4) == "]"
        if m is None or lo is None or hi is None or math.isinf(lo) or lo > hi or (lo == hi and not closed):
            raise ctx.err(
                key,
                f"第 {i} 档的区间 {_show(item['range'])} 写法有误（应如 "
                '"[100, 200]"、"(300, +inf)"；方括号含端点，圆括号不含）。',
            )
        value = item[value_key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ctx.err(key, f"第 {i} 档的 {value_key} 应为不小于 0 的整数，现为 {_show(value)}。")
        out.append(Band(lo, m.group(1) == "[", hi, m.group(4) == "]" and not math.isinf(hi), value))
    for i, (a, b) in enumerate(itertools.pairwise(out), 1):
        if a.upper != b.lower or a.upper_inclusive == b.lower_inclusive:
            raise ctx.err(
                key,
                f"第 {i} 档 {a} 与第 {i + 1} 档 {b} 没有首尾相接（边界值必须恰好属于其中一档，不能重叠或留空）。",
            )
    if not math.isinf(out[-1].upper):
        raise ctx.err(key, f"最后一档 {out[-1]} 应以 +inf 结尾，使任何数值都有所属分档。")
    return tuple(out)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ProfileError(path.name, "", "不是 UTF-8 编码的文本，请以 UTF-8 保存。") from None
    except OSError as exc:
        raise ProfileError(path.name, "", f"无法读取（{exc.strerror}）。") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        lines = text.splitlines()
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        line = int(m.group(1)) if m else len(lines)
        where = f"第 {line} 行第 {m.group(2)} 列附近" if m else "文件末尾"
        message = f"写法有误，不是有效的 TOML（{where}）。"
        raise ProfileError(path.name, _key_near(lines, line), message) from None


def _key_near(lines: list[str], line: int) -> str:
    """Best guess at the dotted key on a line tomllib rejected, for the error message."""
    table, key = "", ""
    here = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    if here.startswith("["):  # a broken table header names itself
        return here.strip("[] \t")
    if "=" in here:
        key = here.split("=", 1)[0].strip().strip("\"'")
    for text in reversed(lines[:line]):
        if m := re.match(r"\s*\[+\s*([^\]]+?)\s*\]+", text):
            table = m.group(1)
            break
    return ".".join(p for p in (table, key) if p)


def _mark(origin: dict[str, str], key: str, value: Any, file: str) -> None:
    origin[key] = file
    if isinstance(value, dict):
        for k, v in value.items():
            _mark(origin, f"{key}.{k}", v, file)


def _merge(into: dict[str, Any], data: Mapping[str, Any], file: str, ctx: _Ctx, pre: str) -> None:
    """Tables merge key by key; any other value (lists and band tables too) replaces."""
    for k, v in data.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v, file, ctx, f"{pre}{k}.")
        else:
            into[k] = copy.deepcopy(v)
            _mark(ctx.origin, pre + k, v, file)


def _chain(name: str, directory: Path) -> list[tuple[str, dict[str, Any]]]:
    """The files of a profile, base first, following `extends`."""
    if not _NAME_RE.fullmatch(name) or not (directory / f"{name}.toml").is_file():
        raise ProfileError(f"{name}.toml", "", f"不存在（应位于 {directory}）。")
    files: list[tuple[str, dict[str, Any]]] = []
    current: str | None = name
    while current is not None:
        file = f"{current}.toml"
        data = _read(directory / file)
        files.append((file, data))
        current = data.pop("extends", None)
        if current is None:
            break
        if not isinstance(current, str):
            example = '应为文字（另一策略文件的名称，如 "_base"）'
            raise ProfileError(file, "extends", f"{example}，现为 {_show(current)}。")
        if not _NAME_RE.fullmatch(current) or not (directory / f"{current}.toml").is_file():
            raise ProfileError(file, "extends", f"指向的策略文件 {current}.toml 不存在。")
        if any(f == f"{current}.toml" for f, _ in files):
            loop = " → ".join([f for f, _ in files] + [f"{current}.toml"])
            raise ProfileError(file, "extends", f"形成了循环引用（{loop}）。")
    return files[::-1]


def load_profile(
    name: str, overrides: Mapping[str, Any] | None = None, *, directory: Path | None = None
) -> PolicyProfile:
    """Load, merge and check profile `name`; `overrides` maps dotted keys to a centre's values."""
    directory = directory or profiles_dir()
    files = _chain(name, directory)
    ctx = _Ctx(files[-1][0], {})
    merged: dict[str, Any] = {}
    for file, data in files:
        _merge(merged, data, file, ctx, "")
    label = ctx.leaf + OVERRIDE_LABEL
    for dotted, value in (overrides or {}).items():
        parts = dotted.split(".") if isinstance(dotted, str) else [""]
        node: Any = merged
        for part in parts[:-1]:
            node = node.setdefault(part, {}) if isinstance(node, dict) else None
        if not all(parts) or not isinstance(node, dict) or parts[0] in _INTERNAL:
            raise ProfileError(label, str(dotted), "不是可识别的键。")
        node[parts[-1]] = copy.deepcopy(value)
        _mark(ctx.origin, dotted, value, label)
    values = _fields(PolicyProfile, merged, "", ctx)
    profile = PolicyProfile(
        name=name,
        source_files=tuple(f for f, _ in files),
        overrides=tuple((overrides or {}).items()),
        **values,
    )
    _check(profile, ctx)
    return profile


def available_profiles(directory: Path | None = None) -> list[tuple[str, str]]:
    """(name, display name) of every selectable profile; files starting with "_" are bases."""
    out = []
    for path in sorted((directory or profiles_dir()).glob("*.toml")):
        if path.name.startswith("_"):
            continue
        try:
            display = str(tomllib.loads(path.read_text(encoding="utf-8"))["region"]["name"])
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
            display = path.stem  # load_profile will say what is wrong with it
        out.append((path.stem, display))
    return out


def _check(p: PolicyProfile, ctx: _Ctx) -> None:
    """Rules that tie several keys together."""

    def need(ok: bool, key: str, message: str) -> None:
        if not ok:
            raise ctx.err(key, message)

    b, m, region = p.broker, p.masking, p.region
    need(
        b.age_min <= b.age_max,
        "broker.age_max",
        f"应不小于 broker.age_min（{b.age_min}），现为 {b.age_max}。",
    )
    need(
        region.division_code.startswith(region.province_code),
        "region.division_code",
        f'应以省级代码 {region.province_code} 开头，现为 "{region.division_code}"。',
    )
    for key, head, tail, length in (
        ("masking.id_tail", m.id_head, m.id_tail, 18),
        ("publicity.id_mask_tail", p.publicity.id_mask_head, p.publicity.id_mask_tail, 18),
        ("masking.phone_tail", m.phone_head, m.phone_tail, 11),
        ("masking.bank_tail", m.bank_head, m.bank_tail, p.bank.account_min_digits),
    ):
        need(
            head + tail < length,
            key,
            f"与前段位数之和为 {head + tail}，应小于 {length}，否则没有一位被遮盖。",
        )
    need(
        p.bank.account_min_digits <= p.bank.account_max_digits,
        "bank.account_max_digits",
        "应不小于 bank.account_min_digits。",
    )
    try:
        p.publicity.title_template.format(year=2024, batch=1)
    except (KeyError, IndexError, ValueError):
        need(False, "publicity.title_template", "只能使用 {year} 和 {batch} 两个占位符。")
    for module in (f.name for f in fields(Modules)):
        if getattr(p.modules, module) and (base := _REQUIRES.get(module)):
            need(getattr(p.modules, base), f"modules.{module}", f"需要同时启用 modules.{base}。")
        if getattr(p.modules, module) and module != "broker":
            need(
                getattr(p, module) is not None,
                module,
                f"已在 [modules] 中启用，但没有 [{module}] 节。",
            )
    if p.filing is not None:
        f = p.filing
        for prefix, month, day in (("deadline", f.deadline_month, f.deadline_day),
                                   ("remind_from", f.remind_from_month, f.remind_from_day)):
            try:
                date(2001, month, day)
            except ValueError:
                need(False, f"filing.{prefix}_day", f"不是 {month} 月的有效日期。")
        need(
            (f.remind_from_month, f.remind_from_day) <= (f.deadline_month, f.deadline_day),
            "filing.remind_from_month",
            f"提醒开始日（{f.remind_from_month}月{f.remind_from_day}日）应不晚于截止日"
            f"（{f.deadline_month}月{f.deadline_day}日）。",
        )
    if p.fund is not None:
        _check_fund(p.fund, need)
    if p.station is not None:
        need(len(p.station.application_opinions) == 2, "station.application_opinions",
             "应恰好 2 项：申请表末尾两个意见栏的名称（就业服务中心、人社局）。")
        s, key = p.station.score, "station.score"
        total = sum(item.points for item in s.items().values())
        need(total == s.total, f"{key}.total", f"应等于各项满分之和 {total}，现为 {s.total}。")
        need(s.pass_min <= s.total, f"{key}.pass_min", f"不能高于总分 {s.total}。")
        need(
            s.skilled_bonus_min <= s.skilled_bonus_max,
            f"{key}.skilled_bonus_max",
            "应不小于 skilled_bonus_min。",
        )
        for name, item in s.items().items():
            top = max((band.value for band in item.bands), default=0)
            top += s.skilled_bonus_max if name == "delivered" else 0
            need(
                top <= item.points,
                f"{key}.{name}.bands",
                f"最高可得 {top} 分，超过该项满分 {item.points}。",
            )


def _check_fund(f: Any, need: Any) -> None:
    need(f.required_signoffs <= len(f.signoff_parties), "fund.required_signoffs",
         "不能多于 fund.signoff_parties 中的签批方数。")
    need(len(set(f.signoff_parties)) == len(f.signoff_parties), "fund.signoff_parties", "不能有重复的签批方。")
    for key, count, what in (
        ("cooperative_levels", 3, "县、乡、村三级的名称"),
        ("income_uses", 3, "经纪人绩效奖励、村公益事业、工作经费三项用途的名称（第三项得到余下部分）"),
        ("four_clear_items", 4, "就业情况、技能情况、就业意愿、技能培训意愿四项的名称"),
    ):
        need(len(getattr(f, key)) == count, f"fund.{key}", f"应恰好 {count} 项：{what}。")
    need(f.revenue_income_kind in f.income_kinds, "fund.revenue_income_kind",
         f"应为 fund.income_kinds 中的一项，现为 {_show(f.revenue_income_kind)}。")
    for key in ("broker_reward_percent", "public_works_percent"):
        value = getattr(f, key)
        need(abs(value * 100 - round(value * 100)) < 1e-6, f"fund.{key}", "最多保留两位小数。")
    need(f.broker_reward_percent + f.public_works_percent <= 100, "fund.public_works_percent",
         "与 fund.broker_reward_percent 之和不能超过 100。")
