"""What must hold after a simulated day, checked against the database, the paper and the
daily report; and the day's KPIs."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from kiosk.app import AppContext
from kiosk.core.tickets import WaitingTicket, choose_next
from kiosk.reports.daily import DailyReport, Durations, daily_report
from kiosk.services.printing import ticket_texts
from kiosk.services.results import CheckInOutcome, WalkInOutcome
from kiosk.simulate.day import DayEngine, Ledger
from kiosk.simulate.plan import Arrival, DayPlan
from kiosk.store import Booking, PrintJob, Ticket, TicketEvent

EXPECTED_SCAN = {
    Arrival.ON_TIME.value: {CheckInOutcome.ACCEPTED},
    Arrival.LATE.value: {CheckInOutcome.VOID},
    Arrival.WRONG_DAY.value: {CheckInOutcome.WRONG_DAY},
    "rescan": {CheckInOutcome.ALREADY_CHECKED_IN},
    "forged": {CheckInOutcome.INVALID},
    "other_office": {CheckInOutcome.WRONG_OFFICE},
    "noise": {CheckInOutcome.INVALID, CheckInOutcome.UNKNOWN},
    "huge": {CheckInOutcome.INVALID},
    "control": {CheckInOutcome.INVALID},
    "unknown_import": {CheckInOutcome.UNKNOWN},
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _check(name: str, problems: list[str], done: str) -> Check:
    return Check(name, not problems, "; ".join(problems[:5]) + (f" (+{len(problems) - 5})" if len(problems) > 5
                                                               else "") if problems else done)


def check_outcomes(plan: DayPlan, ledger: Ledger) -> Check:
    by_index = {b.index: b for b in plan.bookings}
    problems = []
    seen: dict[int, int] = defaultdict(int)
    for index, kind, outcome in ledger.scans:
        if kind == Arrival.TOO_EARLY.value:
            n = seen[index]
            expected = {CheckInOutcome.TOO_EARLY} if n == 0 else {CheckInOutcome.ACCEPTED}
            seen[index] += 1
        else:
            expected = EXPECTED_SCAN[kind]
        if outcome not in expected:
            problems.append(f"booking {index} ({kind}, slot {by_index[index].slot}): {outcome.value}")
    for category, valid, verdict in ledger.walk_ins:
        ok = verdict is WalkInOutcome.ISSUED if valid else verdict in (WalkInOutcome.AGE_REFUSED,
                                                                       WalkInOutcome.BIRTH_REQUIRED)
        if not ok:
            problems.append(f"walk-in {category} ({'valid' if valid else 'invalid'}): {verdict.value}")
    return _check("every scan and walk-in got the verdict its arrival deserves", problems,
                  f"{len(ledger.scans)} scans, {len(ledger.walk_ins)} walk-ins")


def check_tickets(ctx: AppContext, plan: DayPlan, ledger: Ledger) -> list[Check]:
    day = plan.day
    codes = {b.code: b for b in plan.bookings}
    with ctx.db.read() as session:
        tickets = list(session.scalars(select(Ticket).where(Ticket.service_day == day)))
        bookings = {b.id: b for b in session.scalars(select(Booking))}
        unfinished = [t.label for t in tickets if t.state not in ("done", "no_show")]
    per_booking: Counter[int] = Counter()
    problems = []
    for t in tickets:
        if t.booking_id is not None:
            booking = bookings[t.booking_id]
            planned = codes.get(booking.code)
            if planned is None:
                problems.append(f"{t.label}: a booking the day did not make")
                continue
            per_booking[planned.index] += 1
            if t.number != booking.number or t.prefix != ctx.config.queue.booking_service:
                problems.append(f"{t.label}: booking number {booking.number}")
    for index, label in ledger.accepted.items():
        if per_booking[index] != 1:
            problems.append(f"accepted booking {index} ({label}) has {per_booking[index]} tickets")
    extra = set(per_booking) - set(ledger.accepted)
    problems += [f"booking {i} has a ticket but was never accepted" for i in sorted(extra)]
    one = _check("every accepted booking has exactly one ticket, with its booked number", problems,
                 f"{len(ledger.accepted)} accepted, {len(per_booking)} with a ticket")

    labels = Counter(t.label for t in tickets)
    twice = [f"{label} x{n}" for label, n in labels.items() if n > 1]
    missing = sorted(set(ledger.tickets) - set(labels)) + sorted(set(labels) - set(ledger.tickets))
    unique = _check("no number twice, and every ticket the day issued is in the database",
                    twice + [f"{label}: only on one side" for label in missing], f"{len(labels)} numbers")

    late = {b.code for b in plan.bookings if b.arrival is Arrival.LATE}
    void = {b.code for b in bookings.values() if b.status == "void" and b.code in codes}  # this day's bookings
    problems = [f"late {code} is {next(b.status for b in bookings.values() if b.code == code)}"
                for code in sorted(late - void)]
    problems += [f"{code} is void but was not late" for code in sorted(void - late)]
    with_ticket = {bookings[t.booking_id].code for t in tickets if t.booking_id is not None}
    problems += [f"late {code} has a ticket" for code in sorted(late & with_ticket)]
    voided = _check("every late booking is void, and only those", problems, f"{len(void)} void")
    finished = _check("nobody is left in the queue at the end of the day",
                      [f"{label} not finished" for label in unfinished], f"{len(tickets)} tickets finished")
    return [one, unique, voided, finished]


def check_priority(ctx: AppContext, day: date) -> Check:
    """Replay the day's events: every call must be the ticket the counter's service list and
    the queue order choose among those waiting at that moment (kiosk.core.tickets)."""
    counters = {int(c): s for c, s in ctx.config.queue.counters.items()}
    orders = ctx.queue_orders
    with ctx.db.read() as session:
        tickets = {t.id: t for t in session.scalars(select(Ticket).where(Ticket.service_day == day))}
        events = list(session.scalars(select(TicketEvent).where(TicketEvent.ticket_id.in_(tickets))
                                      .order_by(TicketEvent.id)))
    waiting: dict[int, WaitingTicket] = {}
    problems: list[str] = []
    calls = 0
    for e in events:
        t = tickets[e.ticket_id]
        if e.kind in ("issued", "transfer"):
            waiting[t.id] = WaitingTicket(t.id, e.service, t.number, e.at, t.slot)
        elif e.kind == "call":
            calls += 1
            expected = choose_next(counters[e.counter], waiting.values(), orders)  # type: ignore[index]
            if expected is None or expected.ticket_id != t.id:
                want = tickets[expected.ticket_id].label if expected else "nobody"
                problems.append(f"loket {e.counter} called {t.label} at {e.at:%H:%M:%S}, rule says {want}")
            waiting.pop(t.id, None)
        elif e.kind == "cancel":
            waiting.pop(t.id, None)
    return _check("every call follows the counters' rules (loket 1: B first, others: A first; A by slot, "
                  "B by arrival)", problems, f"{calls} calls replayed")


def check_printing(ctx: AppContext, day: date, engine: DayEngine) -> list[Check]:
    mark = ticket_texts().reprint
    with ctx.db.read() as session:
        labels = {t.id: t.label for t in session.scalars(select(Ticket).where(Ticket.service_day == day))}
        jobs = list(session.scalars(select(PrintJob)))
    outputs: dict[str, list[tuple[bool, bool]]] = defaultdict(list)  # label -> (marked, complete)
    for p in engine.printer.printed:
        outputs[p.name].append((p.has_line(mark), p.complete))
    problems = []
    for label in labels.values():
        out = outputs.get(label, [])
        if not any(complete for _, complete in out):
            problems.append(f"{label} never came out whole")
        if sum(1 for marked, _ in out if not marked) != 1:
            problems.append(f"{label}: {sum(1 for marked, _ in out if not marked)} unmarked copies")
        if out and out[0][0]:
            problems.append(f"{label}: the first copy carries the reprint mark")
    problems += [f"job {j.id} is {j.state}" for j in jobs if j.state != "done"]
    problems += [f"{name} printed but is no ticket of the day" for name in sorted(set(outputs) - set(labels.values()))]
    reprints = sum(1 for p in engine.printer.printed if p.has_line(mark))
    return [_check("every ticket printed exactly once unmarked, every reprint marked CETAK ULANG, no job left",
                   problems, f"{len(engine.printer.printed)} layouts for {len(labels)} tickets, {reprints} "
                   f"marked reprints, {engine.ledger.print_failures} printer failures met")]


def ledger_report(plan: DayPlan, ledger: Ledger, tz: Any) -> dict[str, Any]:
    """The daily report's figures as the simulation itself counted them."""
    on_day = [b for b in plan.bookings if b.service_date == plan.day]
    early = [(i, o) for i, k, o in ledger.scans if o is CheckInOutcome.TOO_EARLY]
    waits: dict[str, list[float]] = defaultdict(list)
    service: dict[int, list[float]] = defaultdict(list)
    arrivals: Counter[int] = Counter()
    calls: Counter[int] = Counter()
    for t in ledger.tickets.values():
        arrivals[t.issued_at.hour] += 1
        for at, _ in t.calls:
            calls[at.hour] += 1
        if t.calls:
            waits[t.prefix].append((t.calls[0][0] - t.issued_at).total_seconds() / 60)
        if t.done is not None:
            service[t.done[1]].append((t.done[0] - t.calls[-1][0]).total_seconds() / 60)
    accepted = set(ledger.accepted)
    late = {b.index for b in on_day if b.arrival is Arrival.LATE}
    return {
        "bookings": len(on_day), "checked_in": len(accepted), "void": len(late), "cancelled": 0,
        "not_arrived": len(on_day) - len(accepted) - len(late),
        "too_early_attempts": len(early), "too_early_bookings": len({i for i, _ in early}),
        "no_shows": sum(t.no_show for t in ledger.tickets.values()),
        "walk_ins": dict(Counter(t.category for t in ledger.tickets.values() if t.category)),
        "tickets_per_service": dict(Counter(t.prefix for t in ledger.tickets.values())),
        "waiting": {s: Durations.of(m) for s, m in sorted(waits.items())},
        "service_time": {c: Durations.of(m) for c, m in sorted(service.items())},
        "arrivals_per_hour": dict(sorted(arrivals.items())),
        "calls_per_hour": dict(sorted(calls.items())),
    }


def check_report(report: DailyReport, expected: dict[str, Any]) -> Check:
    problems = []
    for key, value in expected.items():
        got = getattr(report, key)
        if key == "tickets_per_service":
            got = {s: n for s, n in got.items() if n}
        if got != value:
            problems.append(f"{key}: report {got} != simulation {value}")
    return _check("the daily report matches the simulation's own ledger", problems,
                  f"{len(expected)} figures agree")


def kpis(report: DailyReport, ledger: Ledger, engine: DayEngine) -> dict[str, Any]:
    all_waits = [(t.calls[0][0] - t.issued_at).total_seconds() / 60 for t in ledger.tickets.values() if t.calls]
    all_service = [(t.done[0] - t.calls[-1][0]).total_seconds() / 60 for t in ledger.tickets.values()
                   if t.done is not None]
    outcomes = Counter(o.value for _, _, o in ledger.scans)
    last_call = max((at for t in ledger.tickets.values() for at, _ in t.calls), default=None)
    return {
        "tickets": len(ledger.tickets), "tickets_per_service": report.tickets_per_service,
        "verdicts": dict(outcomes), "walk_in_verdicts": dict(Counter(o.value for _, _, o in ledger.walk_ins)),
        "served": sum(1 for t in ledger.tickets.values() if t.done), "no_shows": report.no_shows,
        "waiting_minutes": asdict(Durations.of(all_waits)),
        "waiting_by_service": {s: asdict(d) for s, d in report.waiting.items()},
        "service_minutes": asdict(Durations.of(all_service)),
        "void": report.void, "too_early_attempts": report.too_early_attempts,
        "wrong_day": outcomes.get("wrong_day", 0),
        "rejected_scans": sum(outcomes.get(k, 0) for k in ("invalid", "wrong_office", "unknown")),
        "walk_ins_issued": sum(report.walk_ins.values()),
        "walk_ins_refused": sum(1 for _, _, o in ledger.walk_ins if o is not WalkInOutcome.ISSUED),
        "recalls": sum(t.recalls for t in ledger.tickets.values()),
        "transfers": sum(t.transfers for t in ledger.tickets.values()),
        "supervisor_reprints": len(ledger.reprinted),
        "printed_layouts": len(engine.printer.printed), "printer_failures_met": ledger.print_failures,
        "last_call": last_call.strftime("%H:%M") if last_call else None,
    }


def run_checks(ctx: AppContext, plan: DayPlan, engine: DayEngine) -> tuple[list[Check], DailyReport, dict[str, Any]]:
    ledger = engine.ledger
    report = daily_report(ctx, plan.day)
    checks = [check_outcomes(plan, ledger), *check_tickets(ctx, plan, ledger), check_priority(ctx, plan.day),
              *check_printing(ctx, plan.day, engine),
              check_report(report, ledger_report(plan, ledger, ctx.config.tz))]
    with ctx.db.read() as session:
        dup = session.execute(select(Ticket.service_day, Ticket.prefix, Ticket.number, func.count())
                              .group_by(Ticket.service_day, Ticket.prefix, Ticket.number)
                              .having(func.count() > 1)).all()
    if dup:
        checks.append(Check("no duplicate numbers in the database", False, str(dup[:5])))
    return checks, report, kpis(report, ledger, engine)
