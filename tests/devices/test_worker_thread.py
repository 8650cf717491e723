"""Device I/O only on its worker's thread, checked where the device code talks to it."""

from __future__ import annotations

import threading

import pytest

from kiosk.devices.worker import BackgroundWorker


class _Idle(BackgroundWorker):
    def __init__(self) -> None:
        super().__init__("idle-device")
        self.checked = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.assert_on_worker_thread()
        except AssertionError as exc:
            self.error = exc
        self.checked.set()
        while not self.sleep(0.01):
            pass


def test_device_io_is_refused_off_a_running_workers_thread():
    # GIVEN a running worker
    worker = _Idle()
    worker.start()
    try:
        # THEN its own thread may talk to the device
        assert worker.checked.wait(5) and worker.error is None
        # AND any other thread is refused
        with pytest.raises(AssertionError, match="own thread"):
            worker.assert_on_worker_thread()
    finally:
        assert worker.stop()
    # AND a stopped worker is driven by one caller (the command line's drain)
    worker.assert_on_worker_thread()
