"""Run blocking work (a database transaction) off the GUI thread, results back on it.

One :class:`TaskRunner` is one named worker thread with a FIFO queue, so the tasks of
one window run strictly in the order the officer pressed the keys (a recall never
overtakes the call it repeats). ``done(result, error)`` is delivered on the GUI thread.
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
        self.tasks: queue.Queue[tuple[Callable[[], Any], Done]] = queue.Queue()
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

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._finished.connect(self._deliver)
        self._worker = _Worker(name, self._finished.emit)
        self._worker.start()
        self.pending = 0

    def submit(self, func: Callable[[], Any], done: Done) -> None:
        self.pending += 1
        self._worker.tasks.put((func, done))

    def close(self) -> None:
        self._worker.stop()

    def _deliver(self, item: tuple[Done, Any, BaseException | None]) -> None:
        done, result, error = item
        self.pending -= 1
        done(result, error)
