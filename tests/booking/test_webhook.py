"""The Cloud API webhook on a real socket on 127.0.0.1, with payloads shaped like the
public Cloud API webhook reference, and the Cloud API sender against a stand-in Graph
API server on 127.0.0.1 (no call leaves the machine)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select

from kiosk.booking.senders import CloudApiClient, CloudApiSender, OutboxSender, WhatsAppSecrets
from kiosk.booking.webhook import build_app, sign
from kiosk.store import Booking, IntakeMessage, OutboxMessage

SECRETS = WhatsAppSecrets(app_secret="app-secret-for-tests", verify_token="verify-me", access_token="EAAtest")
PHONE = "6281234567890"


def payload(*messages: dict[str, Any], statuses: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A ``messages`` webhook as the Cloud API reference shows it."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": "Budi"}, "wa_id": PHONE}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = statuses
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}]}


def text_message(mid: str, body: str) -> dict[str, Any]:
    return {"from": PHONE, "id": mid, "timestamp": "1764554400", "text": {"body": body}, "type": "text"}


def image_message(mid: str, caption: str | None) -> dict[str, Any]:
    image = {"mime_type": "image/jpeg", "sha256": "Ynl0ZXM=", "id": "1003383421387256"}
    if caption is not None:
        image["caption"] = caption
    return {"from": PHONE, "id": mid, "timestamp": "1764554400", "type": "image", "image": image}


async def serve(app: web.Application):
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


def run(ctx, scenario, sender=None, fetch_media=None):
    async def main():
        runner, base = await serve(build_app(ctx, SECRETS, sender or OutboxSender(ctx), fetch_media))
        try:
            async with aiohttp.ClientSession() as http:
                return await scenario(http, base + ctx.config.intake.webhook_path)
        finally:
            await runner.cleanup()
    return asyncio.run(main())


async def post(http, url, body: dict | bytes, signature: str | None = "good"):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "good":
        headers["X-Hub-Signature-256"] = sign(raw, SECRETS.app_secret)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    async with http.post(url, data=raw, headers=headers) as response:
        return response.status, await response.text()


def outbox(ctx):
    with ctx.db.read() as s:
        return s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_verification_handshake(sqlite_ctx):
    async def scenario(http, url):
        async with http.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                                         "hub.challenge": "1158201444"}) as ok:
            good = ok.status, await ok.text()
        async with http.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "guess",
                                         "hub.challenge": "1158201444"}) as bad:
            return good, bad.status
    good, bad = run(sqlite_ctx, scenario)
    assert good == (200, "1158201444")
    assert bad == 403


def test_a_signed_text_message_is_booked_and_the_reply_goes_to_the_outbox(ctx):
    async def scenario(http, url):
        return await post(http, url, payload(text_message("wamid.HBgM1", "#Budi#25011987#02122026")))
    status, body = run(ctx, scenario)
    assert status == 200 and json.loads(body)["outcomes"] == ["booked"]
    (row,) = outbox(ctx)
    assert row.phone == PHONE and row.in_reply_to == "wamid.HBgM1" and row.state == "queued"
    assert "Kode booking: AP1-JKP-261202-0800-001-" in row.text and row.image_path.endswith(".png")


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "sha1=abc", "garbage"])
def test_bad_signatures_are_refused_and_change_nothing(sqlite_ctx, signature):
    async def scenario(http, url):
        return await post(http, url, payload(text_message("wamid.X", "#Budi#25011987#02122026")), signature)
    status, _ = run(sqlite_ctx, scenario)
    assert status == 401
    with sqlite_ctx.db.read() as s:
        assert s.scalars(select(Booking)).all() == [] and s.scalars(select(IntakeMessage)).all() == []
    assert outbox(sqlite_ctx) == []


def test_a_body_signed_for_other_bytes_is_refused(sqlite_ctx):
    async def scenario(http, url):
        raw = json.dumps(payload(text_message("wamid.X", "#Budi#25011987#02122026"))).encode()
        return await post(http, url, raw + b" ", sign(raw, SECRETS.app_secret))
    assert run(sqlite_ctx, scenario)[0] == 401


def test_redelivery_books_once_and_replies_once(ctx):
    async def scenario(http, url):
        body = payload(text_message("wamid.again", "#Budi#25011987#02122026"))
        return [await post(http, url, body) for _ in range(3)]
    results = run(ctx, scenario)
    assert [s for s, _ in results] == [200, 200, 200]
    with ctx.db.read() as s:
        assert len(s.scalars(select(Booking)).all()) == 1
    assert len(outbox(ctx)) == 1


def test_unknown_types_images_without_text_statuses_and_junk(sqlite_ctx):
    sticker = {"from": PHONE, "id": "wamid.S", "timestamp": "1764554400", "type": "sticker",
               "sticker": {"mime_type": "image/webp", "sha256": "x", "id": "1", "animated": False}}
    unsupported = {"from": PHONE, "id": "wamid.U", "timestamp": "1764554400", "type": "unsupported",
                   "errors": [{"code": 131051, "title": "Message type unknown"}]}
    status_only = payload(statuses=[{"id": "wamid.out", "status": "delivered", "timestamp": "1764554400",
                                     "recipient_id": PHONE}])

    async def scenario(http, url):
        a = await post(http, url, payload(sticker, unsupported, image_message("wamid.I", None)))
        b = await post(http, url, status_only)
        c = await post(http, url, b"{not json")
        d = await post(http, url, {"object": "page", "entry": []})
        odd = await post(http, url, {"object": "whatsapp_business_account", "entry": 7})
        assert odd[0] == 400
        e = await post(http, url, payload({"from": PHONE, "type": "text", "text": {"body": "#CEK"}}))
        return a, b, c, d, e
    a, b, c, d, e = run(sqlite_ctx, scenario)
    assert a[0] == 200 and json.loads(a[1])["outcomes"] == ["unsupported", "unsupported", "help"]
    assert json.loads(b[1])["handled"] == 0 and c[0] == 400 and json.loads(d[1])["handled"] == 0
    assert json.loads(e[1])["handled"] == 0  # no message id: skipped, still 200
    with sqlite_ctx.db.read() as s:
        assert s.scalars(select(Booking)).all() == []


# --- the Cloud API sender and media download, against a stand-in Graph API ----------------

class FakeGraph:
    """Answers like the Graph API endpoints we call, and records the requests."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any]] = []
        self.fail_messages = False
        self.base = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v21.0/{pnid}/media", self.media)
        app.router.add_post("/v21.0/{pnid}/messages", self.messages)
        app.router.add_get("/v21.0/{media_id}", self.media_meta)
        app.router.add_get("/files/{media_id}", self.media_file)
        return app

    async def media(self, request):
        assert request.headers["Authorization"] == "Bearer EAAtest"
        form = await request.post()
        self.calls.append(("upload", request.match_info["pnid"], form["type"]))
        assert form["file"].file.read(8) == b"\x89PNG\r\n\x1a\n"
        return web.json_response({"id": "media-42"})

    async def messages(self, request):
        body = await request.json()
        self.calls.append(("send", request.match_info["pnid"], body))
        if self.fail_messages:
            return web.json_response({"error": {"message": "Invalid OAuth access token", "code": 190}}, status=401)
        return web.json_response({"messaging_product": "whatsapp", "contacts": [{"input": body["to"],
                                  "wa_id": body["to"]}], "messages": [{"id": "wamid.reply1"}]})

    async def media_meta(self, request):
        return web.json_response({"url": f"{self.base}/files/{request.match_info['media_id']}",
                                  "mime_type": "image/jpeg", "id": request.match_info["media_id"]})

    async def media_file(self, request):
        return web.Response(body=b"\xff\xd8 the e-KTP jpeg")


def test_cloud_api_sender_uploads_the_image_and_sends_it_with_the_text(make_ctx):
    fake = FakeGraph()

    async def main():
        runner, base = await serve(fake.app())
        fake.base = base
        ctx = make_ctx(intake={"message_format": "address", "sender": "cloud_api", "phone_number_id": "106540352242922",
                               "cloud_api_url": base + "/v21.0"})
        client = CloudApiClient(ctx.config.intake.cloud_api_url, "106540352242922", SECRETS.access_token)
        sender = CloudApiSender(ctx, client)
        fetch = lambda media_id: client.download_media(media_id, 10_000)  # noqa: E731
        hook_runner, hook = await serve(build_app(ctx, SECRETS, sender, fetch))
        try:
            async with aiohttp.ClientSession() as http:
                url = hook + ctx.config.intake.webhook_path
                await post(http, url, payload(image_message("wamid.B1", "#Budi#25011987#Jl. Merdeka 1")))
                fake.fail_messages = True
                await post(http, url, payload(text_message("wamid.B2", "#CEK")))
        finally:
            await hook_runner.cleanup()
            await runner.cleanup()
        return ctx
    ctx = asyncio.run(main())
    upload, send, _upload_again, failed = fake.calls  # #CEK re-sends the image too
    assert failed[0] == "send" and failed[2]["type"] == "image"
    assert upload == ("upload", "106540352242922", "image/png")
    assert send[2]["type"] == "image" and send[2]["image"]["id"] == "media-42" and send[2]["to"] == PHONE
    assert "Kode booking: AP1-JKP-" in send[2]["image"]["caption"]
    rows = outbox(ctx)
    assert [(r.state, r.provider_id) for r in rows] == [("sent", "wamid.reply1"), ("failed", None)]
    assert "401" in rows[1].last_error
    with ctx.db.read() as s:
        photo = s.scalars(select(IntakeMessage).where(IntakeMessage.message_id == "wamid.B1")).one().photo_path
    assert open(photo, "rb").read() == b"\xff\xd8 the e-KTP jpeg"
