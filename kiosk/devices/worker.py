"""The one way devices run in the background.

A :class:`BackgroundWorker` is a named thread with a stop flag; it never raises into
its owner. Results and status go out through plain callbacks, so the same worker
serves the command line and the GUI; the GUI connects the callbacks to Qt signals
(a signal emitted from this thread is delivered on the GUI thread by Qt's queued
connection), so the GUI thread never waits on a device.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod

log = logging.getLogger(__name__)


class BackgroundWorker(ABC):
    def __init__(self, name: str) -> None:
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @abstractmethod
    def run(self) -> None:
        """The worker's loop; return when :meth:`stopping` becomes true."""

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError(f"worker {self.name} is already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._main, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the loop to end and wait for it; True when the thread has ended."""
        self._stop.set()
        thread = self._thread
        if thread is None:
            return True
        if thread is not threading.current_thread():
            thread.join(timeout)
        return not thread.is_alive()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def sleep(self, seconds: float) -> bool:
        """Wait up to ``seconds`` unless asked to stop; True when asked to stop."""
        return self._stop.wait(seconds)

    def assert_on_worker_thread(self) -> None:
        """Called by device code before it talks to its device. While the worker runs, only
        its thread may; a stopped worker is driven by one caller (the command line's drain)."""
        thread = self._thread
        if thread is not None and thread.is_alive() and threading.current_thread() is not thread:
            raise AssertionError(f"{self.name}: device I/O must run on its own thread")

    def _main(self) -> None:
        try:
            self.run()
        except Exception:  # a device fault must never take the application down
            log.exception("worker %s ended with an error", self.name)
