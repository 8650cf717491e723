"""Run blocking work (a database transaction) off the GUI thread, results back on it.

One :class:`TaskRunner` is one named worker thread with a FIFO queue, so the tasks of
one window run strictly in the order the officer pressed the keys (a recall never
overtakes the call it repeats). ``done(result, error)`` is delivered on the GUI thread.

A failure whose ``done`` does not handle it (``split`` without a failure handler, or a
handler that raises) is not swallowed: it is logged and emitted as ``unhandled``, which
the window shows to the officer in plain words.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.devices.worker import BackgroundWorker

log = logging.getLogger(__name__)

Done = Callable[[Any, BaseException | None], None]


class _Worker(BackgroundWorker):
    def __init__(self, name: str, deliver: Callable[[object], None]) -> None:
        super().__init__(name)
        self.tasks: queue.Queue[tuple[Callable[[], Any], _Watched]] = queue.Queue()
        self.deliver = deliver

    def run(self) -> None:
        while not self.stopping:
            try:
                func, done = self.tasks.get(timeout=0.1)
            except queue.Empty:
                continue
            try:
                result, error = func(), None
            except Exception as exc:  # handed to the window, which shows it to the officer
                result, error = None, exc
            if not self.stopping:
                self.deliver((done, result, error))


class TaskRunner(QObject):
    _finished = Signal(object)
    unhandled = Signal(object)  # an exception no handler took care of
    task_done = Signal()  # after a task submitted with watch=True (ticket events look then)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._finished.connect(self._deliver)
        self._worker = _Worker(name, self._finished.emit)
        self._worker.start()
        self.pending = 0

    def submit(self, func: Callable[[], Any], done: Done, *, watch: bool = True) -> None:
        """Run ``func`` on the worker; ``done(result, error)`` on the GUI thread. ``watch``
        says whether watchers of the database (ticket events) should look after it."""
        self.pending += 1
        self._worker.tasks.put((func, _Watched(done, watch)))

    def close(self) -> None:
        self._worker.stop()

    def _deliver(self, item: tuple[_Watched, Any, BaseException | None]) -> None:
        done, result, error = item
        self.pending -= 1
        try:
            done.done(result, error)
        except Exception as exc:  # noqa: BLE001 - shown to the officer instead of lost in a log
            log.warning("background task failed with no handler: %s", exc, exc_info=exc is not error)
            self.unhandled.emit(exc)
        if done.watch:
            self.task_done.emit()


class _Watched:
    __slots__ = ("done", "watch")

    def __init__(self, done: Done, watch: bool) -> None:
        self.done, self.watch = done, watch
