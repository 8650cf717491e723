"""The desk's sound light: says "Suara mati" when the desk is silent, and why."""

from __future__ import annotations

from datetime import time

import pytest

from kiosk.ui.sounds import Sounds
from kiosk.ui.status_lights import Light
from tests.ui.conftest import book, settle


@pytest.fixture
def desk_with(qtbot):
    from kiosk.ui.desk_window import DeskWindow

    made = []

    def make(ctx, sounds):
        window = DeskWindow(ctx, sounds=sounds)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        settle(qtbot, window)
        return window
    yield make
    for window in made:
        window.shutdown()


def test_sounds_switched_off_are_said_by_the_light(desk_with, ctx):
    desk = desk_with(ctx, Sounds(False, output=False))
    assert desk.lights.sound.state.light is Light.OFF
    assert "Suara mati" in desk.lights.sound.state.words


def test_working_sounds_light_green(desk_with, ctx):
    desk = desk_with(ctx, Sounds(True, output=False))
    assert desk.lights.sound.state.light is Light.OK


def test_a_sound_that_fails_turns_the_light_amber(qtbot, desk_with, ctx):
    class Unplugged(Sounds):
        """The speaker we do not have here: playing fails as an unplugged one does."""

        def problem(self):  # no device check on the test machine
            return "a sound could not be played" if self.failed else None

        def _effect(self, name):
            raise OSError("no audio device")

    desk = desk_with(ctx, Unplugged(True, output=True))
    assert desk.lights.sound.state.light is Light.OK
    # WHEN a verdict's sound cannot be played
    code = book(ctx, time(10, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    # THEN the verdict still shows and the light says the desk is silent now
    assert desk.lights.sound.state.light is Light.WARN
    assert desk.lights.sound.state.words.startswith("Suara mati")
