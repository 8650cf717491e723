"""The webhook door of a real ``wa-server`` process on 127.0.0.1: slow clients are
dropped, a flood cannot crowd out Meta, unreadable bodies are 400, a taken port is a
plain error, an outage is 503."""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import socket
import threading

import pytest

from kiosk.booking.image import ReplyCard, write_png
from kiosk.booking.webhook import build_app, sign
from kiosk.booking.senders import OutboxSender
from tests.booking.test_webhook import SECRETS, payload, serve, text_message
from tests.booking.waserver import APP_SECRET, Program, free_port, office, start_wa_server
from tests.conftest import drop_pg_database

NOW = "2026-12-01T09:00"


def signed_post(port: int, body: bytes, timeout: float = 30) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/webhook", body=body, headers={"Content-Type": "application/json",
                                                            "X-Hub-Signature-256": sign(body, APP_SECRET)})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


@pytest.fixture
def server(tmp_path):
    cli = office(tmp_path, settings="webhook_header_timeout = 1.0\nwebhook_body_timeout = 1.0\n"
                                    "webhook_max_connections = 16")
    port = free_port()
    program = start_wa_server(cli, port, now=NOW)
    yield cli, port, program
    program.stop()


def test_a_client_that_stalls_in_its_headers_or_body_is_dropped(server):
    _, port, _ = server
    # GIVEN a client that sends half its headers, and one that sends headers but half a body
    headers_only = socket.create_connection(("127.0.0.1", port))
    headers_only.sendall(b"POST /webhook HTTP/1.1\r\nHost: x\r\n")
    half_body = socket.create_connection(("127.0.0.1", port))
    half_body.sendall(b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"obj")
    # WHEN they wait THEN the server closes the first and answers the second 408
    headers_only.settimeout(30)
    half_body.settimeout(30)
    assert headers_only.recv(100) == b""
    assert half_body.recv(100).startswith(b"HTTP/1.1 408")
    headers_only.close()
    half_body.close()


def test_a_flood_of_stalled_connections_does_not_shut_out_a_real_post(server):
    _, port, _ = server
    # GIVEN more stalled connections than the cap of 16
    stalled = []
    for _ in range(60):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"POST /webhook HTTP/1.1\r\n")
        stalled.append(s)
    # WHEN a real signed POST comes THEN it is answered
    body = json.dumps(payload(text_message("wamid.F1", "#Budi#25011987#02122026"))).encode()
    status, text = signed_post(port, body)
    assert status == 200 and json.loads(text)["handled"] == 1
    for s in stalled:
        s.close()


@pytest.mark.parametrize("body", [
    b"[" * 10000 + b"]" * 10000,  # nested 10,000 deep
    b'{"object": "whatsapp_business_account", "entry": [' + b"[" * 5000 + b"]" * 5000 + b"]}",
    b"\xff\xfe not utf-8",
    b'{"object": "whatsapp_business_account", "entry": [',  # cut short
])
def test_a_signed_body_that_cannot_be_read_is_400_not_500(server, body):
    _, port, program = server
    status, _ = signed_post(port, body)
    assert status == 400
    assert program.proc.poll() is None


def test_a_port_in_use_is_a_plain_message_and_exit_2(tmp_path):
    cli = office(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        program = Program(cli, "wa-server", "--port", str(port), now=NOW)
        code = program.proc.wait(timeout=60)
        program.stop()
    output = "".join(program.lines.queue)
    assert code == 2 and "port sudah dipakai" in output and "Traceback" not in output


def test_two_threads_writing_one_reply_image_do_not_collide(tmp_path):
    from datetime import date, time

    card = ReplyCard(code="AP1-JKP-261202-0800-001-ABCDEFGH", label="A001", service_date=date(2026, 12, 2),
                     slot=time(8, 0), office_name="Kantor Imigrasi Jakarta Pusat", arrive_minutes=30)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def write() -> None:
        start.wait()
        try:
            write_png(card, tmp_path)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, name=f"png-{i}") for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and [p.name for p in tmp_path.iterdir()] == [f"{card.code}.png"]


@pytest.mark.postgres
def test_a_database_outage_is_503_with_one_log_line(tmp_path, pg_url, clock, caplog):
    from kiosk.app import open_context
    from tests.conftest import make_config

    # GIVEN a webhook on PostgreSQL, and then the database goes away
    ctx = open_context(make_config(tmp_path), db_url=pg_url, clock=clock)

    async def main():
        runner, base = await serve(build_app(ctx, SECRETS, OutboxSender(ctx)))
        try:
            drop_pg_database(pg_url)
            statuses = []
            for i in range(3):  # WHEN Meta delivers (and redelivers) messages
                body = json.dumps(payload(text_message(f"wamid.D{i}", "#Budi#25011987#02122026"))).encode()
                statuses.append(await asyncio.to_thread(signed_post, int(base.rsplit(":", 1)[1]), body))
            return statuses
        finally:
            await runner.cleanup()

    with caplog.at_level(logging.INFO, logger="kiosk"):
        statuses = asyncio.run(main())
    ctx.close()
    # THEN each is answered 503 (Meta retries), with one log line for the outage, no traceback
    assert [s for s, _ in statuses] == [503, 503, 503]
    lines = [r for r in caplog.records if r.name.startswith("kiosk") and "503" in r.getMessage()]
    assert len(lines) == 1 and not any(r.exc_info for r in caplog.records)
