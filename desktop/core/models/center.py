"""The service centre using this database (服务中心设置): one row, made at first run."""

from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.core.models.base import Audited, Base, Stamped, intpk


class CenterSettings(Audited, Stamped, Base):
    """Centre name, county, policy profile and the profile values this centre overrides."""

    __tablename__ = "center_settings"
    __audit_entity__ = "中心设置"

    id: Mapped[intpk]
    center_name: Mapped[str] = mapped_column(String(100))
    county_code: Mapped[str] = mapped_column(String(6))
    county_name: Mapped[str] = mapped_column(String(100), default="")
    profile_name: Mapped[str] = mapped_column(String(30))
    profile_overrides: Mapped[dict] = mapped_column(JSON, default=dict)
