"""A display nobody can hear says so: the "Suara mati" badge while the sound is off,
the device is missing or a call failed to play; gone again once a call is heard."""

from __future__ import annotations

import pytest

from display.app import DisplayController
from display.audio import RecordingSink
from kiosk.services import call_next, walk_in
from kiosk.store import Database
from tests.conftest import make_config


@pytest.fixture
def make_display(qtbot, tmp_path, clock):
    made = []

    def make(url: str, sink: RecordingSink, **sections):
        db = Database(url, migrate=False)
        controller = DisplayController(make_config(tmp_path, **sections), db, clock.now, sink, clock=clock)
        qtbot.addWidget(controller.window)
        controller.window.show()
        qtbot.waitExposed(controller.window)
        made.append((controller, db))
        controller.start()
        return controller
    yield make
    for controller, db in made:
        controller.close()
        db.dispose()


def test_a_failing_sound_device_shows_the_badge_until_a_call_is_heard(qtbot, ctx, db_url, make_display):
    # GIVEN a display whose sound device fails each clip
    sink = RecordingSink(fail_with="audio device error: IOError")
    display = make_display(db_url, sink)
    assert not display.window.sound_badge.isVisible()
    walk_in(ctx, "disabilitas")
    walk_in(ctx, "disabilitas")
    # WHEN a counter calls
    call_next(ctx, 1)
    # THEN the board says "Suara mati" in plain words, and why in its tooltip
    qtbot.waitUntil(display.window.sound_badge.isVisible, timeout=10_000)
    assert display.window.sound_badge.text() == "Suara mati"
    assert "IOError" in display.window.sound_badge.toolTip()
    # WHEN the device works again THEN the next call clears the badge
    sink.fail_with = ""
    call_next(ctx, 2)
    qtbot.waitUntil(lambda: not display.window.sound_badge.isVisible(), timeout=10_000)


def test_no_device_or_sound_switched_off_shows_the_badge_at_once(qtbot, db_url, make_display):
    unplugged = make_display(db_url, RecordingSink(broken=True))
    assert unplugged.window.sound_badge.isVisible()
    off = make_display(db_url, RecordingSink(), announcer={"enabled": False})
    assert off.window.sound_badge.isVisible()
    fine = make_display(db_url, RecordingSink())
    assert not fine.window.sound_badge.isVisible()
