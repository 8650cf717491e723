"""Sends the queued "Giliran Anda hampir tiba" template messages (see kiosk.services.nudges).

``wa-server`` runs a :class:`NudgeWorker` when replies go through the Cloud API; with the
default outbox sender the rows stay ``queued`` in the outbox, as every reply does. Each
row is claimed before it is sent, so a message is sent at most once; a row a crash left
half-way is marked failed, not sent again.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from kiosk.app import AppContext
from kiosk.booking.senders import CloudApiClient, CloudApiError
from kiosk.devices.worker import BackgroundWorker
from kiosk.services.nudges import CHANNEL, parse_marker
from kiosk.store import OutboxMessage

log = logging.getLogger(__name__)
BATCH = 20
INTERVAL = 2.0  # seconds between looks at the outbox


def recover_interrupted(ctx: AppContext) -> int:
    with ctx.db.write() as session:
        result = session.execute(update(OutboxMessage).where(
            OutboxMessage.channel == CHANNEL, OutboxMessage.state == "sending")
            .values(state="failed", last_error="interrupted while sending; not sent again"))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def send_due_nudges(ctx: AppContext, client: CloudApiClient) -> int:
    """Send the queued template messages; returns how many were sent."""
    settings = ctx.config.intake
    with ctx.db.write() as session:
        rows = session.scalars(select(OutboxMessage).where(
            OutboxMessage.channel == CHANNEL, OutboxMessage.state == "queued")
            .order_by(OutboxMessage.id).limit(BATCH).with_for_update(skip_locked=True)).all()
        claimed = []
        for row in rows:
            row.state = "sending"
            row.attempts += 1
            claimed.append((row.id, row.phone, row.in_reply_to))
    sent = 0
    for row_id, phone, marker in claimed:
        parsed = parse_marker(marker)
        values: dict[str, object]
        if parsed is None or not phone:
            values = {"state": "failed", "last_error": "not a nudge row"}
        else:
            _ticket_id, label, ahead = parsed
            try:
                provider_id = client.send_template(phone, settings.notify_template, settings.notify_language,
                                                   [label, str(ahead)])
                values = {"state": "sent", "provider_id": provider_id, "sent_at": ctx.now()}
                sent += 1
                log.info("near-turn message for %s sent to ...%s", label, phone[-4:])
            except (CloudApiError, KeyError, ValueError) as exc:
                values = {"state": "failed", "last_error": str(exc)[:500]}
                log.warning("near-turn message for %s to ...%s not sent: %s", label, phone[-4:], exc)
        with ctx.db.write() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))
    return sent


class NudgeWorker(BackgroundWorker):
    def __init__(self, ctx: AppContext, client: CloudApiClient, interval: float = INTERVAL) -> None:
        super().__init__("whatsapp-nudges")
        self.ctx, self.client, self.interval = ctx, client, interval

    def run(self) -> None:
        recover_interrupted(self.ctx)
        while not self.stopping:
            try:
                send_due_nudges(self.ctx, self.client)
            except Exception as exc:  # the database is away: try again next round
                log.warning("near-turn messages: %s", exc)
            self.sleep(self.interval)
