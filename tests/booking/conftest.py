"""Fixtures of the booking-intake tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.app import AppContext, open_context
from tests.conftest import make_config


@pytest.fixture
def sqlite_ctx(tmp_path, clock) -> Iterator[AppContext]:
    """SQLite only: for rules that do not depend on the database (the concurrency and
    locking tests run on PostgreSQL too, through ``ctx``/``make_ctx``)."""
    ctx = open_context(make_config(tmp_path), db_url=f"sqlite:///{tmp_path / 'antrean.db'}", clock=clock)
    yield ctx
    ctx.close()
