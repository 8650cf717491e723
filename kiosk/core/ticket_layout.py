"""What a printed queue ticket says, laid out for a thermal paper width.

The layout is a list of blocks (text lines with an alignment and a character scale,
a QR code, blank feed, the cut) measured in printer dots and font-A character cells
(12 x 24 dots, the ESC/POS default on 203 dpi printers). The ESC/POS and PNG
renderers in ``kiosk.devices.printing`` draw the same blocks, so the preview shows
what the printer prints.

A ticket never carries a name or a date of birth: :class:`TicketContent` has no
field for them. Text is reduced to printable ASCII here, because receipt printers
only have code pages and an office name with an accent must not print as garbage.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from kiosk.core import datefmt

CHAR_WIDTH = 12  # dots of one font-A character at scale 1
CHAR_HEIGHT = 24
MAX_SCALE = 8  # GS ! accepts 1-8 times width and height


@dataclass(frozen=True)
class Paper:
    """Printable width of the paper roll in dots."""

    width_dots: int

    def __post_init__(self) -> None:
        if not CHAR_WIDTH * 16 <= self.width_dots <= 1024:
            raise ValueError(f"paper width must be 192-1024 dots, got {self.width_dots}")

    def columns(self, scale: int = 1) -> int:
        return self.width_dots // (CHAR_WIDTH * scale)


PAPER_58MM = Paper(384)
PAPER_80MM = Paper(576)


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Text:
    """One printed line; never wider than the paper at its scale."""

    text: str
    align: Align = Align.CENTER
    scale: int = 1
    bold: bool = False


@dataclass(frozen=True)
class Qr:
    data: str
    module_dots: int  # size of one QR module in printer dots


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    pass


Block = Text | Qr | Feed | Cut

@dataclass(frozen=True)
class TicketTexts:
    """The fixed words of a ticket. The defaults are the Bahasa Indonesia source text;
    the services pass them through the translation catalogue (``tr``), which the
    pure core does not import. ``language`` ("id" or "en") writes the dates and times
    the way the screens do (:mod:`kiosk.core.datefmt`)."""

    language: str = "id"

    heading: str = "NOMOR ANTREAN"
    category: str = "Kategori: {category}"
    scheduled: str = "Jadwal: {time}"
    checked_in: str = "Check-in: {time}"
    waiting: str = "Menunggu di depan Anda: {count} orang"
    estimate: str = "Perkiraan tunggu: +/- {minutes} menit"
    status_page: str = "Pindai QR untuk status antrean"
    instructions: str = "Harap menunggu panggilan nomor Anda di ruang tunggu"
    reprint: str = "*** CETAK ULANG ***"
    test_page: str = "HALAMAN UJI PRINTER"
    left: str = "kiri"
    right: str = "kanan"
    lansia: str = "Lansia"
    anak: str = "Anak"
    disabilitas: str = "Disabilitas"
    ibu_hamil: str = "Ibu hamil"

    def category_name(self, category: str) -> str:
        names = {"lansia": self.lansia, "anak": self.anak, "disabilitas": self.disabilitas,
                 "ibu_hamil": self.ibu_hamil}
        return names.get(category, category)


INDONESIAN = TicketTexts()


@dataclass(frozen=True)
class TicketContent:
    """Everything a ticket shows. Times are office-local and timezone-aware."""

    office_name: str
    label: str  # "A042"
    service_name: str
    reference: str  # what the QR code holds: the booking code, or the ticket reference
    printed_at: datetime
    waiting_ahead: int
    category: str | None = None  # priority walk-ins: lansia, anak, disabilitas, ibu_hamil
    scheduled: time | None = None  # booked tickets
    checked_in: datetime | None = None  # booked tickets
    reprint: bool = False
    status_url: str | None = None  # the ticket's status page: the QR code opens it instead of the reference
    estimated_minutes: int | None = None  # walk-ins: the estimated wait when it was printed

    def __post_init__(self) -> None:
        if not self.label or not self.reference:
            raise ValueError("a ticket needs a number and a reference")
        if self.waiting_ahead < 0:
            raise ValueError("waiting_ahead cannot be negative")
        if self.printed_at.tzinfo is None:
            raise ValueError("printed_at must be timezone-aware")


@dataclass(frozen=True)
class TicketLayout:
    paper: Paper
    blocks: tuple[Block, ...]

    def text_lines(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Text)]

    @property
    def qr_data(self) -> list[str]:
        return [b.data for b in self.blocks if isinstance(b, Qr)]


def printable(text: str) -> str:
    """Printable ASCII: accents dropped (é → e), anything else becomes '?'."""
    decomposed = unicodedata.normalize("NFKD", text)
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        shown = " " if ch in "\t\r\n" else ch
        out.append(shown if " " <= shown <= "~" else "?")
    return " ".join("".join(out).split())


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most ``columns`` characters; words longer than a line are broken."""
    lines = textwrap.wrap(printable(text), width=columns, break_long_words=True, break_on_hyphens=True)
    return lines or [""]


def number_scale(label: str, paper: Paper) -> int:
    """The largest character scale at which the queue number fits on one line."""
    return max(1, min(MAX_SCALE, paper.width_dots // (CHAR_WIDTH * len(label))))


def qr_module_dots(paper: Paper) -> int:
    # About half the paper width for a 25-29 module code: large enough for a phone
    # camera or the desk scanner at arm's length, small enough to leave room for text.
    return max(3, paper.width_dots // 64)


def format_date_time(at: datetime, language: str = "id") -> str:
    """'Jumat, 27 November 2026, 08.12 WIB': the screens' date and time, with the zone."""
    return f"{datefmt.date_time(at, language)} {at.tzname() or ''}".strip()


def _date_time_lines(at: datetime, paper: Paper, language: str) -> list[Block]:
    """The date and time on one line where it fits; otherwise the date, then the time
    with its zone (never a time torn from its zone by wrapping)."""
    text = printable(format_date_time(at, language))
    if len(text) <= paper.columns():
        return [Text(text)]
    return _lines(datefmt.long_date(at.date(), language), paper) + _lines(
        f"{datefmt.clock_time(at, language)} {at.tzname() or ''}".strip(), paper)


def _lines(text: str, paper: Paper, *, scale: int = 1, bold: bool = False,
           align: Align = Align.CENTER) -> list[Block]:
    return [Text(line, align, scale, bold) for line in wrap(text, paper.columns(scale))]


def _reprint_mark(paper: Paper, texts: TicketTexts) -> list[Block]:
    return _lines(texts.reprint, paper, scale=2 if paper.columns(2) >= 19 else 1, bold=True)


def layout_ticket(content: TicketContent, paper: Paper, texts: TicketTexts = INDONESIAN) -> TicketLayout:
    """The ticket, top to bottom, as the applicant reads it."""
    blocks: list[Block] = []
    if content.reprint:
        blocks += _reprint_mark(paper, texts)
        blocks.append(Feed())
    blocks += _lines(content.office_name, paper, scale=2 if paper.columns(2) >= 16 else 1, bold=True)
    blocks.append(Text("-" * paper.columns()))
    blocks += _lines(texts.heading, paper)
    label = printable(content.label)
    blocks.append(Text(label, Align.CENTER, number_scale(label, paper), bold=True))
    blocks += _lines(content.service_name, paper, bold=True)
    if content.category:
        blocks += _lines(texts.category.format(category=texts.category_name(content.category)), paper)
    blocks.append(Feed())
    if content.scheduled is not None:
        blocks += _lines(texts.scheduled.format(time=datefmt.clock_time(content.scheduled, texts.language)), paper)
    if content.checked_in is not None:
        blocks += _lines(texts.checked_in.format(time=datefmt.clock_time(content.checked_in, texts.language)), paper)
    blocks += _lines(texts.waiting.format(count=content.waiting_ahead), paper)
    if content.estimated_minutes and content.waiting_ahead > 0:
        blocks += _lines(texts.estimate.format(minutes=content.estimated_minutes), paper)
    blocks.append(Feed())
    blocks.append(Qr(printable(content.status_url or content.reference), qr_module_dots(paper)))
    if content.status_url:
        blocks += _lines(texts.status_page, paper)
    blocks += _lines(content.reference, paper)
    blocks.append(Feed())
    blocks += _lines(texts.instructions, paper)
    blocks += _date_time_lines(content.printed_at, paper, texts.language)
    if content.reprint:
        blocks.append(Feed())
        blocks += _reprint_mark(paper, texts)
    blocks.append(Feed(3))
    blocks.append(Cut())
    return TicketLayout(paper, tuple(blocks))


def layout_test_page(office_name: str, printer_name: str, paper: Paper, at: datetime,
                     texts: TicketTexts = INDONESIAN) -> TicketLayout:
    """A page that shows the printer works: widths, the largest number, a QR code, the cut."""
    blocks: list[Block] = []
    blocks += _lines(texts.test_page, paper, bold=True)
    blocks += _lines(office_name, paper)
    blocks += _lines(printer_name, paper)
    blocks.append(Text("-" * paper.columns()))
    blocks.append(Text("".join(str(i % 10) for i in range(1, paper.columns() + 1)), Align.LEFT))
    blocks.append(Text(texts.left, Align.LEFT))
    blocks.append(Text(texts.right, Align.RIGHT))
    blocks.append(Text("A000", Align.CENTER, number_scale("A000", paper), bold=True))
    blocks.append(Qr("TEST-" + at.strftime("%Y%m%d%H%M%S"), qr_module_dots(paper)))
    blocks += _date_time_lines(at, paper, texts.language)
    blocks.append(Feed(3))
    blocks.append(Cut())
    return TicketLayout(paper, tuple(blocks))
