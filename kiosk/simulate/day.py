"""A simulated office day played through the real services, at the pace of a FixedClock.

Bookings are made the day before with ``add_booking``; on the day, the desk scans codes
with ``check_in`` and issues priority tickets with ``walk_in``; four counters call,
recall, serve, finish, mark no-shows and transfer with the counter services; the print
outbox is drained by the real printer loop into a :class:`RecordingPrinter` that runs
out of paper, goes offline and loses a ticket halfway. Nothing sleeps: the clock jumps
from one event to the next. The simulation keeps its own ledger of what happened, which
``kiosk.simulate.checks`` holds against the database and the daily report.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from kiosk.app import AppContext
from kiosk.core import booking_code
from kiosk.core.booking_code import OfficeKey
from kiosk.core.clock import FixedClock
from kiosk.devices.printing.profiles import printer_model
from kiosk.devices.printing.recording import RecordingPrinter
from kiosk.devices.printing.status import PrinterState
from kiosk.services import (
    add_booking, call_next, check_in, finish, no_show, recall, reprint, start_serving, transfer, walk_in,
)
from kiosk.services.printing import printer_worker
from kiosk.services.results import CheckInOutcome, TicketInfo, WalkInOutcome
from kiosk.simulate.plan import COUNTERS_OPEN, DayPlan, PlannedBooking

PRINTER_FAULTS = [  # (local time, state until repaired, minutes)
    (time(10, 0), PrinterState.PAPER_OUT, 12),
    (time(13, 30), PrinterState.OFFLINE, 5),
]
TICKET_LOST_HALFWAY_AT = time(11, 0)  # the paper runs out in the middle of the next ticket
LOST_TICKET_REPRINT_AT = time(12, 0)  # an applicant lost their ticket: supervisor reprint
# Booked applicants who turn out to belong in the priority queue: the first called after each time.
TRANSFERS_AFTER = [time(9, 30), time(11, 30)]


@dataclass
class TicketRecord:
    """The simulation's own account of one ticket (times office-local)."""

    label: str
    prefix: str
    issued_at: datetime
    category: str | None = None
    booking: int | None = None  # PlannedBooking.index
    calls: list[tuple[datetime, int]] = field(default_factory=list)
    done: tuple[datetime, int] | None = None
    no_show: bool = False
    transfers: int = 0
    recalls: int = 0


@dataclass
class Ledger:
    scans: list[tuple[int, str, CheckInOutcome]] = field(default_factory=list)  # (booking, kind, outcome)
    walk_ins: list[tuple[str, bool, WalkInOutcome]] = field(default_factory=list)  # (category, valid, outcome)
    tickets: dict[str, TicketRecord] = field(default_factory=dict)
    accepted: dict[int, str] = field(default_factory=dict)  # booking index -> ticket label
    reprinted: list[str] = field(default_factory=list)  # supervisor reprints
    print_failures: int = 0


class DayEngine:
    def __init__(self, ctx: AppContext, clock: FixedClock, plan: DayPlan, pin: str) -> None:
        self.ctx, self.clock, self.plan, self.pin = ctx, clock, plan, pin
        self.rng = random.Random(plan.seed + 1)
        self.tz = ctx.config.tz
        self.ledger = Ledger()
        self.printer = RecordingPrinter(printer_model(ctx.config.printer.profile))
        self.spooler = printer_worker(ctx, self.printer, name="printer-sim")
        self._events: list[tuple[datetime, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self.counters = sorted(int(c) for c in ctx.config.queue.counters)
        self.idle: set[int] = set()
        self.woken: set[int] = set()
        self.transfers = list(TRANSFERS_AFTER)

    # --- the event queue --------------------------------------------------------------

    def at(self, when: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self._events, (when, next(self._seq), action))

    def run(self) -> Ledger:
        self._make_bookings()
        day = self.plan.day
        for b in self.plan.bookings:
            for n, when in enumerate(b.scans):
                self.at(when, lambda b=b, n=n: self._scan(b, n))
        for w in self.plan.walk_ins:
            self.at(w.at, lambda w=w: self._walk_in(w.category, w.birth, w.valid))
        for c in self.counters:
            self.at(self._local(day, COUNTERS_OPEN) + timedelta(seconds=15 * c), lambda c=c: self._call(c))
        for start, state, minutes in PRINTER_FAULTS:
            at = self._local(day, start)
            self.at(at, lambda state=state: setattr(self.printer, "fault", state))
            self.at(at + timedelta(minutes=minutes), self._repair_printer)
        self.at(self._local(day, TICKET_LOST_HALFWAY_AT), lambda: setattr(self.printer, "break_next", 1))
        self.at(self._local(day, LOST_TICKET_REPRINT_AT), self._reprint_lost)
        while self._events:
            when, _, action = heapq.heappop(self._events)
            self.clock.set(when)
            action()
        self._repair_printer()
        return self.ledger

    def _local(self, day: object, t: time) -> datetime:
        return datetime.combine(day, t, tzinfo=self.tz)  # type: ignore[arg-type]

    def now(self) -> datetime:
        return self.clock.now().astimezone(self.tz)

    # --- the day before: bookings ------------------------------------------------------

    def _make_bookings(self) -> None:
        self.clock.set(self._local(self.plan.day, time(10, 0)) - timedelta(days=1))
        for b in self.plan.bookings:
            info = add_booking(self.ctx, name=b.name, birth=b.birth, service_date=b.service_date, slot=b.slot,
                               phone=f"0812{self.rng.randint(10_000_000, 99_999_999)}", source="local")
            b.code = info.code
            self.clock.advance(timedelta(seconds=self.rng.randint(20, 400)))

    # --- the desk ----------------------------------------------------------------------

    def _scan(self, b: PlannedBooking, n: int) -> None:
        text = self._garbage(b) if b.garbage else b.code
        result = check_in(self.ctx, text, actor="desk1")
        self.ledger.scans.append((b.index, b.garbage or b.arrival.value, result.outcome))
        if result.issued:
            assert result.ticket is not None
            self.ledger.accepted[b.index] = result.ticket.label
            self._issued(result.ticket, booking=b.index)
            if b.rescan:
                self.at(self.now() + timedelta(minutes=5), lambda: self._rescan(b))

    def _rescan(self, b: PlannedBooking) -> None:
        result = check_in(self.ctx, b.code, actor="desk1")
        self.ledger.scans.append((b.index, "rescan", result.outcome))

    def _garbage(self, b: PlannedBooking) -> str:
        office = self.ctx.config.office.code
        if b.garbage == "forged":  # this booking's fields with a made-up MAC
            real = booking_code.parse(b.code)
            fake = "".join(self.rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(8))
            return booking_code.BookingCode(office, real.service_date, real.slot, real.number,
                                            fake if fake != real.mac else "00000000").text
        if b.garbage == "other_office":
            key = OfficeKey("other", self.rng.randbytes(32))
            return booking_code.generate(key, "DPS", b.service_date, b.slot, 7).text
        if b.garbage == "huge":
            return "AP1-" + "X" * 5000
        if b.garbage == "control":
            return "AP1-JKP\x00\x1b[2J"
        if b.garbage == "unknown_import":
            return "IMP-" + str(self.rng.randint(100000, 999999))
        return "".join(self.rng.choice("abcdefghij0123456789 -:/") for _ in range(30))

    def _walk_in(self, category: str, birth: object, valid: bool) -> None:
        name = "Pemohon Prioritas" if birth else None
        result = walk_in(self.ctx, category, birth=birth, name=name, actor="desk1")  # type: ignore[arg-type]
        self.ledger.walk_ins.append((category, valid, result.outcome))
        if result.issued:
            assert result.ticket is not None
            self._issued(result.ticket)

    def _issued(self, ticket: TicketInfo, booking: int | None = None) -> None:
        self.ledger.tickets[ticket.label] = TicketRecord(ticket.label, ticket.prefix, self.now(), ticket.category,
                                                         booking)
        self._print()
        self._wake_idle()

    def _reprint_lost(self) -> None:
        served = [t for t in self.ledger.tickets.values() if t.calls]
        if not served:
            return
        label = self.rng.choice(served).label
        info, _ = reprint(self.ctx, label, pin=self.pin, actor="supervisor")
        self.ledger.reprinted.append(info.label)
        self._print()

    # --- the printer ---------------------------------------------------------------------

    def _print(self) -> None:
        if not self.spooler.drain():
            self.ledger.print_failures += 1

    def _repair_printer(self) -> None:
        self.printer.fault = None
        self._print()

    # --- the counters --------------------------------------------------------------------

    def _wake_idle(self) -> None:
        for c in sorted(self.idle - self.woken):
            self.woken.add(c)
            self.at(self.now() + timedelta(seconds=self.rng.randint(5, 45)), lambda c=c: self._call(c))

    def _call(self, counter: int) -> None:
        self.woken.discard(counter)
        result = call_next(self.ctx, counter, actor=f"loket{counter}")
        if result.finished is not None:  # the officer pressed "next" without "done"
            self._done(result.finished.label, counter)
        if result.ticket is None:
            self.idle.add(counter)
            return
        self.idle.discard(counter)
        label = result.ticket.label
        record = self.ledger.tickets[label]
        record.calls.append((self.now(), counter))
        roll = self.rng.random()
        if roll < 0.04:  # not there: called twice, then a no-show
            self.after(2, lambda: self._recall(counter, label))
            self.after(4, lambda: self._no_show(counter, label))
        elif record.prefix == "A" and self.transfers and self.now().time() >= self.transfers[0]:
            self.transfers.pop(0)
            self.after(1, lambda: self._transfer(counter, label))
        else:
            walk = 0.3 + self.rng.random()
            if roll > 0.94:  # did not hear the first call
                self.after(1, lambda: self._recall(counter, label))
                walk += 1.5
            self.after(walk, lambda: self._serve(counter, label))

    def after(self, minutes: float, action: Callable[[], None]) -> None:
        self.at(self.now() + timedelta(seconds=round(minutes * 60)), action)

    def _recall(self, counter: int, label: str) -> None:
        result = recall(self.ctx, counter, actor=f"loket{counter}")
        assert result.ticket is not None and result.ticket.label == label, result
        self.ledger.tickets[label].recalls += 1

    def _no_show(self, counter: int, label: str) -> None:
        no_show(self.ctx, counter, actor=f"loket{counter}")
        self.ledger.tickets[label].no_show = True
        self._call(counter)

    def _transfer(self, counter: int, label: str) -> None:
        transfer(self.ctx, counter, self.ctx.config.queue.priority_service, actor=f"loket{counter}")
        self.ledger.tickets[label].transfers += 1
        self._wake_idle()
        self._call(counter)

    def _serve(self, counter: int, label: str) -> None:
        start_serving(self.ctx, counter, actor=f"loket{counter}")
        record = self.ledger.tickets[label]
        median = 8.0 if record.prefix == "B" else 6.0
        minutes = min(25.0, max(2.5, median * math.exp(self.rng.gauss(0, 0.35))))
        self.after(minutes, lambda: self._finish(counter, label))

    def _finish(self, counter: int, label: str) -> None:
        if self.rng.random() < 0.8:
            finish(self.ctx, counter, actor=f"loket{counter}")
            self._done(label, counter)
        self._call(counter)  # without "done", call-next closes the ticket itself

    def _done(self, label: str, counter: int) -> None:
        self.ledger.tickets[label].done = (self.now(), counter)
