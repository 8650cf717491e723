"""Five lights under the desk: camera, scanner, printer, database and sound, each with words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.i18n import tr
from kiosk.ui import look

C = "Desk"


class Light(StrEnum):
    OK = "ok"
    WARN = "warn"  # works, but something needs attention (paper low, no scanner seen yet)
    FAULT = "fault"
    OFF = "off"  # not present and not needed (no camera configured)


_COLOURS = {Light.OK: "#2e9e4f", Light.WARN: "#e0a100", Light.FAULT: "#d93025", Light.OFF: "#9aa0a6"}


@dataclass(frozen=True)
class DeviceState:
    light: Light
    words: str  # plain words: what is wrong and what to do
    # The words as a function, when they can be said again in another language.
    say: Callable[[], str] | None = field(default=None, compare=False, repr=False)

    def again(self) -> DeviceState:
        """The same state, worded in the current language (after a language switch)."""
        return DeviceState(self.light, self.say(), self.say) if self.say is not None else self


def said(light: Light, say: Callable[[], str]) -> DeviceState:
    """A state whose words follow a language switch: ``said(Light.OK, lambda: tr(C, "menyala"))``."""
    return DeviceState(light, say(), say)


class StatusLight(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.dot = QLabel("●")
        self.dot.setFont(look.font(14))
        self.text = QLabel()
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 10, 0)
        layout.setSpacing(4)
        layout.addWidget(self.dot)
        layout.addWidget(self.text, 1)
        self.state = DeviceState(Light.OFF, "")

    def set_state(self, state: DeviceState) -> None:
        self.state = state
        self.dot.setStyleSheet(f"color: {_COLOURS[state.light]};")
        self.text.setText(f"<b>{self.name}:</b> {state.words}")
        self.setToolTip(state.words)
        self.setAccessibleName(f"{self.name}: {state.words}")


class StatusLights(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera = StatusLight(tr(C, "Kamera"))
        self.scanner = StatusLight(tr(C, "Pemindai"))
        self.printer = StatusLight(tr(C, "Printer"))
        self.database = StatusLight(tr(C, "Basis data"))
        self.sound = StatusLight(tr(C, "Suara"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for light in (self.camera, self.scanner, self.printer, self.database, self.sound):
            layout.addWidget(light, 1)
        self.camera.set_state(DeviceState(Light.OFF, tr(C, "belum aktif")))
        self.scanner.set_state(DeviceState(Light.WARN, tr(C, "belum ada pindaian dari pemindai USB")))
        self.printer.set_state(DeviceState(Light.WARN, tr(C, "status belum diketahui")))
        self.database.set_state(DeviceState(Light.WARN, tr(C, "memeriksa sambungan…")))
        self.sound.set_state(DeviceState(Light.OK, tr(C, "menyala")))
