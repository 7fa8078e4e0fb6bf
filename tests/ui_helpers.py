"""Helpers for GUI tests: a signed-in AppState on a test database."""

from __future__ import annotations

from desktop.core.db.database import Database
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services import accounts
from desktop.core.services import center as center_service
from desktop.ui.session import AppState
from desktop.ui.tasks import TaskRunner
from tests.conftest import ADMIN_PASSWORD


def signed_in_state(db: Database, profile: PolicyProfile, username: str = "clerk") -> AppState:
    with db.session(username) as s:
        result = accounts.sign_in(s, profile, username, ADMIN_PASSWORD)
        center = center_service.load_center(s)
    assert result.user is not None and center is not None
    return AppState(db, center, profile, result.user, TaskRunner())


def type_text(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type any text, Chinese included, key by key (QTest.keyClicks only knows ASCII).

    Each character arrives as a key event carrying that text, as an input method commits it.
    """
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    target = widget.lineEdit() if hasattr(widget, "lineEdit") and widget.lineEdit() else widget
    target.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))
