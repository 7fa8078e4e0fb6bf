"""附件2 sheets as brokers send them, for the import tests and the benchmark."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from desktop.core.documents.transfer_layout import TITLES

TITLE = "四川省劳务经纪人组织转移就业人员信息表"


def good_row(seq: int, id_number: str, **changes: Any) -> list[Any]:
    """A row in the seed's 14 columns (序号 … 备注) that imports cleanly."""
    values = {
        "序号": seq, "组织劳动力姓名": f"张{seq}", "性别": "", "身份证号码": id_number, "年龄": None,
        "文化程度": "初中", "民族": "汉族", "就业单位名称": "东莞市长安精密电子有限公司",
        "就业地详细地址": "广东省东莞市长安镇振安路88号", "劳动合同期限": "2025.3.1-2026.2.28", "从事岗位": "普工",
        "是否参加社保": "是", "联系电话": "13912345678", "备注": "脱贫户",
    }
    values.update(changes)
    return [values[t] for t in TITLES] + [values[k] for k in changes if k not in TITLES]


def write_sheet(path: Path, rows: Sequence[Sequence[Any]], *, broker: str = "王经纪", fill_date: Any = "2025年6月30日",
                extra_titles: Sequence[str] = (), split_label_cells: bool = False, blank_rows: int = 1,
                footer: bool = True) -> Path:
    """The seed's layout: 附件2, a merged title, the 劳务经纪人姓名/填表日期 line, the header, the rows
    (a blank row after every few), and a 填表人 footer."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "转移就业"
    ncols = len(TITLES) + len(extra_titles)
    ws.append(["附件2"])
    ws.append([TITLE])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    if split_label_cells:
        ws.append(["劳务经纪人姓名：", broker, None, None, None, None, None, None, None, None, "填表日期：", fill_date])
    else:
        when = fill_date if isinstance(fill_date, str) else ""
        ws.append([f"劳务经纪人姓名：{broker}                         填表日期：{when}"])
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=ncols)
    ws.append([*TITLES, *extra_titles])
    for i, row in enumerate(rows):
        ws.append(list(row))
        if blank_rows and i % 3 == 2:
            for _ in range(blank_rows):
                ws.append([])
    if footer:
        ws.append([])
        ws.append(["填表人：", None, None, "审核人："])
    wb.save(path)
    return path
