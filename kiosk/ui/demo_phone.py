"""The demo phone: shows a demo booking's QR code as an applicant's phone would, to
hold in front of a webcam or to save as a picture for a camera fed from files."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.i18n import clock_time, short_date, tr
from kiosk.ui import look

C = "Demo"


def qr_png(text: str, box: int = 10) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buf, format="PNG")
    return buf.getvalue()


def expectation(label: str) -> str:
    return {
        "accepted": tr(C, "tepat waktu → diterima"), "too_early": tr(C, "terlalu awal"),
        "void": tr(C, "terlambat → hangus"), "wrong_day": tr(C, "jadwal besok"),
        "wrong_office": tr(C, "kantor lain"),
    }.get(label, label)


class DemoPhoneWindow(QWidget):
    """``bookings``: objects with ``label``, ``code``, ``service_date``, ``slot``."""

    def __init__(self, bookings: Sequence[Any], parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(tr(C, "Ponsel demo"))
        # What a newcomer does first, said where they look first.
        self.banner = QLabel(tr(C, "DEMO: pindai atau ketik salah satu kode ini di meja depan "
                                   "(kolom kode booking, lalu Enter). Pilih kode lain di daftar."))
        self.banner.setObjectName("demo_banner")
        self.banner.setWordWrap(True)
        self.banner.setFont(look.font(10, bold=True))
        self.banner.setStyleSheet("background: #fdd835; color: #202124; border-radius: 8px; padding: 6px;")
        self.bookings = list(bookings)
        self.choice = QComboBox()
        for b in self.bookings:
            self.choice.addItem(f"{expectation(b.label)} — {short_date(b.service_date)}, {clock_time(b.slot)}")
        if compact:
            self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.choice.setMinimumContentsLength(18)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._qr_side = 160 if compact else 300
        self.qr.setMinimumSize(self._qr_side, self._qr_side)
        self.qr.setStyleSheet("background: white; border-radius: 16px;")
        self.code = QLabel()
        self.code.setFont(look.font(7 if compact else 11, bold=True))
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        save = QPushButton(tr(C, "Simpan sebagai gambar…"))
        save.clicked.connect(self._ask_save)
        note = QLabel(tr(C, "Arahkan layar ini ke kamera meja depan, atau salin kodenya ke kolom kode booking."))
        note.setWordWrap(True)
        note.setVisible(not compact)  # the banner says it
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.choice)
        layout.addWidget(self.qr, 1)
        layout.addWidget(self.code)
        layout.addWidget(save)
        layout.addWidget(note)
        self.setStyleSheet("DemoPhoneWindow { background: #202124; } QLabel { color: #e8eaed; }")
        self.choice.currentIndexChanged.connect(self.show_booking)
        self.resize(380, 640)
        if self.bookings:
            self.show_booking(0)

    @property
    def current_code(self) -> str:
        return self.bookings[self.choice.currentIndex()].code

    def show_booking(self, index: int) -> None:
        code = self.bookings[index].code
        image = QImage.fromData(qr_png(code))
        self.qr.setPixmap(QPixmap.fromImage(image).scaled(self._qr_side, self._qr_side,
                                                                    Qt.AspectRatioMode.KeepAspectRatio))
        self.code.setText(code)

    def save(self, path: Path) -> Path:
        path.write_bytes(qr_png(self.current_code))
        return path

    def _ask_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, tr(C, "Simpan kode QR"), f"{self.current_code}.png",
                                              "PNG (*.png)")
        if name:
            self.save(Path(name))
