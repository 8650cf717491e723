"""The front desk on a real X display (Xvfb + openbox), a USB scanner played by
``xdotool type`` through XTEST: capitals with Shift, Enter at the end, 8 ms a key,
with the focus put in every field and button of every tab, of the supervisor PIN
dialog, of the settings dialog and of the self-service screen, then again with
Caps Lock on. Each scan must check the applicant in (the database says so), issue
no other ticket and change no field."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import pytest

from kiosk.app import open_context
from kiosk.config import to_toml
from kiosk.core.clock import FixedClock
from kiosk.services.bookings import add_booking
from tests.conftest import make_config, wib
from tests.ui.x11 import DeskProcess, XDisplay, focus_and_type, missing_binaries, wait_for

NOW = wib(2026, 12, 1, 9, 0)
pytestmark = pytest.mark.skipif(bool(missing_binaries()),
                                reason=f"needs {', '.join(missing_binaries())} (scripts/_setup.sh installs them)")


class Office:
    def __init__(self, folder: Path) -> None:
        # xdotool is a process the scheduler may pause on a busy test machine, which a
        # scanner's own chip never is: the gap allows for that, the keys still come 8 ms apart.
        config = make_config(folder, camera={"source": ""}, scanner={"wedge_gap_ms": 150},
                             printer={"transport": "preview", "preview_dir": str(folder / "printed")})
        self.config_path = folder / "config.toml"
        self.config_path.write_text(to_toml(config), encoding="utf-8")
        self.db_path = Path(config.database_url.removeprefix("sqlite:///"))
        ctx = open_context(config, clock=FixedClock(NOW))
        try:
            # Slots from 09:30 to 11:00: all inside the arrival window at 09:00.
            self.codes = [add_booking(ctx, name="Pemohon " + "ABCDEFGHIJKLMNOPQRST"[i % 20] * (1 + i // 20), birth=wib(1980, 1, 1).date(),
                                      service_date=NOW.date(), slot=clock_time(9 + (30 + 5 * (i % 19)) // 60,
                                                                               (30 + 5 * (i % 19)) % 60)).code
                          for i in range(160)]
        finally:
            ctx.close()

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db_path) as db:
            return db.execute(sql, args).fetchall()

    def ticket_count(self) -> int:
        return self.query("SELECT count(*) FROM tickets")[0][0]

    def checked_in(self, code: str) -> bool:
        return bool(self.query("SELECT 1 FROM tickets t JOIN bookings b ON t.booking_id = b.id WHERE b.code = ?", code))


@pytest.fixture(scope="module")
def x_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[XDisplay, DeskProcess, Office, list[Any]]]:
    office = Office(tmp_path_factory.mktemp("x11-office"))
    display = XDisplay(1366, 768)
    try:
        desk = DeskProcess(display, office.config_path, NOW.isoformat())
        try:
            targets = desk.ask("targets", timeout=60)["targets"]
            yield display, desk, office, targets
        finally:
            desk.stop()
    finally:
        display.stop()


def _targets(all_targets: list[dict[str, Any]], scope: str) -> list[str]:
    chosen = [t for t in all_targets if t["scope"] == scope]
    if scope == "settings":
        # The settings dialog has a field per setting: one of each kind of widget.
        kinds: dict[str, str] = {}
        for t in chosen:
            kinds.setdefault(t["kind"], t["id"])
        return list(kinds.values())
    return [t["id"] for t in chosen]


def _scan_into_each(x_desk: Any, scope: str, codes: list[str], *, typed: Any = str) -> None:
    display, desk, office, all_targets = x_desk
    targets = _targets(all_targets, scope)
    assert targets, f"no focusable widget found in {scope}"
    for target in targets:
        code = codes.pop()
        before = office.ticket_count()
        desk.drain_events()
        # GIVEN the focus, for real, in this field or on this button
        # WHEN a scanner types the code in capitals (Shift around each) and Enter
        snapshot = focus_and_type(display, desk, target, typed(code))
        event = desk.next_event(what=f"the verdict on {code} typed into {target}")
        # THEN the desk judged exactly this code and checked the applicant in
        assert (event["event"], event["outcome"]) == ("verdict", "accepted"), (target, event)
        assert event["code"].upper() == code, (target, event)
        assert office.checked_in(code), target
        # AND no other ticket was issued, and no field of any window changed
        assert office.ticket_count() == before + 1, target
        after = desk.ask("snapshot")["snapshot"]
        changed = {k: (snapshot[k], after.get(k)) for k in snapshot if snapshot[k] != after.get(k)}
        assert not changed, (target, changed)


SCOPES = ["tab0", "tab1", "tab2", "tab3", "pin", "settings"]


@pytest.mark.parametrize("scope", SCOPES)
def test_scan_with_the_focus_in_every_field_of(x_desk: Any, scope: str) -> None:
    _scan_into_each(x_desk, scope, x_desk[2].codes)


def test_self_service_screen_takes_the_scan_and_types_nothing(x_desk: Any) -> None:
    display, desk, office, all_targets = x_desk
    for target in _targets(all_targets, "self_service"):
        before = office.ticket_count()
        desk.drain_events()
        code = office.codes[-1]  # not checked in here: self-service is only walk-in priority
        snapshot = focus_and_type(display, desk, target, code)
        event = desk.next_event(what=f"the self-service screen taking {code} typed into {target}")
        assert event == {"event": "self_service_code", "code": code}, target
        after = desk.ask("snapshot")["snapshot"]
        assert {k: v for k, v in snapshot.items() if after.get(k) != v} == {}, target
        assert office.ticket_count() == before


@pytest.mark.parametrize("scope", ["tab0", "tab1", "tab2", "pin"])
def test_scan_with_caps_lock_on(x_desk: Any, scope: str) -> None:
    display = x_desk[0]
    # GIVEN Caps Lock switched on, as a person may leave it
    display.xdotool("key", "Caps_Lock")
    try:
        _scan_into_each(x_desk, scope, x_desk[2].codes)
    finally:
        display.xdotool("key", "Caps_Lock")


def test_the_walk_in_confirmation_is_reached_by_tab_and_switched_by_space(x_desk: Any) -> None:
    display, desk, office, _ = x_desk
    before = office.ticket_count()
    # GIVEN disabilitas chosen and the focus on the first category button, for real
    wid = desk.ask("confirm_by_keys")["wid"]
    display.xdotool("windowactivate", "--sync", str(wid), check=False)
    state = wait_for(lambda: (s := desk.ask("confirm_state"))["focus"] and s, 5, "the focus in the form")
    # WHEN the officer presses Tab until the confirmation (a person's pace), then Space
    for _ in range(6):
        if state["focus"] == "confirm":
            break
        was = state["focus"]
        display.xdotool("key", "Tab")
        state = wait_for(lambda was=was: (s := desk.ask("confirm_state"))["focus"] != was and s, 5,
                         "the focus after Tab")
    assert state["focus"] == "confirm" and not state["checked"] and not state["issue_enabled"], state
    assert state["height"] >= 44, state
    display.xdotool("key", "space")
    # THEN it is on and the ticket can be issued; Space again switches it off; no ticket
    state = wait_for(lambda: (s := desk.ask("confirm_state"))["checked"] and s, 5, "the confirmation switched on")
    assert state["issue_enabled"] and state["focus"] == "confirm", state
    display.xdotool("key", "space")
    wait_for(lambda: not desk.ask("confirm_state")["checked"], 5, "the confirmation switched off")
    assert office.ticket_count() == before
