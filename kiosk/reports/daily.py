"""The daily report: every figure is derived from stored events and rows, never from
in-memory counters, so it is the same after a crash, a restart or a privacy purge.

A report is taken *as of* a moment (``DailyReport.as_of``): now for today, the end of
the day for a past day. Ticket states are those of the last event at or before that
moment, and a booking that was never scanned counts as a no-show only once its arrival
window (slot − ``arrival.must_arrive_before``) has closed by then; before that it is
still expected. The desk's *Hari ini* tab shows today's live states, which are the
same figures as this report taken now.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.booking.rules import IntakeRules
from kiosk.core.arrival import slot_datetime
from kiosk.services.common import priority_tickets_issued
from kiosk.store import Booking, CheckinAttempt, Ticket, TicketEvent

WORKING_DAYS = 7  # the week table: this many service days, the report's day last
_ENDING = {"done", "no_show", "transfer", "cancel"}  # events that free the counter


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
class ServiceRow:
    """One service (by the letter printed on the ticket, so a transferred A042 stays A)."""

    service: str
    tickets: int
    served: int
    waiting: Durations  # issued → first call
    service_time: Durations  # last call → done


@dataclass(frozen=True)
class HourRow:
    """One office-clock hour. Waits are those of the people who *arrived* in that hour
    and have been called; the longest wait is the longest of them."""

    hour: int
    arrivals: int
    calls: int
    wait_average: float | None
    wait_longest: float | None


@dataclass(frozen=True)
class CounterRow:
    """One loket: tickets served, time at the counter (last call → done), and idle time:
    minutes between its first call and its last ticket with nobody at the counter."""

    counter: int
    served: int
    service_time: Durations
    idle_minutes: float | None


@dataclass(frozen=True)
class CategoryRow:
    category: str  # lansia | anak | disabilitas | ibu_hamil
    tickets: int
    served: int
    waiting: Durations


@dataclass(frozen=True)
class DayTotals:
    day: date
    tickets: int
    served: int
    waiting_average: float | None


@dataclass(frozen=True)
class WeekTrend:
    """The report's day against a base: the same weekday a week earlier when that was a
    service day, else the average of the other working days in the table. For a day
    still in progress both are counted up to the same clock time."""

    tickets: int
    base: float | None  # None: nothing to compare with
    base_day: date | None  # the day a week earlier; None when the base is an average
    base_days: int = 0  # how many days the average is over
    until: time | None = None  # counted up to this office time (a day in progress)

    @property
    def change_percent(self) -> int | None:
        if self.base is None or self.base <= 0:
            return None
        return round(100 * (self.tickets - self.base) / self.base)


@dataclass
class DailyReport:
    day: date
    office: str
    office_name: str
    as_of: datetime | None = None  # office time the states are taken at
    in_progress: bool = False  # the day has not ended at ``as_of``
    bookings: int = 0
    checked_in: int = 0
    void: int = 0
    cancelled: int = 0
    not_arrived: int = 0  # booked, never scanned, neither void nor cancelled (= the two below)
    booked_no_show: int = 0  # … and the arrival window has closed
    still_expected: int = 0  # … and the arrival window is still open
    too_early_attempts: int = 0
    too_early_bookings: int = 0
    no_shows: int = 0  # called and did not come to the counter
    arrived: int = 0  # tickets issued: checked-in bookings and priority walk-ins
    served: int = 0
    waiting_now: int = 0
    priority_used: int = 0
    priority_quota: int = 0
    service_names: dict[str, str] = field(default_factory=dict)  # letter → the office's name for it
    walk_ins: dict[str, int] = field(default_factory=dict)
    tickets_per_service: dict[str, int] = field(default_factory=dict)
    waiting: dict[str, Durations] = field(default_factory=dict)  # by service letter of the ticket
    service_time: dict[int, Durations] = field(default_factory=dict)  # by counter
    arrivals_per_hour: dict[int, int] = field(default_factory=dict)
    calls_per_hour: dict[int, int] = field(default_factory=dict)
    services: list[ServiceRow] = field(default_factory=list)
    hours: list[HourRow] = field(default_factory=list)
    counters: list[CounterRow] = field(default_factory=list)
    categories: list[CategoryRow] = field(default_factory=list)
    week: list[DayTotals] = field(default_factory=list)  # the last working days, oldest first
    trend: WeekTrend | None = None


def _minutes(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 60


def report_moment(ctx: AppContext, day: date, now: datetime | None = None) -> tuple[datetime, bool]:
    """The office time a report of ``day`` is taken at, and whether the day is still in
    progress then: ``now`` within the day, its end for a past day, its start for a future one."""
    tz = ctx.config.tz
    local_now = (now or ctx.now()).astimezone(tz)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = start + timedelta(days=1)
    if local_now >= end:
        return end, False
    if local_now < start:
        return start, False
    return local_now, True


def _ticket_timings(ctx: AppContext, day: date, until: datetime) -> tuple[list[Ticket], dict[int, list[TicketEvent]]]:
    """The day's tickets issued by ``until`` and their events up to it, in order."""
    with ctx.db.read() as session:
        tickets = list(session.scalars(select(Ticket).where(Ticket.service_day == day).order_by(Ticket.id)))
        events: dict[int, list[TicketEvent]] = defaultdict(list)
        for event in session.scalars(select(TicketEvent).join(Ticket, Ticket.id == TicketEvent.ticket_id)
                                     .where(Ticket.service_day == day, TicketEvent.at <= until)
                                     .order_by(TicketEvent.id)):
            events[event.ticket_id].append(event)
    return [t for t in tickets if any(e.kind == "issued" for e in events.get(t.id, []))], events


def _first(events: list[TicketEvent], kind: str) -> TicketEvent | None:
    return next((e for e in events if e.kind == kind), None)


def _wait(events: list[TicketEvent]) -> float | None:
    issued, call = _first(events, "issued"), _first(events, "call")
    return _minutes(issued.at, call.at) if issued and call else None


def _service_times(events: list[TicketEvent]) -> list[tuple[int, float]]:
    """(counter, minutes) from the last call to each ``done``."""
    out = []
    last_call: TicketEvent | None = None
    for e in events:
        if e.kind == "call":
            last_call = e
        elif e.kind == "done" and last_call is not None and e.counter is not None:
            out.append((e.counter, _minutes(last_call.at, e.at)))
    return out


def _occupancy(events: list[TicketEvent], until: datetime) -> list[tuple[int, datetime, datetime]]:
    """(counter, from, to): the spans a counter was busy with this ticket, from its call
    to the event that freed the counter (a recall continues the same span)."""
    spans = []
    current: tuple[int, datetime] | None = None
    for e in events:
        if e.kind == "call" and e.counter is not None and current is None:
            current = (e.counter, e.at)
        elif e.kind in _ENDING and current is not None:
            spans.append((current[0], current[1], e.at))
            current = None
    if current is not None:
        spans.append((current[0], current[1], until))
    return spans


def _idle_minutes(spans: list[tuple[datetime, datetime]]) -> float | None:
    if not spans:
        return None
    spans = sorted(spans)
    busy, (start, end) = 0.0, spans[0]
    for a, b in spans[1:]:
        if a > end:
            busy += _minutes(start, end)
            start, end = a, b
        else:
            end = max(end, b)
    busy += _minutes(start, end)
    return round(_minutes(spans[0][0], max(b for _, b in spans)) - busy, 1)


def daily_report(ctx: AppContext, day: date, now: datetime | None = None) -> DailyReport:
    """The report of ``day`` as of ``now`` (default: the context's clock)."""
    tz = ctx.config.tz
    as_of, in_progress = report_moment(ctx, day, now)
    start = datetime.combine(day, time.min, tzinfo=tz)
    report = DailyReport(day, ctx.config.office.code, ctx.config.office.name, as_of=as_of, in_progress=in_progress)
    deadline = timedelta(minutes=ctx.config.arrival.must_arrive_before)
    with ctx.db.read() as session:
        bookings = list(session.scalars(select(Booking).where(Booking.service_date == day)))
        attempts = list(session.scalars(select(CheckinAttempt).where(
            CheckinAttempt.at >= start, CheckinAttempt.at < as_of, CheckinAttempt.outcome == "too_early")))
        report.priority_used = priority_tickets_issued(ctx, session, day)
    report.priority_quota = ctx.config.priority.daily_quota
    report.service_names = dict(ctx.config.queue.services)
    report.bookings = len(bookings)
    status = Counter(b.status for b in bookings)
    report.checked_in, report.void, report.cancelled = status["checked_in"], status["void"], status["cancelled"]
    never_scanned = [b for b in bookings if b.status == "active"]
    report.not_arrived = len(never_scanned)
    report.booked_no_show = sum(1 for b in never_scanned if slot_datetime(day, b.slot, tz) - deadline < as_of)
    report.still_expected = report.not_arrived - report.booked_no_show
    report.too_early_attempts = len(attempts)
    report.too_early_bookings = len({a.booking_id for a in attempts})

    tickets, events = _ticket_timings(ctx, day, as_of)
    _ticket_figures(ctx, report, tickets, events, as_of)
    _week(ctx, report)
    return report


def _ticket_figures(ctx: AppContext, report: DailyReport, tickets: list[Ticket],
                    events: dict[int, list[TicketEvent]], as_of: datetime) -> None:
    tz = ctx.config.tz
    waits: dict[str, list[float]] = defaultdict(list)
    service_by_prefix: dict[str, list[float]] = defaultdict(list)
    service_by_counter: dict[int, list[float]] = defaultdict(list)
    served_by_prefix: Counter[str] = Counter()
    arrivals: Counter[int] = Counter()
    calls: Counter[int] = Counter()
    hour_waits: dict[int, list[float]] = defaultdict(list)
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    by_category: dict[str, list[Ticket]] = defaultdict(list)
    for t in tickets:
        evs = events[t.id]
        issued_hour = _first(evs, "issued").at.astimezone(tz).hour  # type: ignore[union-attr]
        arrivals[issued_hour] += 1
        calls.update(e.at.astimezone(tz).hour for e in evs if e.kind == "call")
        wait = _wait(evs)
        if wait is not None:
            waits[t.prefix].append(wait)
            hour_waits[issued_hour].append(wait)
        times = _service_times(evs)
        for counter, minutes in times:
            service_by_counter[counter].append(minutes)
            service_by_prefix[t.prefix].append(minutes)
        if times:
            served_by_prefix[t.prefix] += 1
        report.no_shows += sum(1 for e in evs if e.kind == "no_show")
        if evs[-1].to_state == "waiting":
            report.waiting_now += 1
        for counter, a, b in _occupancy(evs, as_of):
            busy[counter].append((a, b))
        if t.category:
            by_category[t.category].append(t)

    report.arrived = len(tickets)
    report.served = sum(served_by_prefix.values())
    report.walk_ins = {c: len(ts) for c, ts in by_category.items()}
    report.tickets_per_service = {s: sum(1 for t in tickets if t.prefix == s) for s in ctx.config.queue.services}
    report.waiting = {s: Durations.of(m) for s, m in sorted(waits.items())}
    report.service_time = {c: Durations.of(m) for c, m in sorted(service_by_counter.items())}
    report.arrivals_per_hour = dict(sorted(arrivals.items()))
    report.calls_per_hour = dict(sorted(calls.items()))
    report.services = [ServiceRow(s, n, served_by_prefix[s], Durations.of(waits.get(s, [])),
                                  Durations.of(service_by_prefix.get(s, [])))
                       for s, n in report.tickets_per_service.items()]
    hours = sorted(set(arrivals) | set(calls))
    report.hours = [HourRow(h, arrivals[h], calls[h], Durations.of(hour_waits.get(h, [])).average,
                            round(max(hour_waits[h]), 1) if hour_waits.get(h) else None)
                    for h in range(hours[0], hours[-1] + 1)] if hours else []
    report.counters = [CounterRow(c, len(service_by_counter.get(c, [])), Durations.of(service_by_counter.get(c, [])),
                                  _idle_minutes(busy[c])) for c in sorted(set(busy) | set(service_by_counter))]
    order = {c: i for i, c in enumerate(ctx.config.priority.categories)}
    report.categories = [
        CategoryRow(c, len(ts), sum(1 for t in ts if _service_times(events[t.id])),
                    Durations.of([w for t in ts if (w := _wait(events[t.id])) is not None]))
        for c, ts in sorted(by_category.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))]


# --- the last working days -----------------------------------------------------------------

def working_days(ctx: AppContext, day: date, count: int = WORKING_DAYS) -> list[date]:
    """The last ``count`` service days up to and including ``day``, oldest first: days of
    the week without service and the configured holidays are left out."""
    rules = IntakeRules.from_settings(ctx.config.intake)
    days: list[date] = []
    d = day
    while len(days) < count and (day - d).days <= 366:  # an office with no service day at all
        if rules.is_service_day(d):
            days.append(d)
        d -= timedelta(days=1)
    return days[::-1]


def day_totals(ctx: AppContext, day: date, until: time | None = None) -> DayTotals:
    """Tickets, served and average wait of ``day`` (up to the office time ``until``)."""
    tz = ctx.config.tz
    end = datetime.combine(day, until, tzinfo=tz) if until is not None \
        else datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    tickets, events = _ticket_timings(ctx, day, end)
    served = sum(1 for t in tickets if any(e.kind == "done" for e in events[t.id]))
    waits = [w for t in tickets if (w := _wait(events[t.id])) is not None]
    return DayTotals(day, len(tickets), served, Durations.of(waits).average)


def _week(ctx: AppContext, report: DailyReport) -> None:
    day = report.day
    until = report.as_of.time() if report.in_progress and report.as_of else None
    days = working_days(ctx, day)
    report.week = [day_totals(ctx, d) for d in days]
    if not days or days[-1] != day:
        return  # the report's day is not a service day: no trend
    today = day_totals(ctx, day, until).tickets
    a_week_ago = day - timedelta(days=7)
    if IntakeRules.from_settings(ctx.config.intake).is_service_day(a_week_ago):
        report.trend = WeekTrend(today, day_totals(ctx, a_week_ago, until).tickets, a_week_ago, until=until)
    elif len(days) > 1:
        others = [day_totals(ctx, d, until).tickets for d in days[:-1]]
        report.trend = WeekTrend(today, sum(others) / len(others), None, len(others), until=until)
