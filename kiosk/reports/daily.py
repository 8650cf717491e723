"""The daily report: every figure is derived from stored events and rows, never from
in-memory counters, so it is the same after a crash, a restart or a privacy purge."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.store import Booking, CheckinAttempt, Ticket, TicketEvent


@dataclass(frozen=True)
class Durations:
    """Minutes: count, average, median and 90th percentile (nearest rank)."""

    count: int
    average: float | None
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, minutes: list[float]) -> Durations:
        if not minutes:
            return cls(0, None, None, None)
        ordered = sorted(minutes)
        p90 = ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]
        return cls(len(ordered), round(statistics.fmean(ordered), 1), round(statistics.median(ordered), 1),
                   round(p90, 1))


@dataclass(frozen=True)
class DayTotals:
    day: date
    tickets: int
    served: int
    waiting_average: float | None


@dataclass
class DailyReport:
    day: date
    office: str
    office_name: str
    bookings: int = 0
    checked_in: int = 0
    void: int = 0
    cancelled: int = 0
    not_arrived: int = 0  # booked, never scanned, neither void nor cancelled
    too_early_attempts: int = 0
    too_early_bookings: int = 0
    no_shows: int = 0  # called and did not come to the counter
    walk_ins: dict[str, int] = field(default_factory=dict)
    tickets_per_service: dict[str, int] = field(default_factory=dict)
    waiting: dict[str, Durations] = field(default_factory=dict)  # by service letter of the ticket
    service_time: dict[int, Durations] = field(default_factory=dict)  # by counter
    arrivals_per_hour: dict[int, int] = field(default_factory=dict)
    calls_per_hour: dict[int, int] = field(default_factory=dict)
    week: list[DayTotals] = field(default_factory=list)
    week_trend: float = 0.0  # tickets per day, least-squares slope over the week


def _local_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def _minutes(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 60


def _ticket_timings(ctx: AppContext, day: date) -> tuple[list[Ticket], dict[int, list[TicketEvent]]]:
    with ctx.db.read() as session:
        tickets = list(session.scalars(select(Ticket).where(Ticket.service_day == day)))
        events: dict[int, list[TicketEvent]] = defaultdict(list)
        for event in session.scalars(select(TicketEvent).join(Ticket, Ticket.id == TicketEvent.ticket_id)
                                     .where(Ticket.service_day == day).order_by(TicketEvent.id)):
            events[event.ticket_id].append(event)
    return tickets, events


def _waits(tickets: list[Ticket], events: dict[int, list[TicketEvent]]) -> dict[str, list[float]]:
    waits: dict[str, list[float]] = defaultdict(list)
    for t in tickets:
        evs = events.get(t.id, [])
        issued = next((e.at for e in evs if e.kind == "issued"), None)
        first_call = next((e.at for e in evs if e.kind == "call"), None)
        if issued and first_call:
            waits[t.prefix].append(_minutes(issued, first_call))
    return waits


def daily_report(ctx: AppContext, day: date) -> DailyReport:
    tz = ctx.config.tz
    start, end = _local_bounds(day, tz)
    report = DailyReport(day, ctx.config.office.code, ctx.config.office.name)
    with ctx.db.read() as session:
        bookings = list(session.scalars(select(Booking).where(Booking.service_date == day)))
        attempts = list(session.scalars(select(CheckinAttempt).where(
            CheckinAttempt.at >= start, CheckinAttempt.at < end, CheckinAttempt.outcome == "too_early")))
    report.bookings = len(bookings)
    status = Counter(b.status for b in bookings)
    report.checked_in, report.void, report.cancelled = status["checked_in"], status["void"], status["cancelled"]
    report.not_arrived = status["active"]
    report.too_early_attempts = len(attempts)
    report.too_early_bookings = len({a.booking_id for a in attempts})

    tickets, events = _ticket_timings(ctx, day)
    report.walk_ins = dict(Counter(t.category for t in tickets if t.category))
    report.tickets_per_service = {s: sum(1 for t in tickets if t.prefix == s) for s in ctx.config.queue.services}
    report.waiting = {s: Durations.of(m) for s, m in sorted(_waits(tickets, events).items())}
    service: dict[int, list[float]] = defaultdict(list)
    arrivals: Counter[int] = Counter()
    calls: Counter[int] = Counter()
    no_shows = 0
    for t in tickets:
        last_call: TicketEvent | None = None
        for e in events.get(t.id, []):
            hour = e.at.astimezone(tz).hour
            if e.kind == "issued":
                arrivals[hour] += 1
            elif e.kind == "call":
                calls[hour] += 1
                last_call = e
            elif e.kind == "done" and last_call is not None and e.counter is not None:
                service[e.counter].append(_minutes(last_call.at, e.at))
            elif e.kind == "no_show":
                no_shows += 1
    report.no_shows = no_shows
    report.service_time = {c: Durations.of(m) for c, m in sorted(service.items())}
    report.arrivals_per_hour = dict(sorted(arrivals.items()))
    report.calls_per_hour = dict(sorted(calls.items()))
    report.week = [_day_totals(ctx, day - timedelta(days=i)) for i in range(6, -1, -1)]
    report.week_trend = _slope([d.tickets for d in report.week])
    return report


def _day_totals(ctx: AppContext, day: date) -> DayTotals:
    tickets, events = _ticket_timings(ctx, day)
    served = sum(1 for t in tickets if any(e.kind == "done" for e in events.get(t.id, [])))
    waits = [m for ms in _waits(tickets, events).values() for m in ms]
    return DayTotals(day, len(tickets), served, Durations.of(waits).average)


def _slope(values: list[int]) -> float:
    n = len(values)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    den = sum((x - mean_x) ** 2 for x in range(n))
    return round(sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / den, 2)
