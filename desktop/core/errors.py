"""Errors that carry a plain-Chinese message for the clerk, as opposed to bugs."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; ``str(e)`` says what is wrong and how to fix it."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class PermissionDenied(UserError):
    """The signed-in account's role does not allow this action."""


class EnvironmentProblem(UserError):
    """The machine's environment (disk, drive, file permissions, another copy running) is at fault."""
