"""The dialog for the supervisor's actions: the PIN, and what the action needs (a ticket
number, a written reason); the settings themselves are kiosk.ui.settings_dialog. The actions themselves are services; each checks the PIN,
is rate-limited after wrong PINs and is audited there."""

from __future__ import annotations

from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtCore import QRegularExpression
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from kiosk.i18n import tr
from kiosk.services.supervisor import MAX_PIN, MIN_PIN, MIN_REASON
from kiosk.ui import look

C = "Desk"


class SupervisorDialog(QDialog):
    """PIN plus, where the action needs them, a ticket number and a reason. OK stays
    disabled until every field is filled well enough to try."""

    def __init__(self, title: str, explanation: str, parent: QWidget | None = None, *, number: str | None = None,
                 ask_number: bool = False, ask_reason: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.explanation = QLabel(explanation)
        self.explanation.setWordWrap(True)
        self.number = QLineEdit(number or "")
        self.number.setObjectName("number")
        self.number.setPlaceholderText(tr(C, "misalnya A042"))
        self.number.setMaxLength(8)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(tr(C, "wajib, minimal {n} huruf", n=MIN_REASON))
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(MAX_PIN)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,12}"), self.pin))
        self.pin.setFont(look.font(16, bold=True))
        form = QFormLayout()
        if ask_number:
            form.addRow(tr(C, "Nomor antrean:"), self.number)
        if ask_reason:
            form.addRow(tr(C, "Alasan:"), self.reason)
        form.addRow(tr(C, "PIN supervisor:"), self.pin)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr(C, "Lanjutkan"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr(C, "Batal"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # A refused PIN is said here, in the dialog, whatever tab the desk is on.
        self.error = QLabel()
        self.error.setObjectName("pin_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {look.RED}; font-weight: bold;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._ask_number, self._ask_reason = ask_number, ask_reason
        for field in (self.number, self.reason, self.pin):
            field.textChanged.connect(self._check)
        self._check()
        (self.number if ask_number and not number else self.reason if ask_reason else self.pin).setFocus()

    def _check(self) -> None:
        ok = len(self.pin.text()) >= MIN_PIN
        if self._ask_number:
            ok = ok and bool(self.number.text().strip())
        if self._ask_reason:
            ok = ok and len(" ".join(self.reason.text().split())) >= MIN_REASON
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def show_error(self, text: str) -> None:
        """The PIN was refused ("PIN salah", the tries left, or the lock time): say so
        and ask again, the other fields kept."""
        self.error.setText(text)
        self.error.show()
        self.pin.clear()
        self.pin.setFocus()

    def values(self) -> dict[str, str]:
        return {"pin": self.pin.text(), "number": self.number.text().strip().upper(),
                "reason": " ".join(self.reason.text().split())}
