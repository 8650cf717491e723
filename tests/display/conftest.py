from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.display.pgserver import PgServer, find_pg_bin


@pytest.fixture
def own_pg() -> Iterator[PgServer]:
    """A PostgreSQL server this test owns (and may stop and restart)."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries installed (scripts/test.sh installs them)")
    # Not under pytest's tmp_path: the postgres user must be able to enter every parent folder.
    server = PgServer(bin_dir, Path(tempfile.mkdtemp(prefix="antrean-pg-own-")))
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.cleanup()
