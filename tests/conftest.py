"""Shared fixtures: offscreen Qt, an injected clock, fresh SQLite and PostgreSQL databases.

PostgreSQL tests use the throwaway server ``scripts/test.sh`` starts and exports as
``ANTREAN_TEST_PG_URL``; each test gets a database of its own. Under CI they fail
rather than skip when the server is missing.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kiosk.app import AppContext, open_context
from kiosk.config import Config, from_mapping
from kiosk.core.clock import FixedClock

PG_ENV = "ANTREAN_TEST_PG_URL"
WIB = ZoneInfo("Asia/Jakarta")
PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"
TEST_PIN = "246810"
# Every test office's key file gets the same PIN pepper, so the (deliberately slow)
# scrypt hash of the test PIN is computed once per run.
TEST_PEPPER_ID, TEST_PEPPER = "ptest", b"p" * 32
_PIN_HASH: str | None = None


def init_keys(keys_path: Path) -> None:
    """What ``init`` does for a test office: create the key file (signing key and the
    PIN pepper). Commands never create it on their own."""
    from kiosk.keyring import KeyRing

    # Created long before any test clock, so a key rotated in a test is the newest.
    ring = KeyRing.create_or_load(keys_path, datetime(2020, 1, 1, tzinfo=WIB))
    if TEST_PEPPER_ID not in ring.peppers:
        ring.peppers = {TEST_PEPPER_ID: TEST_PEPPER}
        ring.save()


def pin_hash() -> str:
    """The test PIN hashed with the test pepper (once per run)."""
    global _PIN_HASH
    if _PIN_HASH is None:
        from kiosk.keyring import KeyRing
        from kiosk.services.supervisor import hash_pin

        ring = KeyRing(Path("unused"), [], {TEST_PEPPER_ID: TEST_PEPPER})
        _PIN_HASH = hash_pin(TEST_PIN, ring, TEST_PEPPER_ID)
    return _PIN_HASH


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


# --- PostgreSQL -------------------------------------------------------------------------

def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        message = f"{PG_ENV} is not set: run the suite with ./scripts/test.sh, which starts PostgreSQL"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def create_pg_database() -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(_pg_admin_url())
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(_pg_admin_url())
    name = make_url(url).database
    with psycopg.connect(admin.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the test server."""
    url = create_pg_database()
    yield url
    drop_pg_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'antrean.db'}"
    else:
        url = create_pg_database()
        yield url
        drop_pg_database(url)


# --- application contexts ----------------------------------------------------------------

def make_config(tmp_path: Path, *, keys: bool = True, **sections: dict[str, Any]) -> Config:
    """A test office's config; ``keys`` also creates its key file, as ``init`` would."""
    data: dict[str, dict[str, Any]] = {
        "office": {"code": "JKP", "name": "Kantor Imigrasi Jakarta Pusat"},
        "security": {"supervisor_pin_hash": pin_hash()},
        "clock": {"allow_override": True},
        "paths": {"data_dir": str(tmp_path / "data")},
    }
    for name, values in sections.items():
        data.setdefault(name, {}).update(values)
    config = from_mapping(data, source=tmp_path / "config.toml")
    if keys:
        init_keys(config.keys_path)
    return config


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(wib(2026, 12, 1, 9, 0))


@pytest.fixture
def make_ctx(tmp_path: Path, db_url: str, clock: FixedClock) -> Iterator[Callable[..., AppContext]]:
    """Build AppContexts on the test database; ``make_ctx(office={"code": "DPS"})``."""
    made: list[AppContext] = []

    def factory(**sections: dict[str, Any]) -> AppContext:
        ctx = open_context(make_config(tmp_path, **sections), db_url=db_url, clock=clock)
        made.append(ctx)
        return ctx

    yield factory
    for ctx in made:
        ctx.close()


@pytest.fixture
def ctx(make_ctx: Callable[..., AppContext]) -> AppContext:
    return make_ctx()


# --- hygiene: no thread outlives its test -------------------------------------------------

@pytest.fixture(autouse=True)
def no_thread_leaks() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for t in leaked:
        t.join(timeout=5)  # a worker that was told to stop gets a moment to finish
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"threads left running after the test: {still}"


# --- how many PostgreSQL tests really ran -------------------------------------------------

_pg_outcomes: dict[str, int] = {"passed": 0, "failed": 0, "skipped": 0}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "postgres" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        key = "skipped" if report.skipped else ("passed" if report.passed else "failed")
        _pg_outcomes[key] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    ran = _pg_outcomes["passed"] + _pg_outcomes["failed"]
    terminalreporter.write_line(
        f"PostgreSQL tests: {ran} ran ({_pg_outcomes['passed']} passed, {_pg_outcomes['failed']} failed), "
        f"{_pg_outcomes['skipped']} skipped")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Under CI a run where no PostgreSQL test ran is a failure, not a silent skip.
    if os.environ.get("CI") and os.environ.get(PG_ENV) and exitstatus == 0 and session.testscollected \
            and _pg_outcomes["passed"] == 0 and not session.config.option.keyword:
        session.exitstatus = 1


# --- helpers for service tests ---------------------------------------------------------------

def table_counts(ctx: AppContext) -> dict[str, int]:
    """Rows per table: a rejection must leave every count unchanged."""
    from sqlalchemy import func, select

    from kiosk.store import Base

    with ctx.db.read() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) or 0
                for t in Base.metadata.sorted_tables}


def book(ctx: AppContext, day: str = "2026-12-01", slot: str = "10:00", name: str = "Budi Santoso") -> str:
    """Add a booking and return its code."""
    from datetime import date, time

    from kiosk.services import add_booking

    return add_booking(ctx, name=name, birth=date(1987, 1, 25), service_date=date.fromisoformat(day),
                       slot=time.fromisoformat(slot)).code
