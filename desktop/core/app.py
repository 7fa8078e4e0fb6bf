"""Opening LaborDesk's database at start: locate it, warn about risky places, migrate safely."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop.core import paths
from desktop.core.db import migrate, sqlite
from desktop.core.db.database import Database, open_engine, url_for


@dataclass
class OpenedDatabase:
    db: Database
    warnings: list[str] = field(default_factory=list)
    pre_migration_copy: Path | None = None


def resolve_target(target: str | Path | None) -> str:
    """The SQLAlchemy URL for ``--db`` (a path or a URL), or the per-user default file."""
    return url_for(target if target else paths.default_database())


def open_database(target: str | Path | None = None) -> OpenedDatabase:
    """Open (creating if needed) and migrate the database; raises DatabaseTooNew for newer files."""
    engine = open_engine(resolve_target(target))
    warnings: list[str] = []
    path = sqlite.database_path(engine)
    if path is not None:
        warning = sqlite.location_warning(path)
        if warning:
            warnings.append(warning)
    try:
        copy = migrate.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return OpenedDatabase(Database(engine), warnings, copy)
