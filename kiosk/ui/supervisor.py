"""Dialogs for the supervisor's actions: the PIN, and what the action needs (a ticket
number, a written reason). The actions themselves are services; each checks the PIN,
is rate-limited after wrong PINs and is audited there."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtCore import QRegularExpression
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget,
)

from kiosk.config import Config
from kiosk.i18n import tr
from kiosk.services.supervisor import MIN_REASON
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
        self.pin.setMaxLength(12)
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._ask_number, self._ask_reason = ask_number, ask_reason
        for field in (self.number, self.reason, self.pin):
            field.textChanged.connect(self._check)
        self._check()
        (self.number if ask_number and not number else self.reason if ask_reason else self.pin).setFocus()

    def _check(self) -> None:
        ok = len(self.pin.text()) >= 4
        if self._ask_number:
            ok = ok and bool(self.number.text().strip())
        if self._ask_reason:
            ok = ok and len(" ".join(self.reason.text().split())) >= MIN_REASON
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> dict[str, str]:
        return {"pin": self.pin.text(), "number": self.number.text().strip().upper(),
                "reason": " ".join(self.reason.text().split())}


class SettingsDialog(QDialog):
    """The desk's own settings ([desk]); the rest of the office's settings are shown
    for reference and changed in the config file or with the command line."""

    def __init__(self, config: Config, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr(C, "Pengaturan meja depan"))
        d = config.desk
        self.self_service = QCheckBox(tr(C, "Mode layanan mandiri (layar sentuh, perlu mulai ulang)"))
        self.self_service.setChecked(d.self_service)
        self.idle = QSpinBox()
        self.idle.setRange(5, 600)
        self.idle.setValue(d.idle_seconds)
        self.idle.setSuffix(tr(C, " detik"))
        self.verdict = QSpinBox()
        self.verdict.setRange(2, 120)
        self.verdict.setValue(d.verdict_seconds)
        self.verdict.setSuffix(tr(C, " detik"))
        self.language = QComboBox()
        self.language.addItem("Bahasa Indonesia", "id")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if d.language == "id" else 1)
        self.sounds = QCheckBox(tr(C, "Bunyikan suara untuk setiap hasil pindaian"))
        self.sounds.setChecked(d.sounds)
        form = QFormLayout()
        form.addRow(tr(C, "Kantor:"), QLabel(f"{config.office.name} ({config.office.code}, {config.office.timezone})"))
        form.addRow(tr(C, "Kuota prioritas per hari:"), QLabel(str(config.priority.daily_quota)))
        form.addRow("", self.self_service)
        form.addRow(tr(C, "Kembali ke awal setelah:"), self.idle)
        form.addRow(tr(C, "Hasil pindaian tampil selama:"), self.verdict)
        form.addRow(tr(C, "Bahasa:"), self.language)
        form.addRow("", self.sounds)
        where = str(config.source) if config.source else tr(C, "(tanpa berkas konfigurasi)")
        note = QLabel(tr(C, "Disimpan di {path}. Pengaturan lain diubah di berkas itu.", path=where))
        note.setWordWrap(True)
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr(C, "Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr(C, "Batal"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return {"self_service": self.self_service.isChecked(), "idle_seconds": self.idle.value(),
                "verdict_seconds": self.verdict.value(), "language": self.language.currentData(),
                "sounds": self.sounds.isChecked()}
