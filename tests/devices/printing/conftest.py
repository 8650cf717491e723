from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.devices.printing.virtual_printer import VirtualPrinter


@pytest.fixture
def virtual_printer() -> Iterator[VirtualPrinter]:
    printer = VirtualPrinter()
    yield printer
    printer.switch_off()
