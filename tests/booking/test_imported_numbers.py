"""One imported number does not close a day: the free numbers around it stay usable."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from kiosk.booking.importer import ImportFailed, import_bookings
from kiosk.booking.intake import IncomingMessage, handle_message
from kiosk.booking.replies import IntakeOutcome
from kiosk.services import add_booking
from kiosk.services.bookings import BookingError
from kiosk.store import Booking

import pytest

HEADER = "code,name,birth_date,date,slot,number,phone\n"


def numbers(ctx, day: date) -> list[int]:
    with ctx.db.read() as s:
        return list(s.scalars(select(Booking.number).where(Booking.service_date == day).order_by(Booking.number)))


def test_an_imported_999_leaves_the_day_open_for_whatsapp_and_later_rows(ctx, tmp_path):
    # GIVEN a list whose one row carries number 999 on 2 December
    (tmp_path / "a.csv").write_text(HEADER + "EXT-999,Siti Aminah,1990-02-01,2026-12-02,08:00,999,\n")
    assert import_bookings(ctx, tmp_path / "a.csv").added == 1
    # WHEN WhatsApp bookings for that day arrive, and a later list row has no number
    replies = [handle_message(ctx, IncomingMessage(f"wamid.{i}", f"62812000000{i:02d}", f"#Budi {chr(65 + i)}#"
                                                   f"25011987#02122026"), render_image=False) for i in range(3)]
    (tmp_path / "b.csv").write_text(HEADER + "EXT-NO-NUMBER,Ani Lestari,1991-03-01,2026-12-02,09:00,,\n")
    assert import_bookings(ctx, tmp_path / "b.csv").added == 1
    # THEN they are booked with the free numbers 1, 2, 3 and 4; 999 stays the import's
    assert [r.outcome for r in replies] == [IntakeOutcome.BOOKED] * 3
    assert [r.label for r in replies] == ["A001", "A002", "A003"]
    assert numbers(ctx, date(2026, 12, 2)) == [1, 2, 3, 4, 999]


def test_numbers_step_over_imported_ones_in_the_middle(ctx, tmp_path):
    (tmp_path / "a.csv").write_text(HEADER + "".join(
        f"EXT-{n},Siti Aminah,1990-02-01,2026-12-02,08:00,{n},\n" for n in (2, 3, 5)))
    import_bookings(ctx, tmp_path / "a.csv")
    got = [add_booking(ctx, name="Budi Santoso", birth=date(1987, 1, 25), service_date=date(2026, 12, 2),
                       slot=time(10, 0)).number for _ in range(3)]
    assert got == [1, 4, 6]


def test_when_every_number_is_taken_the_message_is_plain_and_nothing_changes(ctx, tmp_path):
    # GIVEN all 999 numbers of 2 December imported
    (tmp_path / "all.csv").write_text(HEADER + "".join(
        f"EXT-{n:04d},Siti Aminah,1990-02-01,2026-12-02,08:00,{n},\n" for n in range(1, 1000)))
    assert import_bookings(ctx, tmp_path / "all.csv").added == 999
    # WHEN one more row without a number is imported THEN it is refused with a plain message
    (tmp_path / "one.csv").write_text(HEADER + "EXT-MORE,Ani Lestari,1991-03-01,2026-12-02,09:00,,\n")
    with pytest.raises(ImportFailed) as info:
        import_bookings(ctx, tmp_path / "one.csv")
    assert "habis" in str(info.value) and "Baris 2" in str(info.value)
    # AND a booking at the desk gets a plain refusal too
    with pytest.raises(BookingError, match="habis"):
        add_booking(ctx, name="Budi Santoso", birth=date(1987, 1, 25), service_date=date(2026, 12, 2),
                    slot=time(10, 0))
    assert len(numbers(ctx, date(2026, 12, 2))) == 999
