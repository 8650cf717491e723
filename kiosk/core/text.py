"""The pure rules for names, free text, written dates and spreadsheet cells, in one place:
booking intake, the booking-list import and export, reports, walk-in and check-in use these (and translate a refusal
into words for a person themselves; the core knows no languages)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any

NAME_MIN, NAME_MAX = 2, 60
NAME_PUNCTUATION = frozenset(" '.-’")
# Codes from other systems (imported lists): any printable string of this length.
IMPORTED_CODE_MIN, IMPORTED_CODE_MAX = 4, 64

_DATE_RE = re.compile(r"(\d{1,2})\s*[-/.\s]?\s*(\d{1,2})\s*[-/.\s]?\s*(\d{4})")
_COMPACT_DATE_RE = re.compile(r"(\d{2})(\d{2})(\d{4})")


class NameProblem(StrEnum):
    LENGTH = "length"
    CHARACTERS = "characters"


class NameRejected(ValueError):
    """A name that breaks the rule; ``problem`` says which part."""

    def __init__(self, problem: NameProblem) -> None:
        super().__init__(f"name rejected: {problem}")
        self.problem = problem


def squeeze(text: str) -> str:
    """Runs of white space (any kind) as one space, none at the ends."""
    return " ".join(text.split())


def clean_name(name: str) -> str:
    """Letters of any script with spaces, apostrophes, dots and hyphens; 2–60 characters
    after NFC and squeezing spaces. Raises :class:`NameRejected`."""
    name = squeeze(unicodedata.normalize("NFC", name))
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise NameRejected(NameProblem.LENGTH)
    if not all(ch.isalpha() or ch in NAME_PUNCTUATION or unicodedata.category(ch) in ("Mn", "Mc") for ch in name) \
            or not any(ch.isalpha() for ch in name):
        raise NameRejected(NameProblem.CHARACTERS)
    return name


def is_printable(text: str) -> bool:
    """Printable, non-control text that can be stored: no surrogates (undecodable bytes
    from the command line), no control or format characters."""
    return all(unicodedata.category(ch)[0] not in "C" for ch in text)


def is_imported_code(text: str) -> bool:
    """A code another system could have issued: 4–64 printable characters."""
    return IMPORTED_CODE_MIN <= len(text) <= IMPORTED_CODE_MAX and is_printable(text)


def parse_date(text: str) -> date | None:
    """A real calendar date written day-month-year: ``25011987``, ``25-01-1987``,
    ``25/01/1987``, ``25.01.1987``, ``25 1 1987``. None when it is not one."""
    text = text.strip()
    match = _COMPACT_DATE_RE.fullmatch(text) or _DATE_RE.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def looks_like_date(text: str) -> bool:
    """Digits with date separators: a date attempt (maybe impossible), not an address."""
    return bool(re.fullmatch(r"[\d\s\-/.]{6,14}", text.strip())) and sum(c.isdigit() for c in text) >= 6


# --- spreadsheet cells (exports a person opens, imports we read back) --------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet will show as text: one starting with ``= + - @``, a tab or a
    carriage return (a formula, e.g. ``=HYPERLINK(...)``) gets a leading apostrophe.
    Plain numbers, negative ones included, and the lone "-" of an empty figure stay."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and value != "-" \
            and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """What :func:`spreadsheet_safe` did, undone (an exported list imports unchanged)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def safe_csv_writer(out: io.StringIO) -> Any:
    """A ``csv.writer`` whose every cell passes :func:`spreadsheet_safe`."""
    writer = csv.writer(out, lineterminator="\n")

    class _Safe:
        def writerow(self, row: Iterable[object]) -> Any:
            return writer.writerow([spreadsheet_safe(v) for v in row])

    return _Safe()
