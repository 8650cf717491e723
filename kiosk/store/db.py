"""The database wrapper: one engine, write and read sessions, migrations at start.

SQLite (WAL, one PC) and PostgreSQL (several PCs) run the same code. A write session is
one transaction that must not race: on SQLite it starts with ``BEGIN IMMEDIATE`` so two
desks never number at once; on PostgreSQL rows are locked (``FOR UPDATE``) by the
services. Read sessions never take the write lock.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
NOTIFY_CHANNEL = "antrean_events"
MIGRATION_LOCK_ID = 0x414E5452  # PostgreSQL advisory lock: one migrator across all PCs
_migration_lock = threading.Lock()  # Alembic's context is module-global: one migrator per process


class DatabaseError(RuntimeError):
    """The database cannot be reached or written; the message is for a person."""


def _prepare_sqlite_file(path: Path) -> None:
    """Create the folder (0700) and the file (0600) before SQLite does, so personal data
    is owner-only from its first byte."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def _enable_wal(cur: Any) -> None:
    """Switch a new database file to WAL. Switching needs an exclusive lock that SQLite
    does not wait for, so when several desks open a fresh file at the same moment one
    may be told "database is locked": retry briefly (then it is already WAL)."""
    import sqlite3
    import time

    for attempt in range(20):
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.05 * (attempt + 1))


class Database:
    def __init__(self, url: str, *, migrate: bool = True, echo: bool = False) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if self.url.database and self.url.database != ":memory:":
                _prepare_sqlite_file(Path(self.url.database))
            # hide_parameters: an error's text (logs, crash reports, diagnose) never carries
            # the row's values, which are names, birth dates and phone numbers.
            self.engine: Engine = create_engine(self.url, echo=echo, hide_parameters=True,
                                                connect_args={"timeout": 30})
            self._setup_sqlite(self.engine)
        else:
            # pre-ping: after a server restart a pooled connection is replaced, not failed.
            self.engine = create_engine(self.url, echo=echo, pool_pre_ping=True, pool_size=5, hide_parameters=True,
                                        max_overflow=5, connect_args={"connect_timeout": 5})
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_engine = self.engine.execution_options(sqlite_begin="DEFERRED")
        self._read_sessions = sessionmaker(self._read_engine, expire_on_commit=False)
        if migrate:
            self.upgrade()

    @staticmethod
    def _setup_sqlite(engine: Engine) -> None:
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            _enable_wal(cur)
            cur.execute("PRAGMA synchronous=FULL")  # a committed ticket survives power loss
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # type: ignore[no-untyped-def]
            mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
            conn.exec_driver_sql(f"BEGIN {mode}")

    def upgrade(self) -> None:
        """Bring the schema to the newest migration; safe when several desks start at once."""
        from alembic import command
        from alembic.config import Config as AlembicConfig
        from alembic.script import ScriptDirectory

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        try:
            if self.current_revision() == head:
                return
            with _migration_lock, self.engine.connect() as conn:
                if not self.is_sqlite:
                    conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
                    conn.commit()
                try:
                    # On SQLite the migration runs in one BEGIN IMMEDIATE transaction, which
                    # serialises migrators; Alembic re-reads the version inside it.
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                finally:
                    if not self.is_sqlite:
                        conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
                        conn.commit()
        except (OperationalError, DBAPIError) as exc:
            raise DatabaseError(self.describe_error(exc)) from exc

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            from alembic.runtime.migration import MigrationContext

            return MigrationContext.configure(conn).get_current_revision()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on error."""
        try:
            with self._sessions.begin() as session:
                yield session
        except (OperationalError, DBAPIError) as exc:
            if isinstance(exc, DBAPIError) and not isinstance(exc, OperationalError) and not exc.connection_invalidated:
                raise
            raise DatabaseError(self.describe_error(exc)) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with self._read_sessions.begin() as session:
                yield session
        except OperationalError as exc:
            raise DatabaseError(self.describe_error(exc)) from exc

    def notify(self, session: Session, payload: str) -> None:
        """Tell listening displays that events were written (delivered at commit)."""
        if not self.is_sqlite:
            session.execute(text("SELECT pg_notify(:channel, :payload)"),
                            {"channel": NOTIFY_CHANNEL, "payload": payload})

    def describe_error(self, exc: Exception) -> str:
        where = "file " + str(self.url.database) if self.is_sqlite else f"server {self.url.host}:{self.url.port or 5432}"
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(getattr(exc, "orig", exc)).strip() else type(exc).__name__
        return f"database {where} unavailable: {detail}"

    def dispose(self) -> None:
        self.engine.dispose()
