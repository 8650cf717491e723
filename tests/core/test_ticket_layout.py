"""The ticket layout: content, widths, wrapping, the reprint mark, no personal data."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.ticket_layout import (
    CHAR_WIDTH, INDONESIAN, PAPER_58MM, PAPER_80MM, Cut, Qr, Text, TicketContent, layout_ticket, number_scale, printable,
)

JAKARTA = ZoneInfo("Asia/Jakarta")


def booked(**changes: object) -> TicketContent:
    base = TicketContent(
        office_name="Kantor Imigrasi Kelas I Khusus Jakarta Pusat", label="A042",
        service_name="Paspor (booking online)", reference="AP1-JKP-261127-0930-042-K7Q3M9X2",
        printed_at=datetime(2026, 11, 27, 8, 12, tzinfo=JAKARTA), waiting_ahead=5,
        scheduled=time(9, 30), checked_in=datetime(2026, 11, 27, 8, 12, tzinfo=JAKARTA))
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize("paper", [PAPER_58MM, PAPER_80MM], ids=["58mm", "80mm"])
def test_every_line_fits_the_paper(paper):
    # GIVEN a booked ticket with a long office name WHEN laid out
    layout = layout_ticket(booked(office_name="Kantor Imigrasi Kelas I Khusus Tempat Pemeriksaan Imigrasi "
                                              "Soekarno-Hatta Tangerang Banten"), paper)
    # THEN no text line is wider than the paper at its scale
    for block in layout.blocks:
        if isinstance(block, Text):
            assert len(block.text) * CHAR_WIDTH * block.scale <= paper.width_dots, block
    # AND the office name is wrapped over several lines, all of it still there
    name_lines = [b.text for b in layout.blocks if isinstance(b, Text) and b.scale == 2]
    assert len(name_lines) >= 3
    assert " ".join(name_lines).startswith("Kantor Imigrasi Kelas I Khusus Tempat")


def test_the_number_is_as_large_as_the_paper_allows():
    # 4 characters of 12 dots at scale 8 are exactly 384 dots: the 58 mm maximum.
    assert number_scale("A042", PAPER_58MM) == 8
    assert number_scale("A042", PAPER_80MM) == 8
    layout = layout_ticket(booked(), PAPER_58MM)
    big = [b for b in layout.blocks if isinstance(b, Text) and b.text == "A042"]
    assert big and big[0].scale == 8 and big[0].bold


def test_booked_ticket_shows_schedule_check_in_waiting_and_instructions():
    lines = layout_ticket(booked(), PAPER_80MM).text_lines()
    assert "Jadwal: 09.30" in lines
    assert "Check-in: 08.12" in lines
    assert "Menunggu di depan Anda: 5 orang" in lines
    assert "Harap menunggu panggilan nomor Anda di ruang tunggu" in " ".join(lines)  # wrapped
    assert "Jumat, 27 November 2026, 08.12 WIB" in lines  # the screens' formatter, one line on 80 mm
    assert "Paspor (booking online)" in lines
    assert not any("CETAK ULANG" in line for line in lines)


def test_the_qr_code_holds_the_reference_and_the_ticket_ends_with_a_cut():
    layout = layout_ticket(booked(), PAPER_58MM)
    assert layout.qr_data == ["AP1-JKP-261127-0930-042-K7Q3M9X2"]
    assert isinstance(layout.blocks[-1], Cut)
    qr = next(b for b in layout.blocks if isinstance(b, Qr))
    assert qr.module_dots == 6


def test_priority_ticket_shows_its_category_and_no_schedule():
    content = booked(label="B003", service_name="Prioritas", category="ibu_hamil", scheduled=None,
                     checked_in=None, reference="JKP-261127-B003")
    lines = layout_ticket(content, PAPER_58MM).text_lines()
    assert "Kategori: Ibu hamil" in lines
    assert not any(line.startswith(("Jadwal", "Check-in")) for line in lines)


def test_a_reprint_is_marked_at_top_and_bottom():
    lines = layout_ticket(booked(reprint=True), PAPER_58MM).text_lines()
    assert lines[0] == "*** CETAK ULANG ***"
    assert lines[-1] == "*** CETAK ULANG ***"


def test_the_content_has_no_place_for_a_name_or_birth_date():
    fields = {f.name for f in dataclasses.fields(TicketContent)}
    assert not fields & {"name", "birth", "birth_date", "date_of_birth"}


def test_text_is_reduced_to_what_a_receipt_printer_can_print():
    assert printable("Kantor Imigrasi Kelas II TPI Pémalang\tBaru") == "Kantor Imigrasi Kelas II TPI Pemalang Baru"
    assert printable("Jl. ☃ 5") == "Jl. ? 5"


def test_bad_content_is_refused():
    with pytest.raises(ValueError):
        booked(waiting_ahead=-1)
    with pytest.raises(ValueError):
        booked(printed_at=datetime(2026, 11, 27, 8, 12))


def test_with_a_status_page_the_qr_opens_it_and_the_reference_stays_printed():
    url = "http://192.168.1.10:8089/t/261127-A042-3K9QW7T2M4XBC8RD"
    layout = layout_ticket(booked(status_url=url), PAPER_58MM)
    assert layout.qr_data == [url]
    lines = layout.text_lines()
    assert "Pindai QR untuk status antrean" in " ".join(lines)
    assert "AP1-JKP-261127-0930-042-K7Q3M9X2" in "".join(lines)


def test_a_walk_in_ticket_says_its_estimated_wait():
    lines = layout_ticket(booked(estimated_minutes=25), PAPER_80MM).text_lines()
    assert "Perkiraan tunggu: +/- 25 menit" in lines
    assert not any("Perkiraan" in line for line in layout_ticket(booked(), PAPER_80MM).text_lines())
    assert not any("Perkiraan" in line for line in layout_ticket(booked(estimated_minutes=5, waiting_ahead=0),
                                                                 PAPER_80MM).text_lines())


@pytest.mark.parametrize("paper", [PAPER_58MM, PAPER_80MM], ids=["58mm", "80mm"])
def test_dates_and_times_are_written_as_on_the_screens_in_the_tickets_language(paper):
    # GIVEN the longest date of the year (a Wednesday in September) in English
    english = dataclasses.replace(INDONESIAN, language="en", scheduled="Time: {time}")
    content = booked(printed_at=datetime(2026, 9, 30, 16, 35, tzinfo=JAKARTA))
    lines = layout_ticket(content, paper, english).text_lines()
    # THEN the times use the English colon, the date its English names
    assert "Time: 09:30" in lines
    assert "Check-in: 08:12" in lines
    if paper is PAPER_80MM:
        assert "Wednesday, 30 September 2026, 16:35 WIB" in lines
    else:  # 39 characters do not fit 32 columns: the date, then the time with its zone
        assert lines[-2:] == ["Wednesday, 30 September 2026", "16:35 WIB"]
    # AND in Indonesian the same ticket writes "16.35" and the Indonesian names
    lines = layout_ticket(content, paper).text_lines()
    want = ["Rabu, 30 September 2026, 16.35 WIB"] if paper is PAPER_80MM else ["Rabu, 30 September 2026", "16.35 WIB"]
    assert lines[-len(want):] == want
    assert "Jadwal: 09.30" in lines
