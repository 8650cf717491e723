"""Reading a WhatsApp booking message into a typed request (pure: no clock, no database).

Formats (DESIGN §1), the third field chosen per office by ``intake.message_format``:

- ``#NAMA#DDMMYYYY#DDMMYYYY``: name, date of birth, requested arrival date;
- ``#NAMA#DDMMYYYY#ALAMAT`` (+ a photo of the e-KTP): the office assigns the date;
- ``#BATAL#<kode booking>``: cancel one's own booking; ``#CEK``: send my booking again.

Lenient where people slip (spaces around ``#``, lower case, full-width ``＃``, dates
written ``25-01-1987``, ``25/01/1987`` or ``25.01.1987``), strict where it matters (a
real calendar date, a name of letters). Whether a date is acceptable *today* is for
:mod:`kiosk.booking.rules`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.core.text import NameRejected, clean_name, looks_like_date, parse_date, squeeze

MAX_MESSAGE_LENGTH = 1000  # a booking line is < 150 characters; longer text is not one
MAX_ADDRESS_LENGTH = 200
MAX_CODE_LENGTH = 64
# Zero-width and direction marks phones insert when text is pasted.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"), None)
_HASHES = dict.fromkeys(map(ord, "\uff03\ufe5f"), "#")


class MessageFormat(StrEnum):
    DATE = "date"  # #NAMA#DDMMYYYY#DDMMYYYY
    ADDRESS = "address"  # #NAMA#DDMMYYYY#ALAMAT + e-KTP photo


class Problem(StrEnum):
    """Why a message is not a usable request; each has its own reply."""

    NOT_A_COMMAND = "not_a_command"  # no '#': gets the help text
    WRONG_FORMAT = "wrong_format"
    BAD_NAME = "bad_name"
    BAD_BIRTH_DATE = "bad_birth_date"  # not a real calendar date
    BAD_ARRIVAL_DATE = "bad_arrival_date"
    BAD_ADDRESS = "bad_address"
    PHOTO_MISSING = "photo_missing"
    BAD_CANCEL = "bad_cancel"


@dataclass(frozen=True)
class BookRequest:
    name: str
    birth: date
    arrival: date | None  # None in the address format: the office assigns the date
    address: str | None = None


@dataclass(frozen=True)
class CancelRequest:
    code: str


@dataclass(frozen=True)
class StatusRequest:
    pass


@dataclass(frozen=True)
class Unusable:
    problem: Problem
    detail: str = ""  # for the log, never personal data


Request = BookRequest | CancelRequest | StatusRequest | Unusable


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_HASHES)
    return squeeze(text)


def parse_message(text: str, fmt: MessageFormat | str = MessageFormat.DATE, *, has_photo: bool = False) -> Request:
    """The request a message makes, or why it makes none."""
    fmt = MessageFormat(fmt)
    if len(text) > MAX_MESSAGE_LENGTH:
        has_hash = "#" in text or "\uff03" in text
        return Unusable(Problem.WRONG_FORMAT if has_hash else Problem.NOT_A_COMMAND, "too long")
    text = _clean(text)
    if "#" not in text:
        return Unusable(Problem.NOT_A_COMMAND)
    head, _, rest = text.partition("#")
    if head.strip():
        return Unusable(Problem.WRONG_FORMAT, "text before the first #")
    fields = [f.strip() for f in rest.split("#")]
    while fields and fields[-1] == "":  # a trailing '#'
        fields.pop()
    if not fields:
        return Unusable(Problem.WRONG_FORMAT, "no fields")
    keyword = fields[0].upper().replace(" ", "")
    if keyword == "CEK" and len(fields) == 1:
        return StatusRequest()
    if keyword == "BATAL":
        code = fields[1] if len(fields) == 2 else ""
        if not code or len(code) > MAX_CODE_LENGTH:
            return Unusable(Problem.BAD_CANCEL)
        return CancelRequest(code)
    if len(fields) != 3 or not all(fields):
        return Unusable(Problem.WRONG_FORMAT, f"{len(fields)} fields")
    raw_name, raw_birth, third = fields
    if fmt is MessageFormat.DATE and not looks_like_date(third):
        return Unusable(Problem.WRONG_FORMAT, "third field is not a date")
    if not looks_like_date(raw_birth):
        return Unusable(Problem.WRONG_FORMAT, "second field is not a date")
    try:
        name = clean_name(raw_name)
    except NameRejected:
        return Unusable(Problem.BAD_NAME)
    birth = parse_date(raw_birth)
    if birth is None:
        return Unusable(Problem.BAD_BIRTH_DATE)
    if fmt is MessageFormat.DATE:
        arrival = parse_date(third)
        if arrival is None:
            return Unusable(Problem.BAD_ARRIVAL_DATE)
        return BookRequest(name, birth, arrival)
    if looks_like_date(third) or len(third) > MAX_ADDRESS_LENGTH or not any(c.isalpha() for c in third) \
            or any(unicodedata.category(c)[0] == "C" for c in third):
        return Unusable(Problem.BAD_ADDRESS)
    if not has_photo:
        return Unusable(Problem.PHOTO_MISSING)
    return BookRequest(name, birth, None, third)
