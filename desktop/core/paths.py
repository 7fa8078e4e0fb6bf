"""Where LaborDesk keeps its data on this PC (per-user data folder unless told otherwise)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "LaborDesk"


def data_dir() -> Path:
    """``LABORDESK_HOME`` if set; else %LOCALAPPDATA%\\LaborDesk on Windows, XDG data dir elsewhere."""
    override = os.environ.get("LABORDESK_HOME")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_DIR_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME.lower()


def default_database() -> Path:
    return data_dir() / "labordesk.db"


def resources_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "resources"
