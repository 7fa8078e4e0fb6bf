"""The 第四条 materials checklist of a workstation application, with the attached files.

An item is received when the counter records paper copies or attaches a scan (PDF, photo…).
The file's bytes go into the database with their SHA-256, which is checked again whenever the
file is opened or saved out, so a damaged copy is never handed on silently.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from desktop.core import clock
from desktop.core.audit import AuditFact, record_event
from desktop.core.documents.atomic import atomic_write
from desktop.core.errors import UserError
from desktop.core.models.station import StationMaterial
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser, require
from desktop.core.services.stations import COUNTER, get_station, station_rules

MAX_FILE_BYTES = 20 * 1024 * 1024  # a scanned multi-page PDF; larger files are refused


@dataclass(frozen=True)
class MaterialInput:
    item_no: int
    received_on: date
    paper_copies: int = 0
    note: str = ""
    file: Path | None = None


@dataclass(frozen=True)
class MaterialRow:
    id: int
    received_on: date
    paper_copies: int
    note: str
    file_name: str
    file_size: int
    file_sha256: str
    recorded_by: str


@dataclass(frozen=True)
class ChecklistItem:
    no: int
    name: str
    entries: tuple[MaterialRow, ...]

    @property
    def received(self) -> bool:
        return bool(self.entries)

    @property
    def summary(self) -> str:
        if not self.entries:
            return "未收到"
        copies = sum(e.paper_copies for e in self.entries)
        files = [e.file_name for e in self.entries if e.file_name]
        parts = [f"纸质 {copies} 份"] if copies else []
        if files:
            parts.append(f"附件 {len(files)} 个")
        return "已收：" + "，".join(parts)


def add_material(session: Session, user: SignedInUser, profile: PolicyProfile, station_id: int,
                 data: MaterialInput) -> int:
    """Record a received item: paper copies, a file, or both."""
    require(user, *COUNTER, action="登记申请材料")
    rules = station_rules(profile)
    station = get_station(session, station_id)
    if station.status in ("rejected", "revoked"):
        raise UserError(f"这个工作站{station.status_enum.label}，材料只能查看。")
    if not 1 <= data.item_no <= len(rules.application_materials):
        raise UserError("请选择是清单中的哪一项材料。")
    if data.received_on > clock.today():
        raise UserError("收到日期不能晚于今天。")
    if data.paper_copies < 0 or data.paper_copies > 99:
        raise UserError("纸质份数应在 0–99 之间。")
    if data.file is None and data.paper_copies == 0:
        raise UserError("请登记收到的纸质份数，或选择扫描件/照片文件。")
    content, name = None, ""
    if data.file is not None:
        content, name = _read(data.file)
    row = StationMaterial(
        station_id=station.id, item_no=data.item_no, item_name=rules.application_materials[data.item_no - 1],
        received_on=data.received_on, paper_copies=data.paper_copies, note=data.note.strip()[:200],
        file_name=name, file_size=len(content or b""),
        file_sha256=hashlib.sha256(content).hexdigest() if content is not None else "", content=content,
    )
    session.add(row)
    session.flush()
    return row.id


def _read(path: Path) -> tuple[bytes, str]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(f"“{path.name}”有 {size / 1024 / 1024:.1f} MB，超过 {MAX_FILE_BYTES // 1024 // 1024} MB。"
                            "请降低扫描分辨率或分成几个文件。")
        if size == 0:
            raise UserError(f"“{path.name}”是空文件（0 字节），请重新扫描或复制。")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"找不到文件“{path}”，请确认文件还在（U盘是否已拔出）。") from None
    except PermissionError:
        raise UserError(f"没有权限读取“{path.name}”，或文件正被其他程序占用。") from None
    except OSError as exc:
        raise UserError(f"读取“{path.name}”失败：{exc.strerror or exc}。请把文件复制到电脑上再附上。") from None
    return data, path.name[:200]


def checklist(session: Session, profile: PolicyProfile, station_id: int) -> list[ChecklistItem]:
    rules = station_rules(profile)
    rows = session.scalars(select(StationMaterial).where(StationMaterial.station_id == station_id)
                           .order_by(StationMaterial.item_no, StationMaterial.id))
    by_item: dict[int, list[MaterialRow]] = {}
    for r in rows:
        by_item.setdefault(r.item_no, []).append(MaterialRow(r.id, r.received_on, r.paper_copies, r.note, r.file_name,
                                                             r.file_size, r.file_sha256, r.created_by))
    return [ChecklistItem(i, name, tuple(by_item.get(i, ()))) for i, name in enumerate(rules.application_materials, 1)]


def missing_items(session: Session, profile: PolicyProfile, station_id: int) -> list[str]:
    return [f"（{item.no}）{item.name}" for item in checklist(session, profile, station_id) if not item.received]


def material_file(session: Session, material_id: int) -> tuple[str, bytes]:
    """The attached file's name and bytes, after checking them against the stored SHA-256."""
    row = session.scalar(select(StationMaterial).where(StationMaterial.id == material_id)
                         .options(undefer(StationMaterial.content)))
    if row is None or row.content is None:
        raise UserError("这条材料没有附件文件。")
    if hashlib.sha256(row.content).hexdigest() != row.file_sha256:
        raise UserError(f"附件“{row.file_name}”的内容与登记时的校验值（SHA-256）不一致，文件可能已损坏。"
                        "请重新附上原件的扫描件，并告知系统管理员检查数据库。")
    return row.file_name, row.content


def save_material_file(session: Session, material_id: int, out: str | Path) -> Path:
    """Write the attached file to ``out`` (atomically) and audit the export."""
    name, content = material_file(session, material_id)
    out = Path(out)
    with atomic_write(out) as fh:
        fh.write(content)
    record_event(session, AuditFact("导出", StationMaterial.__audit_entity__, str(material_id),
                                    detail=f"{name} → {out.name}"))
    return out
