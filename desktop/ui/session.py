"""What the GUI holds after sign-in: the database, the centre, its profile and the user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from desktop.core.db.database import Database
from desktop.core.models.account import Role
from desktop.core.rules.profile import PolicyProfile
from desktop.core.services.accounts import SignedInUser
from desktop.core.services.center import CenterInfo
from desktop.ui.tasks import TaskRunner

T = TypeVar("T")


@dataclass
class AppState:
    """Shared by every page; pages call core services through ``read``/``write``/``tasks``."""

    db: Database
    center: CenterInfo
    profile: PolicyProfile
    user: SignedInUser
    tasks: TaskRunner

    def read(self, fn: Callable[[Session], T]) -> T:
        """A quick read on the GUI thread (list pages, look-ups); never for slow work."""
        with self.db.session(self.user.username, write=False) as s:
            return fn(s)

    @property
    def view_only(self) -> bool:
        """The 审计 role: its write transactions may record events but never change a record."""
        return self.user.role is Role.AUDITOR

    def write(self, fn: Callable[[Session], T]) -> T:
        with self.db.session(self.user.username, events_only=self.view_only) as s:
            return fn(s)

    def in_background(self, fn: Callable[[Session], Any], *, write: bool = True, **kwargs: Any) -> None:
        """Run ``fn(session)`` in one transaction on the worker thread."""
        actor, events_only = self.user.username, self.view_only

        def job(_progress: Any) -> Any:
            with self.db.session(actor, write=write, events_only=events_only) as s:
                return fn(s)

        self.tasks.run(job, **kwargs)
