"""A network receipt printer on 127.0.0.1 for tests: records what it receives.

Like a real one it answers DLE EOT status queries and ``GS r 1`` (after the bytes
before it), and it can be switched off (connections refused), run out of paper,
read slowly, drop the connection or stop reading in the middle of a job.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

ONLINE, OFFLINE_BIT = 0x12, 0x08
COVER_OPEN, PAPER_STOP = 0x04, 0x20
PAPER_END = 0x60


@dataclass
class Received:
    data: bytearray = field(default_factory=bytearray)  # the job, without status queries
    closed: bool = False  # the peer closed (or we dropped) the connection
    dropped: bool = False  # we cut it in the middle

    def __len__(self) -> int:
        return len(self.data)


class VirtualPrinter:
    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self._listener: socket.socket | None = None
        self.port = 0
        self.paper_out = False
        self.cover_open = False
        self.read_delay = 0.0  # seconds between reads of 256 bytes: a slow printer
        self.drop_after: int | None = None  # close the connection after this many job bytes (once)
        self.stall_after: int | None = None  # stop reading after this many job bytes
        self.answers_gs_r = True  # some clones know DLE EOT but not GS r
        self.connections: list[Received] = []
        self.status_queries = 0
        self._cond = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._clients: list[socket.socket] = []
        self.switch_on()

    # --- power ------------------------------------------------------------------------

    def switch_on(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(8)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stopping.clear()
        thread = threading.Thread(target=self._accept, args=(listener,), name="virtual-printer", daemon=True)
        self._threads.append(thread)
        thread.start()

    def switch_off(self) -> None:
        """Refuse connections and cut the open ones, like pulling the plug."""
        self._stopping.set()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        for client in list(self._clients):
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in self._threads:
            thread.join(5)
        self._threads.clear()

    close = switch_off

    # --- what was received ----------------------------------------------------------------

    @property
    def jobs(self) -> list[bytes]:
        """Bytes of every connection that carried a job, in order."""
        with self._cond:
            return [bytes(c.data) for c in self.connections if c.data]

    def wait_for(self, predicate, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    # --- the printer -------------------------------------------------------------------------

    def _accept(self, listener: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self._clients.append(client)
            thread = threading.Thread(target=self._serve, args=(client,), name="virtual-printer-conn", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _status(self, n: int) -> int:
        if n == 1:
            return ONLINE | (OFFLINE_BIT if (self.paper_out or self.cover_open) else 0)
        if n == 2:
            return ONLINE | (COVER_OPEN if self.cover_open else 0) | (PAPER_STOP if self.paper_out else 0)
        if n == 4:
            return ONLINE | (PAPER_END if self.paper_out else 0)
        return ONLINE

    def _serve(self, client: socket.socket) -> None:
        record = Received()
        with self._cond:
            self.connections.append(record)
            self._cond.notify_all()
        pending = bytearray()
        client.settimeout(0.05)
        try:
            while not self._stopping.is_set():
                if self.stall_after is not None and len(record.data) >= self.stall_after:
                    time.sleep(0.01)  # a jammed printer: holds the connection, reads nothing
                    continue
                size = 256
                for limit in (self.drop_after, self.stall_after):
                    if limit is not None:
                        size = max(1, min(size, limit - len(record.data)))
                try:
                    chunk = client.recv(size)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                if self.read_delay:
                    time.sleep(self.read_delay)
                pending += chunk
                pending = self._consume(client, record, pending)
                if self.drop_after is not None and len(record.data) >= self.drop_after:
                    self.drop_after = None
                    record.dropped = True
                    client.shutdown(socket.SHUT_RDWR)
                    break
        except OSError:
            pass
        finally:
            client.close()
            if client in self._clients:
                self._clients.remove(client)
            with self._cond:
                record.data += pending
                record.closed = True
                self._cond.notify_all()

    def _consume(self, client: socket.socket, record: Received, pending: bytearray) -> bytearray:
        """Answer DLE EOT at the start of what is pending and GS r 1 at its end; the rest is the job."""
        while len(pending) >= 3 and pending[0] == 0x10 and pending[1] == 0x04:
            self.status_queries += 1
            client.sendall(bytes([self._status(pending[2])]))
            del pending[:3]
        if len(pending) >= 3 and pending[0] == 0x10 and pending[1] == 0x04:
            return pending
        keep = bytearray()
        if pending.endswith(b"\x1dr\x01"):
            job_part = pending[:-3]
            with self._cond:
                record.data += job_part
                self._cond.notify_all()
            if self.answers_gs_r:
                client.sendall(bytes([0x0C if self.paper_out else 0x00]))
            return keep
        # Hold back a possible partial GS r / DLE EOT at the end until more arrives.
        cut = len(pending)
        for tail in (2, 1):
            if len(pending) >= tail and pending[-tail:] in (b"\x1dr\x01"[:tail], b"\x10\x04"[:tail]):
                cut = len(pending) - tail
                break
        with self._cond:
            record.data += pending[:cut]
            self._cond.notify_all()
        keep += pending[cut:]
        return keep
