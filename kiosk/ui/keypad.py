"""An on-screen digit keypad for the touch screen: no physical keyboard needed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from kiosk.i18n import tr
from kiosk.ui import look

C = "Desk"


class Keypad(QWidget):
    """Emits ``digit("7")``, ``backspace()`` and ``clear()``; it never takes the focus, so
    the field it types into keeps it."""

    digit = Signal(str)
    backspace = Signal()
    clear = Signal()

    def __init__(self, parent: QWidget | None = None, *, points: float = 26) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(10)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
        self.buttons: dict[str, QPushButton] = {}
        for i, key in enumerate(keys):
            text = {"clear": tr(C, "Hapus"), "back": "⌫"}.get(key, key)
            button = QPushButton(text)
            button.setFont(look.font(points if key.isdigit() else points * 0.7, bold=True))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(round(points * 3.0), round(points * 2.2))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setAccessibleName({"clear": tr(C, "Hapus semua"), "back": tr(C, "Hapus satu angka")}.get(key, key))
            if key == "clear":
                button.clicked.connect(self.clear.emit)
            elif key == "back":
                button.clicked.connect(self.backspace.emit)
            else:
                button.clicked.connect(lambda _=False, k=key: self.digit.emit(k))
            grid.addWidget(button, i // 3, i % 3)
            self.buttons[key] = button
