"""What the officer and the applicant see after a scan: one look per outcome.

:func:`verdict_look` turns a :class:`CheckInResult` into colour, icon, words and
sound; :class:`VerdictPanel` shows it. Keeping the two apart lets the tests check
every outcome's look without pixels, and the screenshots render the same panel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.i18n import clock_time, long_date, tr
from kiosk.services.messages import result_message
from kiosk.services.results import CheckInOutcome, CheckInResult
from kiosk.ui import look

C = "Desk"


@dataclass(frozen=True)
class VerdictLook:
    key: str  # the outcome, or "ready" / "busy"
    colour: str
    icon: str
    title: str  # one or two words, upper case
    headline: str  # the big line: a number, a time, a date
    detail: str  # the full sentence
    sound: str | None  # "accepted", "warning", "refused" or None
    action: str | None = None  # "reprint" or "override": a supervisor button under the verdict
    when: str = ""  # when it happened ("Dipindai pukul 09.00"): a verdict redrawn later says its own time


_COLOURS = {
    CheckInOutcome.ACCEPTED: look.GREEN,
    CheckInOutcome.TOO_EARLY: look.AMBER,
    CheckInOutcome.WRONG_DAY: look.BLUE,
    CheckInOutcome.VOID: look.RED,
    CheckInOutcome.ALREADY_CHECKED_IN: look.PURPLE,
    CheckInOutcome.WRONG_OFFICE: look.BROWN,
    CheckInOutcome.CANCELLED: look.GREY,
    CheckInOutcome.UNKNOWN: look.DARK,
    CheckInOutcome.INVALID: look.RED,
}


def outcome_colour(outcome: CheckInOutcome) -> str:
    return _COLOURS[outcome]


def ready_look() -> VerdictLook:
    return VerdictLook("ready", look.NAVY, "ready", tr(C, "SIAP MEMINDAI"),
                       tr(C, "Tunjukkan kode booking"),
                       tr(C, "Arahkan kode QR atau barcode ke kamera, pindai dengan pemindai, atau ketik kodenya."),
                       None)


def busy_look() -> VerdictLook:
    return VerdictLook("busy", look.NAVY, "busy", tr(C, "MEMERIKSA"), tr(C, "Mohon tunggu…"), "", None)


def verdict_look(result: CheckInResult, tz: tzinfo, scanned_at: datetime | None = None) -> VerdictLook:
    """The look of a result in the current language; ``scanned_at`` (when the code reached
    the desk) is said under it, so that a verdict redrawn after a language switch keeps
    the time it happened."""
    v = _verdict_look(result, tz)
    if scanned_at is None:
        return v
    return replace(v, when=tr(C, "Dipindai pukul {time}", time=clock_time(scanned_at.astimezone(tz))))


def _verdict_look(result: CheckInResult, tz: tzinfo) -> VerdictLook:
    o = result.outcome
    message = result_message(result)  # in the current language, not the one of the scan
    colour = _COLOURS[o]
    label = result.ticket.label if result.ticket else ""
    if o is CheckInOutcome.ACCEPTED:
        return VerdictLook(o.value, colour, "accepted", tr(C, "DITERIMA"), label, tr(C, "Nomor antrean sedang dicetak."),
                           "accepted")
    if o is CheckInOutcome.TOO_EARLY:
        opens = clock_time(result.opens_at.astimezone(tz)) if result.opens_at else "-"
        # Said once: the title says "too early", the headline when to come back.
        slot = clock_time(result.slot) if result.slot else "-"
        return VerdictLook(o.value, colour, "too_early", tr(C, "TERLALU AWAL"),
                           tr(C, "Kembali pukul {time}", time=opens),
                           tr(C, "Jadwal pukul {slot}. Kode tetap berlaku.", slot=slot), "warning")
    if o is CheckInOutcome.WRONG_DAY:
        day = long_date(result.service_date) if result.service_date else "-"
        slot = clock_time(result.slot) if result.slot else "-"
        return VerdictLook(o.value, colour, "wrong_day", tr(C, "BUKAN HARI INI"),
                           tr(C, "{date}, pukul {slot}", date=day, slot=slot),
                           tr(C, "Jadwal pemohon tanggal dan jam itu; kodenya tetap berlaku sampai saat itu."),
                           "warning")
    if o is CheckInOutcome.VOID:
        slot = clock_time(result.slot) if result.slot else "-"
        deadline = clock_time(result.deadline.astimezone(tz)) if result.deadline else "-"
        return VerdictLook(o.value, colour, "void", tr(C, "HANGUS"),
                           tr(C, "Jadwal {slot} · batas {deadline}", slot=slot, deadline=deadline),
                           message + " " + tr(C, "Berikutnya: supervisor dapat mengecualikan dengan PIN "
                                                        "(F8), atau pemohon booking ulang."),
                           "refused", action="override")
    if o is CheckInOutcome.ALREADY_CHECKED_IN:
        return VerdictLook(o.value, colour, "already_checked_in", tr(C, "SUDAH CHECK-IN"), label, message,
                           "warning", action="reprint")
    if o is CheckInOutcome.INVALID and result.mistyped:
        return VerdictLook(o.value, look.AMBER, "invalid", tr(C, "SALAH KETIK"), message,
                           tr(C, "Bandingkan kode dengan pesan pemohon huruf demi huruf, lalu ketik atau pindai lagi."),
                           "warning")
    titles = {
        CheckInOutcome.WRONG_OFFICE: tr(C, "KANTOR LAIN"),
        CheckInOutcome.CANCELLED: tr(C, "DIBATALKAN"),
        CheckInOutcome.UNKNOWN: tr(C, "TIDAK DIKENAL"),
        CheckInOutcome.INVALID: tr(C, "KODE TIDAK SAH"),
    }
    icons = {CheckInOutcome.WRONG_OFFICE: "wrong_office", CheckInOutcome.CANCELLED: "cancelled",
             CheckInOutcome.UNKNOWN: "unknown", CheckInOutcome.INVALID: "invalid"}
    # The sentence is the headline; under it, what the officer can do next.
    hints = {
        CheckInOutcome.WRONG_OFFICE: tr(C, "Pemohon perlu datang ke kantor yang tertera pada kodenya."),
        CheckInOutcome.CANCELLED: tr(C, "Booking yang dibatalkan tidak bisa dipakai lagi; pemohon perlu booking baru."),
        CheckInOutcome.UNKNOWN: tr(C, "Periksa kodenya di pesan pemohon, atau cari di tab Hari ini (F4)."),
        CheckInOutcome.INVALID: tr(C, "Minta pemohon menunjukkan kode asli dari pesan kantor, lalu pindai lagi."),
    }
    return VerdictLook(o.value, colour, icons[o], titles[o], message, hints[o], "refused")


def _pixel_font(pixels: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, math.ceil(pixels - 1e-6)))  # never under the share asked for
    font.setBold(bold)
    return font


class VerdictPanel(QWidget):
    """A coloured block: icon and title, the big headline, the sentence, and a supervisor
    button when the outcome has one."""

    action_requested = Signal(str)  # "reprint" or "override"

    def __init__(self, parent: QWidget | None = None, *, scale: float = 1.0) -> None:
        super().__init__(parent)
        self.setObjectName("verdict")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._scale = scale
        self.icon = QLabel()
        self.title = QLabel()
        self.title.setFont(look.font(22 * scale, bold=True))
        self.headline = QLabel()
        self.headline.setFont(look.font(44 * scale, bold=True))
        self.headline.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setFont(look.font(15 * scale))
        self.detail.setWordWrap(True)
        self.when = QLabel()
        self.when.setObjectName("verdict_when")
        self.action = QPushButton()
        self.action.setFont(look.font(13 * scale, bold=True))
        self.action.setMinimumHeight(round(44 * scale))
        self.action.clicked.connect(lambda: self.action_requested.emit(self._action or ""))
        for w in (self.title, self.headline, self.detail, self.when):
            w.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.icon)
        top.addWidget(self.title, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addLayout(top)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        layout.addWidget(self.when)
        layout.addStretch(1)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignLeft)
        self._action: str | None = None
        self.current: VerdictLook | None = None
        self.show_look(ready_look())

    # Shares of the window's height: a verdict is read from a step away, on a 720p desk
    # screen as on a maximised 1080p one.
    # The headline (a ticket number, a time, a date) is the biggest; a sentence-long
    # headline takes a smaller size so that it fits.
    TITLE_SHARE, NUMBER_SHARE, HEADLINE_SHARE, SENTENCE_SHARE, DETAIL_SHARE = 0.06, 0.09, 0.08, 0.045, 0.028

    def _apply_sizes(self) -> None:
        height = max(self.window().height(), 360)
        v = self.current
        length = len(v.headline) if v is not None else 0
        share = (self.NUMBER_SHARE if length <= 12 else self.HEADLINE_SHARE if length <= 24
                 else self.SENTENCE_SHARE)
        self.title.setFont(_pixel_font(height * self.TITLE_SHARE * self._scale, bold=True))
        self.title.setWordWrap(True)
        self.headline.setFont(_pixel_font(height * share * self._scale, bold=True))
        self.detail.setFont(_pixel_font(max(15.0, height * self.DETAIL_SHARE) * self._scale))
        self.when.setFont(_pixel_font(max(13.0, height * self.DETAIL_SHARE * 0.8) * self._scale))
        side = round(height * self.TITLE_SHARE * 1.1 * self._scale)
        if v is not None:
            self.icon.setPixmap(look.svg_pixmap(v.icon, side, self.devicePixelRatioF()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._apply_sizes()

    def show_look(self, v: VerdictLook) -> None:
        self.current = v
        fg = look.text_colour_on(v.colour)
        self.setStyleSheet(f"#verdict {{ background: {v.colour}; border-radius: 12px; }}"
                           f"#verdict QLabel {{ color: {fg}; }}")
        self.icon.setPixmap(look.svg_pixmap(v.icon, round(64 * self._scale), self.devicePixelRatioF()))
        self.title.setText(v.title)
        self.headline.setText(v.headline)
        # A ticket number fills the panel; a sentence-long headline takes a smaller size.
        self.detail.setText(v.detail)
        self.when.setText(v.when)
        self.when.setVisible(bool(v.when))
        self._apply_sizes()
        self._action = v.action
        self.action.setVisible(v.action is not None)
        if v.action == "reprint":
            self.action.setText(tr(C, "Cetak ulang (PIN supervisor) — F7"))
        elif v.action == "override":
            self.action.setText(tr(C, "Kecualikan hangus (PIN supervisor) — F8"))
        self.setAccessibleName(f"{v.title}. {v.headline}. {v.detail}" + (f" {v.when}." if v.when else ""))
