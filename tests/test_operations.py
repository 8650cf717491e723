"""Privacy purge, support bundle, crash reports and the day rolling over."""

import json
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from kiosk.ops import redacted_config, write_support_bundle
from kiosk.reports.daily import daily_report
from kiosk.services import call_next, check_in, walk_in
from kiosk.services.privacy import purge_if_due, purge_personal_data
from kiosk.store import AuditEvent, Booking, Ticket
from tests.conftest import book, wib

ROOT = Path(__file__).resolve().parents[1]


def _personal_rows(ctx):
    with ctx.db.read() as s:
        b = s.execute(select(Booking.service_date, Booking.name, Booking.birth_date, Booking.phone)).all()
        t = s.execute(select(Ticket.service_day, Ticket.name, Ticket.birth_date)).all()
    return b, t


def test_purge_removes_personal_data_of_old_days_only_and_keeps_the_report(ctx, clock):
    # GIVEN a day with a booking (with phone) and an elderly walk-in, and a booking for later
    clock.set(wib(2026, 11, 30, 12, 0))
    from kiosk.services import add_booking
    from datetime import time
    code = add_booking(ctx, name="Budi Santoso", birth=date(1987, 1, 25), service_date=date(2026, 12, 1),
                       slot=time(10, 0), phone="081234567890").code
    future = book(ctx, day="2027-01-04")
    clock.set(wib(2026, 12, 1, 9, 0))
    check_in(ctx, code)
    walk_in(ctx, "lansia", birth=date(1950, 5, 5), name="Mbah Sastro")
    call_next(ctx, 1)
    report_before = daily_report(ctx, date(2026, 12, 1), now=wib(2026, 12, 2, 0, 0))
    # WHEN 30 days have not passed THEN nothing is purged
    clock.set(wib(2026, 12, 31, 6, 0))
    assert purge_personal_data(ctx).total == 0
    # WHEN 31 days have passed
    clock.set(wib(2027, 1, 1, 6, 0))
    result = purge_personal_data(ctx, actor="test")
    assert result.counts == {"bookings": 1, "tickets": 1, "intake_messages": 0}
    bookings, tickets = _personal_rows(ctx)
    assert all(name is None and birth is None and phone is None
               for day, name, birth, phone in bookings if day == date(2026, 12, 1))
    assert any(name == "Budi Santoso" for day, name, _, _ in bookings if day == date(2027, 1, 4))  # future kept
    assert all(name is None and birth is None for _, name, birth in tickets)
    # THEN counts and times stay: the report is identical
    assert daily_report(ctx, date(2026, 12, 1), now=wib(2026, 12, 2, 0, 0)) == report_before
    with ctx.db.read() as s:
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "purge")).all()[-1]
    assert audit.detail["counts"] == {"bookings": 1, "tickets": 1, "intake_messages": 0} and "Budi" not in json.dumps(audit.detail)
    assert future


def test_daily_purge_runs_once_a_day(ctx, clock):
    assert purge_if_due(ctx) is not None
    clock.advance(timedelta(hours=23))
    assert purge_if_due(ctx) is None
    clock.advance(timedelta(hours=2))
    assert purge_if_due(ctx) is not None


def test_support_bundle_has_logs_and_config_without_secrets(ctx, tmp_path):
    from kiosk.ops import setup_logging
    import logging

    log_path = setup_logging(ctx.config)
    logging.getLogger("test").warning("a line for support")
    for h in logging.getLogger().handlers[:]:
        if getattr(h, "baseFilename", None) == str(log_path):
            h.flush()
            logging.getLogger().removeHandler(h)
            h.close()
    out = write_support_bundle(ctx.config, tmp_path / "d.zip")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        config_text = zf.read("config.toml").decode()
        everything = b"".join(zf.read(n) for n in names)
    assert "logs/antrean.log" in names and b"a line for support" in everything
    assert not any(n.endswith((".db", "keys.json")) for n in names)
    assert ctx.config.security.supervisor_pin_hash.encode() not in everything
    for key in ctx.keyring.keys:
        import base64
        assert base64.b64encode(key.secret) not in everything
    assert "<redacted>" in config_text


def test_database_password_is_redacted():
    from kiosk.config import from_mapping
    text = redacted_config(from_mapping({"database": {"url": "postgresql+psycopg://antrean:s3cret@db/antrean"}}))
    assert "s3cret" not in text and "<redacted>" in text


def test_uncaught_exception_writes_a_crash_report(tmp_path):
    code = ("from kiosk.config import from_mapping; from kiosk.ops import install_crash_handler\n"
            f"install_crash_handler(from_mapping({{'paths': {{'data_dir': {str(tmp_path)!r}}}}}))\n"
            "raise RuntimeError('boom for the report')\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=60)
    reports = list((tmp_path / "logs").glob("crash-*.txt"))
    assert len(reports) == 1 and "boom for the report" in reports[0].read_text()


def test_day_rolls_over_at_local_midnight(ctx, clock):
    clock.set(wib(2026, 12, 1, 23, 59, 59))
    assert walk_in(ctx, "disabilitas").ticket.label == "B001"
    assert walk_in(ctx, "disabilitas").ticket.label == "B002"
    clock.set(wib(2026, 12, 2, 0, 0, 0))
    fresh = walk_in(ctx, "disabilitas").ticket
    assert fresh.label == "B001" and fresh.service_day == date(2026, 12, 2)
    assert call_next(ctx, 1).ticket.label == "B001"  # yesterday's leftovers are not called today
    assert call_next(ctx, 1).ticket is None


def test_backup_while_the_office_writes(tmp_path, clock):
    import sqlite3

    from kiosk.app import open_context
    from kiosk.store.backup import BackupError, backup_sqlite
    from tests.conftest import make_config

    url = f"sqlite:///{tmp_path / 'live.db'}"
    ctx = open_context(make_config(tmp_path), db_url=url, clock=clock)
    try:
        for _ in range(5):
            walk_in(ctx, "disabilitas")
        pages = backup_sqlite(url, tmp_path / "copy.db")
        walk_in(ctx, "disabilitas")  # the live database goes on
    finally:
        ctx.close()
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT count(*) FROM tickets").fetchone()[0] == 5 and pages > 0
    copy.close()
    assert (tmp_path / "copy.db").stat().st_mode & 0o077 == 0
    import pytest
    with pytest.raises(BackupError, match="already exists"):
        backup_sqlite(url, tmp_path / "copy.db")
    with pytest.raises(BackupError, match="pg_dump"):
        backup_sqlite("postgresql+psycopg://x@127.0.0.1/y", tmp_path / "pg.db")
