"""Where replies go. The default ``outbox`` writes the outbox table and the log only:
NOTHING leaves the PC and no applicant gets an answer (for trials). The WhatsApp Cloud
API sender is chosen by ``intake.sender = "cloud_api"``.

Both record every reply in ``outbox_messages``, so an office can see what was (or would
have been) sent, and what failed. The Cloud API sender claims its row before sending
(state ``sending``); a failure is retried by :mod:`kiosk.booking.outbox_worker`.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.app import AppContext
from kiosk.config import ConfigError
from kiosk.store import OutboxMessage

log = logging.getLogger(__name__)
HTTP_TIMEOUT = 15  # seconds


class Reply(Protocol):
    phone: str
    message_id: str
    text: str
    image_path: Path | None


class ReplySender(Protocol):
    def send(self, reply: Reply) -> OutboxMessage: ...


@dataclass(frozen=True)
class WhatsAppSecrets:
    app_secret: str  # checks X-Hub-Signature-256 of webhook POSTs
    verify_token: str  # answers the GET verification handshake
    access_token: str = ""  # Cloud API calls (sending, media download)

    def __repr__(self) -> str:  # never let a secret reach a log
        return "WhatsAppSecrets(...)"


def load_secrets(path: Path) -> WhatsAppSecrets:
    """Read the owner-only secrets file; a clear message names the file and the key."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"WhatsApp secrets file not found: {path} (a JSON object with app_secret, "
                          "verify_token and, for cloud_api, access_token; owner-only permissions)",
                          key="intake.secrets_file") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"WhatsApp secrets file {path} cannot be read as JSON ({type(exc).__name__})",
                          key="intake.secrets_file") from None
    if not isinstance(data, dict):
        raise ConfigError(f"WhatsApp secrets file {path}: expected a JSON object", key="intake.secrets_file")
    for key in ("app_secret", "verify_token"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ConfigError(f"WhatsApp secrets file {path}: {key} missing or empty", key="intake.secrets_file")
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        log.warning("WhatsApp secrets file %s is readable by others; chmod 600 it", path)
    return WhatsAppSecrets(data["app_secret"], data["verify_token"], str(data.get("access_token") or ""))


def _record(ctx: AppContext, reply: Reply, state: str, **fields: object) -> OutboxMessage:
    with ctx.db.write() as session:
        row = OutboxMessage(created_at=ctx.now(), channel="whatsapp", phone=reply.phone, in_reply_to=reply.message_id,
                            text=reply.text, image_path=str(reply.image_path) if reply.image_path else None,
                            state=state, attempts=0 if state == "queued" else 1, **fields)
        session.add(row)
        session.flush()
        return row


class OutboxSender:
    """Writes the reply to the outbox table and the log; sends nothing, so nobody is
    answered (``wa-server`` warns about this at start)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def send(self, reply: Reply) -> OutboxMessage:
        row = _record(self.ctx, reply, "queued")
        log.info("reply to ...%s queued in the outbox (#%d)", reply.phone[-4:], row.id)
        return row


class CloudApiError(RuntimeError):
    pass


class CloudApiClient:
    """The few Graph API calls we make: send a message, upload and download media."""

    def __init__(self, base_url: str, phone_number_id: str, access_token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.phone_number_id = phone_number_id
        self._token = access_token

    def _request(self, url: str, *, data: bytes | None = None, content_type: str | None = None) -> bytes:
        request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
        request.add_header("Authorization", f"Bearer {self._token}")
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            raise CloudApiError(f"Cloud API answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise CloudApiError(f"Cloud API unreachable: {getattr(exc, 'reason', exc)}") from None

    def _json(self, url: str, payload: dict[str, object]) -> dict[str, object]:
        body = self._request(url, data=json.dumps(payload).encode("utf-8"), content_type="application/json")
        return json.loads(body)

    def upload_png(self, path: Path) -> str:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\nwhatsapp\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nimage/png\r\n'.encode(),
            (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
             "Content-Type: image/png\r\n\r\n").encode() + path.read_bytes() + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        body = self._request(f"{self.base_url}/{self.phone_number_id}/media", data=b"".join(parts),
                             content_type=f"multipart/form-data; boundary={boundary}")
        return str(json.loads(body)["id"])

    def send_message(self, phone: str, text: str, image_id: str | None = None) -> str:
        payload: dict[str, object] = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": phone}
        if image_id:
            payload |= {"type": "image", "image": {"id": image_id, "caption": text[:1024]}}
        else:
            payload |= {"type": "text", "text": {"preview_url": False, "body": text[:4096]}}
        answer = self._json(f"{self.base_url}/{self.phone_number_id}/messages", payload)
        messages = answer.get("messages")
        return str(messages[0]["id"]) if isinstance(messages, list) and messages else ""

    def download_media(self, media_id: str, limit: int) -> bytes:
        meta = json.loads(self._request(f"{self.base_url}/{media_id}"))
        data = self._request(str(meta["url"]))
        if len(data) > limit:
            raise CloudApiError(f"media of {len(data)} bytes is over the limit of {limit}")
        return data


class CloudApiSender:
    """Sends through the WhatsApp Cloud API: the reply image (QR + barcode) with the text
    as its caption, or the text alone. Outcomes are recorded in the outbox."""

    def __init__(self, ctx: AppContext, client: CloudApiClient) -> None:
        self.ctx = ctx
        self.client = client

    def send(self, reply: Reply) -> OutboxMessage:
        # Recorded as claimed first: a crash mid-send leaves a "sending" row that the
        # retry worker gives up on instead of sending a second time.
        row = _record(self.ctx, reply, "sending", claimed_at=self.ctx.now())
        deliver(self.ctx, self.client, row)
        return row


def deliver(ctx: AppContext, client: CloudApiClient, row: OutboxMessage) -> bool:
    """Send one claimed outbox row and record the outcome (sent, or failed with the
    time of the next attempt). True when sent."""
    from sqlalchemy import update

    from kiosk.booking.outbox_worker import backoff

    try:
        image_id = client.upload_png(Path(row.image_path)) if row.image_path else None
        provider_id = client.send_message(row.phone or "", row.text, image_id)
    except (CloudApiError, KeyError, ValueError, OSError) as exc:
        log.warning("reply #%d to ...%s not sent (attempt %d): %s", row.id, (row.phone or "")[-4:], row.attempts,
                    exc)
        values: dict[str, object] = {"state": "failed", "last_error": str(exc)[:500],
                                     "next_attempt_at": ctx.now() + backoff(row.attempts)}
        ok = False
    else:
        log.info("reply #%d to ...%s sent (%s)", row.id, (row.phone or "")[-4:], provider_id)
        values = {"state": "sent", "provider_id": provider_id, "sent_at": ctx.now(), "last_error": None}
        ok = True
    with ctx.db.write() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values))
    for key, value in values.items():
        setattr(row, key, value)
    return ok


def make_sender(ctx: AppContext, secrets: WhatsAppSecrets | None = None) -> ReplySender:
    """The sender the config asks for."""
    settings = ctx.config.intake
    if settings.sender == "cloud_api":
        secrets = secrets or load_secrets(ctx.config.whatsapp_secrets_path)
        if not secrets.access_token:
            raise ConfigError(f"intake.sender = \"cloud_api\" needs access_token in "
                              f"{ctx.config.whatsapp_secrets_path}", key="intake.sender")
        return CloudApiSender(ctx, CloudApiClient(settings.cloud_api_url, settings.phone_number_id,
                                                  secrets.access_token))
    return OutboxSender(ctx)
