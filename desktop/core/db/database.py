"""Opening a database by URL, and the transaction scope every service call runs in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from desktop.core import audit
from desktop.core.db import sqlite
from desktop.core.errors import PermissionDenied, UserError
from desktop.core.models.base import Stamped


class ReadOnlyDatabase(UserError):
    """A write was attempted on a database opened read-only."""

    def __init__(self) -> None:
        super().__init__(
            "数据库是以只读方式打开的（另一个劳务服务管理台正在使用它），只能查看，不能保存修改。"
            "请等另一个程序退出后，重新打开劳务服务管理台再修改。"
        )


def url_for(target: str | Path) -> str:
    """A SQLAlchemy URL for a file path, or ``target`` unchanged if it already is a URL."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


@dataclass
class Database:
    """An engine plus the session factory wired with auditing.

    ``read_only``: every write session is refused with ``ReadOnlyDatabase`` (a second LaborDesk
    looking at a database another one has open). ``instance_lock`` is the lock that says this
    program has the file (see instance.py); ``dispose`` releases it.
    """

    engine: Engine
    read_only: bool = False
    instance_lock: Any = None
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessions, "before_flush", _stamp)
        audit.install(self.sessions)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def path(self) -> Path | None:
        return sqlite.database_path(self.engine)

    @contextmanager
    def session(self, actor: str, *, write: bool = True, events_only: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back on any error.

        ``events_only``: the transaction may append security events to the audit log (export,
        print, reveal…) but any change to a record is refused — the 审计 (auditor) role's sessions.
        """
        if write and self.read_only and not events_only:
            raise ReadOnlyDatabase()
        with self._scope(actor, write) as session:
            if write and (events_only or self.read_only):
                session.info["events_only"] = "read_only" if self.read_only else "role"
                event.listen(session, "before_flush", _refuse_changes)
            yield session

    def event_session(self, actor: str) -> AbstractContextManager[Session]:
        """The transaction of a security event before anyone is signed in (sign-in, screen unlock):
        a plain write session, or on a read-only database an events-only one."""
        return self.session(actor, events_only=self.read_only)

    @contextmanager
    def _scope(self, actor: str, write: bool) -> Iterator[Session]:
        bind = self.engine.execution_options(**{sqlite.WRITE_OPTION: write})
        with self.sessions(bind=bind) as session:
            session.info["actor"] = actor
            try:
                yield session
                if write:
                    session.commit()
                # A read-only scope just closes: the connection's transaction is rolled back, and
                # loaded objects stay readable (detached, not expired).
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
        if self.instance_lock is not None:
            self.instance_lock.release()
            self.instance_lock = None


class ViewOnlyRole(PermissionDenied):
    """A record change was attempted in an events-only session of a view-only account."""

    def __init__(self) -> None:
        super().__init__("审计账号只能查看，不能新建、修改或删除任何记录。请换经办、审核或管理员账号登录后再操作。")


def _refuse_changes(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        raise ReadOnlyDatabase() if session.info.get("events_only") == "read_only" else ViewOnlyRole()


def _stamp(session: Session, _context: object, _instances: object) -> None:
    actor = audit.actor_of(session)
    for obj in session.new:
        if isinstance(obj, Stamped):
            obj.created_by = obj.created_by or actor
            obj.updated_by = actor
    for obj in session.dirty:
        if isinstance(obj, Stamped) and session.is_modified(obj, include_collections=False):
            obj.updated_by = actor


def open_engine(target: str | Path) -> Engine:
    url = make_url(url_for(target))
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": sqlite.BUSY_TIMEOUT_MS / 1000})
        sqlite.configure(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)
