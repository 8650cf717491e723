"""Booking lists from other systems: all or nothing, idempotent, accepted at check-in."""

from __future__ import annotations

import json
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from kiosk.booking.importer import ImportFailed, export_day, import_bookings
from kiosk.booking.intake import IncomingMessage, handle_message
from kiosk.services import check_in
from kiosk.services.results import CheckInOutcome
from kiosk.store import Booking
from tests.conftest import wib

HEADER = "code,name,birth_date,date,slot,number,phone\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def all_bookings(ctx):
    with ctx.db.read() as s:
        return s.scalars(select(Booking).order_by(Booking.service_date, Booking.number)).all()


def test_csv_import_then_the_same_file_again_changes_nothing(ctx, tmp_path):
    path = write(tmp_path, "apapo.csv", HEADER +
                 "APAPO-0001,Siti Aminah,1990-02-01,2026-12-03,08:00,5,081200001111\n"
                 "MP-XYZ-77,Budi,25-01-1987,2026-12-03,8:30,,\n")
    first = import_bookings(ctx, path)
    again = import_bookings(ctx, path)
    assert (first.added, first.unchanged) == (2, 0)
    assert (again.added, again.unchanged) == (0, 2)
    rows = [(b.code, b.number, b.slot, b.source, b.phone) for b in all_bookings(ctx)]
    # the list's own number is kept; a row without one takes the first free number
    assert rows == [("MP-XYZ-77", 1, time(8, 30), "import", None),
                    ("APAPO-0001", 5, time(8, 0), "import", "6281200001111")]


def test_json_import_and_whatsapp_numbers_take_the_free_ones_around_imported_ones(ctx, tmp_path):
    path = write(tmp_path, "mpaspor.json", json.dumps({"bookings": [
        {"code": "MPASPOR/2026/0042", "name": "Nguyễn Văn An", "birth_date": "1985-07-17",
         "date": "2026-12-02", "slot": "09:00", "number": 42}]}))
    assert import_bookings(ctx, path).added == 1
    reply = handle_message(ctx, IncomingMessage("wamid.1", "6281234567890", "#Budi#25011987#02122026"),
                           render_image=False)
    assert reply.label == "A001"


def test_a_bad_file_is_refused_whole_with_row_numbers(ctx, tmp_path):
    path = write(tmp_path, "bad.csv", HEADER +
                 "GOOD-0001,Siti,1990-02-01,2026-12-03,08:00,,\n"
                 "BAD-0002,Siti,1990-02-30,2026-12-03,08:00,,\n"  # 30 February
                 "AP1-JKP-261203-0800-001-XXXXXXXX,Budi,1990-02-01,2026-12-03,08:00,,\n"
                 "GOOD-0001,Ani,1991-03-01,2026-12-03,25:00,,\n"
                 "X,Ani 😀,1991-03-01,2026-12-03,09:00,1000,abc\n")
    with pytest.raises(ImportFailed) as info:
        import_bookings(ctx, path)
    errors = info.value.errors
    assert [e.split(":")[0] for e in errors] == ["Baris 3", "Baris 4", "Baris 5", "Baris 6"]
    assert "tanggal lahir" in errors[0] and "AP1-" in errors[1] and "baris 2" in errors[2]
    assert all_bookings(ctx) == []


@pytest.mark.parametrize("content,words", [
    ("", "kosong"),
    ("code,name\n", "Tidak ada booking"),
    ("code,name,birth_date,date,slot,colour\nA-001,Siti,1990-01-01,2026-12-03,08:00,red\n", "colour"),
    ("code,name,birth_date,date,slot\nA-001,Siti,1990-01-01\n", "jumlah kolom"),
    ("[1, 2]", "objek"),
])
def test_malformed_files(sqlite_ctx, tmp_path, content, words):
    path = write(tmp_path, "x.json" if content.startswith("[") else "x.csv", content)
    with pytest.raises(ImportFailed) as info:
        import_bookings(sqlite_ctx, path)
    assert words in "\n".join(info.value.errors)


def test_conflicts_with_what_is_already_there_refuse_the_whole_file(ctx, tmp_path):
    import_bookings(ctx, write(tmp_path, "a.csv", HEADER + "A-0001,Siti,1990-02-01,2026-12-03,08:00,5,\n"))
    clash = write(tmp_path, "b.csv", HEADER + "B-0001,Ani,1991-02-01,2026-12-03,08:00,7,\n"
                                              "C-0001,Dewi,1992-02-01,2026-12-03,08:00,5,\n"
                                              "A-0001,Siti,1990-02-01,2026-12-04,08:00,5,\n"
                                              "D-0001,Rina,1993-02-01,2026-11-30,08:00,,\n")
    with pytest.raises(ImportFailed) as info:
        import_bookings(ctx, clash)
    text = "\n".join(info.value.errors)
    assert "Baris 3: nomor 5" in text and "Baris 4: kode A-0001 sudah ada" in text and "Baris 5: tanggal" in text
    assert [b.code for b in all_bookings(ctx)] == ["A-0001"]


def test_imported_codes_are_accepted_at_check_in_by_lookup(ctx, tmp_path, clock):
    import_bookings(ctx, write(tmp_path, "a.csv", HEADER + "mp 77-x,Budi,1987-01-25,2026-12-03,09:00,,\n"))
    clock.set(wib(2026, 12, 3, 8, 0))
    assert check_in(ctx, "mp 77-x").outcome is CheckInOutcome.ACCEPTED
    assert check_in(ctx, "unknown-code").outcome is CheckInOutcome.UNKNOWN


def test_export_writes_the_days_list_in_the_import_format(ctx, tmp_path):
    import_bookings(ctx, write(tmp_path, "a.csv", HEADER + "A-0001,Siti,1990-02-01,2026-12-03,08:00,5,\n"))
    text = export_day(ctx, date(2026, 12, 3))
    assert text.splitlines() == ["code,name,birth_date,date,slot,number,phone,source,status",
                                 "A-0001,Siti,1990-02-01,2026-12-03,08:00,5,,import,active"]
    # the export is itself importable: nothing changes
    assert import_bookings(ctx, write(tmp_path, "back.csv", text)).unchanged == 1
    assert export_day(ctx, date(2026, 12, 3) + timedelta(days=1)).count("\n") == 1
