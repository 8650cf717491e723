"""Every scan verdict: its words and colour on screen, its sound, and whether a ticket
and a print job were made."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import update

from kiosk.core import booking_code
from kiosk.core.booking_code import OfficeKey
from kiosk.services import check_in
from kiosk.services.results import CheckInOutcome
from kiosk.store import Booking
from kiosk.ui import look
from tests.ui.conftest import book, print_jobs, settle, tickets

# The test clock stands at 09:00 WIB on 1 December 2026: the window of a 10:00 slot is
# 08:00-09:30, so 10:00 is on time, 12:00 too early and 09:15 too late.


def _accepted(ctx):
    return book(ctx, time(10, 0)), 1


def _too_early(ctx):
    return book(ctx, time(12, 0)), 0


def _wrong_day(ctx):
    return book(ctx, time(10, 0), day=ctx.today() + timedelta(days=1)), 0


def _void(ctx):
    return book(ctx, time(9, 15)), 0


def _already(ctx):
    code = book(ctx, time(10, 0))
    check_in(ctx, code)
    return code, 1  # the ticket from the first scan; the second scan adds none


def _wrong_office(ctx):
    other = booking_code.generate(OfficeKey("x", b"another office"), "BDG", ctx.today(), time(10, 0), 7)
    return other.text, 0


def _cancelled(ctx):
    code = book(ctx, time(10, 0))
    with ctx.db.write() as session:
        session.execute(update(Booking).where(Booking.code == code).values(status="cancelled"))
    return code, 0


def _unknown(ctx):
    return "WA-2026-000123", 0


def _invalid(ctx):
    # Forged: signed with a key the office does not have (one changed character would
    # read as a typing slip instead, see test_a_mistyped_code_says_check_it_again).
    from kiosk.core import booking_code
    from kiosk.core.booking_code import OfficeKey

    forged = booking_code.generate(OfficeKey("forger", b"f" * 32), "JKP", ctx.today(), time(10, 0), 9)
    return forged.text, 0


CASES = [
    (CheckInOutcome.ACCEPTED, _accepted, "DITERIMA", look.GREEN, "accepted"),
    (CheckInOutcome.TOO_EARLY, _too_early, "TERLALU AWAL", look.AMBER, "warning"),
    (CheckInOutcome.WRONG_DAY, _wrong_day, "BUKAN HARI INI", look.BLUE, "warning"),
    (CheckInOutcome.VOID, _void, "HANGUS", look.RED, "refused"),
    (CheckInOutcome.ALREADY_CHECKED_IN, _already, "SUDAH CHECK-IN", look.PURPLE, "warning"),
    (CheckInOutcome.WRONG_OFFICE, _wrong_office, "KANTOR LAIN", look.BROWN, "refused"),
    (CheckInOutcome.CANCELLED, _cancelled, "DIBATALKAN", look.GREY, "refused"),
    (CheckInOutcome.UNKNOWN, _unknown, "TIDAK DIKENAL", look.DARK, "refused"),
    (CheckInOutcome.INVALID, _invalid, "KODE TIDAK SAH", look.RED, "refused"),
]


@pytest.mark.parametrize("outcome, prepare, title, colour, sound", CASES, ids=[c[0].value for c in CASES])
def test_each_verdict_has_its_words_colour_sound_and_ticket(qtbot, ctx, desk, outcome, prepare, title, colour, sound):
    # GIVEN a booking in the state the verdict is about
    code, expected_tickets = prepare(ctx)
    # WHEN the officer types the code and presses Enter
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000) as shown:
        qtbot.keyClicks(desk.scan.manual, code)
        qtbot.keyClick(desk.scan.manual, "\r")
    # THEN the panel shows this outcome's words, colour and sound
    result = shown.args[0]
    assert result.outcome is outcome
    panel = desk.scan.verdict
    assert panel.title.text() == title
    assert panel.current.colour == colour and colour in panel.styleSheet()
    assert panel.detail.text() or panel.headline.text()
    assert desk.sounds.played[-1] == sound
    # AND a ticket with its print job exists only where the verdict issued one
    assert tickets(ctx) == expected_tickets
    assert print_jobs(ctx) == expected_tickets


def test_accepted_shows_the_number_being_printed(qtbot, ctx, desk):
    code = book(ctx, time(10, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    assert desk.scan.verdict.headline.text() == "A001"
    assert "dicetak" in desk.scan.verdict.detail.text()


def test_too_early_tells_the_time_to_come_back(qtbot, ctx, desk):
    code = book(ctx, time(12, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    assert desk.scan.verdict.headline.text() == "Kembali pukul 10.00"


def test_wrong_day_names_the_booked_date(qtbot, ctx, desk):
    code = book(ctx, time(10, 0), day=ctx.today() + timedelta(days=1))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    assert desk.scan.verdict.headline.text() == "Rabu, 2 Desember 2026, pukul 10.00"


def test_void_shows_slot_and_missed_deadline_and_offers_the_override(qtbot, ctx, desk):
    code = book(ctx, time(9, 15))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    assert desk.scan.verdict.headline.text() == "Jadwal 09.15 · batas 08.45"
    assert not desk.scan.verdict.action.isHidden()
    assert "Kecualikan" in desk.scan.verdict.action.text()


def test_already_checked_in_shows_the_existing_number_and_offers_reprint(qtbot, ctx, desk):
    code = book(ctx, time(10, 0))
    first = check_in(ctx, code)
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    assert desk.scan.verdict.headline.text() == first.ticket.label
    assert "Cetak ulang" in desk.scan.verdict.action.text() and not desk.scan.verdict.action.isHidden()


def test_garbage_of_every_kind_changes_nothing(qtbot, ctx, desk):
    for text in ["x" * 5000, "AP1-JKP-\x00", "\u202e", "   "]:
        desk.submit_code(text, "manual")
    settle(qtbot, desk)
    assert tickets(ctx) == 0 and print_jobs(ctx) == 0


def test_the_verdict_goes_back_to_ready_after_the_configured_time(qtbot, make_ctx, make_desk):
    ctx = make_ctx(desk={"verdict_seconds": 2})
    desk = make_desk(ctx)
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code("WA-2026-000123", "manual")
    assert desk._ready_timer.isActive() and desk._ready_timer.interval() == 2000
    desk._ready_timer.timeout.emit()
    assert desk.scan.verdict.current.key == "ready"


def test_the_start_up_warm_up_leaves_nothing_behind(qtbot, ctx):
    from kiosk.services.warmup import warm_up
    from kiosk.store import Booking, CheckinAttempt, PrintJob, Ticket, TicketEvent
    from tests.ui.conftest import count

    warm_up(ctx)
    for model in (Booking, CheckinAttempt, Ticket, TicketEvent, PrintJob):
        assert count(ctx, model) == 0
    assert check_in(ctx, book(ctx, time(10, 0))).ticket.label == "A001"


def test_a_mistyped_code_says_check_it_again(qtbot, desk, ctx):
    code = book(ctx, time(10, 0))
    typed = code[:-1] + ("0" if code[-1] != "0" else "1")
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(typed, "manual")
    shown = desk.scan.verdict.current
    assert shown.title == "SALAH KETIK" and shown.colour == look.AMBER
    assert "Periksa lagi kodenya" in shown.headline


@pytest.mark.parametrize("size", [(1280, 720), "maximised"])
def test_the_verdict_scales_with_the_window(qtbot, desk, ctx, size):
    if size == "maximised":
        desk.showMaximized()
        qtbot.waitUntil(lambda: desk.isMaximized() or desk.height() >= 700, timeout=5000)
    else:
        desk.resize(*size)
        qtbot.waitUntil(lambda: desk.height() == size[1], timeout=5000)
    code = book(ctx, time(10, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    qtbot.waitUntil(lambda: desk.scan.verdict.headline.font().pixelSize() > 0, timeout=5000)
    panel = desk.scan.verdict
    # THEN the number (the headline) is at least 8% of the window's height, the title 6%
    assert panel.headline.text().startswith("A")
    assert panel.headline.font().pixelSize() >= 0.08 * desk.height()
    assert panel.title.font().pixelSize() >= 0.06 * desk.height()


def test_too_early_says_it_once_with_the_time_to_come_back(qtbot, desk, ctx, clock):
    from tests.conftest import wib

    clock.set(wib(2026, 11, 30, 12, 0))
    code = book(ctx, time(13, 0), day=date(2026, 12, 1))
    clock.set(wib(2026, 12, 1, 9, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    v = desk.scan.verdict.current
    words = f"{v.title} {v.headline} {v.detail}".lower()
    assert v.title == "TERLALU AWAL" and "kembali pukul 11.00" in v.headline.lower()
    assert words.count("terlalu awal") == 1 and words.count("11.00") == 1


def test_wrong_day_gives_date_and_time_and_void_says_what_next(qtbot, desk, ctx, clock):
    from tests.conftest import wib

    clock.set(wib(2026, 11, 30, 12, 0))
    tomorrow = book(ctx, time(10, 30), day=date(2026, 12, 2))
    late = book(ctx, time(9, 15), day=date(2026, 12, 1))
    clock.set(wib(2026, 12, 1, 9, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(tomorrow, "manual")
    v = desk.scan.verdict.current
    assert "2 Desember 2026" in v.headline and "10.30" in v.headline
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(late, "manual")
    v = desk.scan.verdict.current
    assert v.title == "HANGUS" and "supervisor" in v.detail and "booking ulang" in v.detail
