"""``display`` and ``counter`` refuse bad arguments with a clear message and exit 2."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtGui import QGuiApplication

from display.app import ScreenFollower
from display.screens import ScreenChoice, ScreenMemory
from display.window import DisplayWindow
from kiosk.cli.main import main
from kiosk.config import to_toml
from tests.conftest import make_config


@pytest.fixture
def config_path(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(to_toml(make_config(tmp_path)))
    return path


def test_a_screen_number_out_of_range_is_refused(config_path, capsys):
    assert main(["--config", str(config_path), "display", "--screen", "99"]) == 2
    assert "--screen 99: perlu nomor layar 0 sampai 15" in capsys.readouterr().err
    # and nothing was remembered
    assert not (config_path.parent / "data" / "display-screen.json").exists()


def test_a_counter_not_in_the_config_is_refused(config_path, capsys):
    assert main(["--config", str(config_path), "counter", "--loket", "9"]) == 2
    assert "loket 9 tidak ada di konfigurasi (yang ada: 1, 2, 3, 4)" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-1", "tiga"])
def test_a_counter_number_must_be_a_positive_whole_number(config_path, value, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(config_path), "counter", "--loket", value])
    assert exit_.value.code == 2


def test_the_follower_fills_the_remembered_screen_or_falls_back(qtbot, tmp_path):
    # GIVEN a remembered screen that is not plugged in
    window = DisplayWindow(make_config(tmp_path), lambda: datetime.now(timezone.utc))
    qtbot.addWidget(window)
    memory = ScreenMemory(tmp_path / "display-screen.json")
    memory.save(ScreenChoice("HDMI-9", 3))
    follower = ScreenFollower(window, memory)
    try:
        # WHEN the display is placed
        follower.place()
        # THEN it fills the screen that is there, full screen
        screen = QGuiApplication.screens()[0]
        assert window.isFullScreen()
        assert window.geometry() == screen.geometry()
        # AND a change of screens places it again
        with qtbot.waitSignal(follower.watcher.changed, timeout=3000):
            QGuiApplication.instance().primaryScreenChanged.emit(screen)
        assert window.isFullScreen()
    finally:
        follower.close()
        window.shutdown()
