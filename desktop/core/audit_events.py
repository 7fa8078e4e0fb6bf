"""The audit event names (审计事件) and the helpers every area calls to record one.

Changes to ``Audited`` models are logged by themselves (新建/修改/删除, field by field). Anything
else a level-2 inspector asks about — sign-in, a full number revealed, an export, a print, a
backup, a restore, a settings change — is an *event*: call the helper here inside the same
transaction as the work (``with db.session(actor) as s: …; record_export(s, …)``), so the event
is committed exactly when the work is. Event names are fixed strings: the audit viewer filters on
them, and docs/SECURITY.md lists them. Use ``record_event(session, AuditFact(NAME, …))`` from
desktop.core.audit directly only for a name in ``EVENTS``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from desktop.core.audit import AuditFact, _text, record_event

OK = "成功"
FAILED = "失败"

SIGN_IN = "登录"
LOCKOUT = "账号锁定"
SCREEN_UNLOCK = "解锁屏幕"
PASSWORD_CHANGE = "修改密码"
ACCOUNT_CREATE = "创建账号"
ACCOUNT_DISABLE = "停用账号"
ACCOUNT_ENABLE = "启用账号"
ACCOUNT_UNLOCK = "解锁账号"
PASSWORD_RESET = "重置密码"
ROLE_CHANGE = "修改角色"
REVEAL = "查看完整号码"
EXPORT = "导出"
PRINT = "打印"
IMPORT = "导入"
BACKUP = "备份"
RESTORE = "恢复"
SETTINGS_CHANGE = "修改设置"
SETUP = "首次设置"
CHECK = "数据库检查"

#: every event name with what it records (the audit viewer's choices; docs/SECURITY.md)
EVENTS: dict[str, str] = {
    SIGN_IN: "登录成功或失败（失败注明原因：密码错误、账号锁定中、用户名不存在或已停用）",
    LOCKOUT: "连续输错密码达到配置次数，账号被锁定",
    SCREEN_UNLOCK: "闲置锁屏后输入密码解锁（成功或失败）",
    PASSWORD_CHANGE: "本人修改密码",
    ACCOUNT_CREATE: "管理员创建账号（含角色）",
    ACCOUNT_DISABLE: "管理员停用账号（含原因）",
    ACCOUNT_ENABLE: "管理员重新启用账号",
    ACCOUNT_UNLOCK: "管理员提前解除账号锁定",
    PASSWORD_RESET: "管理员重置密码（本人下次登录须修改）",
    ROLE_CHANGE: "管理员修改账号角色（原角色 → 新角色）",
    REVEAL: "查看某条记录的完整身份证号、银行账号或电话（哪条记录、哪个字段）",
    EXPORT: "导出文件（Excel 等，含内容、条数和文件名）",
    PRINT: "打印或另存为 PDF（含文书名称和文件名）",
    IMPORT: "从 Excel 导入（文件名、导入行数）",
    BACKUP: "备份数据库（备份位置，成功或失败）",
    RESTORE: "从备份恢复数据库（备份来源，成功或失败）",
    SETTINGS_CHANGE: "修改中心设置或政策配置参数（原值 → 新值）",
    SETUP: "首次设置（服务中心、所在县、政策配置、首个管理员）",
    CHECK: "数据库完整性与审计链检查",
}

#: how the automatic model entries are shown
CHANGE_LABELS = {"create": "新建", "update": "修改", "delete": "删除"}


def _outcome(ok: bool) -> str:
    return OK if ok else FAILED


def record_export(session: Session, entity: str, what: str, out: str | Path, rows: int | None = None,
                  entity_id: str = "") -> None:
    """A file written for use outside LaborDesk (Excel, a USB copy of a listing)."""
    count = f"，{rows} 条" if rows is not None else ""
    record_event(session, AuditFact(EXPORT, entity, entity_id, detail=f"{what}{count} → {Path(out).name}"))


def record_print(session: Session, entity: str, entity_id: str, what: str, out: str | Path = "") -> None:
    """A document printed or saved as PDF."""
    target = f" → {Path(out).name}" if out else ""
    record_event(session, AuditFact(PRINT, entity, entity_id, detail=f"{what}{target}"))


def record_backup(session: Session, target: str | Path, *, ok: bool = True, detail: str = "") -> None:
    """A backup written to ``target`` (a folder, a USB stick), or a failed attempt with why."""
    record_event(session, AuditFact(BACKUP, "数据库", str(target), outcome=_outcome(ok), detail=detail))


def record_restore(session: Session, source: str | Path, *, ok: bool = True, detail: str = "") -> None:
    """The database restored from ``source``; record it in the restored database after the restore."""
    record_event(session, AuditFact(RESTORE, "数据库", str(source), outcome=_outcome(ok), detail=detail))


def record_settings_change(session: Session, what: str, old: Any, new: Any, *, entity: str = "中心设置",
                           detail: str = "") -> None:
    """A setting or policy parameter changed from ``old`` to ``new`` (``what`` names it; ``detail``
    may give its Chinese name)."""
    record_event(session, AuditFact(SETTINGS_CHANGE, entity, "", what, _text(old), _text(new), detail=detail))


def record_reveal(session: Session, entity: str, entity_id: str, field: str, label: str = "") -> None:
    """A full ID number, bank account or phone shown on screen for one record."""
    record_event(session, AuditFact(REVEAL, entity, entity_id, field, detail=label))
