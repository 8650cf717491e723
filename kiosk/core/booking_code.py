"""Booking code v1: ``AP1-<OFFICE>-<YYMMDD>-<HHMM>-<NNN>-<MAC>`` (DESIGN §3).

The MAC is the first 40 bits of HMAC-SHA256(office key, ``AP1|OFFICE|YYMMDD|HHMM|NNN``)
in Crockford base32, so a code can be checked offline with no booking list.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from kiosk.core import crockford

PREFIX = "AP1"
MAX_INPUT_LENGTH = 200  # anything longer is not a code; do not even normalise it
_OFFICE_RE = re.compile(r"^[A-Z0-9]{2,5}$")
_CODE_RE = re.compile(
    r"^AP1-(?P<office>[A-Z0-9]{2,5})-(?P<date>\d{6})-(?P<slot>\d{4})-(?P<number>\d{3})"
    r"-(?P<mac>[0-9A-HJKMNP-TV-Z]{8})$"
)
# What people type between the fields instead of a dash (or as well as one).
_SEPARATORS = re.compile(r"[\s\-_./]+")
_FIELD_WIDTHS = (6, 4, 3, 8)  # YYMMDD, HHMM, NNN, MAC
_FIXED_WIDTH = sum(_FIELD_WIDTHS)
# Hyphen look-alikes that phones, word processors and keyboard layouts produce.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"), "-")


class CodeProblem(StrEnum):
    """Why a text is not a well-formed v1 booking code."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_V1 = "not_v1"
    BAD_DATE = "bad_date"
    BAD_SLOT = "bad_slot"
    BAD_NUMBER = "bad_number"


class MalformedCode(ValueError):
    def __init__(self, problem: CodeProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class OfficeKey:
    """One HMAC key of an office. Retired keys no longer verify codes."""

    key_id: str
    secret: bytes
    active: bool = True

    def __repr__(self) -> str:  # never let a secret reach a log through repr()
        return f"OfficeKey(key_id={self.key_id!r}, active={self.active})"


@dataclass(frozen=True)
class BookingCode:
    office: str
    service_date: date
    slot: time
    number: int
    mac: str

    @property
    def text(self) -> str:
        return f"{PREFIX}-{self.office}-{_payload_fields(self.service_date, self.slot, self.number)}-{self.mac}"

    def __str__(self) -> str:
        return self.text


def _payload_fields(service_date: date, slot: time, number: int, sep: str = "-") -> str:
    # Arithmetic rather than strftime: this runs for every key on every scan.
    d, t = service_date, slot
    return f"{d.year % 100:02d}{d.month:02d}{d.day:02d}{sep}{t.hour:02d}{t.minute:02d}{sep}{number:03d}"


def _signed_message(office: str, service_date: date, slot: time, number: int) -> bytes:
    return f"{PREFIX}|{office}|{_payload_fields(service_date, slot, number, '|')}".encode("ascii")


def compute_mac(secret: bytes, office: str, service_date: date, slot: time, number: int) -> str:
    digest = hmac.digest(secret, _signed_message(office, service_date, slot, number), hashlib.sha256)
    return crockford.encode_bits(digest[:5], 40)


def validate_office_code(office: str) -> bool:
    return bool(_OFFICE_RE.match(office))


def generate(key: OfficeKey, office: str, service_date: date, slot: time, number: int) -> BookingCode:
    """Sign a new code with ``key`` (the office's newest active key)."""
    if not key.active:
        raise ValueError("cannot sign with a retired key")
    if not validate_office_code(office):
        raise ValueError(f"office code must be 2-5 upper-case letters or digits, got {office!r}")
    if not 1 <= number <= 999:
        raise ValueError(f"queue number must be 1-999, got {number}")
    if slot.second or slot.microsecond:
        raise ValueError("slot must be a whole minute")
    mac = compute_mac(key.secret, office, service_date, slot, number)
    return BookingCode(office, service_date, slot.replace(tzinfo=None), number, mac)


def normalize(text: str) -> str:
    """Canonical form of what a scanner or an officer typed.

    Case is ignored and dash look-alikes become ``-``. Spaces, dots, slashes and
    underscores typed instead of dashes count as dashes, and a code typed with no
    separators at all is split by its fixed field widths. In the all-digit fields and
    the MAC the Crockford look-alikes O→0 and I/L→1 are mapped (also in the "AP1"
    head). The office part is only upper-cased: an office code may contain O, I or L.
    """
    upper = text.translate(_DASHES).upper()
    tokens = [t for t in _SEPARATORS.split(upper) if t]
    if len(tokens) == 6:
        head, office, *others = tokens
        return "-".join([crockford.normalize(head), office, *(crockford.normalize(p) for p in others)])
    joined = "".join(tokens)
    office_len = len(joined) - len(PREFIX) - _FIXED_WIDTH
    if crockford.normalize(joined[:3]) == PREFIX and 2 <= office_len <= 5:
        office, tail = joined[3:3 + office_len], joined[3 + office_len:]
        fields: list[str] = []
        start = 0
        for width in _FIELD_WIDTHS:
            fields.append(crockford.normalize(tail[start:start + width]))
            start += width
        return "-".join([PREFIX, office, *fields])
    return "-".join(tokens)


def parse(text: str) -> BookingCode:
    """Parse a (normalised) v1 code; raise :class:`MalformedCode` saying why not."""
    if len(text) > MAX_INPUT_LENGTH:
        raise MalformedCode(CodeProblem.TOO_LONG)
    canonical = normalize(text)
    if not canonical:
        raise MalformedCode(CodeProblem.EMPTY)
    match = _CODE_RE.match(canonical)
    if match is None:
        raise MalformedCode(CodeProblem.NOT_V1)
    return _from_fields(match["office"], match["date"], match["slot"], match["number"], match["mac"])


def _from_fields(office: str, raw_date: str, raw_slot: str, raw_number: str, mac: str) -> BookingCode:
    """The code of fields that already have the right characters and widths."""
    try:
        service_date = date(2000 + int(raw_date[:2]), int(raw_date[2:4]), int(raw_date[4:]))
    except ValueError:
        raise MalformedCode(CodeProblem.BAD_DATE) from None
    try:
        slot = time(int(raw_slot[:2]), int(raw_slot[2:]))
    except ValueError:
        raise MalformedCode(CodeProblem.BAD_SLOT) from None
    number = int(raw_number)
    if number == 0:
        raise MalformedCode(CodeProblem.BAD_NUMBER)
    return BookingCode(office, service_date, slot, number, mac)


def looks_like_v1(text: str) -> bool:
    """True when the text claims to be a v1 code (starts with AP1-), valid or not."""
    return normalize(text[:MAX_INPUT_LENGTH]).startswith(PREFIX + "-")


def one_character_off(text: str, office: str, keys: list[OfficeKey]) -> bool:
    """True when changing a single character of ``text`` (after :func:`normalize`) gives
    a code of ``office`` that verifies: a mistyped code, not a forged one (a random
    forgery lands this close with odds of about 1 in 2**30).

    Only the characters a field can hold are tried (digits in the date, slot and
    number, Crockford letters in the MAC): about 390 HMACs for a refused code."""
    canonical = normalize(text[:MAX_INPUT_LENGTH])
    parts = canonical.split("-")
    if len(parts) != 6 or parts[0] != PREFIX:
        return False
    _, typed_office, *fields = parts
    if tuple(len(f) for f in fields) != _FIELD_WIDTHS:
        return False  # a changed character keeps every width
    if typed_office != office:
        # The one typo must be in the office code itself; every other field as typed.
        if len(typed_office) != len(office) or sum(a != b for a, b in zip(typed_office, office, strict=True)) != 1:
            return False
        return _verifies(office, fields, keys)
    for k, typed in enumerate(fields):
        alphabet = _MAC_CHARACTERS if k == len(fields) - 1 else _DIGITS
        for i, typed_char in enumerate(typed):
            for other in alphabet:
                if other != typed_char and _verifies(
                        office, [*fields[:k], typed[:i] + other + typed[i + 1:], *fields[k + 1:]], keys):
                    return True
    return False


_DIGITS = "0123456789"
_MAC_CHARACTERS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


def _verifies(office: str, fields: list[str], keys: list[OfficeKey]) -> bool:
    if _CODE_RE.match("-".join([PREFIX, office, *fields])) is None:
        return False  # another character of the text is not one a field can hold
    try:
        code = _from_fields(office, *fields)
    except MalformedCode:
        return False
    return verify(code, keys)


def verify(code: BookingCode, keys: list[OfficeKey]) -> bool:
    """Constant-time check of the MAC against every active key.

    Every active key is tried, whatever the earlier ones gave, so the time taken does
    not tell which key (if any) matched.
    """
    presented = code.mac.encode("ascii")
    ok = False
    for key in keys:
        if not key.active:
            continue
        expected = compute_mac(key.secret, code.office, code.service_date, code.slot, code.number)
        ok |= hmac.compare_digest(expected.encode("ascii"), presented)
    return ok
