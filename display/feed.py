"""Board updates from ticket events: PostgreSQL pushes, polling as fallback and for SQLite.

The feed runs on its own worker thread. It reads a :class:`~display.model.BoardSnapshot`
whenever the newest event id (or the day) changes. On PostgreSQL it waits on
``LISTEN`` (the services ``NOTIFY`` every event at commit), so a call shows within
milliseconds; without a listener it polls every ``poll_interval`` (≤ 0.5 s). When the
database goes away it reports ``connected=False`` and retries; the board keeps its last
state. On return it reads the events it missed, by id, so nothing is shown twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from display.model import BoardSnapshot, CallEvent
from kiosk.core.clock import Clock
from kiosk.devices.worker import BackgroundWorker
from kiosk.store import Database, Ticket, TicketEvent
from kiosk.store.db import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

CALL_KINDS = ("call", "recall")
MAX_NEW_CALLS = 500  # after a long outage older calls are only in the recent list
RETRY_SECONDS = 1.0
LISTEN_WAIT = 0.25  # how long one wait on the listener lasts (bounds how fast stop() returns)


class BoardReader:
    """Reads what the board shows from the store (no personal data is selected)."""

    def __init__(self, db: Database, services: list[str], tz, clock: Clock, recent: int,
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
            return session.scalar(select(func.coalesce(func.max(TicketEvent.id), 0))) or 0

    def snapshot(self, since: int | None) -> BoardSnapshot:
        today = self.today()
        with self.db.read() as session:
            head = session.scalar(select(func.coalesce(func.max(TicketEvent.id), 0))) or 0
            calls = select(TicketEvent.id, TicketEvent.at, TicketEvent.counter, TicketEvent.kind,
                           TicketEvent.ticket_id, Ticket.prefix, Ticket.number) \
                .join(Ticket, Ticket.id == TicketEvent.ticket_id) \
                .where(TicketEvent.kind.in_(CALL_KINDS), TicketEvent.counter.is_not(None))
            new: list[CallEvent] = []
            if since is not None:
                rows = session.execute(calls.where(TicketEvent.id > since, TicketEvent.id <= head)
                                       .order_by(TicketEvent.id.desc()).limit(MAX_NEW_CALLS)).all()
                new = [self._call(r) for r in reversed(rows)]
            recent: list[CallEvent] = []
            seen_tickets: set[int] = set()
            mine = calls if self.counter is None else calls.where(TicketEvent.counter == self.counter)
            for row in session.execute(mine.where(Ticket.service_day == today, TicketEvent.id <= head)
                                       .order_by(TicketEvent.id.desc()).limit(10 * (self.recent + 1))):
                if row.ticket_id not in seen_tickets:
                    seen_tickets.add(row.ticket_id)
                    recent.append(self._call(row))
                if len(recent) > self.recent:
                    break
            serving: dict[int, str] = {}
            for counter, prefix, number in session.execute(
                    select(Ticket.counter, Ticket.prefix, Ticket.number)
                    .where(Ticket.service_day == today, Ticket.state.in_(("called", "serving")),
                           Ticket.counter.is_not(None))
                    .order_by(Ticket.called_at)):
                serving[counter] = f"{prefix}{number:03d}"
            counts = dict(session.execute(
                select(Ticket.service, func.count()).where(Ticket.service_day == today, Ticket.state == "waiting")
                .group_by(Ticket.service)).tuples().all())
        waiting = {s: counts.get(s, 0) for s in self.services}
        return BoardSnapshot(head, tuple(recent), tuple(new), serving, waiting)

    @staticmethod
    def _call(row) -> CallEvent:
        return CallEvent(row.id, row.prefix, row.number, row.counter, row.at, row.kind == "recall")


class EventFeed(BackgroundWorker):
    """Delivers snapshots through ``on_snapshot`` and the connection state through
    ``on_status(connected)``; both are called on the feed thread."""

    def __init__(self, reader: BoardReader, *, on_snapshot: Callable[[BoardSnapshot], None],
                 on_status: Callable[[bool], None], poll_interval: float = 0.4, push: bool = True) -> None:
        super().__init__("display-feed")
        self.reader = reader
        self.on_snapshot = on_snapshot
        self.on_status = on_status
        self.poll_interval = min(poll_interval, 0.5)
        self.push = push and not reader.db.is_sqlite
        self._listener = None
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
                log.warning("display feed: %s", exc)
                self._close_listener()
                self._set_connected(False)
                self.sleep(RETRY_SECONDS)
        self._close_listener()

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.on_status(connected)

    def _listen(self):
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
