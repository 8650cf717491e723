"""The outbox retry worker of ``wa-server``: nothing lost, nothing sent twice.

Replies that are ``queued`` (never tried) or ``failed`` are tried again with growing
pauses (30 s, 1, 2, 4 ... minutes, at most an hour). Each try first *claims* its row
with one conditional UPDATE (``state`` from queued/failed to ``sending``), so two
workers, on one PC or several, never both send it. A reply still unsent after
``intake.retry_max_age_minutes`` is given up, with an audit row (no phone, no text).
A row left ``sending`` by a crash is given up too: it may have been sent, and sending
it again would answer the applicant twice.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import or_, select, update

from kiosk.app import AppContext
from kiosk.booking.senders import CloudApiClient, deliver
from kiosk.services.common import audit
from kiosk.store import OutboxMessage

log = logging.getLogger(__name__)
FIRST_PAUSE = timedelta(seconds=30)
LONGEST_PAUSE = timedelta(hours=1)
STALE_CLAIM = timedelta(minutes=10)  # longer than any send (two HTTP calls of 15 s at most)
BATCH = 20


def backoff(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failed try."""
    return min(LONGEST_PAUSE, FIRST_PAUSE * 2 ** min(20, max(0, attempts - 1)))  # no overflow after many tries


class OutboxRetrier:
    def __init__(self, ctx: AppContext, client: CloudApiClient, *, check_every: float = 5.0) -> None:
        self.ctx = ctx
        self.client = client
        self.check_every = check_every
        self.max_age = timedelta(minutes=ctx.config.intake.retry_max_age_minutes)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-retry", daemon=True)

    # --- one pass -------------------------------------------------------------------------

    def run_once(self) -> dict[str, int]:
        """Give up what is too old, then try what is due; the counts of each."""
        counts = {"given_up": self._give_up(), "sent": 0, "failed": 0}
        now = self.ctx.now()
        with self.ctx.db.read() as session:
            due = session.scalars(select(OutboxMessage.id).where(
                OutboxMessage.state.in_(("queued", "failed")),
                or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
                .order_by(OutboxMessage.id).limit(BATCH)).all()
        for row_id in due:
            row = self._claim(row_id)
            if row is None:
                continue  # another worker took it
            counts["sent" if deliver(self.ctx, self.client, row) else "failed"] += 1
        return counts

    def _claim(self, row_id: int) -> OutboxMessage | None:
        now = self.ctx.now()
        with self.ctx.db.write() as session:
            claimed = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.state.in_(("queued", "failed")))
                .values(state="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)).rowcount
            if claimed != 1:
                return None
            return session.get(OutboxMessage, row_id, populate_existing=True)

    def _give_up(self) -> int:
        now = self.ctx.now()
        too_old = now - self.max_age
        with self.ctx.db.write() as session:
            rows = session.scalars(select(OutboxMessage).where(or_(
                (OutboxMessage.state.in_(("queued", "failed"))) & (OutboxMessage.created_at < too_old),
                (OutboxMessage.state == "sending") & (OutboxMessage.claimed_at < now - STALE_CLAIM)))
                .with_for_update(skip_locked=True)).all()
            for row in rows:
                reason = "interrupted while sending" if row.state == "sending" else "too old"
                log.warning("reply #%d given up after %d attempts (%s)", row.id, row.attempts, reason)
                audit(self.ctx, session, "reply_given_up", actor="wa-server", target=f"outbox#{row.id}",
                      detail={"attempts": row.attempts, "reason": reason, "last_error": (row.last_error or "")[:200]})
                row.state = "given_up"
            return len(rows)

    # --- the thread -----------------------------------------------------------------------

    def start(self) -> OutboxRetrier:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=60)

    def __enter__(self) -> OutboxRetrier:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        failing = False
        while not self._stop.is_set():
            try:
                self.run_once()
                failing = False
            except Exception as exc:  # noqa: BLE001 - a database outage: try again at the next check
                if not failing:
                    log.warning("outbox retry pass failed, will retry: %s", type(exc).__name__)
                failing = True
            self._stop.wait(self.check_every)
