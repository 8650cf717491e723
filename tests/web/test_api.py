"""The web server over real sockets: board JSON, server-sent events with resume and
heartbeat, ticket tokens, public data only, and the `web` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import date, time, timedelta

import pytest

from kiosk.app import open_context
from kiosk.services import add_booking, call_next, check_in, recall, transfer, walk_in
from kiosk.store import Booking
from kiosk.services.status import status_url
from tests.conftest import PROJECT_ROOT
from tests.web.conftest import SseReader, free_port, wait_for


def get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8")


def board(office) -> dict:
    status, _, body = get(office.url + "/api/board")
    assert status == 200, body
    return json.loads(body)


def ticket_status(office, token: str) -> dict | None:
    """The ticket's status once the server's snapshot holds it."""
    code, _, body = get(office.url + "/api/ticket/" + token)
    status = json.loads(body) if code == 200 else None
    return status if status and status["state"] != "unknown" else None


def test_a_call_reaches_the_board_json_and_the_event_stream(make_office):
    # GIVEN a web server and a browser-like client on its event stream
    office = make_office()
    walk_in(office.ctx, "disabilitas")
    wait_for(lambda: board(office)["waiting"][1]["count"] == 1, what="the walk-in on the board")
    stream = SseReader(office.url, "/api/events")
    try:
        assert stream.status == 200 and "text/event-stream" in stream.headers
        assert stream.next_of("board")["data"]["waiting"][1]["count"] == 1
        # WHEN a counter calls the next ticket
        result = call_next(office.ctx, 3)
        # THEN the stream carries the call with its event id and the words to say
        event = stream.next_of("call")
        assert event["data"]["number"] == result.ticket.label == "B001"
        assert event["data"]["counter"] == 3
        assert event["data"]["fragments"] == ["nomor_antrean", "huruf_b", "satu", "silakan_menuju_loket", "tiga"]
        assert event["data"]["speak"] is True
        assert int(event["id"]) > 0
        # AND the board after it shows the number at counter 3
        after = stream.next_of("board")["data"]
        assert after["recent"][0]["number"] == "B001" and after["counters"][2]["number"] == "B001"
        # AND a recall and a transfer are events of their own
        recall(office.ctx, 3)
        assert stream.next_of("recall")["data"]["number"] == "B001"
        transfer(office.ctx, 3, "A")
        moved = stream.next_of("transfer")
        assert moved["data"] == moved["data"] | {"number": "B001", "to": "A", "counter": 3}
    finally:
        stream.close()
    assert board(office)["recent"][0]["number"] == "B001"


def test_last_event_id_resumes_with_the_calls_missed(make_office):
    # GIVEN a client that saw the first call
    office = make_office()
    for _ in range(3):
        walk_in(office.ctx, "disabilitas")
    stream = SseReader(office.url, "/api/events")
    stream.next_of("board")
    call_next(office.ctx, 1)
    first = stream.next_of("call")
    stream.close()
    # WHEN two more calls are made while it is away, and it comes back with Last-Event-ID
    call_next(office.ctx, 2)
    call_next(office.ctx, 3)
    wait_for(lambda: board(office)["recent"][0]["number"] == "B003", what="the last call on the board")
    back = SseReader(office.url, "/api/events", {"Last-Event-ID": first["id"]})
    try:
        # THEN it gets exactly the calls it missed, in order, then the board
        missed = [back.next(), back.next()]
        assert [(e["event"], e["data"]["number"], e["data"]["counter"]) for e in missed] == \
            [("call", "B002", 2), ("call", "B003", 3)]
        assert int(missed[0]["id"]) > int(first["id"])
        assert back.next()["event"] == "board"
    finally:
        back.close()


def test_a_quiet_stream_sends_a_heartbeat(make_office):
    office = make_office(heartbeat=0.2)
    stream = SseReader(office.url, "/api/events")
    try:
        assert stream.next_of("ping", timeout=5)["data"]["t"] > 0
    finally:
        stream.close()


def test_the_ticket_token_opens_its_page_only_on_its_day_and_only_unforged(make_office):
    # GIVEN a walk-in ticket and its status URL
    office = make_office()
    issued = walk_in(office.ctx, "disabilitas")
    url = status_url(office.ctx, issued.ticket.service_day, issued.ticket.label)
    assert url.startswith(office.url + "/t/")
    token = url.rsplit("/", 1)[1]
    assert re.fullmatch(r"261201-B001-[0-9A-Z]{16}", token)  # day, number, MAC: no database id
    status = wait_for(lambda: ticket_status(office, token), what="the ticket status")
    assert status == status | {"number": "B001", "state": "waiting", "ahead": 0}
    assert get(url)[0] == 200
    # WHEN one character of the MAC is changed, THEN the page and the status are refused
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert get(office.url + "/t/" + forged)[0] == 404
    assert get(office.url + "/api/ticket/" + forged)[0] == 404
    assert get(office.url + "/api/events?t=" + forged)[0] == 404
    # AND another ticket's number with this MAC is refused
    assert get(office.url + "/api/ticket/" + token.replace("B001", "B002"))[0] == 404
    # WHEN the service day is over, THEN an open status stream says so and ends, and the token has expired
    stream = SseReader(office.url, "/api/events?t=" + token)
    stream.next_of("ticket")
    office.clock.advance(timedelta(days=1))
    try:
        assert stream.next_of("ticket")["data"] == {"number": "B001", "state": "expired"}
    finally:
        stream.close()
    assert get(office.url + "/t/" + token)[0] == 404
    assert get(office.url + "/api/ticket/" + token)[0] == 404


def test_status_pages_are_off_without_public_url(make_office):
    office = make_office(web={"public_url": ""})
    issued = walk_in(office.ctx, "disabilitas")
    assert status_url(office.ctx, issued.ticket.service_day, issued.ticket.label) is None


def test_the_ticket_stream_follows_its_ticket_until_it_is_called(make_office):
    office = make_office()
    for _ in range(3):
        issued = walk_in(office.ctx, "disabilitas")
    token = status_url(office.ctx, issued.ticket.service_day, issued.ticket.label).rsplit("/", 1)[1]
    wait_for(lambda: ticket_status(office, token), what="the ticket status")
    stream = SseReader(office.url, "/api/events?t=" + token)

    def until(condition):
        # On PostgreSQL a snapshot may be read while the next event commits, and the one
        # after it repeats that state: status events are states, not deltas.
        status = stream.next_of("ticket")["data"]
        while not condition(status):
            assert status["state"] == "waiting" and status["ahead"] == 2, status
            status = stream.next_of("ticket")["data"]
        return status

    try:
        assert stream.next_of("ticket")["data"]["ahead"] == 2
        call_next(office.ctx, 1)
        until(lambda s: s["ahead"] == 1)
        call_next(office.ctx, 2)
        call_next(office.ctx, 4)
        status = stream.next_of("ticket")["data"]
        while status["state"] == "waiting":
            status = stream.next_of("ticket")["data"]
        assert status == {"number": "B003", "service": "B", "service_name": "Prioritas",
                          "service_names": {"id": "Prioritas", "en": "Priority"}, "state": "called", "counter": 4}
    finally:
        stream.close()


def test_nothing_personal_leaves_the_server(make_office):
    # GIVEN a booked applicant with a phone and an elderly walk-in with name and birth date
    office = make_office()
    booking = add_booking(office.ctx, name="Siti Rahayu", birth=date(1950, 3, 4), service_date=date(2026, 12, 1),
                          slot=time(10, 0))
    with office.ctx.db.write() as session:
        session.get(Booking, booking.id).phone = "6281234567890"
    checked = check_in(office.ctx, booking.code)
    lansia = walk_in(office.ctx, "lansia", birth=date(1948, 7, 9), name="Bambang Sutrisno")
    call_next(office.ctx, 2)
    wait_for(lambda: board(office)["recent"], what="the call on the board")
    bodies = [get(office.url + path)[2] for path in ("/api/board", "/display")]
    for info in (checked.ticket, lansia.ticket):
        token = status_url(office.ctx, info.service_day, info.label).rsplit("/", 1)[1]
        bodies += [get(office.url + "/api/ticket/" + token)[2], get(office.url + "/t/" + token)[2]]
    stream = SseReader(office.url, "/api/events?last=0")
    try:
        bodies += [json.dumps(stream.next(), ensure_ascii=False) for _ in range(3)]
    finally:
        stream.close()
    text = "\n".join(bodies)
    # THEN no name, birth date, phone or booking code is in any answer
    for secret in ("Siti", "Rahayu", "Bambang", "Sutrisno", "1950", "1948", "6281234567890", "1234567890",
                   booking.code, "04-03", "03-04", "09-07"):
        assert secret not in text, secret


def test_every_file_the_pages_load_is_served_by_us(make_office):
    office = make_office()
    issued = walk_in(office.ctx, "disabilitas").ticket
    ticket_page = status_url(office.ctx, issued.service_day, issued.label).removeprefix(office.url)
    for page in ("/display", ticket_page):
        _, headers, html = get(office.url + page)
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert ref.startswith("/"), ref  # no other host
            assert get(office.url + ref)[0] == 200, ref
    for name in ("chime", "nomor_antrean", "huruf_a", "silakan_menuju_loket", "tiga"):
        with urllib.request.urlopen(office.url + f"/sounds/{name}.wav", timeout=10) as r:
            assert r.status == 200 and r.read(4) == b"RIFF"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_web_command_says_plainly_when_the_port_is_taken(tmp_path, db_url):
    import socket

    from kiosk.config import to_toml
    from tests.conftest import make_config

    config = tmp_path / "config.toml"
    config.write_text(to_toml(make_config(tmp_path)), encoding="utf-8")
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = subprocess.run([sys.executable, "main.py", "--config", str(config), "web", "--port", str(port)],
                                cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"port {port} di 127.0.0.1 sudah dipakai" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_web_command_serves_until_terminated(tmp_path, db_url):
    import signal

    from kiosk.config import to_toml
    from tests.conftest import make_config

    port = free_port()
    config = tmp_path / "config.toml"
    config.write_text(to_toml(make_config(tmp_path, database={"url": db_url})), encoding="utf-8")
    walk_in_ctx = open_context(make_config(tmp_path, database={"url": db_url}))
    walk_in(walk_in_ctx, "disabilitas")
    walk_in_ctx.close()
    proc = subprocess.Popen([sys.executable, "main.py", "--config", str(config), "web", "--port", str(port)],
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/display" in line and "ticket pages off" in line
        data = wait_for(lambda: (lambda r: json.loads(r[2]) if r[0] == 200 else None)(
            get(f"http://127.0.0.1:{port}/api/board")), what="the board from the web command")
        assert data["waiting"][1] == data["waiting"][1] | {"service": "B", "count": 1}
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0


def test_the_web_serves_the_same_voice_fragments_as_the_display():
    from display.voice import VOICE_DIR as DISPLAY_VOICE
    from kiosk.web.server import VOICE_DIR

    assert VOICE_DIR == DISPLAY_VOICE and (VOICE_DIR / "chime.wav").is_file()


def test_the_board_carries_the_office_logo_and_highlight_time(make_office, tmp_path):
    from PIL import Image

    Image.new("RGB", (40, 20), "navy").save(tmp_path / "logo.png")
    office = make_office(display={"logo": str(tmp_path / "logo.png"), "highlight_seconds": 12.0})
    data = board(office)
    assert data["logo"] is True and data["highlight_seconds"] == 12.0
    with urllib.request.urlopen(office.url + "/logo", timeout=10) as r:
        assert r.read(8) == b"\x89PNG\r\n\x1a\n"


def test_one_feed_reads_the_database_for_every_client(make_office):
    import threading

    # GIVEN twenty browsers on the event stream (a heartbeat often enough to notice those that leave)
    office = make_office(heartbeat=0.2)
    walk_in(office.ctx, "disabilitas")
    streams = [SseReader(office.url, "/api/events") for _ in range(20)]
    try:
        for s in streams:
            s.next_of("board")
        # WHEN a call is made, THEN every one of them gets it
        call_next(office.ctx, 1)
        assert {s.next_of("call")["data"]["number"] for s in streams} == {"B001"}
        # AND one feed thread read it for all of them
        assert [t.name for t in threading.enumerate()].count("web-feed") == 1
        assert len(office.server.hub.clients) == 20
    finally:
        for s in streams:
            s.close()
    wait_for(lambda: not office.server.hub.clients, what="the closed streams to be forgotten")
