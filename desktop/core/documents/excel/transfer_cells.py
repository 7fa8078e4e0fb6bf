"""Reading one row of a 附件2 sheet: the column specs, the sheet's header lines and each cell.

Every conversion either gives a value or raises ``CellError`` with a plain-Chinese reason; values
with few distinct forms (文化程度, 民族, 是否参加社保, 劳动合同期限, 单位类型) are converted once per
distinct text.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from desktop.core.documents.excel.reading import MAX_CELL_CHARS, CellError, ColumnSpec, cell_date, cell_text
from desktop.core.documents.transfer_layout import (
    ADDRESS,
    AGE,
    BROKER_LABEL,
    CONTRACT,
    EDUCATION,
    EMPLOYER,
    ETHNICITY,
    FILL_DATE_LABEL,
    GENDER,
    ID_NUMBER,
    INSURANCE,
    JOB,
    NAME,
    PHONE,
    REMARKS,
    SEQ,
)
from desktop.core.rules.transfers import (
    EMPLOYER_TYPES,
    ContractTerm,
    normalise_education,
    normalise_ethnicity,
    parse_contract_term,
)

HIRE, POVERTY, EMPLOYER_TYPE = "转移就业日期", "是否脱贫人口", "单位类型"
SPECS = (
    ColumnSpec(SEQ, required=False),
    ColumnSpec(NAME, aliases=("姓名", "劳动力姓名", "务工人员姓名", "转移劳动力姓名")),
    ColumnSpec(GENDER, required=False),
    ColumnSpec(ID_NUMBER, aliases=("身份证号", "公民身份号码", "身份证")),
    ColumnSpec(AGE, required=False),
    ColumnSpec(EDUCATION, required=False, aliases=("学历", "文化")),
    ColumnSpec(ETHNICITY, required=False, aliases=("民族成份",)),
    ColumnSpec(EMPLOYER, aliases=("就业单位", "用工单位", "用工单位名称")),
    ColumnSpec(ADDRESS, required=False, aliases=("就业地址", "就业地点", "务工地址", "工作地点")),
    ColumnSpec(CONTRACT, aliases=("合同期限", "劳动合同期")),
    ColumnSpec(JOB, required=False, aliases=("岗位", "工种", "从事工种")),
    ColumnSpec(INSURANCE, aliases=("是否参保", "参加社保", "是否缴纳社保", "社保")),
    ColumnSpec(PHONE, required=False, aliases=("电话", "手机号码", "手机号")),
    ColumnSpec(REMARKS, required=False),
    # Columns some counties add; optional, read when present.
    ColumnSpec(HIRE, required=False, aliases=("入职日期", "入职时间", "转移日期", "转移时间", "就业时间", "上岗时间")),
    ColumnSpec(POVERTY, required=False, aliases=("脱贫人口", "是否脱贫户", "脱贫户")),
    ColumnSpec(EMPLOYER_TYPE, required=False, aliases=("单位性质",)),
)
LIMITS = {NAME: 50, EMPLOYER: 100, ADDRESS: 200, CONTRACT: 100, JOB: 100, PHONE: 30, REMARKS: 1000}
GENDERS = {"男": "男", "女": "女", "男性": "男", "女性": "女"}
_YES = frozenset({"是", "有", "已参加", "参加", "已参保", "参保", "已缴纳", "已购买", "Y", "YES", "√", "✓", "1"})
_NO = frozenset({"否", "无", "没有", "未参加", "不参加", "未参保", "未缴纳", "未购买", "N", "NO", "×", "✗", "0"})
_TYPE_ALIASES = {"私营企业": "企业", "民营企业": "企业", "国有企业": "企业", "国企": "企业", "外资企业": "企业",
                 "公司": "企业", "个体": "个体工商户", "个体户": "个体工商户", "事业单位": "机关事业单位",
                 "机关": "机关事业单位", "行政事业单位": "机关事业单位"}
_LABEL = re.compile(r"^(劳务经纪人姓名|经纪人姓名|填表日期|填报日期)\s*[:：]?\s*(.*)$")
_BLANK_DATE = re.compile(r"^[\s年月日_]*$")


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def text_converter(title: str) -> Any:
    """A converter for one text column: the common plain short string is only stripped."""
    limit = LIMITS.get(title) or MAX_CELL_CHARS

    def convert(value: Any) -> str:
        if value.__class__ is str and len(value) <= limit and value[:1] != "#":
            return value.strip()
        return text_of(value, title)
    return convert


def text_of(value: Any, title: str) -> str:
    text = value.strip() if value.__class__ is str and len(value) < 200 and value[:1] != "#" else cell_text(value)
    limit = LIMITS.get(title)
    if limit and len(text) > limit:
        raise CellError(f"太长了（{len(text)} 个字），最多 {limit} 个字。")
    return text


def read_header_lines(preamble: tuple[tuple[int, tuple[Any, ...]], ...], epoch: datetime) -> tuple[str, Any]:
    """(劳务经纪人姓名, 填表日期 cell value or text) from the lines above the header; "" / None when absent.

    The label and its value may share a cell (劳务经纪人姓名：张三) or the value may be in a later cell
    of the same row; 填表日期 often follows the name in the same cell, after spaces."""
    name, fill = "", None
    for _number, values in preamble:
        cells = list(values)
        for i, value in enumerate(cells):
            if not isinstance(value, str):
                continue
            text = unicodedata.normalize("NFKC", value).strip()
            # one cell may hold both: "劳务经纪人姓名：张三        填表日期：2025年6月30日"
            for piece in re.split(r"\s{2,}|\t|(?=填表日期|填报日期)", text):
                m = _LABEL.match(piece.strip())
                if not m:
                    continue
                label, rest = m.group(1), m.group(2).strip()
                if not rest:
                    later = next((v for v in cells[i + 1:] if v not in (None, "")), None)
                    if isinstance(later, str) and _LABEL.match(unicodedata.normalize("NFKC", later).strip()):
                        later = None
                    rest = later
                if "姓名" in label:
                    name = str(rest or "").strip()
                else:
                    fill = rest
    return name, fill


def fill_date_of(raw: Any, epoch: datetime) -> date | None:
    """The 填表日期 as a date; None when left blank (年 月 日); CellError when unreadable."""
    if raw is None or (isinstance(raw, str) and _BLANK_DATE.match(raw)):
        return None
    found = cell_date(raw, epoch=epoch)
    if found is None or found.month_only:
        raise CellError(f"填表日期“{raw}”没有写到日，请写成如 2025年6月30日。")
    return found.value


class CellReader:
    """Converters for the cells of one import (caches per distinct text)."""

    def __init__(self, levels: tuple[str, ...]) -> None:
        self.levels = levels
        self._education: dict[str, str] = {}
        self._ethnicity: dict[str, str] = {}
        self._insurance: dict[str, bool | None] = {}
        self._contract: dict[str, ContractTerm] = {}
        self._types: dict[str, str] = {}

    def education(self, value: Any) -> str:
        text = text_of(value, EDUCATION)
        hit = self._education.get(text)
        if hit is None:
            found = normalise_education(text, self.levels)
            if found is None:
                raise CellError(f"“{text}”不是可识别的文化程度，请填写{'、'.join(self.levels)}之一。")
            hit = self._education[text] = found
        return hit

    def ethnicity(self, value: Any) -> str:
        text = text_of(value, ETHNICITY)
        hit = self._ethnicity.get(text)
        if hit is None:
            found = normalise_ethnicity(text)
            if found is None:
                raise CellError(f"“{text}”不是56个民族的名称之一，请核对（如“汉族”“彝族”）。")
            hit = self._ethnicity[text] = found
        return hit

    def insurance(self, value: Any) -> bool | None:
        """True/False, or None when empty."""
        text = text_of(value, INSURANCE)
        if text in self._insurance:
            return self._insurance[text]
        key = fold(text)
        if not key:
            result = None
        elif key in _YES or key.startswith("已参加") or key.startswith("已缴"):
            result = True
        elif key in _NO or key.startswith("未"):
            result = False
        else:
            raise CellError(f"“{text}”看不出是否参加社保，请填写“是”或“否”。")
        self._insurance[text] = result
        return result

    def yes_no(self, value: Any, what: str) -> bool | None:
        text = fold(text_of(value, what))
        if not text:
            return None
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise CellError(f"“{text}”请填写“是”或“否”。")

    def contract(self, value: Any) -> tuple[str, ContractTerm]:
        text = text_of(value, CONTRACT)
        hit = self._contract.get(text)
        if hit is None:
            hit = self._contract[text] = parse_contract_term(text)
        return text, hit

    def employer_type(self, value: Any) -> str:
        text = fold(text_of(value, EMPLOYER_TYPE))
        if text in self._types:
            return self._types[text]
        found = text if text in EMPLOYER_TYPES else _TYPE_ALIASES.get(text)
        if text and found is None:
            raise CellError(f"“{text}”不是可识别的单位类型，请填写{'、'.join(EMPLOYER_TYPES)}之一。")
        self._types[text] = found or ""
        return found or ""


def is_header_line(values: tuple[Any, ...]) -> bool:
    """A row that repeats the labels (劳务经纪人姓名/填表日期) — e.g. a second sheet pasted below."""
    return any(isinstance(v, str) and (BROKER_LABEL in v or FILL_DATE_LABEL in v) for v in values)
