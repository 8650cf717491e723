"""Check-in through the real services, on SQLite and on PostgreSQL."""

from datetime import date, time

import pytest
from sqlalchemy import select

from kiosk.core import booking_code
from kiosk.core.booking_code import OfficeKey
from kiosk.services import check_in
from kiosk.store import Booking, PrintJob, Ticket, TicketEvent
from tests.conftest import book, table_counts, wib


def test_the_morning_of_2026_12_01(ctx, clock):
    # GIVEN two bookings for 10:00 and one for tomorrow
    clock.set(wib(2026, 11, 30, 12, 0))
    first, second, tomorrow = book(ctx), book(ctx, name="Siti"), book(ctx, day="2026-12-02")
    # WHEN the first applicant is scanned at 07:30 THEN it is too early and stays valid
    clock.set(wib(2026, 12, 1, 7, 30))
    early = check_in(ctx, first)
    assert early.outcome == "too_early" and "08.00" in early.message and early.ticket is None
    # WHEN scanned at 09:30 sharp THEN accepted with the booked number as an A ticket
    clock.set(wib(2026, 12, 1, 9, 30))
    ok = check_in(ctx, first)
    assert ok.outcome == "accepted" and ok.ticket.label == "A001" and ok.ticket.service == "A"
    # WHEN scanned again THEN the existing ticket is shown, no second one
    again = check_in(ctx, first)
    assert again.outcome == "already_checked_in" and again.ticket.label == "A001"
    # WHEN another 10:00 booking is scanned one second past the deadline THEN it is void
    clock.set(wib(2026, 12, 1, 9, 30, 1))
    late = check_in(ctx, second)
    assert late.outcome == "void" and "hangus" in late.message and "09.30" in late.message
    # AND tomorrow's booking is the wrong day
    assert check_in(ctx, tomorrow).outcome == "wrong_day"
    with ctx.db.read() as s:
        assert s.scalars(select(Ticket)).all()[0].label == "A001"
        assert len(s.scalars(select(PrintJob)).all()) == 1
        assert [e.kind for e in s.scalars(select(TicketEvent))] == ["issued"]


def test_void_is_permanent(ctx, clock):
    clock.set(wib(2026, 11, 30, 12, 0))
    code = book(ctx)
    clock.set(wib(2026, 12, 1, 9, 45))
    assert check_in(ctx, code).outcome == "void"
    with ctx.db.read() as s:
        booking = s.scalars(select(Booking)).one()
        assert booking.status == "void" and booking.void_at is not None
    # Even if the clock were wrong and went back, the code stays void.
    clock.set(wib(2026, 12, 1, 9, 0))
    assert check_in(ctx, code).outcome == "void"


def test_one_changed_mac_character_is_invalid_and_changes_nothing(ctx, clock):
    clock.set(wib(2026, 11, 30, 12, 0))
    code = book(ctx)
    clock.set(wib(2026, 12, 1, 9, 0))
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    before = table_counts(ctx)
    assert check_in(ctx, forged).outcome == "invalid"
    assert table_counts(ctx) == before


def test_other_office(ctx):
    other = booking_code.generate(OfficeKey("x", b"y" * 32), "BDG", date(2026, 12, 1), time(10, 0), 1)
    before = table_counts(ctx)
    result = check_in(ctx, other.text)
    assert result.outcome == "wrong_office" and "BDG" in result.message
    assert table_counts(ctx) == before


def test_valid_code_without_a_booking_row_is_accepted(ctx):
    # DESIGN §3: a code is verifiable offline, with no booking list (e.g. a PC restored from backup).
    code = booking_code.generate(ctx.keyring.signing_key, "JKP", date(2026, 12, 1), time(10, 0), 17)
    result = check_in(ctx, code.text)
    assert result.outcome == "accepted" and result.ticket.label == "A017"
    assert check_in(ctx, code.text).outcome == "already_checked_in"


def test_rotated_and_retired_keys(ctx, clock):
    old_code = booking_code.generate(ctx.keyring.signing_key, "JKP", date(2026, 12, 1), time(10, 0), 5)
    old_id = ctx.keyring.signing_key.key_id
    ctx.keyring.rotate(clock.now())
    new_code = booking_code.generate(ctx.keyring.signing_key, "JKP", date(2026, 12, 1), time(10, 0), 6)
    assert ctx.keyring.signing_key.key_id != old_id
    assert check_in(ctx, old_code.text).outcome == "accepted"  # rotation keeps old codes valid
    other_old = booking_code.generate(next(k for k in ctx.keyring.keys if k.key_id == old_id), "JKP",
                                      date(2026, 12, 1), time(10, 0), 7)
    ctx.keyring.retire(old_id, clock.now())
    assert check_in(ctx, other_old.text).outcome == "invalid"  # retired: no longer accepted
    assert check_in(ctx, new_code.text).outcome == "accepted"


def test_lookalikes_typed_by_an_officer_are_accepted(ctx, clock):
    clock.set(wib(2026, 11, 30, 12, 0))
    code = book(ctx)
    clock.set(wib(2026, 12, 1, 9, 0))
    typed = " " + code.lower().replace("0", "o").replace("1", "l") + "\n"
    assert check_in(ctx, typed).outcome == "accepted"


def test_cancelled_booking(ctx, clock):
    clock.set(wib(2026, 11, 30, 12, 0))
    code = book(ctx)
    with ctx.db.write() as s:
        s.scalars(select(Booking)).one().status = "cancelled"
    clock.set(wib(2026, 12, 1, 9, 0))
    assert check_in(ctx, code).outcome == "cancelled"
    with ctx.db.read() as s:
        assert s.scalars(select(Ticket)).all() == []


def test_imported_code_is_accepted_only_when_in_the_list(ctx):
    with ctx.db.write() as s:
        s.add(Booking(code="MP-2026-000123", office="JKP", service_date=date(2026, 12, 1), slot=time(10, 0),
                      number=123, source="import", status="active", created_at=wib(2026, 11, 20, 8, 0)))
    assert check_in(ctx, "MP-2026-000123").outcome == "accepted"
    before = table_counts(ctx)
    assert check_in(ctx, "MP-2026-999999").outcome == "unknown"
    assert table_counts(ctx) == before


GARBAGE = [
    "", "   ", "\x00\x01\x02", "x" * 10_000, "AP1-JKP-261201-1000-001-\x00BCDEFGH",
    "'; DROP TABLE tickets; --", "AP1-JKP-261201-1000-001-ABCDEFGH' OR '1'='1",
    "\udcff\udcfe code from non-UTF-8 bytes", "AP1-JKP-999999-9999-999-ZZZZZZZZ", "AP1-" + "9" * 150,
    "😀😀😀😀", "abc", "\u202eAP1-JKP", "AP1--JKP-261201-1000-001-ABCDEFGH",
]


@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_is_rejected_and_changes_nothing(ctx, text):
    book(ctx)
    before = table_counts(ctx)
    result = check_in(ctx, text)
    assert result.outcome in ("invalid", "unknown")
    assert result.message and result.ticket is None
    assert table_counts(ctx) == before


def test_one_mistyped_character_says_check_the_code_again(ctx, clock):
    clock.set(wib(2026, 11, 30, 12, 0))
    code = book(ctx)
    clock.set(wib(2026, 12, 1, 9, 0))
    # GIVEN an officer typing the code with one digit of the queue number wrong
    typed = code.replace(code.split("-")[4], "9" + code.split("-")[4][1:], 1) if code.split("-")[4][0] != "9" \
        else code.replace(code.split("-")[4], "8" + code.split("-")[4][1:], 1)
    before = table_counts(ctx)
    result = check_in(ctx, typed)
    # THEN it is refused as a typing slip ("periksa lagi kodenya"), not as a forgery, and nothing changes
    assert result.outcome == "invalid" and result.mistyped
    assert "Periksa lagi kodenya" in result.message
    assert table_counts(ctx) == before
    # AND the same code typed with spaces, no dashes or in lower case is simply accepted
    assert check_in(ctx, code.replace("-", " ").lower()).outcome == "accepted"


def test_a_forged_code_is_still_called_invalid(ctx):
    forged = booking_code.generate(OfficeKey("forger", b"z" * 32), "JKP", date(2026, 12, 1), time(10, 0), 3)
    result = check_in(ctx, forged.text)
    assert result.outcome == "invalid" and not result.mistyped
    assert "tidak sah" in result.message


def test_other_office_is_named_where_the_config_knows_it(make_ctx):
    ctx = make_ctx(office={"other_offices": {"BDG": "Kantor Imigrasi Kelas I Bandung"}})
    other = booking_code.generate(OfficeKey("x", b"y" * 32), "BDG", date(2026, 12, 1), time(10, 0), 1)
    result = check_in(ctx, other.text)
    assert result.outcome == "wrong_office"
    assert "Kantor Imigrasi Kelas I Bandung (BDG)" in result.message
