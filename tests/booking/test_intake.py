"""A message in, a booking and a reply out: rules, idempotency, cancel, status, privacy."""

from __future__ import annotations

import stat
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from kiosk.booking.intake import BadMessage, IncomingMessage, handle_message
from kiosk.services.privacy import purge_personal_data
from kiosk.booking.replies import IntakeOutcome as O
from kiosk.core import booking_code
from kiosk.store import Booking, IntakeMessage
from tests.conftest import wib

PHONE = "6281234567890"
TOMORROW = "02122026"  # the clock fixture is Tuesday 1 December 2026, 09:00 WIB


def send(ctx, text, *, phone=PHONE, mid=None, **kw):
    send.n = getattr(send, "n", 0) + 1
    return handle_message(ctx, IncomingMessage(mid or f"wamid.{send.n}", phone, text, **kw), render_image=False)


def bookings(ctx):
    with ctx.db.read() as s:
        return s.scalars(select(Booking).order_by(Booking.id)).all()


def test_a_booking_gets_code_number_date_time_and_the_rules(ctx):
    # WHEN a well-formed message asks for tomorrow
    reply = send(ctx, f"#Budi Santoso#25011987#{TOMORROW}")
    # THEN it is booked in the first slot with number 1 and a valid v1 code
    assert reply.outcome is O.BOOKED
    assert (reply.label, reply.service_date, reply.slot) == ("A001", date(2026, 12, 2), time(8, 0))
    code = booking_code.parse(reply.code)
    assert booking_code.verify(code, ctx.keyring.keys)
    assert (code.service_date, code.slot, code.number) == (date(2026, 12, 2), time(8, 0), 1)
    # AND the reply says what the applicant must know
    for part in (reply.code, "A001", "Rabu, 2 Desember 2026", "08.00", "30 menit sebelum jadwal",
                 "kode booking hangus", "Lansia dan anak kecil dilayani tanpa booking"):
        assert part in reply.text
    (b,) = bookings(ctx)
    assert (b.name, b.birth_date, b.phone, b.source, b.status) == \
        ("Budi Santoso", date(1987, 1, 25), PHONE, "whatsapp", "active")


def test_the_same_message_id_twice_gives_one_booking_and_the_same_reply(ctx):
    first = send(ctx, f"#Budi#25011987#{TOMORROW}", mid="wamid.same")
    again = send(ctx, f"#Budi#25011987#{TOMORROW}", mid="wamid.same")
    assert again.replayed and not first.replayed
    assert (again.outcome, again.text, again.code) == (first.outcome, first.text, first.code)
    assert len(bookings(ctx)) == 1


def test_one_active_booking_per_phone_and_per_name_and_birth_date(ctx):
    first = send(ctx, f"#Budi#25011987#{TOMORROW}")
    # WHEN the same phone books for someone else, or the same person from another phone
    by_phone = send(ctx, "#Ani#01021990#03122026")
    by_person = send(ctx, "#BUDI#25-01-1987#03122026", phone="6281111111111")
    # THEN both are told the existing code, and nothing new is booked
    for reply in (by_phone, by_person):
        assert reply.outcome is O.ALREADY_BOOKED
        assert first.code in reply.text
    assert len(bookings(ctx)) == 1


def test_earliest_slot_with_room_and_numbers_in_order_of_the_day(make_ctx):
    ctx = make_ctx(intake={"slot_capacity": 2, "daily_quota": 5})
    replies = [send(ctx, f"#Orang {chr(65 + i)}#0101199{i}#{TOMORROW}", phone=f"62812000000{i}") for i in range(6)]
    assert [r.outcome for r in replies] == [O.BOOKED] * 5 + [O.QUOTA_FULL]
    assert [r.label for r in replies[:5]] == ["A001", "A002", "A003", "A004", "A005"]
    assert [r.slot for r in replies[:5]] == [time(8, 0), time(8, 0), time(8, 30), time(8, 30), time(9, 0)]
    # AND the one refused is told the next free date (Thursday 3 December)
    assert replies[5].next_free == date(2026, 12, 3)
    assert "Kamis, 3 Desember 2026" in replies[5].text


@pytest.mark.parametrize("text,outcome,words", [
    ("#Budi#25011987#01122026", O.TOO_SOON, "paling cepat"),  # today
    ("#Budi#25011987#30112026", O.DATE_IN_PAST, "sudah lewat"),  # yesterday
    ("#Budi#25011987#01012027", O.TOO_FAR, "terlalu jauh"),  # +31 days
    ("#Budi#25011987#05122026", O.NOT_SERVICE_DAY, "Senin, 7 Desember 2026"),  # Saturday; next: Monday
    ("#Budi#25011987#31042027", O.BAD_DATE, "kalender"),
    ("#Budi#29021987#02122026", O.BAD_DATE, "kalender"),
    ("#Budi#01122026#02122026", O.BIRTH_NOT_IN_PAST, "sebelum hari ini"),
    ("#Budi#30111906#02122026", O.BIRTH_TOO_OLD, "120 tahun"),
    ("#Budi 😀#25011987#02122026", O.BAD_NAME, "2-60 huruf"),
    ("#Budi#25011987", O.WRONG_FORMAT, "#Budi Santoso#25011987#"),
    ("selamat pagi", O.HELP, "#CEK"),
    ("x" * 10240, O.HELP, "#CEK"),
    ("#" + "x" * 10240, O.WRONG_FORMAT, "Format salah"),
])
def test_each_refusal_has_its_own_reply_and_books_nothing(sqlite_ctx, text, outcome, words):
    reply = send(sqlite_ctx, text)
    assert reply.outcome is outcome
    assert words in reply.text
    assert bookings(sqlite_ctx) == []


def test_outside_registration_hours(make_ctx, clock):
    ctx = make_ctx(intake={"registration_hours": "07:30-08:30"})
    reply = send(ctx, f"#Budi#25011987#{TOMORROW}")  # the clock says 09:00
    assert reply.outcome is O.OUTSIDE_HOURS and "07.30-08.30" in reply.text
    clock.set(wib(2026, 12, 1, 8, 0))
    assert send(ctx, f"#Budi#25011987#{TOMORROW}").outcome is O.BOOKED


def test_cancel_only_ones_own_booking_and_it_frees_the_place(make_ctx):
    ctx = make_ctx(intake={"daily_quota": 1})
    booked = send(ctx, f"#Budi#25011987#{TOMORROW}")
    assert send(ctx, f"#BATAL#{booked.code}", phone="6289999999999").outcome is O.CANCEL_NOT_FOUND
    # lower case and spaces in the code are forgiven
    cancelled = send(ctx, f"#batal# {booked.code.lower()} ")
    assert cancelled.outcome is O.CANCELLED
    assert send(ctx, f"#BATAL#{booked.code}").outcome is O.CANCEL_NOT_ACTIVE
    assert send(ctx, "#CEK").outcome is O.NO_ACTIVE_BOOKING
    # AND the place is free again
    assert send(ctx, f"#Ani#01021990#{TOMORROW}", phone="6281111111111").outcome is O.BOOKED


def test_cek_sends_the_active_booking_again(ctx):
    booked = send(ctx, f"#Budi#25011987#{TOMORROW}")
    status = send(ctx, "#cek")
    assert (status.outcome, status.code, status.label) == (O.STATUS, booked.code, booked.label)


def test_unsupported_types_and_images_without_text_get_help(sqlite_ctx):
    assert send(sqlite_ctx, "", kind="other").outcome is O.UNSUPPORTED
    assert send(sqlite_ctx, "", kind="image", photo=b"\xff\xd8jpeg").outcome is O.HELP
    assert bookings(sqlite_ctx) == []


def test_bad_sender_or_message_id_is_refused_before_anything_is_written(ctx):
    with pytest.raises(BadMessage):
        handle_message(ctx, IncomingMessage("wamid.x", "not a phone", "#CEK"))
    with pytest.raises(BadMessage):
        handle_message(ctx, IncomingMessage("", PHONE, "#CEK"))
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(IntakeMessage)) == 0


def test_batam_format_assigns_the_date_and_keeps_the_photo_owner_only_until_purged(make_ctx, clock):
    ctx = make_ctx(intake={"message_format": "address", "daily_quota": 1})
    line = "#Budi#25011987#Jl. Merdeka No. 1, Batam"
    assert send(ctx, line).outcome is O.PHOTO_MISSING
    reply = send(ctx, line, kind="image", photo=b"\xff\xd8 a jpeg")
    # THEN the office assigns the first service day with room: tomorrow
    assert reply.outcome is O.BOOKED and reply.service_date == date(2026, 12, 2)
    second = send(ctx, "#Ani#01021990#Jl. Sudirman 5", phone="6281111111111", kind="image", photo=b"\xff\xd8x")
    assert second.service_date == date(2026, 12, 3)  # tomorrow is full
    with ctx.db.read() as s:
        row = s.scalars(select(IntakeMessage).where(IntakeMessage.message_id == reply.message_id)).one()
        photo, address = row.photo_path, row.address
    assert address == "Jl. Merdeka No. 1, Batam"
    mode = stat.S_IMODE(__import__("os").stat(photo).st_mode)
    assert mode == 0o600 and open(photo, "rb").read() == b"\xff\xd8 a jpeg"
    # WHEN the privacy purge runs after the retention period
    clock.advance(timedelta(days=3))
    assert purge_personal_data(ctx, retention_days=0).counts["intake_messages"] == 3
    with ctx.db.read() as s:
        row = s.scalars(select(IntakeMessage).where(IntakeMessage.message_id == reply.message_id)).one()
        assert (row.photo_path, row.address, row.phone) == (None, None, None)
    assert not __import__("os").path.exists(photo)
