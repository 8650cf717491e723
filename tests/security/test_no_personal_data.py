"""After a simulated day, no name, date of birth or phone number of anyone who booked or
walked in is on the waiting-room board, on a printed ticket (layout, PNG or ESC/POS
bytes) or in the log files."""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from display.feed import BoardReader
from display.window import DisplayWindow, Ticker
from kiosk.app import open_context
from kiosk.booking.intake import IncomingMessage, handle_message
from kiosk.config import from_mapping
from kiosk.core.clock import FixedClock
from kiosk.devices.printing.render_escpos import render_escpos
from kiosk.devices.printing.render_png import render_png
from kiosk.ops import setup_logging
from kiosk.services.supervisor import with_new_office_pin
from kiosk.simulate import DEFAULT_DAY, SUPERVISOR_PIN
from kiosk.simulate.day import DayEngine
from kiosk.simulate.plan import make_plan
from kiosk.store import Booking, Ticket


def _date_forms(d: date) -> set[str]:
    return {d.isoformat(), d.strftime("%d-%m-%Y"), d.strftime("%d/%m/%Y"), d.strftime("%d.%m.%Y"),
            d.strftime("%d%m%Y"), d.strftime("%Y%m%d"), d.strftime("%d/%m/%y")}


def _phone_forms(p: str) -> set[str]:
    digits = "".join(ch for ch in p if ch.isdigit())
    local = digits[1:] if digits.startswith("0") else digits[2:] if digits.startswith("62") else digits
    return {p, digits, "62" + local, "+62" + local, "0" + local}


class WatchedDay(DayEngine):
    """The simulated day, with the board redrawn after every call, as the display would."""

    def __init__(self, *args, window: DisplayWindow, reader: BoardReader, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.window, self.reader = window, reader
        self.board_texts: list[str] = []
        self.since: int | None = None

    def _call(self, counter: int) -> None:
        super()._call(counter)
        snapshot = self.reader.snapshot(self.since)
        self.since = snapshot.last_event_id
        self.window.show_board(snapshot)
        for call in snapshot.new_calls:
            self.window.highlight(call)
        self.board_texts.append(repr(snapshot))
        self.board_texts += [label.text() for label in self.window.findChildren(QLabel)]
        self.board_texts += [t.text for t in self.window.findChildren(Ticker) if hasattr(t, "text")]
        self.board_texts.append(self.window.windowTitle())


def test_no_personal_data_on_the_board_the_tickets_or_in_the_logs(qtbot, db_url, tmp_path):
    # GIVEN an office logging to its log folder at INFO, and a board reading the same store
    folder = tmp_path / "office"
    config = from_mapping({
        "office": {"code": "JKP", "name": "Kantor Imigrasi Jakarta Pusat (simulasi)"},
        "clock": {"allow_override": True},
        "priority": {"daily_quota": 30},
        "paths": {"data_dir": str(folder)},
    }, source=folder / "config.toml")
    config = with_new_office_pin(config, SUPERVISOR_PIN)
    root = logging.getLogger()
    handlers_before, level_before = list(root.handlers), root.level
    log_path = setup_logging(config, level=logging.DEBUG)
    clock = FixedClock(datetime.combine(DEFAULT_DAY, time(6, 0), tzinfo=config.tz))
    ctx = open_context(config, db_url=db_url, clock=clock)
    window = DisplayWindow(config, clock.now)
    qtbot.addWidget(window)
    try:
        reader = BoardReader(ctx.db, list(config.queue.services), config.tz, clock, recent=5)
        plan = make_plan(DEFAULT_DAY, 50, 12, 3, config.tz)
        # WHEN a whole day is played: bookings, scans, walk-ins, calls, reprints
        engine = WatchedDay(ctx, clock, plan, SUPERVISOR_PIN, window=window, reader=reader)
        engine.run()
        # AND a few WhatsApp bookings arrive (the intake logs each message)
        for i, text in enumerate(["#Sekar Ayuningtyas#14021990#15122026", "#Bambang Wiryawan#03111975#16122026",
                                  "#Sekar Ayuningtyas#14021990#BUKAN TANGGAL"]):
            handle_message(ctx, IncomingMessage(f"wamid.privacy{i}", f"08139876543{i}", text), render_image=False)
        intake = [("Sekar Ayuningtyas", date(1990, 2, 14), "081398765430"),
                  ("Bambang Wiryawan", date(1975, 11, 3), "081398765431"), (None, None, "081398765432")]
        with ctx.db.read() as session:
            people = [(b.name, b.birth_date, b.phone) for b in session.scalars(select(Booking))]
            people += [(t.name, t.birth_date, None) for t in session.scalars(select(Ticket))]
        people += intake
    finally:
        window.shutdown()
        ctx.close()
        for handler in root.handlers[:]:
            if handler not in handlers_before:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level_before)
    secrets: set[str] = set()
    for name, birth, phone in people:
        if name:
            secrets.add(name)
        if birth:
            secrets |= _date_forms(birth)
        if phone:
            secrets |= _phone_forms(phone)
    assert len([p for p in people if p[2]]) >= 50 + 3 and any(p[1] for p in people if not p[2])  # walk-ins' too

    board = "\n".join(engine.board_texts)
    printed = engine.printer.printed
    tickets = "\n".join("\n".join(p.layout.text_lines()) + "\n" + str(p.layout.qr_data) for p in printed)
    model = engine.printer.model
    paper = [render_escpos(p.layout, model) for p in printed[:40]] + [render_png(p.layout) for p in printed[:10]]
    logs = "\n".join(p.read_text(encoding="utf-8") for p in log_path.parent.glob("*.log*"))
    # THEN the day really produced what is searched
    assert len(printed) > 50 and "LOKET" in board and "privacy2 from ..." in logs
    # AND none of those holds a name, a date of birth or a phone number
    for where, text in (("board", board), ("tickets", tickets), ("logs", logs)):
        found = sorted(s for s in secrets if s in text)
        assert not found, f"personal data in the {where}: {found[:10]}"
    found = sorted(s for s in secrets for blob in paper if s.encode("utf-8") in blob)
    assert not found, f"personal data in the printer's bytes: {found[:10]}"
