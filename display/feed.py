"""Board updates from ticket events (the display's name for them).

The queries and the push/poll feed live in :mod:`kiosk.services.board`, the one place
that answers "what is called, waiting, at each counter"; the display, the counter
window and the web board share them.
"""

from kiosk.services.board import CALL_KINDS, BoardReader, EventFeed

__all__ = ["CALL_KINDS", "BoardReader", "EventFeed"]
