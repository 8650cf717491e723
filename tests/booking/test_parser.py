"""The message parser: lenient where people slip, strict where it matters."""

from datetime import date

import pytest

from kiosk.booking.parser import (
    BookRequest, CancelRequest, Problem, StatusRequest, Unusable, parse_date, parse_message,
)


@pytest.mark.parametrize("text", [
    "#Budi#25011987#07082027",
    " # Budi # 25011987 # 07082027 ",
    "#Budi#25-01-1987#07-08-2027",
    "#Budi#25/01/1987#07/08/2027",
    "#Budi#25.01.1987#07.08.2027#",
    "＃Budi＃25011987＃07082027",
    "#Budi\u200b#25011987#07082027",
])
def test_date_format_is_lenient_on_spaces_separators_and_hash_lookalikes(text):
    # GIVEN a booking line written with the usual slips  WHEN parsed
    request = parse_message(text)
    # THEN it is the same request
    assert request == BookRequest("Budi", date(1987, 1, 25), date(2027, 8, 7))


def test_keywords_ignore_case_and_spaces():
    assert parse_message("#cek") == StatusRequest()
    assert parse_message(" # Cek ") == StatusRequest()
    assert parse_message("#batal# AP1-JKP-261127-0930-042-K7Q3M9X2 ") == \
        CancelRequest("AP1-JKP-261127-0930-042-K7Q3M9X2")
    assert parse_message("#BATAL") == Unusable(Problem.BAD_CANCEL)


@pytest.mark.parametrize("text,day", [
    ("29022024", date(2024, 2, 29)),  # leap year
    ("29022000", date(2000, 2, 29)),  # divisible by 400: leap
    ("28022023", date(2023, 2, 28)),
    ("1-2-1990", date(1990, 2, 1)),
])
def test_real_dates_are_read(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["29022023", "29021900", "31042027", "00012027", "32012027", "25131987",
                                  "2501198", "250119870", "1987-01-25x"])
def test_impossible_dates_are_refused(text):
    assert parse_date(text) is None


def test_impossible_dates_get_bad_date_not_wrong_format():
    # GIVEN 31 April as the arrival and 29 Feb of a common year as the birth
    assert parse_message("#Budi#25011987#31042027") == Unusable(Problem.BAD_ARRIVAL_DATE)
    assert parse_message("#Budi#29021987#07082027") == Unusable(Problem.BAD_BIRTH_DATE)


@pytest.mark.parametrize("name", ["Siti Nur'aini", "O’Brien", "Abd. Rahman", "Jean-Pierre", "Nguyễn Văn An",
                                  "Сергей Иванов", "محمد علي", "王小明", "สมชาย", "Bo"])
def test_names_of_any_script_with_apostrophes_dots_and_hyphens(name):
    request = parse_message(f"#{name}#25011987#07082027")
    assert isinstance(request, BookRequest)
    assert request.name == name


@pytest.mark.parametrize("name", ["B", "Budi 😀", "Budi123", "x" * 61, "...", "Budi<script>"])
def test_bad_names_are_refused(name):
    assert parse_message(f"#{name}#25011987#07082027") == Unusable(Problem.BAD_NAME)


def test_ten_kilobytes_of_text_is_wrong_format_not_an_error():
    text = "#" + "Budi" * 2560 + "#25011987#07082027"
    assert parse_message(text).problem is Problem.WRONG_FORMAT  # type: ignore[union-attr]


@pytest.mark.parametrize("text,problem", [
    ("halo, mau booking paspor", Problem.NOT_A_COMMAND),
    ("", Problem.NOT_A_COMMAND),
    ("😀😀😀", Problem.NOT_A_COMMAND),
    ("#Budi#25011987", Problem.WRONG_FORMAT),
    ("#Budi#25011987#07082027#extra", Problem.WRONG_FORMAT),
    ("#Budi#Jakarta#07082027", Problem.WRONG_FORMAT),
    ("#Budi#25011987#besok", Problem.WRONG_FORMAT),
    ("tolong #Budi#25011987#07082027", Problem.WRONG_FORMAT),
    ("#Budi##07082027", Problem.WRONG_FORMAT),
])
def test_everything_else_is_help_or_wrong_format(text, problem):
    assert parse_message(text) == Unusable(problem, parse_message(text).detail)  # type: ignore[union-attr]


def test_address_format_needs_the_photo_and_an_address():
    line = "#Budi#25011987#Jl. Merdeka No. 1, Batam"
    assert parse_message(line, "address", has_photo=True) == \
        BookRequest("Budi", date(1987, 1, 25), None, "Jl. Merdeka No. 1, Batam")
    assert parse_message(line, "address", has_photo=False) == Unusable(Problem.PHOTO_MISSING)
    assert parse_message("#Budi#25011987#07082027", "address", has_photo=True) == Unusable(Problem.BAD_ADDRESS)
    assert parse_message("#Budi#25011987#" + "a" * 201, "address", has_photo=True) == \
        Unusable(Problem.BAD_ADDRESS)
