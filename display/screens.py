"""Which screen the display fills, remembered across restarts, following hot-plug.

As in OpenLP's screen list: the chosen screen is saved as data (its name and index),
matched against the live screens at start and whenever screens change; when it is
absent the first non-primary screen is used (the TV beside the officer's monitor),
else the primary one. Screen change signals come in bursts while a cable is plugged,
so they are debounced before the window moves.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen

log = logging.getLogger(__name__)

DEBOUNCE_MS = 350


@dataclass(frozen=True)
class ScreenChoice:
    """The remembered screen: its name (stable across reboots) and its index (fallback)."""

    name: str
    index: int


def choose_screen(screens: list[QScreen], primary: QScreen | None, wanted: ScreenChoice | None) -> QScreen | None:
    """The remembered screen when present (by name, then index), else the first
    non-primary screen, else the primary one."""
    if not screens:
        return None
    if wanted is not None:
        for screen in screens:
            if screen.name() == wanted.name:
                return screen
        if 0 <= wanted.index < len(screens) and not wanted.name:
            return screens[wanted.index]
    for screen in screens:
        if screen is not primary:
            return screen
    return primary or screens[0]


class ScreenMemory:
    """The chosen screen, saved in a small JSON file in the data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> ScreenChoice | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return ScreenChoice(str(data["name"]), int(data["index"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable screen choice %s: %s", self.path, exc)
            return None

    def save(self, choice: ScreenChoice) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(choice)), encoding="utf-8")
        tmp.replace(self.path)


def choice_for_index(index: int) -> ScreenChoice:
    """The choice for ``--screen N``: the N-th live screen by name (so it survives the
    order of screens changing), or only the index when there is no such screen now."""
    screens = QGuiApplication.screens()
    if 0 <= index < len(screens):
        return ScreenChoice(screens[index].name(), index)
    return ScreenChoice("", index)


class ScreenWatcher(QObject):
    """Emits ``changed`` once per burst of screen add/remove/resize/primary changes."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.changed)
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._screen_added)
        app.screenRemoved.connect(self._poke)
        app.primaryScreenChanged.connect(self._poke)
        for screen in QGuiApplication.screens():
            self._screen_added(screen, poke=False)

    def _screen_added(self, screen: QScreen, poke: bool = True) -> None:
        screen.geometryChanged.connect(self._poke)
        if poke:
            self._poke()

    def _poke(self, *_args: object) -> None:
        self._timer.start()

    def close(self) -> None:
        self._timer.stop()
        app = QGuiApplication.instance()
        for signal, slot in ((app.screenAdded, self._screen_added), (app.screenRemoved, self._poke),
                             (app.primaryScreenChanged, self._poke)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        for screen in QGuiApplication.screens():
            try:
                screen.geometryChanged.disconnect(self._poke)
            except (RuntimeError, TypeError):
                pass
