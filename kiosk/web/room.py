"""What the web side shows, read once per change for every connected browser.

:class:`RoomReader` is the :class:`~kiosk.services.board.EventFeed` reader of the web
server: one snapshot per new event (or new day), shared by all clients. It selects
public data only — a ticket's number, service, state, counter, the people ahead and
the estimated wait. Names, birth dates and phones are never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.core.tickets import format_number
from kiosk.core.wait import round_minutes
from kiosk.core.words import announcement_fragments, announcement_text
from kiosk.services.board import (
    BoardReader, BoardSnapshot, CallEvent, TransferEvent, consistent_read, head_event_id,
)
from kiosk.services.estimates import WaitEstimator
from kiosk.services.names import service_names
from kiosk.store import Ticket


@dataclass(frozen=True)
class PublicEvent:
    """One server-sent event with an id: a call, a recall or a transfer."""

    event_id: int
    kind: str  # call | recall | transfer
    data: dict[str, Any]
    at: datetime


@dataclass
class RoomSnapshot:
    last_event_id: int
    day: date
    board: dict[str, Any]
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)  # label -> public status
    events: list[PublicEvent] = field(default_factory=list)  # new since the asked-for id, oldest first
    encoded: dict[Any, bytes] = field(default_factory=dict)  # server-sent events made once for every client


def call_event(call: CallEvent) -> PublicEvent:
    kind = "recall" if call.recall else "call"
    return PublicEvent(call.event_id, kind, {
        "number": call.label, "service": call.service, "counter": call.counter, "at": call.at.isoformat(),
        "recall": call.recall, "fragments": announcement_fragments(call.service, call.number, call.counter),
        "text": announcement_text(call.service, call.number, call.counter)}, call.at)


def transfer_event(t: TransferEvent) -> PublicEvent:
    return PublicEvent(t.event_id, "transfer", {"number": t.label, "to": t.to_service, "counter": t.counter,
                                                "at": t.at.isoformat()}, t.at)


def public_events(snapshot: BoardSnapshot) -> list[PublicEvent]:
    events = [call_event(c) for c in snapshot.new_calls] + [transfer_event(t) for t in snapshot.new_transfers]
    return sorted(events, key=lambda e: e.event_id)


def _minutes(wait: timedelta | None) -> int | None:
    return None if wait is None else round_minutes(wait)


class RoomReader:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db
        c = ctx.config
        self.board = BoardReader(ctx.db, list(c.queue.services), c.tz, ctx.clock, c.display.recent_calls)

    def head(self) -> int:
        with self.db.read() as session:
            return head_event_id(session)

    def today(self) -> date:
        return self.ctx.today()

    def snapshot(self, since: int | None) -> RoomSnapshot:
        c = self.ctx.config
        with consistent_read(self.db) as session:
            board = self.board.snapshot_in(session, since)
            estimator = WaitEstimator(self.ctx, session)
            per_service = {s: _minutes(estimator.for_new(s)) for s in c.queue.services}
            waits = estimator.all()
            day = estimator.now.astimezone(c.tz).date()
            rows = session.execute(select(Ticket.prefix, Ticket.number, Ticket.service, Ticket.state, Ticket.counter)
                                   .where(Ticket.service_day == day)).all()
        tickets: dict[str, dict[str, Any]] = {}
        for prefix, number, service, state, counter in rows:
            label = format_number(prefix, number)
            status: dict[str, Any] = {"number": label, "service": service,
                                      "service_name": c.queue.services.get(service, service),
                                      "service_names": service_names(c.queue.services.get(service, service)),
                                      "state": state}
            if state == "waiting":
                status["ahead"] = estimator.state.ahead(label)
                status["wait_minutes"] = _minutes(waits.get(label))
            elif state in ("called", "serving"):
                status["counter"] = counter
            tickets[label] = status
        counters = [{"counter": int(n), "services": list(s), "number": board.serving.get(int(n))}
                    for n, s in sorted(c.queue.counters.items(), key=lambda kv: int(kv[0]))]
        recent = [{"event_id": call.event_id, "number": call.label, "counter": call.counter,
                   "at": call.at.isoformat(), "recall": call.recall} for call in board.recent_calls]
        waiting = [{"service": s, "name": name, "names": service_names(name), "count": board.waiting.get(s, 0),
                    "wait_minutes": per_service[s]}
                   for s, name in c.queue.services.items()]
        payload = {"office": c.office.name, "day": day.isoformat(), "last_event_id": board.last_event_id,
                   "recent": recent, "counters": counters, "waiting": waiting,
                   "running_text": c.display.running_text, "highlight_seconds": c.display.highlight_seconds,
                   "sound": c.announcer.enabled, "repeat": c.announcer.repeat,
                   "logo": bool(c.display.logo)}
        return RoomSnapshot(board.last_event_id, day, payload, tickets, public_events(board))
