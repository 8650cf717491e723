"""The one place that answers "what is called, what is waiting, who is at each counter".

The waiting-room display, the counter window, ``queue``, the desk's overview and the
web board all read the room through here. Only public data is selected: ticket
numbers, services, counters and times — never a name, a birth date or a phone.

:class:`EventFeed` turns ticket events into board snapshots on a worker thread:
PostgreSQL pushes (``LISTEN``; the services ``NOTIFY`` every event at commit), SQLite
and a reconnecting PostgreSQL are polled every ``poll_interval`` (≤ 0.5 s). When the
database goes away it reports ``connected=False`` and retries; readers keep their last
state. On return it reads the events it missed, by id, so nothing is shown twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kiosk.core.clock import Clock
from kiosk.core.tickets import format_number
from kiosk.devices.worker import BackgroundWorker
from kiosk.store import Database, Ticket, TicketEvent
from kiosk.store.db import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

CALL_KINDS = ("call", "recall")
ACTIVE_STATES = ("called", "serving")
MAX_NEW_CALLS = 500  # after a long outage older calls are only in the recent list
RETRY_SECONDS = 1.0
LISTEN_WAIT = 0.25  # how long one wait on the listener lasts (bounds how fast stop() returns)


@dataclass(frozen=True)
class CallEvent:
    """One call (or recall) of a ticket to a counter; carries no personal data."""

    event_id: int
    service: str
    number: int
    counter: int
    at: datetime
    recall: bool = False

    @property
    def label(self) -> str:
        return format_number(self.service, self.number)


@dataclass(frozen=True)
class TransferEvent:
    """A ticket moved to another service's queue (its number stays)."""

    event_id: int
    label: str
    to_service: str
    counter: int | None
    at: datetime


@dataclass(frozen=True)
class BoardSnapshot:
    """The state of the room at one moment."""

    last_event_id: int
    recent_calls: tuple[CallEvent, ...] = ()  # newest first, recalls folded into their call
    new_calls: tuple[CallEvent, ...] = ()  # calls and recalls after the asked-for event id, oldest first
    serving: dict[int, str] = field(default_factory=dict)  # counter → ticket label called or served
    waiting: dict[str, int] = field(default_factory=dict)  # service letter → tickets waiting
    new_transfers: tuple[TransferEvent, ...] = ()  # transfers after the asked-for event id, oldest first


# --- queries every reader shares ------------------------------------------------------------

def waiting_counts(session: Session, day: date, services: Iterable[str]) -> dict[str, int]:
    """Tickets waiting per service (every configured service, 0 when none)."""
    counts = dict(session.execute(
        select(Ticket.service, func.count()).where(Ticket.service_day == day, Ticket.state == "waiting")
        .group_by(Ticket.service)).tuples().all())
    return {s: counts.get(s, 0) for s in services}


def current_tickets(session: Session, day: date) -> dict[int, Ticket]:
    """The ticket each counter has called or is serving now (the latest call wins)."""
    current: dict[int, Ticket] = {}
    for ticket in session.scalars(select(Ticket).where(
            Ticket.service_day == day, Ticket.state.in_(ACTIVE_STATES), Ticket.counter.is_not(None))
            .order_by(Ticket.called_at)):
        current[ticket.counter] = ticket  # type: ignore[index]
    return current


@contextmanager
def consistent_read(db: Database) -> Iterator[Session]:
    """A read session whose statements all see one moment: on PostgreSQL (READ COMMITTED
    by default) a snapshot read while a call commits would otherwise mix before and after."""
    with db.read() as session:
        if not db.is_sqlite:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield session


def head_event_id(session: Session) -> int:
    """The newest event id (0 when there is none)."""
    return session.scalar(select(func.coalesce(func.max(TicketEvent.id), 0))) or 0


def _calls_query() -> Any:
    return (select(TicketEvent.id, TicketEvent.at, TicketEvent.counter, TicketEvent.kind,
                   TicketEvent.ticket_id, Ticket.prefix, Ticket.number)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(TicketEvent.kind.in_(CALL_KINDS), TicketEvent.counter.is_not(None)))


def _call(row: Any) -> CallEvent:
    return CallEvent(row.id, row.prefix, row.number, row.counter, row.at, row.kind == "recall")


def calls_since(session: Session, since: int, head: int | None = None, limit: int = MAX_NEW_CALLS) -> list[CallEvent]:
    """Calls and recalls after event ``since`` (up to ``head``), oldest first."""
    query = _calls_query().where(TicketEvent.id > since)
    if head is not None:
        query = query.where(TicketEvent.id <= head)
    rows = session.execute(query.order_by(TicketEvent.id.desc()).limit(limit)).all()
    return [_call(r) for r in reversed(rows)]


def transfers_since(session: Session, since: int, head: int | None = None,
                    limit: int = MAX_NEW_CALLS) -> list[TransferEvent]:
    query = (select(TicketEvent.id, TicketEvent.at, TicketEvent.counter, TicketEvent.service,
                    Ticket.prefix, Ticket.number)
             .join(Ticket, Ticket.id == TicketEvent.ticket_id)
             .where(TicketEvent.kind == "transfer", TicketEvent.id > since))
    if head is not None:
        query = query.where(TicketEvent.id <= head)
    rows = session.execute(query.order_by(TicketEvent.id.desc()).limit(limit)).all()
    return [TransferEvent(r.id, format_number(r.prefix, r.number), r.service, r.counter, r.at) for r in reversed(rows)]


class BoardReader:
    """Reads what the board shows from the store (no personal data is selected)."""

    def __init__(self, db: Database, services: list[str], tz: Any, clock: Clock, recent: int,
                 counter: int | None = None) -> None:
        self.db = db
        self.counter = counter  # only this counter's calls in the recent list (the counter window)
        self.services = services
        self.tz = tz
        self.clock = clock
        self.recent = recent

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def head(self) -> int:
        """The newest event id (0 when there is none)."""
        with self.db.read() as session:
            return head_event_id(session)

    def snapshot(self, since: int | None) -> BoardSnapshot:
        with consistent_read(self.db) as session:
            return self.snapshot_in(session, since)

    def snapshot_in(self, session: Session, since: int | None) -> BoardSnapshot:
        """The snapshot, read in the caller's session (one consistent view)."""
        today = self.today()
        head = head_event_id(session)
        new = calls_since(session, since, head) if since is not None else []
        transfers = transfers_since(session, since, head) if since is not None else []
        recent: list[CallEvent] = []
        seen_tickets: set[int] = set()
        calls = _calls_query()
        mine = calls if self.counter is None else calls.where(TicketEvent.counter == self.counter)
        for row in session.execute(mine.where(Ticket.service_day == today, TicketEvent.id <= head)
                                   .order_by(TicketEvent.id.desc()).limit(10 * (self.recent + 1))):
            if row.ticket_id not in seen_tickets:
                seen_tickets.add(row.ticket_id)
                recent.append(_call(row))
            if len(recent) > self.recent:
                break
        serving = {counter: ticket.label for counter, ticket in current_tickets(session, today).items()}
        waiting = waiting_counts(session, today, self.services)
        return BoardSnapshot(head, tuple(recent), tuple(new), serving, waiting, tuple(transfers))


class SnapshotReader(Protocol):
    db: Database

    def head(self) -> int: ...

    def today(self) -> date: ...

    def snapshot(self, since: int | None) -> Any: ...


class EventFeed(BackgroundWorker):
    """Delivers snapshots through ``on_snapshot`` and the connection state through
    ``on_status(connected)``; both are called on the feed thread. Any reader with
    ``head``/``today``/``snapshot(since)`` whose snapshots carry ``last_event_id`` will do."""

    def __init__(self, reader: SnapshotReader, *, on_snapshot: Callable[[Any], None],
                 on_status: Callable[[bool], None], poll_interval: float = 0.4, push: bool = True,
                 name: str = "display-feed") -> None:
        super().__init__(name)
        self.reader = reader
        self.on_snapshot = on_snapshot
        self.on_status = on_status
        self.poll_interval = min(poll_interval, 0.5)
        self.push = push and not reader.db.is_sqlite
        self._listener: Any = None
        self.connected: bool | None = None
        # Kept across stop/start: a restarted feed reads what it missed, by id.
        self.last_id: int | None = None

    def run(self) -> None:
        last_day: date | None = None
        while not self.stopping:
            try:
                if self.push and self._listener is None:
                    self._listener = self._listen()
                head, day = self.reader.head(), self.reader.today()
                if self.last_id is None or head != self.last_id or day != last_day:
                    snapshot = self.reader.snapshot(self.last_id)
                    self.last_id, last_day = snapshot.last_event_id, day
                    self.on_snapshot(snapshot)
                self._set_connected(True)
                self._wait()
            except Exception as exc:  # the database went away: keep the board, retry
                log.warning("%s: %s", self.name, exc)
                self._close_listener()
                self._set_connected(False)
                self.sleep(RETRY_SECONDS)
        self._close_listener()

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.on_status(connected)

    def _listen(self) -> Any:
        import psycopg

        url = make_url(self.reader.db.url).set(drivername="postgresql")
        conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True, connect_timeout=5)
        conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return conn

    def _wait(self) -> None:
        """Until an event is pushed or it is time to poll again."""
        if self._listener is None:
            self.sleep(self.poll_interval)
            return
        waited = 0.0
        while not self.stopping and waited < self.poll_interval:
            # One notify is enough: the snapshot reads everything since the last id.
            for _ in self._listener.notifies(timeout=LISTEN_WAIT, stop_after=1):
                return
            waited += LISTEN_WAIT

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.close()
            except Exception:  # closing a dead connection may fail; it is gone either way
                pass
