"""Wait estimates from today's ticket events (pure: no clock, no database).

The estimate replays the day's events into the room as it is now — who waits in
which order, which counter serves whom since when — and measures how long a counter
takes per ticket, per service, over a recent window. It then plays the call policy
forward: the counter that frees up first takes the first service in its list that
has someone waiting, in that service's own order. The time at which a ticket is
taken in that play is its estimate. People who arrive later are not foreseen.

The naive estimate (people ahead × mean service time) is here too, for comparison:
``benchmarks/wait_estimate.py`` measures both against simulated days.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from kiosk.core.tickets import QueueOrder, WaitingTicket, order_queue

WINDOW = timedelta(minutes=45)  # service times and open counters are judged over this window
MIN_SAMPLES = 3  # fewer samples of a service than this: use all services' samples
RECENT_SAMPLES = 12  # when the window holds too few samples, the last ones of the day count
DEFAULT_SERVICE = timedelta(minutes=6)  # before the first ticket of the day is finished
CLOSING_KINDS = frozenset({"done", "no_show", "transfer", "cancel"})


@dataclass(frozen=True)
class QueueEvent:
    """One ticket event with the public facts the estimate needs."""

    at: datetime
    ticket_id: int
    label: str
    kind: str  # issued | call | recall | serve | done | no_show | transfer | cancel | reprint
    service: str  # the ticket's service after the event
    counter: int | None = None
    number: int = 0
    slot: time | None = None


@dataclass(frozen=True)
class ServiceSample:
    """A ticket served at a counter from its call to its end."""

    service: str
    counter: int
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass
class RoomState:
    """The room replayed from events up to ``at``."""

    at: datetime
    waiting: dict[str, list[str]] = field(default_factory=dict)  # service -> labels in call order
    busy: dict[int, tuple[str, str, datetime]] = field(default_factory=dict)  # counter -> (label, service, called)
    samples: list[ServiceSample] = field(default_factory=list)
    last_seen: dict[int, datetime] = field(default_factory=dict)  # counter -> its last call or close
    keys: dict[str, tuple[object, ...]] = field(default_factory=dict)  # label -> its order key in its queue

    def ahead(self, label: str) -> int | None:
        """People called before ``label`` in its own queue; None when it is not waiting."""
        for queue in self.waiting.values():
            if label in queue:
                return queue.index(label)
        return None


@dataclass
class _Ticket:
    label: str
    service: str
    number: int
    slot: time | None
    queued_at: datetime
    state: str = "waiting"
    counter: int | None = None
    called_at: datetime | None = None


def replay(events: Iterable[QueueEvent], orders: Mapping[str, QueueOrder], at: datetime | None = None) -> RoomState:
    """The room after ``events`` (in event order), stopping after the last one at or before ``at``."""
    tickets: dict[int, _Ticket] = {}
    busy: dict[int, int] = {}  # counter -> ticket id
    samples: list[ServiceSample] = []
    last_seen: dict[int, datetime] = {}
    last_at: datetime | None = None
    for e in events:
        if at is not None and e.at > at:
            break
        last_at = e.at
        t = tickets.get(e.ticket_id)
        if e.kind == "issued":
            tickets[e.ticket_id] = _Ticket(e.label, e.service, e.number, e.slot, e.at)
            continue
        if t is None:
            continue  # a ticket of another day
        if e.kind == "call" and e.counter is not None:
            previous = busy.get(e.counter)
            if previous is not None and previous != e.ticket_id:
                _close(tickets[previous], e.at, samples)
            t.state, t.counter, t.called_at = "called", e.counter, e.at
            busy[e.counter] = e.ticket_id
            last_seen[e.counter] = e.at
        elif e.kind in CLOSING_KINDS:
            counter = t.counter
            if t.state in ("called", "serving"):
                _close(t, e.at, samples)
                if counter is not None:
                    if busy.get(counter) == e.ticket_id:
                        del busy[counter]
                    last_seen[counter] = e.at
            if e.kind == "transfer":
                t.state, t.service, t.queued_at, t.counter, t.called_at = "waiting", e.service, e.at, None, None
            else:
                t.state = e.kind
        elif e.kind == "serve":
            t.state = "serving"
    waiting: dict[str, list[WaitingTicket]] = {}
    for ticket_id, t in tickets.items():
        if t.state == "waiting":
            waiting.setdefault(t.service, []).append(WaitingTicket(ticket_id, t.service, t.number, t.queued_at, t.slot))
    labels = {ticket_id: t.label for ticket_id, t in tickets.items()}
    ordered = {s: [labels[w.ticket_id] for w in order_queue(orders.get(s, QueueOrder.BY_ARRIVAL), q)]
               for s, q in waiting.items()}
    state_busy = {}
    for counter, ticket_id in busy.items():
        t = tickets[ticket_id]
        assert t.called_at is not None
        state_busy[counter] = (t.label, t.service, t.called_at)
    keys: dict[str, tuple[object, ...]] = {
        labels[w.ticket_id]: (w.slot is None, w.slot or time.max, w.number, w.queued_at)
        for q in waiting.values() for w in q}
    return RoomState(at or last_at or datetime.min, ordered, state_busy, samples, last_seen, keys)


def _close(t: _Ticket, at: datetime, samples: list[ServiceSample]) -> None:
    if t.called_at is not None and t.counter is not None:
        samples.append(ServiceSample(t.service, t.counter, t.called_at, at))
    t.state = "done"


def service_times(state: RoomState, services: Iterable[str], now: datetime) -> dict[str, timedelta]:
    """Mean time a counter spends on a ticket, per service, over the recent window."""
    recent = [s for s in state.samples if now - s.end <= WINDOW]
    if len(recent) < MIN_SAMPLES:
        recent = state.samples[-RECENT_SAMPLES:]
    overall = _mean(recent) or DEFAULT_SERVICE
    out = {}
    for service in services:
        own = [s for s in recent if s.service == service]
        out[service] = (_mean(own) or overall) if len(own) >= MIN_SAMPLES else overall
    return out


def _mean(samples: Sequence[ServiceSample]) -> timedelta | None:
    if not samples:
        return None
    return timedelta(seconds=sum(s.seconds for s in samples) / len(samples))


def open_counters(state: RoomState, counters: Mapping[int, Sequence[str]], now: datetime) -> list[int]:
    """Counters serving now or active within the window; all of them before the first call."""
    active = [c for c in counters if c in state.busy or now - state.last_seen.get(c, datetime.min.replace(
        tzinfo=now.tzinfo)) <= WINDOW]
    return sorted(active) if active else sorted(counters)


@dataclass(frozen=True)
class ExpectedArrival:
    """A booking of today not checked in yet whose deadline has not passed: it will
    most likely join its queue by slot, so it counts ahead of later slots."""

    service: str
    slot: time
    number: int
    available_at: datetime  # when it is expected at the desk


def expected_arrivals(bookings: Iterable[tuple[time, int]], service: str, day: date, tz: tzinfo, now: datetime,
                      opens_before: timedelta, must_arrive_before: timedelta) -> list[ExpectedArrival]:
    """Today's bookings (slot, number) not checked in yet, as expected arrivals: due
    halfway through their arrival window; those past their deadline are void and left out."""
    out = []
    for slot, number in bookings:
        at = datetime.combine(day, slot, tzinfo=tz)
        if at - must_arrive_before < now:
            continue
        out.append(ExpectedArrival(service, slot, number, at - (opens_before + must_arrive_before) / 2))
    return out


def estimate_waits(state: RoomState, counters: Mapping[int, Sequence[str]], now: datetime,
                   *, orders: Mapping[str, QueueOrder] | None = None,
                   expected: Sequence[ExpectedArrival] = (), opens_at: datetime | None = None,
                   extra: str | None = None) -> dict[str, timedelta]:
    """Estimated wait from ``now`` of every waiting ticket (by label).

    ``expected`` bookings take their place by slot in slot-ordered queues once they are
    due; before the first call of the day counters start at ``opens_at``. With
    ``extra`` a service letter, a ticket joining that queue now is included as ``"+"``.
    """
    orders = orders or {}
    services = {s for lst in counters.values() for s in lst} | set(state.waiting)
    rate = service_times(state, services, now)
    # Each queue: (order key, available from, label), in call order.
    queues: dict[str, list[tuple[tuple[object, ...], datetime, str]]] = {}
    for service, labels in state.waiting.items():
        queues[service] = [(state.keys.get(label, (0,)), now, label) for label in labels]
    for i, e in enumerate(expected):
        if orders.get(e.service) is QueueOrder.BY_SLOT:
            queues.setdefault(e.service, []).append(((False, e.slot, e.number, e.available_at), max(now, e.available_at),
                                                     f"?{i}"))
    if extra is not None:
        queues.setdefault(extra, []).append(((True, time.max, 10**6, now), now, "+"))
    for service, queue in queues.items():
        if orders.get(service) is QueueOrder.BY_SLOT:
            queue.sort(key=lambda item: item[0])
    start = now
    if opens_at is not None and not state.last_seen and not state.busy:
        start = max(now, opens_at)
    free: list[tuple[datetime, int]] = []
    for c in open_counters(state, counters, now):
        if c in state.busy:
            _label, service, called = state.busy[c]
            free.append((max(now, called + rate.get(service, DEFAULT_SERVICE)), c))
        else:
            free.append((start, c))
    heapq.heapify(free)
    out: dict[str, timedelta] = {}
    wanted = sum(1 for q in queues.values() for item in q if not item[2].startswith("?"))
    while free and len(out) < wanted:
        at, c = heapq.heappop(free)
        later: datetime | None = None
        for service in counters[c]:
            queue = queues.get(service) or []
            taken = next((i for i, item in enumerate(queue) if item[1] <= at), None)
            if taken is not None:
                label = queue.pop(taken)[2]
                if not label.startswith("?"):
                    out[label] = at - now
                heapq.heappush(free, (at + rate.get(service, DEFAULT_SERVICE), c))
                break
            due = min((item[1] for item in queue), default=None)
            if due is not None and (later is None or due < later):
                later = due
        else:
            if later is not None:  # nobody here yet: the counter waits for the next arrival
                heapq.heappush(free, (later, c))
            # A counter with nothing left in its services leaves the play.
    return out


def naive_wait(state: RoomState, label: str, now: datetime) -> timedelta | None:
    """People ahead × the mean service time of the day so far (what a ticket would say
    without this module)."""
    ahead = state.ahead(label)
    if ahead is None:
        return None
    mean = _mean(state.samples) or DEFAULT_SERVICE
    return mean * ahead


def round_minutes(wait: timedelta, step: int = 5) -> int:
    """Minutes for people: up to a multiple of ``step`` (never 0 while someone waits ahead)."""
    minutes = wait.total_seconds() / 60
    if minutes <= 0:
        return 0
    return max(step, int(-(-minutes // step)) * step)
