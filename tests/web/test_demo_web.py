"""`demo` starts the web board too and prints its address and one ticket's status page."""

from __future__ import annotations

import urllib.error
import urllib.request

from kiosk.app import open_context
from kiosk.cli.commands.demo import start_web
from kiosk.config import load_config, replace
from kiosk.demo import create_demo_office
from kiosk.services import check_in
from tests.web.conftest import free_port, wait_for


def _ticket_state(api: str) -> bytes:
    """The status API's body; empty while the board has not read its first snapshot (503)."""
    try:
        return urllib.request.urlopen(api, timeout=10).read()
    except urllib.error.HTTPError as exc:
        if exc.code != 503:
            raise
        return b""


def test_demo_serves_the_board_and_the_first_booking_status_page(tmp_path, capsys):
    office = create_demo_office(tmp_path / "demo")
    config = load_config(office.config_path)
    assert config.web.public_url
    port = free_port()
    config = replace(config, web={"port": port, "public_url": f"http://127.0.0.1:{port}"})
    ctx = open_context(config)
    server = start_web(office, ctx)
    try:
        printed = capsys.readouterr().out
        assert f"http://127.0.0.1:{port}/display" in printed
        ticket_url = printed.split("once checked in: ")[1].strip()
        assert urllib.request.urlopen(ticket_url, timeout=10).status == 200
        check_in(ctx, office.bookings[0].code)
        api = ticket_url.replace("/t/", "/api/ticket/")
        wait_for(lambda: b'"state": "waiting"' in _ticket_state(api),
                 what="the checked-in ticket on its status page")
    finally:
        server.stop()
        ctx.close()
