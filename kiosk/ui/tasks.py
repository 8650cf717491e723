"""The one way the windows run database calls off the GUI thread.

Every service call is one short transaction, but a locked SQLite file or a slow
PostgreSQL server can still hold it for a while; the event loop must not wait. A
:class:`TaskRunner` hands each call to one named background thread and delivers
``(result, error)`` back on the GUI thread, in the order the calls were made. One
thread, not a pool: the officer's actions must reach the database in the order they
were done (scan, then reprint), and SQLite takes one writer at a time anyway.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.devices.worker import BackgroundWorker

log = logging.getLogger(__name__)

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class _CallWorker(BackgroundWorker):
    """Runs queued calls one after another; reports each through ``on_done``."""

    def __init__(self, name: str, on_done: Callable[[int, object, object], None]) -> None:
        super().__init__(name)
        self._calls: queue.Queue[tuple[int, Callable[[], Any]] | None] = queue.Queue()
        self._on_done = on_done

    def submit(self, token: int, call: Callable[[], Any]) -> None:
        self._calls.put((token, call))

    def stop(self, timeout: float = 5.0) -> bool:
        self._calls.put(None)  # wake the loop now rather than at its next poll
        return super().stop(timeout)

    def run(self) -> None:
        while not self.stopping:
            item = self._calls.get()
            if item is None:
                continue
            token, call = item
            try:
                result, error = call(), None
            except Exception as exc:  # handed to the GUI thread, never raised here
                result, error = None, exc
            self._on_done(token, result, error)


class TaskRunner(QObject):
    """``run(call, on_success, on_failure)``: ``call`` runs on the thread, the handlers on
    the GUI thread. A failure without a handler goes to :attr:`failed`."""

    _done = Signal(int, object, object)
    failed = Signal(object)  # an exception nobody handled
    finished = Signal()  # after every delivered result: tests and status lights wait on it

    def __init__(self, name: str = "desk-db", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._handlers: dict[int, tuple[Success | None, Failure | None]] = {}
        self._next = 0
        # Emitted on the worker thread; Qt queues it to this object's (the GUI) thread.
        self._done.connect(self._deliver)
        self._worker = _CallWorker(name, self._done.emit)
        self._worker.start()

    @property
    def pending(self) -> int:
        return len(self._handlers)

    def run(self, call: Callable[[], Any], on_success: Success | None = None,
            on_failure: Failure | None = None) -> None:
        self._next += 1
        self._handlers[self._next] = (on_success, on_failure)
        self._worker.submit(self._next, call)

    def _deliver(self, token: int, result: object, error: object) -> None:
        on_success, on_failure = self._handlers.pop(token, (None, None))
        try:
            if error is None:
                if on_success is not None:
                    on_success(result)
            elif on_failure is not None:
                on_failure(error)  # type: ignore[arg-type]
            else:
                log.error("background call failed", exc_info=error)  # type: ignore[arg-type]
                self.failed.emit(error)
        finally:
            self.finished.emit()

    def shutdown(self) -> None:
        """Stop the thread; calls still queued are dropped (their windows are closing)."""
        self._worker.stop()
