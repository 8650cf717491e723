"""Running the web application: in the main thread (``python main.py web``) or on a
thread of its own (``demo``, the tests, the screenshots)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from aiohttp import web

from kiosk.app import AppContext
from kiosk.web.server import HEARTBEAT_SECONDS, HUB, Hub, build_app


class PortInUse(OSError):
    pass


class WebServer:
    """The server on its own event loop in a thread (``demo``, the tests, the benchmark);
    ``python main.py web`` runs :func:`serve` in the main thread instead."""

    def __init__(self, ctx: AppContext, host: str = "127.0.0.1", port: int = 0, *,
                 heartbeat: float = HEARTBEAT_SECONDS) -> None:
        self.ctx, self.host, self.port, self.heartbeat = ctx, host, port, heartbeat
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self.app: web.Application | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> WebServer:
        self._started.clear()
        self._error = None
        self._thread = threading.Thread(target=self._main, name="web-server", daemon=True)
        self._thread.start()
        self._started.wait(30)
        if self._error is not None:
            raise self._error
        return self

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            self.app = build_app(self.ctx, heartbeat=self.heartbeat)
            self._runner = loop.run_until_complete(_start_site(self.app, self.host, self.port))
            self.port = _bound_port(self._runner) or self.port
        except BaseException as exc:  # reported to start()
            self._error = exc
            self._started.set()
            loop.close()
            return
        self._started.set()
        loop.run_forever()
        loop.run_until_complete(self._runner.cleanup())
        loop.close()

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Until the first snapshot is read (False when the database stays away)."""
        import time

        deadline = time.monotonic() + timeout
        while self.app is not None and self.app[HUB].latest is None:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    @property
    def hub(self) -> Hub:
        assert self.app is not None
        return self.app[HUB]


async def _start_site(app: web.Application, host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, shutdown_timeout=2.0, handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise PortInUse(exc.errno, f"port {port} on {host} is already in use") from None
        raise
    return runner


def _bound_port(runner: web.AppRunner) -> int | None:
    for site in runner.sites:
        server = getattr(site, "_server", None)
        for sock in getattr(server, "sockets", None) or []:
            return int(sock.getsockname()[1])
    return None


def serve(ctx: AppContext, host: str, port: int, on_ready: Any = None) -> None:
    """Run until Ctrl+C or SIGTERM; :class:`PortInUse` when the port is taken."""
    import signal

    async def main() -> None:
        app = build_app(ctx)
        runner = await _start_site(app, host, port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises KeyboardInterrupt
                pass
        if on_ready is not None:
            on_ready()
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    asyncio.run(main())
