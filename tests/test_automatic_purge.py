"""The privacy purge runs by itself in the long-running programs, once a day for all PCs."""

from __future__ import annotations

import time as wallclock

from sqlalchemy import func, select

from kiosk.store import AuditEvent, Booking, Database
from tests.booking.waserver import Program, free_port, office, start_wa_server

OLD_DAY_NOW = "2026-10-05T09:00"
TODAY = "2026-12-01T09:00"


def _db(cli) -> Database:
    return Database(f"sqlite:///{cli.config.parent / 'data' / 'antrean.db'}", migrate=False)


def _purges(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "purge")) or 0


def _wait_log(cli, text: str, count: int = 1, timeout: float = 60) -> None:
    """Wait until the office log holds ``text`` ``count`` times (the programs log there)."""
    log = cli.config.parent / "data" / "logs" / "antrean.log"
    deadline = wallclock.monotonic() + timeout
    while wallclock.monotonic() < deadline:
        if log.exists() and log.read_text("utf-8", "replace").count(text) >= count:
            return
        wallclock.sleep(0.1)
    raise AssertionError(f"{text!r} not logged {count} times")


def test_wa_server_purges_an_october_booking_at_start(tmp_path):
    # GIVEN a booking from October with its name, birth date and phone
    cli = office(tmp_path)
    code, out = cli("booking", "add", "--name", "Budi Santoso", "--birth", "1987-01-25", "--date", "2026-10-06",
                    "--slot", "10:00", "--phone", "081234567890", now=OLD_DAY_NOW)
    assert code == 0, out
    # WHEN wa-server starts on 1 December (no one ran `purge`)
    server = start_wa_server(cli, free_port(), now=TODAY)
    try:
        _wait_log(cli, "privacy purge before")
    finally:
        server.stop()
    # THEN the booking's personal data is gone and the purge is audited once
    db = _db(cli)
    with db.read() as s:
        booking = s.scalars(select(Booking)).one()
    assert (booking.name, booking.birth_date, booking.phone) == (None, None, None)
    assert booking.purged_at is not None and _purges(db) == 1
    db.dispose()


def test_two_programs_starting_together_purge_once(tmp_path):
    # GIVEN an office with an old booking
    cli = office(tmp_path)
    assert cli("booking", "add", "--name", "Siti Aminah", "--birth", "1990-02-01", "--date", "2026-10-06",
               "--slot", "10:00", now=OLD_DAY_NOW)[0] == 0
    # WHEN wa-server and a counter window start at the same time
    server = start_wa_server(cli, free_port(), now=TODAY)
    counter = Program(cli, "counter", "--loket", "1", now=TODAY)
    try:
        _wait_log(cli, "privacy purge before")
        _wait_log(cli, "privacy purge not due")
    finally:
        server.stop()
        counter.stop()
    # THEN exactly one purge row is in the audit log
    db = _db(cli)
    assert _purges(db) == 1
    db.dispose()


def _old_booking(cli) -> None:
    code, out = cli("booking", "add", "--name", "Dewi Lestari", "--birth", "1975-05-05", "--date", "2026-10-06",
                    "--slot", "10:00", "--phone", "081298765432", now=OLD_DAY_NOW)
    assert code == 0, out


def _personal(cli) -> tuple[object, object, object]:
    db = _db(cli)
    with db.read() as s:
        booking = s.scalars(select(Booking)).one()
    db.dispose()
    return booking.name, booking.birth_date, booking.phone


def _run_until_purged(cli, program: Program, timeout: float = 60) -> None:
    """Let a long-running program run until a purge is audited (or it exits), then stop it."""
    db = _db(cli)
    try:
        deadline = wallclock.monotonic() + timeout
        while _purges(db) == 0 and wallclock.monotonic() < deadline and program.proc.poll() is None:
            wallclock.sleep(0.1)
    finally:
        program.stop()
        db.dispose()


def test_the_desk_purges_at_start(tmp_path):
    # GIVEN an October booking; WHEN the desk window starts (and closes once shown)
    cli = office(tmp_path)
    _old_booking(cli)
    desk = Program(cli, "desk", "--officer", "--quit-after-shown", now=TODAY)
    assert desk.proc.wait(timeout=120) == 0, "".join(desk.lines.queue)
    desk.stop()
    # THEN the purge ran before it exited
    assert _personal(cli) == (None, None, None)


def test_the_display_purges_at_start(tmp_path):
    # GIVEN an October booking; WHEN the waiting-room display starts
    cli = office(tmp_path)
    _old_booking(cli)
    _run_until_purged(cli, Program(cli, "display", "--audio", "fake", now=TODAY))
    # THEN the booking's personal data is gone
    assert _personal(cli) == (None, None, None)


def test_the_web_server_purges_at_start(tmp_path):
    # GIVEN an October booking; WHEN the web board server starts on 1 December
    cli = office(tmp_path)
    _old_booking(cli)
    _run_until_purged(cli, Program(cli, "web", "--port", str(free_port()), now=TODAY))
    # THEN the booking's personal data is gone, audited once
    assert _personal(cli) == (None, None, None)
