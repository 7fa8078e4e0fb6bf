"""Action buttons follow the signed-in role: a button the role may not use is greyed, saying why."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton

from desktop.core.models.account import ROLE_LABELS, Role
from desktop.core.services.accounts import SignedInUser

#: the roles that record and change the centre's data (审计 only reads)
COUNTER_ROLES = (Role.CLERK, Role.REVIEWER, Role.ADMIN)


def may(user: SignedInUser, *roles: Role) -> bool:
    return user.role in roles


def allow(button: QAbstractButton, user: SignedInUser, *roles: Role, action: str) -> bool:
    """Enable ``button`` only for ``roles``; otherwise grey it with the role it needs."""
    ok = may(user, *roles)
    button.setEnabled(ok)
    if not ok:
        needed = "、".join(ROLE_LABELS[r] for r in roles)
        button.setToolTip(f"“{action}”需要{needed}角色，当前账号是{user.role_label}。")
    return ok
