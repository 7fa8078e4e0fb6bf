"""Test data builders: valid ID numbers and complete application inputs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from desktop.core.idcard import check_digit
from desktop.core.services.applications import ApplicationInput

DECLARATIONS = ("身体健康", "诚信守法", "具备电脑和智能手机使用操作能力")


def make_id(birth: date, county: str = "510923", seq: int = 12, male: bool = True) -> str:
    """A valid 18-character ID number; digit 17 odd for men, even for women."""
    seq = seq % 100
    gender_digit = (seq % 5) * 2 + (1 if male else 0)
    first17 = f"{county}{birth:%Y%m%d}{seq:02d}{gender_digit}"
    return first17 + check_digit(first17)


def application_input(**changes: object) -> ApplicationInput:
    id_number = str(changes.pop("id_number", make_id(date(1985, 3, 15))))
    base = ApplicationInput(
        name="王镕䶮",
        gender="男",
        birth_month=f"{id_number[6:10]}-{id_number[10:12]}",
        id_number=id_number,
        political_status="中共党员",
        education="高中",
        phone="13812345678",
        employer="大英县蓬莱镇白衣村村民委员会",
        bank_account="6217995510001234567",
        bank_name="中国邮政储蓄银行大英县支行",
        home_address="四川省遂宁市大英县蓬莱镇白衣村3组12号",
        profile_text="长期在村里组织劳务输出。",
        village_code="",
        village_name="蓬莱镇白衣村",
        category="村干部",
        application_date=date(2026, 11, 20),
        declarations=DECLARATIONS,
    )
    return replace(base, **changes)  # type: ignore[arg-type]
