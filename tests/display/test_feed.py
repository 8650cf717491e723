"""The board follows ticket events: in order, once, and through a database outage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from display.app import DisplayController
from display.audio import RecordingSink
from kiosk.app import ReadContext
from kiosk.app import open_context
from kiosk.services import call_next, recall, walk_in
from kiosk.store import Database
from tests.conftest import make_config


@pytest.fixture
def make_display(qtbot, tmp_path, clock):
    made = []

    def make(url: str, **sections):
        config = make_config(tmp_path, **sections)
        db = Database(url, migrate=False)
        traced: list[tuple[str, dict]] = []
        controller = DisplayController(ReadContext(config, db, clock), RecordingSink(),
                                       trace=lambda kind, data: traced.append((kind, data)))
        controller.traced = traced
        qtbot.addWidget(controller.window)
        controller.window.show()
        made.append((controller, db))
        controller.start()
        return controller
    yield make
    for controller, db in made:
        controller.close()
        db.dispose()


def shown(controller) -> list[tuple[str, int, bool]]:
    return [(c.label, c.counter, c.recall) for c in controller.model.shown]


def test_calls_are_shown_in_order_once_and_announced(qtbot, ctx, db_url, make_display):
    # GIVEN a display on the office database, and calls made before it started
    for _ in range(5):
        walk_in(ctx, "disabilitas")
    call_next(ctx, 1)
    display = make_display(db_url)
    qtbot.waitUntil(lambda: display.window.number_label.text() == "B001", timeout=5000)
    # THEN the call made before it started is on the board but neither "new" nor spoken
    assert shown(display) == [] and list(display.announcer.history) == []
    # WHEN counters call, recall and call again
    call_next(ctx, 2)
    recall(ctx, 1)
    call_next(ctx, 3)
    qtbot.waitUntil(lambda: len(display.model.shown) == 3, timeout=5000)
    # THEN each is shown once, in order, and announced in that order, one at a time
    assert shown(display) == [("B002", 2, False), ("B001", 1, True), ("B003", 3, False)]
    qtbot.waitUntil(lambda: len(display.announcer.history) == 3 and not display.announcer.busy, timeout=10_000)
    assert [a.call.label for a in display.announcer.history] == ["B002", "B001", "B003"]
    assert display.announcer.sink.overlaps == 0
    # AND the board shows the newest call, the counters and the waiting count
    assert display.window.number_label.text() == "B003"
    assert display.window.counter_cards[1][1].text() == "B001"
    assert display.window.waiting_labels["B"].text().endswith(": 2 menunggu")
    assert not display.window.reconnect_badge.isVisible()


def test_the_display_survives_the_database_stopping_and_restarting(qtbot, tmp_path, clock, own_pg, make_display):
    # GIVEN a display on its own PostgreSQL server, showing a call
    ctx = open_context(make_config(tmp_path), db_url=own_pg.url, clock=clock)
    try:
        for _ in range(3):
            walk_in(ctx, "disabilitas")
        display = make_display(own_pg.url)
        qtbot.waitUntil(lambda: display.feed.connected is True, timeout=10_000)
        call_next(ctx, 1)
        qtbot.waitUntil(lambda: shown(display) == [("B001", 1, False)], timeout=5000)
        # WHEN the server stops
        own_pg.stop()
        # THEN the board keeps its last state and shows the discreet badge
        qtbot.waitUntil(display.window.reconnect_badge.isVisible, timeout=15_000)
        assert display.window.number_label.text() == "B001"
        # WHEN the server comes back and a counter calls again
        own_pg.start()
        qtbot.waitUntil(lambda: not display.window.reconnect_badge.isVisible(), timeout=15_000)
        call_next(ctx, 2)
        qtbot.waitUntil(lambda: len(display.model.shown) == 2, timeout=10_000)
        # THEN only the new call is shown and announced; B001 is not announced again
        assert shown(display) == [("B001", 1, False), ("B002", 2, False)]
        qtbot.waitUntil(lambda: not display.announcer.busy, timeout=10_000)
        assert [a.call.label for a in display.announcer.history] == ["B001", "B002"]
        kinds = [k for k, _ in display.traced if k in ("connected", "disconnected")]
        assert kinds == ["connected", "disconnected", "connected"]
    finally:
        ctx.close()


def test_calls_missed_while_away_are_shown_but_stale_ones_not_spoken(qtbot, ctx, db_url, clock, make_display):
    # GIVEN a display that lost the database while calls went on elsewhere
    for _ in range(3):
        walk_in(ctx, "disabilitas")
    display = make_display(db_url, announcer={"max_age": 20.0})
    qtbot.waitUntil(lambda: display.feed.connected is True, timeout=10_000)
    display.feed.stop()  # the display is "away"
    call_next(ctx, 1)
    clock.advance(timedelta(minutes=1))
    call_next(ctx, 2)
    # WHEN it comes back (a minute after B001 was called)
    display.feed.start()
    qtbot.waitUntil(lambda: len(display.model.shown) == 2, timeout=10_000)
    # THEN both calls are caught up on the board, but only the fresh one is spoken
    assert shown(display) == [("B001", 1, False), ("B002", 2, False)]
    qtbot.waitUntil(lambda: not display.announcer.busy and bool(display.announcer.history), timeout=10_000)
    assert [a.call.label for a in display.announcer.history] == ["B002"]
