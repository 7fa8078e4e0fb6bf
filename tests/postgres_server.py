"""A throw-away PostgreSQL server for the tests that prove LaborDesk is not tied to SQLite.

``LABORDESK_TEST_PG`` (an SQLAlchemy URL of an empty database) is used when set. Otherwise, when
the PostgreSQL server programs are installed, a private cluster is made in a temporary folder,
listening only on a Unix socket there (no TCP port), and removed afterwards. As root (CI
containers) the server runs as the ``postgres`` account, since PostgreSQL refuses to run as root.
Where neither is possible the tests say why and are skipped.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PORT = 54329


def _program(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def unavailable_reason() -> str | None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the PostgreSQL driver psycopg is not installed (pip install -e '.[test]')"
    if os.environ.get("LABORDESK_TEST_PG"):
        return None
    if os.name != "posix":
        return "PostgreSQL tests need a POSIX machine or LABORDESK_TEST_PG"
    if not (_program("initdb") and _program("pg_ctl")):
        return "PostgreSQL server programs (initdb, pg_ctl) are not installed; set LABORDESK_TEST_PG to use a server"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a postgres account to run the server as"
        if not shutil.which("runuser"):
            return "running as root without runuser to start the server as postgres"
    return None


@contextmanager
def postgres_url() -> Iterator[str]:
    """The URL of an empty database, for the duration of the block."""
    given = os.environ.get("LABORDESK_TEST_PG")
    if given:
        yield given
        return
    folder = Path(tempfile.mkdtemp(prefix="labordesk-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"

    def run(*args: str) -> None:
        subprocess.run([*as_postgres, *args], check=True, capture_output=True, timeout=120)

    try:
        run(str(_program("initdb")), "-D", str(data), "-A", "trust", "-U", "labordesk", "-E", "UTF8",
            "--locale", "C")
        options = f"-k {folder} -p {PORT} -c listen_addresses='' -c fsync=off"
        run(str(_program("pg_ctl")), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w",
            "start")
        try:
            yield f"postgresql+psycopg://labordesk@/postgres?host={folder}&port={PORT}"
        finally:
            run(str(_program("pg_ctl")), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
