"""Booking lists from other systems (APAPO / M-Paspor era): import and export.

An import is all-or-nothing: every row is checked first, every bad row is reported
with its row number, and nothing is written unless all rows are good. Importing the
same file again changes nothing. Imported codes are any printable text of 4-64
characters; check-in accepts them by lookup (``source = "import"``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.booking.parser import parse_date as parse_dmy
from kiosk.core import booking_code
from kiosk.i18n import tr
from kiosk.reports.render import safe_csv_writer, unescape_cell
from kiosk.services.bookings import BookingError, clean_name, clean_phone
from kiosk.services.checkin import IMPORTED_CODE_MAX, IMPORTED_CODE_MIN, _is_printable
from kiosk.core.tickets import MAX_NUMBER
from kiosk.services.common import NumbersExhausted, allocate_number, lock_counter_row
from kiosk.store import Booking

C = "Import"
REQUIRED = ("code", "name", "birth_date", "date", "slot")
OPTIONAL = ("number", "phone")
EXPORT_ONLY = ("source", "status")  # written by export, ignored by import
MAX_ROWS = 20000
MAX_FILE_BYTES = 8 * 1024 * 1024  # 20,000 rows of a real list are about 3 MB
MAX_ERRORS = 50


class ImportFailed(ValueError):
    """The file was refused as a whole; ``errors`` name the rows."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportRow:
    row: int  # the row number people see: CSV line (header = 1), JSON entry (first = 1)
    code: str
    name: str
    birth: date
    service_date: date
    slot: time
    number: int | None
    phone: str | None


@dataclass(frozen=True)
class ImportResult:
    added: int
    unchanged: int

    def to_json(self) -> dict[str, int]:
        return {"added": self.added, "unchanged": self.unchanged}


# --- reading ----------------------------------------------------------------------------

def read_file(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a CSV or JSON file (by extension, else by content) with their row numbers.

    Reading stops at the limits: a file over MAX_FILE_BYTES is refused before it is read,
    a CSV is read row by row and refused at row MAX_ROWS + 1, so a huge file never has to
    fit in memory first."""
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise ImportFailed([_too_big(path)])
            head = fh.read(4096)
            is_json = path.suffix.lower() == ".json" or (
                path.suffix.lower() != ".csv" and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"))
            fh.seek(0)
            if is_json:
                raw = fh.read(MAX_FILE_BYTES + 1)  # a pipe or a growing file has no honest size
                if len(raw) > MAX_FILE_BYTES:
                    raise ImportFailed([_too_big(path)])
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise ImportFailed([tr(C, "Berkas {path} bukan teks UTF-8.", path=str(path))]) from None
                return _read_json(text)
            try:
                stream = io.TextIOWrapper(io.BufferedReader(_Capped(fh, MAX_FILE_BYTES, path)),
                                          encoding="utf-8-sig", newline="")
                return _read_csv(stream, head.decode("utf-8-sig", "ignore"))
            except UnicodeDecodeError:
                raise ImportFailed([tr(C, "Berkas {path} bukan teks UTF-8.", path=str(path))]) from None
    except OSError as exc:
        raise ImportFailed([tr(C, "Berkas {path} tidak bisa dibaca: {error}", path=str(path),
                               error=exc.strerror or type(exc).__name__)]) from None


def _too_big(path: Path) -> str:
    return tr(C, "Berkas {path} terlalu besar (paling besar {mb} MB).", path=str(path),
              mb=MAX_FILE_BYTES // (1024 * 1024))


class _Capped(io.RawIOBase):
    """A binary reader that refuses to go past ``limit`` bytes."""

    def __init__(self, raw: Any, limit: int, path: Path) -> None:
        self._raw, self._left, self._path = raw, limit, path

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise ImportFailed([_too_big(self._path)])
        self._left -= len(data)
        buffer[:len(data)] = data
        return len(data)


def _read_json(text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ImportFailed([tr(C, "JSON tidak sah: {error}", error=str(exc)[:200])]) from None
    if isinstance(data, dict) and isinstance(data.get("bookings"), list):
        data = data["bookings"]
    if not isinstance(data, list):
        raise ImportFailed([tr(C, "JSON harus berupa daftar booking, atau objek dengan kunci \"bookings\".")])
    if len(data) > MAX_ROWS:
        raise ImportFailed([_too_many()])
    rows = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ImportFailed([tr(C, "Entri {row}: harus berupa objek.", row=i)])
        rows.append((i, {str(k).strip().lower(): v for k, v in item.items()}))
    return rows


def _too_many() -> str:
    return tr(C, "Terlalu banyak baris: lebih dari {max}.", max=MAX_ROWS)


def _read_csv(stream: io.TextIOWrapper, sample: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(stream, dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFailed([tr(C, "Berkas kosong.")]) from None
    except csv.Error as exc:
        raise ImportFailed([tr(C, "CSV tidak sah: {error}", error=str(exc))]) from None
    rows = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFailed([_too_many()])
            if len(values) != len(header):
                rows.append((line, {"__columns__": len(values)}))
                continue
            rows.append((line, dict(zip(header, (unescape_cell(v) for v in values)))))
    except csv.Error as exc:
        raise ImportFailed([tr(C, "CSV tidak sah pada baris {row}: {error}", row=reader.line_num,
                               error=str(exc))]) from None
    return rows


# --- checking ---------------------------------------------------------------------------

def _date(value: Any) -> date | None:
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return parse_dmy(text)


def _slot(value: Any) -> time | None:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::00)?", str(value).strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def check_rows(rows: Iterable[tuple[int, dict[str, Any]]], header_known: bool = True) -> list[ImportRow]:
    """Every row checked; all problems reported together, each with its row number."""
    errors: list[str] = []
    good: list[ImportRow] = []
    seen_codes: dict[str, int] = {}
    seen_numbers: dict[tuple[date, int], int] = {}
    rows = list(rows)
    if not rows:
        raise ImportFailed([tr(C, "Tidak ada booking di berkas ini.")])
    if len(rows) > MAX_ROWS:
        raise ImportFailed([_too_many()])
    for row, data in rows:
        problems: list[str] = []
        if "__columns__" in data:
            errors.append(tr(C, "Baris {row}: jumlah kolom tidak sama dengan judul kolom.", row=row))
            continue
        unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL) - set(EXPORT_ONLY))
        missing = [k for k in REQUIRED if str(data.get(k) if data.get(k) is not None else "").strip() == ""]
        if unknown:
            problems.append(tr(C, "kolom tidak dikenal {columns}", columns=", ".join(unknown)))
        if missing:
            problems.append(tr(C, "kosong: {columns}", columns=", ".join(missing)))
        if problems:
            errors.append(tr(C, "Baris {row}: {problems}.", row=row, problems="; ".join(problems)))
            continue
        code = str(data["code"]).strip()
        if not IMPORTED_CODE_MIN <= len(code) <= IMPORTED_CODE_MAX or not _is_printable(code):
            problems.append(tr(C, "kode harus 4-64 karakter yang dapat dicetak"))
        elif booking_code.looks_like_v1(code):
            problems.append(tr(C, "kode AP1- dibuat oleh sistem ini, bukan diimpor"))
        elif code in seen_codes:
            problems.append(tr(C, "kode sama dengan baris {other}", other=seen_codes[code]))
        try:
            name = clean_name(str(data["name"]))
        except BookingError as exc:
            problems.append(str(exc).rstrip("."))
            name = ""
        birth, service_date, slot = _date(data["birth_date"]), _date(data["date"]), _slot(data["slot"])
        if birth is None:
            problems.append(tr(C, "tanggal lahir tidak sah (YYYY-MM-DD)"))
        if service_date is None:
            problems.append(tr(C, "tanggal tidak sah (YYYY-MM-DD)"))
        if slot is None:
            problems.append(tr(C, "jam tidak sah (HH:MM)"))
        number = None
        raw_number = str(data.get("number") if data.get("number") is not None else "").strip()
        if raw_number:
            if not raw_number.isdigit() or not 1 <= int(raw_number) <= 999:
                problems.append(tr(C, "nomor harus 1-999"))
            else:
                number = int(raw_number)
                if service_date is not None and (service_date, number) in seen_numbers:
                    problems.append(tr(C, "nomor {number} tanggal itu sama dengan baris {other}", number=number,
                                       other=seen_numbers[(service_date, number)]))
        phone = None
        raw_phone = str(data.get("phone") if data.get("phone") is not None else "").strip()
        if raw_phone:
            try:
                phone = clean_phone(raw_phone)
            except BookingError:
                problems.append(tr(C, "nomor telepon tidak sah"))
        if problems:
            errors.append(tr(C, "Baris {row}: {problems}.", row=row, problems="; ".join(problems)))
            continue
        assert birth and service_date and slot
        seen_codes[code] = row
        if number is not None:
            seen_numbers[(service_date, number)] = row
        good.append(ImportRow(row, code, name, birth, service_date, slot, number, phone))
    if errors:
        more = len(errors) - MAX_ERRORS
        shown = errors[:MAX_ERRORS] + ([tr(C, "... dan {count} baris lain.", count=more)] if more > 0 else [])
        raise ImportFailed(shown)
    return good


# --- writing ----------------------------------------------------------------------------

def _same(booking: Booking, row: ImportRow) -> bool:
    return (booking.source == "import" and booking.service_date == row.service_date and booking.slot == row.slot
            and (row.number is None or booking.number == row.number)
            and (booking.name is None or booking.name == row.name)
            and (booking.birth_date is None or booking.birth_date == row.birth))


def import_bookings(ctx: AppContext, path: Path) -> ImportResult:
    """Import a CSV or JSON booking list in one transaction, or nothing at all."""
    rows = check_rows(read_file(path))
    office = ctx.config.office.code
    prefix = ctx.config.queue.booking_service
    today = ctx.today()
    errors: list[str] = []
    added = unchanged = 0
    with ctx.db.write() as session:
        # Day counters first, in date order (two imports never wait on each other in a
        # circle), then the existing rows: a second import of the same file waits here
        # for the first to commit and then finds its rows, instead of inserting them again.
        counters = {day: lock_counter_row(ctx, session, day, prefix)
                    for day in sorted({r.service_date for r in rows})}
        existing = {b.code: b for b in session.scalars(
            select(Booking).where(Booking.code.in_([r.code for r in rows])).with_for_update())}
        new_rows = []
        for row in rows:
            booking = existing.get(row.code)
            if booking is None:
                if row.service_date < today:
                    errors.append(tr(C, "Baris {row}: tanggal {date} sudah lewat.", row=row.row,
                                     date=row.service_date.isoformat()))
                new_rows.append(row)
            elif _same(booking, row):
                unchanged += 1
            else:
                errors.append(tr(C, "Baris {row}: kode {code} sudah ada dengan data lain.", row=row.row,
                                 code=row.code))
        taken = {(d, n) for d, n in session.execute(
            select(Booking.service_date, Booking.number).where(
                Booking.office == office, Booking.service_date.in_(list(counters))))}
        for row in new_rows:
            if row.number is not None and (row.service_date, row.number) in taken:
                errors.append(tr(C, "Baris {row}: nomor {number} tanggal {date} sudah dipakai.", row=row.row,
                                 number=row.number, date=row.service_date.isoformat()))
        if errors:
            raise ImportFailed(errors[:MAX_ERRORS])
        # Rows with their own numbers go in first; the counter is not moved past them, so
        # the rows without a number (and later bookings) take the free numbers around them.
        for row in sorted(new_rows, key=lambda r: r.number is None):
            if row.number is not None:
                number = row.number
            else:
                try:
                    number = allocate_number(ctx, session, row.service_date, prefix)
                except NumbersExhausted:
                    raise ImportFailed([tr(C, "Baris {row}: nomor antrean tanggal {date} sudah habis (paling "
                                              "banyak {max}).", row=row.row, date=row.service_date.isoformat(),
                                           max=MAX_NUMBER)]) from None
            session.add(Booking(code=row.code, office=office, service_date=row.service_date, slot=row.slot,
                                number=number, source="import", status="active", name=row.name,
                                birth_date=row.birth, phone=row.phone, created_at=ctx.now()))
            added += 1
    return ImportResult(added, unchanged)


EXPORT_COLUMNS = ("code", "name", "birth_date", "date", "slot", "number", "phone", "source", "status")


def export_day(ctx: AppContext, day: date) -> str:
    """The day's bookings as CSV (the import format plus source and status)."""
    out = io.StringIO()
    writer = safe_csv_writer(out)  # no cell is read as a formula by a spreadsheet
    writer.writerow(EXPORT_COLUMNS)
    with ctx.db.read() as session:
        for b in session.scalars(select(Booking).where(Booking.office == ctx.config.office.code,
                                                       Booking.service_date == day)
                                 .order_by(Booking.slot, Booking.number)):
            writer.writerow([b.code, b.name or "", b.birth_date.isoformat() if b.birth_date else "",
                             b.service_date.isoformat(), b.slot.strftime("%H:%M"), b.number, b.phone or "",
                             b.source, b.status])
    return out.getvalue()


def write_private(path: Path, text: str) -> None:
    """Personal data: the file is created owner-only."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
