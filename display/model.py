"""What the waiting-room board shows, as plain data (no Qt, no SQL).

The feed reads a :class:`BoardSnapshot` from the database; :class:`BoardModel`
keeps the last one (so the board stays up while the database is away) and tells
which calls are new, each exactly once, in event order.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.services.board import BoardSnapshot, CallEvent

__all__ = ["BoardModel", "BoardSnapshot", "CallEvent", "speakable"]


class BoardModel:
    """The last known snapshot and the calls not seen before."""

    def __init__(self) -> None:
        self.snapshot: BoardSnapshot | None = None
        self.last_event_id: int | None = None  # None until the first snapshot
        self.shown: list[CallEvent] = []  # every call that became the newest call, in order

    def update(self, snapshot: BoardSnapshot) -> list[CallEvent]:
        """Take a snapshot; return the calls that are new since the last one, oldest first.

        The first snapshot after start returns nothing: those calls were announced
        before this display was running. Event ids only grow, so a call is never
        returned twice, whatever order or overlap snapshots come in.
        """
        first = self.last_event_id is None
        seen = self.last_event_id or 0
        fresh = [] if first else [c for c in snapshot.new_calls if c.event_id > seen]
        if self.snapshot is None or snapshot.last_event_id >= (self.last_event_id or 0):
            self.snapshot = snapshot
            self.last_event_id = snapshot.last_event_id
        self.shown.extend(fresh)
        return fresh


def speakable(call: CallEvent, now: datetime, max_age: float) -> bool:
    """A call learned late (after a reconnect) is shown but no longer spoken."""
    return now - call.at <= timedelta(seconds=max_age)
