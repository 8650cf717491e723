"""The name, text and date rules booking, import, walk-in and check-in share."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.core.text import (
    NameProblem, NameRejected, clean_name, is_imported_code, is_printable, looks_like_date, parse_date, squeeze,
)


def test_a_name_is_letters_of_any_script_with_a_little_punctuation():
    assert clean_name("  Siti   Nur’aini  ") == "Siti Nur’aini"
    assert clean_name("Đặng Thị Hoa") == "Đặng Thị Hoa"
    with pytest.raises(NameRejected) as short:
        clean_name("A")
    assert short.value.problem is NameProblem.LENGTH
    with pytest.raises(NameRejected) as odd:
        clean_name("Budi <script>")
    assert odd.value.problem is NameProblem.CHARACTERS
    with pytest.raises(NameRejected):
        clean_name("-- .")  # punctuation only


def test_text_that_can_be_stored_and_codes_from_other_systems():
    assert is_printable("APAPO-123 ok") and not is_printable("a\x00b") and not is_printable("\udcff")
    assert is_imported_code("ABCD") and not is_imported_code("ABC") and not is_imported_code("X" * 65)
    assert squeeze(" a \t b\n") == "a b"


def test_dates_are_written_day_month_year():
    assert parse_date("25011987") == parse_date("25-01-1987") == parse_date("25 1 1987") == date(1987, 1, 25)
    assert parse_date("31021987") is None and looks_like_date("31021987") and not looks_like_date("Jl. Merdeka 1")
