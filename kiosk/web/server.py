"""The aiohttp application of ``python main.py web``.

Routes (all read-only, public data only):

- ``GET /display`` the waiting-room board for any TV browser;
- ``GET /t/<token>`` a ticket's status page (when ``web.public_url`` is set);
- ``GET /api/board`` the board as JSON; ``GET /api/ticket/<token>`` a ticket's status;
- ``GET /api/events[?t=<token>]`` server-sent events: ``call``, ``recall`` and
  ``transfer`` with the event id (``Last-Event-ID`` resumes), ``board`` after every
  change, ``ticket`` with that ticket's status, ``status`` when the database goes away
  or returns, and a ``ping`` heartbeat;
- ``/static/…`` the pages' own files and ``/sounds/…`` the voice fragments (no CDN).

One :class:`Hub` per server reads the database — one feed for every browser: pushed
by PostgreSQL ``LISTEN``/``NOTIFY``, polled on SQLite — and hands each snapshot to the
connected clients on the event loop. Handlers never wait on the database except to
replay the calls a reconnecting browser missed (on a worker thread).
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from kiosk.app import AppContext
from kiosk.config import resolve_path
from kiosk.core.status_token import StatusToken, read_token
from kiosk.services.board import EventFeed, calls_since, transfers_since
from kiosk.web.room import PublicEvent, RoomReader, RoomSnapshot, call_event, transfer_event

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
VOICE_DIR = Path(__file__).resolve().parents[2] / "resources" / "sounds" / "id"  # as display.voice, without numpy
HEARTBEAT_SECONDS = 15.0
RETRY_MS = 2000  # how soon a browser reconnects after the stream ends
CLIENT_QUEUE = 64  # snapshots a slow client may fall behind before it is dropped
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; media-src 'self'; img-src 'self' data:",
    "Referrer-Policy": "no-referrer",  # a status URL carries its token
    "X-Content-Type-Options": "nosniff",
}

HUB: web.AppKey[Hub] = web.AppKey("hub")
CTX: web.AppKey[AppContext] = web.AppKey("ctx")
HEARTBEAT: web.AppKey[float] = web.AppKey("heartbeat")


class Hub:
    """The newest room snapshot and the clients to tell about the next one."""

    def __init__(self, ctx: AppContext, poll_interval: float) -> None:
        self.ctx = ctx
        self.latest: RoomSnapshot | None = None
        self.connected: bool | None = None
        self.clients: set[asyncio.Queue[Any]] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.feed = EventFeed(RoomReader(ctx), on_snapshot=self._from_feed, on_status=self._status_from_feed,
                              poll_interval=poll_interval, name="web-feed")

    def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.feed.start()

    def stop(self) -> None:
        self.feed.stop()
        for queue in list(self.clients):
            self._end(queue)  # ends the stream; the browser reconnects to the next server

    # --- feed thread → event loop -------------------------------------------------------

    def _from_feed(self, snapshot: RoomSnapshot) -> None:
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self._publish, snapshot)

    def _status_from_feed(self, connected: bool) -> None:
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self._publish_status, connected)

    def _publish(self, snapshot: RoomSnapshot) -> None:
        first = self.latest is None
        self.latest = snapshot
        if first:
            snapshot.events = []  # announced before this server started
        self._fan_out(snapshot)

    def _publish_status(self, connected: bool) -> None:
        self.connected = connected
        self._fan_out(("status", connected))

    def _fan_out(self, item: Any) -> None:
        for queue in list(self.clients):
            try:
                queue.put_nowait(item)
            except asyncio.QueueFull:  # too slow: end its stream; it reconnects and resumes by id
                self._end(queue)

    def _end(self, queue: asyncio.Queue[Any]) -> None:
        self.clients.discard(queue)
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(None)

    def subscribe(self) -> asyncio.Queue[Any]:
        queue: asyncio.Queue[Any] = asyncio.Queue(CLIENT_QUEUE)
        self.clients.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Any]) -> None:
        self.clients.discard(queue)

    def missed(self, since: int) -> list[PublicEvent]:
        """Calls, recalls and transfers after event ``since`` (a reconnecting browser's)."""
        with self.ctx.db.read() as session:
            events = [call_event(c) for c in calls_since(session, since)] + \
                     [transfer_event(t) for t in transfers_since(session, since)]
        today = self.ctx.today()
        return sorted((e for e in events if e.at.astimezone(self.ctx.config.tz).date() == today),
                      key=lambda e: e.event_id)


# --- helpers ---------------------------------------------------------------------------------

def sse(event: str, data: Any, event_id: int | None = None) -> bytes:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append("data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def _ticket_token(request: web.Request, token: str) -> StatusToken | None:
    ctx = request.app[CTX]
    keys = ctx.keyring.keys
    if not ctx.config.web.public_url or not keys:
        return None
    return read_token(token, keys, ctx.config.office.code, ctx.today())


def _ticket_label(request: web.Request, token: str) -> str | None:
    parsed = _ticket_token(request, token)
    return parsed.label if parsed else None


def _ticket_status(hub: Hub, label: str) -> dict[str, Any]:
    status = hub.latest.tickets.get(label) if hub.latest else None
    return status or {"number": label, "state": "unknown"}


def _speakable(ctx: AppContext, event: PublicEvent) -> dict[str, Any]:
    age = ctx.now() - event.at
    return event.data | {"speak": age <= timedelta(seconds=ctx.config.announcer.max_age)}


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, headers={"Cache-Control": "no-store"},
                             dumps=lambda d: json.dumps(d, ensure_ascii=False))


def _page(name: str, **values: str) -> web.Response:
    html = (STATIC / name).read_text("utf-8")
    for key, value in values.items():
        html = html.replace("{{" + key + "}}", _escape(value))
    return web.Response(text=html, content_type="text/html", headers={"Cache-Control": "no-store"})


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#39;"))


# --- handlers --------------------------------------------------------------------------------

async def index(request: web.Request) -> web.Response:
    raise web.HTTPFound("/display")


async def display_page(request: web.Request) -> web.Response:
    return _page("board.html", office=request.app[CTX].config.office.name)


async def ticket_page(request: web.Request) -> web.Response:
    token = request.match_info["token"]
    if _ticket_label(request, token) is None:
        response = _page("expired.html", office=request.app[CTX].config.office.name)
        response.set_status(404)
        return response
    return _page("ticket.html", office=request.app[CTX].config.office.name, token=token.upper())


async def logo(request: web.Request) -> web.StreamResponse:
    """The office logo of the board header (display.logo), when one is configured."""
    ctx = request.app[CTX]
    if not ctx.config.display.logo:
        raise web.HTTPNotFound()
    path = resolve_path(ctx.config, ctx.config.display.logo)
    if path.suffix.lower() not in (".png", ".svg", ".jpg", ".jpeg") or not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path)


async def board_json(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    if hub.latest is None:
        return _json({"error": "database unavailable"}, 503)
    return _json(hub.latest.board | {"connected": bool(hub.connected)})


async def ticket_json(request: web.Request) -> web.Response:
    label = _ticket_label(request, request.match_info["token"])
    if label is None:
        return _json({"error": "unknown or expired ticket"}, 404)
    hub = request.app[HUB]
    if hub.latest is None:
        return _json({"error": "database unavailable"}, 503)
    return _json(_ticket_status(hub, label))


async def events(request: web.Request) -> web.StreamResponse:
    ctx, hub = request.app[CTX], request.app[HUB]
    token = request.query.get("t")
    ticket = _ticket_token(request, token) if token else None
    label = ticket.label if ticket else None
    if token and ticket is None:
        return _json({"error": "unknown or expired ticket"}, 404)
    last_text = request.headers.get("Last-Event-ID") or request.query.get("last") or ""
    last = int(last_text) if last_text.isdigit() and len(last_text) < 19 else None
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store",
                                           "X-Accel-Buffering": "no", **SECURITY_HEADERS})
    await response.prepare(request)
    queue = hub.subscribe()
    heartbeat = request.app[HEARTBEAT]
    sent = last or 0
    try:
        await response.write(f"retry: {RETRY_MS}\n\n".encode())
        if last is not None:
            try:
                for event in await asyncio.to_thread(hub.missed, last):
                    await response.write(sse(event.kind, _speakable(ctx, event), event.event_id))
                    sent = max(sent, event.event_id)
            except Exception as exc:  # the database is away: the board event below still comes
                log.info("missed events not replayed: %s", exc)
        if hub.latest is not None:
            await _write_snapshot(response, hub, hub.latest, label)
            sent = max(sent, hub.latest.last_event_id)
        await response.write(sse("status", {"connected": bool(hub.connected)}))
        while True:
            try:
                item = await asyncio.wait_for(queue.get(), heartbeat)
            except asyncio.TimeoutError:
                await response.write(sse("ping", {"t": datetime.now().timestamp()}))
                continue
            if item is None:
                break
            if isinstance(item, tuple):
                await response.write(sse("status", {"connected": item[1]}))
                continue
            for event in item.events:
                if event.event_id > sent:
                    await response.write(_cached(item, event.event_id, lambda e=event: sse(
                        e.kind, _speakable(ctx, e), e.event_id)))
            sent = max(sent, item.last_event_id)
            if ticket is not None and item.day != ticket.service_day:  # the day is over: so is the page
                await response.write(sse("ticket", {"number": ticket.label, "state": "expired"}))
                break
            await _write_snapshot(response, hub, item, label)
    except ConnectionResetError:  # the browser went away; it reconnects and resumes by id
        pass
    finally:
        hub.unsubscribe(queue)
    return response


def _cached(snapshot: RoomSnapshot, key: Any, make: Any) -> bytes:
    """One encoding per snapshot for every client (200 TVs and phones share it)."""
    value = snapshot.encoded.get(key)
    if value is None:
        value = snapshot.encoded[key] = make()
    return value


async def _write_snapshot(response: web.StreamResponse, hub: Hub, snapshot: RoomSnapshot,
                          label: str | None) -> None:
    if label is None:  # a ticket page needs its own status only
        connected = bool(hub.connected)
        await response.write(_cached(snapshot, ("board", connected),
                                     lambda: sse("board", snapshot.board | {"connected": connected})))
    else:
        status = snapshot.tickets.get(label) or {"number": label, "state": "unknown"}
        await response.write(sse("ticket", status))


# --- the application -------------------------------------------------------------------------

@web.middleware
async def _headers(request: web.Request, handler: Any) -> web.StreamResponse:
    response: web.StreamResponse = await handler(request)
    if not response.prepared:
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
    return response


def voice_folder(ctx: AppContext) -> Path:
    """The voice fragments the Qt announcer uses (display.voice.VOICE_DIR, or announcer.voice_dir)."""
    folder = ctx.config.announcer.voice_dir
    return resolve_path(ctx.config, folder) if folder else VOICE_DIR


def build_app(ctx: AppContext, *, heartbeat: float = HEARTBEAT_SECONDS) -> web.Application:
    app = web.Application(middlewares=[_headers])
    app[CTX] = ctx
    hub = Hub(ctx, ctx.config.display.poll_interval)
    app[HUB] = hub
    app[HEARTBEAT] = heartbeat

    async def on_startup(_app: web.Application) -> None:
        hub.start()

    async def on_shutdown(_app: web.Application) -> None:
        hub.stop()

    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    app.router.add_get("/", index)
    app.router.add_get("/display", display_page)
    app.router.add_get("/t/{token}", ticket_page)
    app.router.add_get("/logo", logo)
    app.router.add_get("/api/board", board_json)
    app.router.add_get("/api/ticket/{token}", ticket_json)
    app.router.add_get("/api/events", events)
    app.router.add_static("/static/", STATIC)
    app.router.add_static("/sounds/", voice_folder(ctx))
    return app
