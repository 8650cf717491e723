"""Fixtures of the web tests: a real server on a loopback port, an SSE reader on a real
socket, and one headless Chromium for the whole module."""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.app import AppContext, open_context
from kiosk.core.clock import FixedClock
from kiosk.web.runner import WebServer
from tests.conftest import make_config

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class WebOffice:
    """A web server on the test database, and a second context the "counters" use."""

    ctx: AppContext  # what the services (desk, counters) use
    server: WebServer
    port: int
    clock: FixedClock

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def restart(self) -> None:
        self.server.stop()
        self.server = WebServer(self.server.ctx, "127.0.0.1", self.port, heartbeat=self.server.heartbeat).start()


@pytest.fixture
def make_office(tmp_path: Path, db_url: str, clock: FixedClock) -> Iterator[Callable[..., WebOffice]]:
    made: list[WebOffice] = []
    contexts: list[AppContext] = []

    def factory(*, heartbeat: float = 15.0, **sections: dict[str, Any]) -> WebOffice:
        port = free_port()
        sections.setdefault("web", {}).setdefault("public_url", f"http://127.0.0.1:{port}")
        sections.setdefault("display", {}).setdefault("poll_interval", 0.1)
        config = make_config(tmp_path, **sections)
        desk = open_context(config, db_url=db_url, clock=clock)
        web_ctx = open_context(config, db_url=db_url, clock=clock)
        web_ctx.actor = "web"
        contexts.extend([desk, web_ctx])
        office = WebOffice(desk, WebServer(web_ctx, "127.0.0.1", port, heartbeat=heartbeat).start(), port, clock)
        assert office.server.wait_ready(), "the web server never read the database"
        made.append(office)
        return office

    yield factory
    for office in made:
        office.server.stop()
    for ctx in contexts:
        ctx.close()


def wait_for(condition: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    """Poll an observable state until it holds (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class SseReader:
    """Reads server-sent events from a real socket, with deadlines."""

    def __init__(self, url: str, path: str, headers: dict[str, str] | None = None) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n{extra}\r\n".encode())
        self.buffer = b""
        head = self._until(b"\r\n\r\n", 10)
        self.status = int(head.split(b" ", 2)[1])
        self.headers = head.decode("latin-1").lower()
        self.chunked = "transfer-encoding: chunked" in self.headers
        self.text = ""

    def _until(self, marker: bytes, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while marker not in self.buffer:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                raise AssertionError(f"no {marker!r} within {timeout} s") from None
            if not data:
                raise EOFError("stream closed")
            self.buffer += data
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def _fill_text(self, timeout: float) -> None:
        if self.chunked:
            size_line = self._until(b"\r\n", timeout)
            size = int(size_line.strip() or b"0", 16)
            if size == 0:
                raise EOFError("stream ended")
            while len(self.buffer) < size + 2:
                self.sock.settimeout(timeout)
                data = self.sock.recv(65536)
                if not data:
                    raise EOFError("stream closed")
                self.buffer += data
            self.text += self.buffer[:size].decode("utf-8")
            self.buffer = self.buffer[size + 2:]
        else:
            self.sock.settimeout(timeout)
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("stream closed")
            self.text += data.decode("utf-8")

    def next(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next event as {"event", "id", "data"}; comments and retry lines are skipped."""
        deadline = time.monotonic() + timeout
        while True:
            while "\n\n" not in self.text:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no event within {timeout} s")
                self._fill_text(left)
            block, self.text = self.text.split("\n\n", 1)
            event: dict[str, Any] = {}
            for line in block.split("\n"):
                key, _, value = line.partition(": ")
                if key == "data":
                    event["data"] = json.loads(value)
                elif key in ("event", "id"):
                    event[key] = value
            if "event" in event:
                return event

    def next_of(self, kind: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.01, deadline - time.monotonic()))
            if event["event"] == kind:
                return event

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module (each test opens its own server, so its own origin)."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        message = "chromium and chromium-driver are not installed (scripts/_setup.sh installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="antrean-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={profile}", "--window-size=1920,1080",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def viewport(driver: Any, width: int, height: int, mobile: bool = False) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


class FreezingProxy:
    """A TCP relay in front of the server that can go silent without closing anything —
    what a dropped Wi-Fi link looks like to a browser (no error, just no bytes)."""

    def __init__(self, target_port: int) -> None:
        import threading

        self.target = target_port
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.frozen: set[socket.socket] = set()
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.freeze_all = False
        self.stopping = False
        self.selector_thread = threading.Thread(target=self._run, name="freezing-proxy", daemon=True)
        self.selector_thread.start()

    def _run(self) -> None:
        import selectors

        sel = selectors.DefaultSelector()
        self.listener.setblocking(False)
        sel.register(self.listener, selectors.EVENT_READ)
        peers: dict[socket.socket, socket.socket] = {}
        while not self.stopping:
            for key, _ in sel.select(0.05):
                sock = key.fileobj
                if sock is self.listener:
                    client, _ = self.listener.accept()
                    upstream = socket.create_connection(("127.0.0.1", self.target))
                    for s in (client, upstream):
                        s.setblocking(False)
                        sel.register(s, selectors.EVENT_READ)
                    peers[client], peers[upstream] = upstream, client
                    self.pairs.append((client, upstream))
                    continue
                try:
                    data = sock.recv(65536)
                except (BlockingIOError, ConnectionError):
                    continue
                other = peers.get(sock)
                if not data or other is None:
                    for s in (sock, other):
                        if s is not None and s in peers:
                            sel.unregister(s)
                            peers.pop(s, None)
                            s.close()
                    continue
                if sock in self.frozen or other in self.frozen:
                    continue  # swallowed: the link is dead but nobody is told
                try:
                    other.sendall(data)
                except (BlockingIOError, ConnectionError):
                    pass
        sel.close()

    def freeze(self) -> None:
        """Every connection open now goes silent; new ones work."""
        for client, upstream in self.pairs:
            self.frozen.update((client, upstream))

    def close(self) -> None:
        self.stopping = True
        self.selector_thread.join(5)
        self.listener.close()
        for client, upstream in self.pairs:
            client.close()
            upstream.close()
