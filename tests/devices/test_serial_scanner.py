"""The serial scanner reader against a real TCP socket on 127.0.0.1 (pyserial's
socket:// port, as a serial-to-network adapter presents a scanner)."""

from __future__ import annotations

import socket
import threading

import pytest

from kiosk.devices.serial_scanner import SerialScanner
from kiosk.devices.status import DeviceStatus

WAIT = 20.0


class Collector:
    def __init__(self) -> None:
        self.codes: list[str] = []
        self.statuses: list[DeviceStatus] = []
        self.cond = threading.Condition()

    def code(self, text: str) -> None:
        with self.cond:
            self.codes.append(text)
            self.cond.notify_all()

    def status(self, status: DeviceStatus, detail: str) -> None:
        with self.cond:
            self.statuses.append(status)
            self.cond.notify_all()

    def wait_for(self, predicate) -> bool:
        with self.cond:
            return self.cond.wait_for(predicate, WAIT)


@pytest.fixture
def server():
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(WAIT)
    yield listener
    listener.close()


def test_lines_become_codes_and_an_unplugged_port_reconnects(server):
    port = server.getsockname()[1]
    got = Collector()
    scanner = SerialScanner(f"socket://127.0.0.1:{port}", on_code=got.code, on_status=got.status,
                            retry_seconds=0.05)
    scanner.start()
    try:
        # GIVEN a scanner that sends two codes, CR LF and bare CR terminated, split oddly
        conn, _ = server.accept()
        # (pyserial empties the input when it opens a port, as serial drivers do)
        assert got.wait_for(lambda: DeviceStatus.LIVE in got.statuses)
        conn.sendall(b"AP1-JKP-261127-0930-042-7VG")
        conn.sendall(b"J2DG5\r\nIMPORTED-0001\r")
        # THEN both arrive whole, in order
        assert got.wait_for(lambda: len(got.codes) == 2)
        assert got.codes == ["AP1-JKP-261127-0930-042-7VGJ2DG5", "IMPORTED-0001"]
        # WHEN the adapter is unplugged (the connection drops)
        conn.close()
        assert got.wait_for(lambda: DeviceStatus.RECONNECTING in got.statuses)
        # AND comes back
        conn, _ = server.accept()
        assert got.wait_for(lambda: got.statuses.count(DeviceStatus.LIVE) == 2)
        conn.sendall(b"KODE-2\n")
        # THEN the reader is live again and reads on
        assert got.wait_for(lambda: len(got.codes) == 3)
        assert got.codes[-1] == "KODE-2"
        conn.close()
    finally:
        assert scanner.stop()
    assert got.statuses[:3] == [DeviceStatus.CONNECTING, DeviceStatus.LIVE, DeviceStatus.RECONNECTING]
    assert DeviceStatus.LIVE in got.statuses[3:]
    assert got.statuses[-1] is DeviceStatus.STOPPED
    assert not scanner.running


def test_noise_without_line_ends_is_dropped_not_reported(server):
    port = server.getsockname()[1]
    got = Collector()
    scanner = SerialScanner(f"socket://127.0.0.1:{port}", on_code=got.code, on_status=got.status,
                            retry_seconds=0.05)
    scanner.start()
    try:
        conn, _ = server.accept()
        assert got.wait_for(lambda: DeviceStatus.LIVE in got.statuses)
        # GIVEN a scanner at the wrong baud rate: a long run of garbage, then a good line
        conn.sendall(bytes(range(32, 127)) * 8)
        conn.sendall(b"\nKODE-3\n")
        assert got.wait_for(lambda: "KODE-3" in got.codes)
        conn.close()
    finally:
        assert scanner.stop()
    # THEN only the good line is reported (the garbage tail before it is one line of noise at most)
    assert got.codes[-1] == "KODE-3"
    assert all(len(c) <= 512 for c in got.codes)


def test_missing_port_keeps_retrying_and_stops_cleanly():
    got = Collector()
    scanner = SerialScanner("socket://127.0.0.1:1", on_status=got.status, retry_seconds=0.05)
    scanner.start()
    assert got.wait_for(lambda: DeviceStatus.RECONNECTING in got.statuses)
    assert DeviceStatus.LIVE not in got.statuses
    assert scanner.stop()
    assert not scanner.running


def test_empty_port_is_refused():
    with pytest.raises(ValueError, match="empty serial port"):
        SerialScanner("  ")
