"""The ticket's link to its status page: on the paper (QR), in `checkin`/`walkin --json`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

from kiosk.config import to_toml
from kiosk.core.status_token import read_token
from kiosk.keyring import KeyRing
from kiosk.services import walk_in
from kiosk.services.printing import ticket_content
from kiosk.services.status import status_url
from kiosk.store import Ticket
from tests.conftest import PROJECT_ROOT, make_config


def test_the_printed_qr_opens_the_status_page_and_a_walk_in_says_its_wait(make_ctx):
    ctx = make_ctx(web={"public_url": "http://192.168.1.10:8089/"}, queue={"counters": {"1": ["B", "A"]}})
    for _ in range(3):
        issued = walk_in(ctx, "disabilitas")
    with ctx.db.read() as session:
        ticket = session.get(Ticket, issued.ticket.id)
        content = ticket_content(ctx, session, ticket, reprint=False)
    assert content.status_url == status_url(ctx, issued.ticket.service_day, "B003")
    assert content.status_url.startswith("http://192.168.1.10:8089/t/261201-B003-")
    # one counter, no service time measured yet (6 minutes assumed): two ahead, 12 minutes, said as 15
    assert content.waiting_ahead == 2 and content.estimated_minutes == 15


def test_without_public_url_the_qr_keeps_the_reference(make_ctx):
    ctx = make_ctx()
    issued = walk_in(ctx, "disabilitas")
    with ctx.db.read() as session:
        content = ticket_content(ctx, session, session.get(Ticket, issued.ticket.id), reprint=False)
    assert content.status_url is None


def test_checkin_and_walkin_json_return_the_status_url(tmp_path):
    config = make_config(tmp_path, web={"public_url": "http://10.0.0.5:8089"})
    path = tmp_path / "config.toml"
    path.write_text(to_toml(config), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTREAN_")} | {"ANTREAN_NOW": "2026-12-01T09:00"}

    def cli(*args: str) -> dict:
        out = subprocess.run([sys.executable, "main.py", "--config", str(path), "--json", *args], cwd=PROJECT_ROOT,
                             capture_output=True, text=True, env=env, timeout=120)
        return json.loads(out.stdout)

    booking = cli("booking", "add", "--name", "Budi", "--birth", "1987-01-25", "--date", "2026-12-01",
                  "--slot", "10:00")
    checked = cli("checkin", booking["code"])
    walked = cli("walkin", "--category", "disabilitas")
    keys = KeyRing.load(config.keys_path).keys
    for result, label in ((checked, "A001"), (walked, "B001")):
        url = result["ticket"]["status_url"]
        assert url.startswith("http://10.0.0.5:8089/t/")
        assert read_token(url.rsplit("/", 1)[1], keys, "JKP", date(2026, 12, 1)).label == label
