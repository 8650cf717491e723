"""Supervisor PIN and the actions behind it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.services import PinLocked, PinRejected, check_in, override_void, reprint, verify_pin, walk_in
from kiosk.keyring import KeyRing
from kiosk.services.supervisor import SupervisorError, hash_pin, pin_matches
from kiosk.store import AuditEvent, PrintJob
from tests.conftest import TEST_PIN, book, table_counts, wib


def test_pin_is_stored_only_as_a_salted_slow_hash_keyed_with_the_key_files_pepper(tmp_path):
    ring = KeyRing.create_or_load(tmp_path / "keys.json")
    a, b = hash_pin("246810", ring), hash_pin("246810", ring)
    assert a != b and "246810" not in a and a.startswith("scrypt-hmac$")
    assert pin_matches("246810", a, ring) and not pin_matches("246811", a, ring)
    # the config alone is not enough: with another key file's pepper nothing matches
    other = KeyRing.create_or_load(tmp_path / "other.json")
    other.peppers = {list(ring.peppers)[0]: b"x" * 32}
    assert not pin_matches("246810", a, other)
    for bad in ("12", "2468", "12345", "abcdef", "1234567890123", "１２３４５６"):
        with pytest.raises(ValueError):
            hash_pin(bad, ring)


def test_wrong_pins_are_rate_limited_even_for_the_right_pin_afterwards(ctx, clock):
    for _ in range(5):
        with pytest.raises(PinRejected):
            verify_pin(ctx, "0000", actor="desk", action="reprint")
    with pytest.raises(PinLocked) as info:
        verify_pin(ctx, TEST_PIN, actor="desk", action="reprint")  # locked: the right PIN is not even tried
    assert info.value.until == wib(2026, 12, 1, 9, 15)
    clock.advance(timedelta(minutes=15, seconds=1))
    verify_pin(ctx, TEST_PIN, actor="desk", action="reprint")
    with ctx.db.read() as s:
        actions = [a.action for a in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["pin_failed"] * 5 + ["pin_ok"]


def test_override_void_needs_pin_and_reason_and_is_audited(ctx, clock):
    clock.set(wib(2026, 11, 30, 12, 0))
    code = book(ctx)
    clock.set(wib(2026, 12, 1, 9, 40))
    assert check_in(ctx, code).outcome == "void"
    before = table_counts(ctx)
    with pytest.raises(SupervisorError):
        override_void(ctx, code, pin=TEST_PIN, reason=" ", actor="supervisor")
    with pytest.raises(PinRejected):
        override_void(ctx, code, pin="9999", reason="Macet total di tol", actor="supervisor")
    assert table_counts(ctx)["tickets"] == before["tickets"]
    result = override_void(ctx, code.lower(), pin=TEST_PIN, reason="Macet total di tol", actor="supervisor")
    assert result.outcome == "accepted" and result.ticket.label == "A001"
    with ctx.db.read() as s:
        audit = s.scalars(select(AuditEvent).where(AuditEvent.action == "override_void")).one()
        assert audit.detail == {"reason": "Macet total di tol"} and audit.target == "A001"
    with pytest.raises(SupervisorError):  # only void bookings, and only once
        override_void(ctx, code, pin=TEST_PIN, reason="Macet total di tol", actor="supervisor")


def test_reprint_is_a_new_marked_job(ctx):
    walk_in(ctx, "disabilitas")
    ticket, job_id = reprint(ctx, "B001", pin=TEST_PIN, actor="supervisor")
    with ctx.db.read() as s:
        jobs = s.scalars(select(PrintJob).order_by(PrintJob.id)).all()
    assert [(j.kind, j.reprint) for j in jobs] == [("ticket", False), ("reprint", True)]
    assert jobs[-1].id == job_id
    with pytest.raises(SupervisorError):
        reprint(ctx, "B099", pin=TEST_PIN, actor="supervisor")
