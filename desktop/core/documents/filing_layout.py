"""The annual filing layout (备案信息表, seed 000 附件3): its columns, content and footer lines.

One definition for everything that writes or reads the form: the .xlsx and PDF writers, the
broker importer (last year's filing as the registry's starting point) and the city's
consolidation of its counties' files. Columns in the seed's order: 序号, 姓名, 性别, 身份证号码,
学历水平, 参加培训时间（精确到年月）, 认定时间, 主要服务区域（精确到村）, 联系电话, 备注; header
填报市（州）; footer 填报人, 审核人, 填报日期; then the profile's note (备注：此表由…).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.core.documents.excel.importing import ID_TITLE, bracket_variants
from desktop.core.documents.excel.reading import ColumnSpec

SEQ, NAME, GENDER, EDUCATION = "序号", "姓名", "性别", "学历水平"
TRAINING, CERTIFIED, AREA, PHONE, REMARKS = (
    "参加培训时间（精确到年月）", "认定时间", "主要服务区域（精确到村）", "联系电话", "备注")
HEADERS = (SEQ, NAME, GENDER, ID_TITLE, EDUCATION, TRAINING, CERTIFIED, AREA, PHONE, REMARKS)
#: How a reader finds each column (title variants people type on hand-made sheets).
SPECS = (
    ColumnSpec(SEQ, required=False),
    ColumnSpec(NAME),
    ColumnSpec(GENDER),
    ColumnSpec(ID_TITLE, aliases=("身份证号", "公民身份号码", "身份证")),
    ColumnSpec(EDUCATION, aliases=("学历", "文化程度")),
    ColumnSpec(TRAINING, aliases=bracket_variants(TRAINING, "培训时间")),
    ColumnSpec(CERTIFIED, aliases=("认定日期",)),
    ColumnSpec(AREA, aliases=bracket_variants(AREA, "服务区域")),
    ColumnSpec(PHONE, aliases=("电话", "手机号码", "手机号", "联系方式")),
    ColumnSpec(REMARKS, required=False),
)
assert tuple(s.title for s in SPECS) == HEADERS

# The sheet's footer lines; recognised only on rows without an ID number in them.
_FOOTER = re.compile(r"^(?:(?:填报人|填表人|制表人|审核人|负责人|联系人|填报日期|填报单位|备注|注|说明)\s*:|合计|共计|总计)")
_ID_LIKE = re.compile(r"\d{17}[\dXx]")


def is_footer_row(raw: Sequence[Any]) -> bool:
    """True for the form's footer lines (填报人：…, 备注：此表由…, 合计…) below the table."""
    texts = [unicodedata.normalize("NFKC", v).strip() for v in raw if isinstance(v, str) and v.strip()]
    return (any(_FOOTER.match(t) for t in texts) and not any(_ID_LIKE.search(t) for t in texts)
            and not any(isinstance(v, (int, float)) and v > 1e12 for v in raw))


@dataclass(frozen=True)
class FilingRow:
    """One broker on the form, every value as it is printed (ID and phone in full: the filing is
    the official report the province de-duplicates by ID number)."""

    seq: int
    name: str
    gender: str
    id_number: str
    education: str
    training_month: str  # "YYYY-MM" or ""
    certified_on: date | None
    service_area: str
    phone: str
    remarks: str

    def values(self) -> tuple[Any, ...]:
        """The ten cells in the seed's order (training month as the 1st of that month)."""
        return (self.seq, self.name, self.gender, self.id_number, self.education,
                month_date(self.training_month), self.certified_on, self.service_area, self.phone, self.remarks)


@dataclass(frozen=True)
class FilingDocument:
    """Everything printed on one filing: title, 填报市（州）, the rows, the footer and the note."""

    title: str
    year: int
    unit_label: str  # 填报市（州）
    city: str  # e.g. 遂宁市
    reporter: str  # 填报单位, e.g. 大英县农民工服务中心 ("" on a city's merged filing)
    rows: Sequence[FilingRow]
    filled_by: str
    reviewed_by: str
    filled_on: date
    note: str

    def unit_line(self) -> str:
        return f"{self.unit_label}：{self.city}"

    def reporter_line(self) -> str:
        parts = [f"填报单位：{self.reporter}"] if self.reporter else []
        return "　　".join([*parts, f"年度：{self.year}年"])

    def footer_parts(self) -> tuple[str, str, str]:
        return (f"填报人：{self.filled_by}", f"审核人：{self.reviewed_by}", f"填报日期：{date_text(self.filled_on)}")


def header_text(title: str) -> str:
    """The header as printed: a long title breaks before its bracketed note (参加培训时间 / （精确到年月）)."""
    head, sep, note = title.partition("（")
    return f"{head}\n{sep}{note}" if sep else title


def date_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def month_text(month: str) -> str:
    """"2021-06" → "2021年6月" ("" stays "")."""
    year, _, mon = month.partition("-")
    return f"{year}年{int(mon)}月" if mon else month


def month_date(month: str) -> date | None:
    year, _, mon = month.partition("-")
    return date(int(year), int(mon), 1) if mon else None
