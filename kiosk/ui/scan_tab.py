"""The scan tab: camera picture with the guide, the verdict, and the manual code field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.core import booking_code
from kiosk.i18n import tr
from kiosk.ui import look
from kiosk.ui.camera_view import CameraView
from kiosk.ui.verdict import VerdictPanel

C = "Desk"


class ScanTab(QWidget):
    code_entered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera = CameraView()
        self.verdict = VerdictPanel()
        self.manual = QLineEdit()
        self.manual.setObjectName("manual_code")
        self.manual.setPlaceholderText(tr(C, "Ketik atau pindai kode booking, lalu Enter  (Ctrl+K)"))
        self.manual.setMaxLength(booking_code.MAX_INPUT_LENGTH)
        self.manual.setFont(look.font(15))
        self.manual.setAccessibleName(tr(C, "Kode booking"))
        self.manual.returnPressed.connect(self._submit)
        self.check = QPushButton(tr(C, "Periksa"))
        self.check.clicked.connect(self._submit)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setFont(look.font(12, bold=True))
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.camera, 4)
        top.addWidget(self.verdict, 5)
        entry = QHBoxLayout()
        label = QLabel(tr(C, "Kode booking:"))
        label.setBuddy(self.manual)
        entry.addWidget(label)
        entry.addWidget(self.manual, 1)
        entry.addWidget(self.check)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(entry)
        layout.addWidget(self.notice)
        self._notice: tuple[Callable[[], str], str | None] = (lambda: "", None)

    def _submit(self) -> None:
        text = self.manual.text().strip()
        self.manual.clear()
        if text:
            self.code_entered.emit(text)

    def activate(self) -> None:
        """Shown: the code field has the focus (a USB scanner works anywhere anyway)."""
        self.manual.setFocus()

    def show_notice(self, text: str | Callable[[], str], colour: str | None = None) -> None:
        """A line under the code field; given as a function, it can be said again in
        another language (:meth:`notice_again`) without becoming a new notice."""
        self._notice = (text if callable(text) else (lambda: text), colour)
        self.notice.setText(self._notice[0]())
        self.notice.setStyleSheet(f"color: {colour};" if colour else "")

    def take_over(self, other: ScanTab) -> None:
        """After a language switch: the code being typed and the notice ``other`` (the tab
        this one replaces) showed, the notice in the current language."""
        self.manual.setText(other.manual.text())
        self.show_notice(*other._notice)

    def leave(self) -> None:
        """The officer went to another tab: a half-typed code does not wait for them."""
        self.manual.clear()
