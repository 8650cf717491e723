"""The WhatsApp Cloud API webhook (aiohttp): the GET verification handshake and signed
POSTs of incoming messages, each answered through a :class:`ReplySender`.

Bound to 127.0.0.1 by default: the office's TLS reverse proxy (or tunnel) forwards
Meta's calls, so the database PC is never exposed directly.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from kiosk.app import AppContext
from kiosk.booking.intake import MAX_PHOTO_BYTES, BadMessage, IncomingMessage, IntakeReply, handle_message
from kiosk.booking.senders import ReplySender, WhatsAppSecrets
from kiosk.serving import BodyTimeout, read_body
from kiosk.store import DatabaseError

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # a webhook POST is a few KB; anything bigger is not Meta
MediaFetcher = Callable[[str], bytes]  # media id -> bytes (Cloud API download)


def signature_ok(body: bytes, header: str | None, app_secret: str) -> bool:
    """``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>``,
    compared in constant time."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256="):].strip().lower())


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta sends for ``body`` (for tests and the simulator)."""
    return "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class WebhookMessage:
    message_id: str
    phone: str
    kind: str  # text | image | other
    text: str
    media_id: str | None = None


def messages_in(payload: Any) -> list[WebhookMessage]:
    """The user messages of a Cloud API ``messages`` webhook; statuses and other fields
    are skipped, malformed entries are logged and skipped."""
    found: list[WebhookMessage] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return found
    for entry in payload.get("entry") or []:
        for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = change.get("value") or {}
            contacts = value.get("contacts") or [] if isinstance(value, dict) else []
            for message in (value.get("messages") or []) if isinstance(value, dict) else []:
                try:
                    found.append(_one(message, contacts))
                except (KeyError, TypeError, AttributeError) as exc:
                    log.warning("webhook message skipped: malformed (%s)", type(exc).__name__)
    return found


def _one(message: dict[str, Any], contacts: list[Any]) -> WebhookMessage:
    phone = message.get("from") or (contacts[0].get("wa_id") if contacts else None)
    message_id, kind = str(message["id"]), str(message.get("type", ""))
    if not phone:
        raise KeyError("from")
    if kind == "text":
        return WebhookMessage(message_id, str(phone), "text", str(message["text"].get("body", "")))
    if kind == "image":
        image = message["image"]
        return WebhookMessage(message_id, str(phone), "image", str(image.get("caption") or ""), str(image["id"]))
    return WebhookMessage(message_id, str(phone), "other", "")


class WebhookHandler:
    def __init__(self, ctx: AppContext, secrets: WhatsAppSecrets, sender: ReplySender,
                 fetch_media: MediaFetcher | None = None) -> None:
        self.ctx = ctx
        self.secrets = secrets
        self.sender = sender
        self.fetch_media = fetch_media
        self.body_timeout = ctx.config.intake.webhook_body_timeout
        self._db_down = False  # one log line per outage, not one per POST

    async def verify(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("hub.mode") == "subscribe" and hmac.compare_digest(
                q.get("hub.verify_token", "").encode(), self.secrets.verify_token.encode()):
            return web.Response(text=q.get("hub.challenge", ""))
        log.warning("webhook verification refused (wrong mode or verify token)")
        return web.Response(status=403, text="forbidden")

    async def receive(self, request: web.Request) -> web.Response:
        try:
            body = await read_body(request, self.body_timeout)
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413, text="too large")
        except BodyTimeout:
            log.warning("webhook POST dropped: body not sent within %.0f s", self.body_timeout)
            return web.Response(status=408, text="body too slow", headers={"Connection": "close"})
        if not signature_ok(body, request.headers.get("X-Hub-Signature-256"), self.secrets.app_secret):
            log.warning("webhook POST refused: bad or missing X-Hub-Signature-256")
            return web.Response(status=401, text="bad signature")
        try:
            payload = json.loads(body)
            messages = messages_in(payload)
        except (ValueError, RecursionError, TypeError, AttributeError, KeyError):
            # signed but unreadable (not UTF-8, not JSON, nested too deep, wrong shapes)
            log.warning("webhook POST refused: signed body is not a readable WhatsApp payload")
            return web.Response(status=400, text="not a WhatsApp webhook payload")
        replies = []
        try:
            for message in messages:
                reply = await asyncio.to_thread(self._handle, message)
                if reply is not None:
                    replies.append(reply.outcome.value)
        except DatabaseError as exc:
            # Meta redelivers on 5xx, and message ids make the redelivery idempotent.
            if not self._db_down:
                log.error("webhook answering 503 while the database is unavailable: %s", exc)
            self._db_down = True
            return web.Response(status=503, text="database unavailable", headers={"Retry-After": "30"})
        if self._db_down:
            log.info("webhook: database reachable again")
            self._db_down = False
        # 200 for every signed POST we understood, or Meta retries it for days.
        return web.json_response({"handled": len(replies), "outcomes": replies})

    def _handle(self, message: WebhookMessage) -> IntakeReply | None:
        photo = None
        if message.media_id and self.fetch_media is not None:
            try:
                photo = self.fetch_media(message.media_id)
            except Exception as exc:  # noqa: BLE001 - the booking goes on without the photo file
                log.warning("e-KTP photo %s not downloaded: %s", message.media_id, exc)
        elif message.media_id:
            log.info("e-KTP photo %s not downloaded: no Cloud API access configured", message.media_id)
        try:
            reply = handle_message(self.ctx, IncomingMessage(message.message_id, message.phone, message.text,
                                                             message.kind, photo))
        except BadMessage as exc:
            log.warning("webhook message %s refused: %s", message.message_id[-12:], exc)
            return None
        if not reply.replayed:  # Meta redelivers; the applicant gets one reply
            self.sender.send(reply)
        return reply


def build_app(ctx: AppContext, secrets: WhatsAppSecrets, sender: ReplySender,
              fetch_media: MediaFetcher | None = None) -> web.Application:
    handler = WebhookHandler(ctx, secrets, sender, fetch_media)
    app = web.Application(client_max_size=MAX_BODY)
    path = ctx.config.intake.webhook_path
    app.router.add_get(path, handler.verify)
    app.router.add_post(path, handler.receive)
    return app


def media_fetcher_for(ctx: AppContext, secrets: WhatsAppSecrets) -> MediaFetcher | None:
    """Download e-KTP photos through the Cloud API when an access token is configured."""
    if not secrets.access_token or not ctx.config.intake.phone_number_id:
        return None
    from kiosk.booking.senders import CloudApiClient

    client = CloudApiClient(ctx.config.intake.cloud_api_url, ctx.config.intake.phone_number_id,
                            secrets.access_token)
    return lambda media_id: client.download_media(media_id, MAX_PHOTO_BYTES)
