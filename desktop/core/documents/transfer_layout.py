"""The layout of 附件2 (组织转移就业人员信息表): its 14 columns in the seed's order, shared by
the importer and the exports, and how 备注 carries the hire date and 脱贫人口 when exported.

附件2 has no column for the transfer (hire) date or 是否脱贫人口. Exports write them at the start
of 备注 as "入职日期：2025-03-01；脱贫人口；…", and the importer reads them back from there (and
removes them from the remarks), so a sheet exported by LaborDesk imports again unchanged.
"""

from __future__ import annotations

import re
from datetime import date

from desktop.core.documents.table_document import Column

SEQ, NAME, GENDER, ID_NUMBER, AGE, EDUCATION, ETHNICITY = (
    "序号", "组织劳动力姓名", "性别", "身份证号码", "年龄", "文化程度", "民族")
EMPLOYER, ADDRESS, CONTRACT, JOB, INSURANCE, PHONE, REMARKS = (
    "就业单位名称", "就业地详细地址", "劳动合同期限", "从事岗位", "是否参加社保", "联系电话", "备注")
TITLES = (SEQ, NAME, GENDER, ID_NUMBER, AGE, EDUCATION, ETHNICITY, EMPLOYER, ADDRESS, CONTRACT, JOB, INSURANCE,
          PHONE, REMARKS)
BROKER_LABEL, FILL_DATE_LABEL = "劳务经纪人姓名", "填表日期"
CORNER = "附件2"

# Widths in mm on an A4 landscape page (267 mm of text width).
COLUMNS = (
    Column(SEQ, 9), Column(NAME, 18), Column(GENDER, 9), Column(ID_NUMBER, 34, text=True), Column(AGE, 9),
    Column(EDUCATION, 14), Column(ETHNICITY, 12), Column(EMPLOYER, 33, "l"), Column(ADDRESS, 33, "l"),
    Column(CONTRACT, 22), Column(JOB, 16), Column(INSURANCE, 12), Column(PHONE, 21, text=True),
    Column(REMARKS, 25, "l"),
)

HIRE_PREFIX = "入职日期："
POVERTY_MARK = "脱贫人口"
_HIRE_PART = re.compile(r"^(?:入职|转移|就业|上岗)(?:日期|时间)\s*[:：]?\s*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)$")
_POVERTY_PARTS = {"脱贫人口", "是脱贫人口", "脱贫户", "建档立卡户", "建档立卡贫困户", "脱贫劳动力"}
_NOT_POVERTY_PARTS = {"非脱贫人口", "不是脱贫人口", "非脱贫户", "非建档立卡户"}
_POVERTY = re.compile(r"脱贫人口|脱贫户|建档立卡|脱贫劳动力")
_NOT_POVERTY = re.compile(r"(?:非|不是|未)(?:脱贫|建档立卡)")


def remarks_for_export(hire_date: date, poverty: bool, remarks: str) -> str:
    parts = [f"{HIRE_PREFIX}{hire_date:%Y-%m-%d}"]
    if poverty:
        parts.append(POVERTY_MARK)
    if remarks.strip():
        parts.append(remarks.strip())
    return "；".join(parts)


def read_remarks(text: str) -> tuple[str | None, bool | None, str]:
    """(hire date text or None, 脱贫人口 yes/no/None when not said, the remarks without those parts).

    A part (between "；") that is just a hire date or just a 脱贫 mark is taken out of the remarks;
    a longer remark that mentions 脱贫户/建档立卡 (or 非脱贫…) still decides 脱贫人口 but stays."""
    hire: str | None = None
    poverty: bool | None = None
    kept: list[str] = []
    for raw in re.split(r"[；;]", text):
        part = raw.strip()
        compact = "".join(part.split())
        if not part:
            continue
        m = _HIRE_PART.match(compact)
        if m and hire is None:
            hire = m.group(1)
        elif compact in _POVERTY_PARTS:
            poverty = True
        elif compact in _NOT_POVERTY_PARTS:
            poverty = False
        else:
            kept.append(part)
            if _NOT_POVERTY.search(compact):
                poverty = False
            elif _POVERTY.search(compact) and poverty is None:
                poverty = True
    return hire, poverty, "；".join(kept)
