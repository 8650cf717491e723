"""Desk fixtures: a desk window on the test database with a recording sound output."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.app import AppContext
from kiosk.services.bookings import add_booking
from kiosk.store import PrintJob, Ticket
from kiosk.ui.sounds import Sounds


def book(ctx: AppContext, slot: time, day: date | None = None, name: str = "Budi Santoso") -> str:
    """A booking of today (or ``day``) at ``slot``; its code."""
    return add_booking(ctx, name=name, birth=date(1987, 1, 25), service_date=day or ctx.today(), slot=slot).code


def count(ctx: AppContext, model: Any, *where: Any) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def tickets(ctx: AppContext) -> int:
    return count(ctx, Ticket)


def print_jobs(ctx: AppContext, *where: Any) -> int:
    return count(ctx, PrintJob, *where)


@pytest.fixture
def make_desk(qtbot: Any) -> Iterator[Callable[..., Any]]:
    from kiosk.ui.desk_window import DeskWindow

    made: list[Any] = []

    def factory(ctx: AppContext, **kw: Any) -> DeskWindow:
        window = DeskWindow(ctx, sounds=Sounds(True, output=False), **kw)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        qtbot.waitUntil(lambda: window.runner.pending == 0)
        return window

    yield factory
    for window in made:
        window.shutdown()


@pytest.fixture
def desk(make_desk: Callable[..., Any], ctx: AppContext) -> Any:
    return make_desk(ctx)


def settle(qtbot: Any, window: Any) -> None:
    """Wait until every database call the window made has come back."""
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
