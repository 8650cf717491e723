"""Serving an aiohttp application on the office network without being knocked over.

aiohttp (3.x) has no read timeout of its own for request headers: the only timer a
fresh connection gets is the keep-alive one, which ``RequestHandler.connection_made``
arms at once and which closes the connection when it still waits for a request when
the timer fires. So ``keepalive_timeout`` is our header timeout (and the idle timeout
between requests). A body that trickles in is bounded by the handler
(:func:`read_body`). Connections are capped here, accept errors (``EMFILE``) are
logged at most once a second, and a port in use is a plain error.

The WhatsApp webhook uses this; the office web board can attach the same way.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import signal
import socket
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)
FD_RESERVE = 64  # files the process needs besides its connections (database, logs, images)


class PortInUse(OSError):
    """The address is taken (another wa-server, or another program)."""


@dataclass(frozen=True)
class Limits:
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    max_connections: int = 2000


class BodyTimeout(Exception):
    pass


async def read_body(request: web.Request, timeout: float) -> bytes:
    """The whole body, or BodyTimeout when the client takes longer than ``timeout``."""
    try:
        return await asyncio.wait_for(request.read(), timeout)
    except asyncio.TimeoutError:
        raise BodyTimeout from None


def raise_file_limit(wanted: int) -> int:
    """Raise the soft file limit towards ``wanted`` (up to the hard limit); the result."""
    try:
        import resource
    except ImportError:  # Windows: no per-process file limit of this kind
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


class _Capped(asyncio.Protocol):
    """Wraps aiohttp's protocol for one connection; at the cap the oldest connection is
    closed to make room (a stalled connection is older than any real request)."""

    def __init__(self, inner: asyncio.Protocol, pool: OrderedDict[int, _Capped], cap: int) -> None:
        self.inner, self.pool, self.cap = inner, pool, cap
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        while len(self.pool) >= self.cap:
            _, oldest = self.pool.popitem(last=False)
            if oldest.transport is not None:
                oldest.transport.abort()
        self.pool[id(self)] = self
        self.inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.pool.pop(id(self), None)
        self.inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()


class _AcceptErrorFilter:
    """The loop's exception handler: an accept error (too many open files) is logged at
    most once a second with a count of the ones held back; anything else as usual."""

    def __init__(self, every: float = 1.0) -> None:
        self.every, self.last, self.held = every, 0.0, 0

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
            now = time.monotonic()
            if now - self.last >= self.every:
                log.error("cannot accept connections: %s (%d more like it held back)", exc.strerror, self.held)
                self.last, self.held = now, 0
            else:
                self.held += 1
            return
        loop.default_exception_handler(context)


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind now, so a port in use is reported before anything else starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(exc.errno, f"{host}:{port} is already in use (is another wa-server running?)") from None
        raise
    sock.listen(1024)
    sock.setblocking(False)
    return sock


async def serve(app: web.Application, sock: socket.socket, limits: Limits, *,
                ready: Callable[[], None] | None = None,
                stop: asyncio.Event | None = None,
                on_start: Callable[[], Awaitable[None]] | None = None) -> None:
    """Serve ``app`` on ``sock`` until SIGINT/SIGTERM (or ``stop``)."""
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(_AcceptErrorFilter())
    cap = max(16, min(limits.max_connections, raise_file_limit(limits.max_connections + FD_RESERVE) - FD_RESERVE))
    runner = web.AppRunner(app, keepalive_timeout=limits.header_timeout, access_log=None,
                           handle_signals=False)
    await runner.setup()
    pool: OrderedDict[int, _Capped] = OrderedDict()
    factory = runner.server
    assert factory is not None
    server = await loop.create_server(lambda: _Capped(factory(), pool, cap), sock=sock)
    stop = stop or asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises KeyboardInterrupt
            pass
    log.info("serving with header/idle timeout %.0f s, body timeout %.0f s, at most %d connections",
             limits.header_timeout, limits.body_timeout, cap)
    try:
        if on_start is not None:
            await on_start()
        if ready is not None:
            ready()
        await stop.wait()
    finally:
        server.close()
        for protocol in list(pool.values()):
            if protocol.transport is not None:
                protocol.transport.abort()
        await runner.cleanup()
