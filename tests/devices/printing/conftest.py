from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from virtual_printer import VirtualPrinter

from kiosk.app import AppContext, open_context
from kiosk.config import from_mapping
from kiosk.core.clock import FixedClock

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def virtual_printer() -> Iterator[VirtualPrinter]:
    printer = VirtualPrinter()
    yield printer
    printer.switch_off()


def make_config(tmp_path: Path, **printer: object):  # type: ignore[no-untyped-def]
    return from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi Kelas I Khusus Jakarta Pusat"},
                         "paths": {"data_dir": str(tmp_path / "data")},
                         "printer": printer or {"transport": "preview"}})


@pytest.fixture
def office(tmp_path: Path) -> Iterator[AppContext]:
    """A real office on SQLite in a temporary folder, at 08:00 local time."""
    config = make_config(tmp_path)
    ctx = open_context(config, db_url=f"sqlite:///{tmp_path / 'antrean.db'}",
                       clock=FixedClock(datetime(2026, 11, 27, 8, 0, tzinfo=JAKARTA)))
    yield ctx
    ctx.close()
