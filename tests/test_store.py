"""Migrations and the schema: the models equal the migrated database; constraints hold."""

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from kiosk.store import Base, Database, Ticket
from tests.conftest import wib


def test_migrations_produce_exactly_the_models(db_url):
    db = Database(db_url)
    db.upgrade()  # idempotent
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    db.dispose()
    assert diff == []


def test_one_number_per_service_and_day(db_url):
    db = Database(db_url)
    now = wib(2026, 12, 1, 9, 0)
    with db.write() as s:
        s.add(Ticket(service_day=date(2026, 12, 1), prefix="B", number=1, service="B", issued_at=now, queued_at=now))
    with pytest.raises(IntegrityError):
        with db.write() as s:
            s.add(Ticket(service_day=date(2026, 12, 1), prefix="B", number=1, service="B", issued_at=now,
                         queued_at=now))
    db.dispose()


def test_naive_times_are_refused(db_url):
    from datetime import datetime

    db = Database(db_url)
    with pytest.raises(Exception):
        with db.write() as s:
            s.add(Ticket(service_day=date(2026, 12, 1), prefix="B", number=1, service="B",
                         issued_at=datetime(2026, 12, 1, 9), queued_at=datetime(2026, 12, 1, 9)))
    db.dispose()


def test_unreachable_postgresql_is_a_clear_error():
    from kiosk.store import DatabaseError

    with pytest.raises(DatabaseError) as info:
        Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert "127.0.0.1:1" in str(info.value)


def test_several_pcs_starting_at_once_migrate_once(db_url):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        revisions = list(pool.map(lambda _: _open_and_revision(db_url), range(4)))
    assert revisions == [_head_revision()] * 4


def _head_revision() -> str:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    from kiosk.store.db import MIGRATIONS

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def _open_and_revision(url):
    db = Database(url)
    try:
        return db.current_revision()
    finally:
        db.dispose()
