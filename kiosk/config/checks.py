"""The checks of the settings model: each key's own check (what is expected, or None
when the value is fine), the type check, and the rules that span several keys."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError



if TYPE_CHECKING:
    from kiosk.config.model import Config, KeySpec, PrinterSettings


Check = Callable[[Any], str | None]  # returns what is expected, or None when fine


def office_code(value: str) -> str | None:
    return None if re.fullmatch(r"[A-Z0-9]{2,5}", value) else "2-5 upper-case letters or digits, e.g. JKP"


def non_empty(value: str) -> str | None:
    return None if value.strip() else "a non-empty text"


def timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "an IANA timezone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura"
    return None


def minutes(low: int, high: int) -> Check:
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"a whole number of minutes from {low} to {high}"
    return check


def int_range(low: int, high: int) -> Check:
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"a whole number from {low} to {high}"
    return check


def service_letter(value: str) -> str | None:
    return None if re.fullmatch(r"[A-Z]", value) else "one upper-case letter, e.g. A"


def office_names(value: dict[str, str]) -> str | None:
    if not all(office_code(code) is None and isinstance(name, str) and name.strip() for code, name in value.items()):
        return "a table of office code (2-5 upper-case letters or digits) = office name"
    return None


def service_names(value: dict[str, str]) -> str | None:
    if not value:
        return "at least one service"
    for prefix, name in value.items():
        if not re.fullmatch(r"[A-Z]", prefix) or not isinstance(name, str) or not name.strip():
            return 'a table of one upper-case letter = name, e.g. { A = "Paspor (booking online)" }'
    return None


def counters(value: dict[str, list[str]]) -> str | None:
    if not value:
        return "at least one counter"
    for number, services in value.items():
        if not number.isdigit() or not 1 <= int(number) <= 99:
            return 'counter numbers 1-99 mapped to services in order, e.g. { "1" = ["B", "A"] }'
        if (not isinstance(services, list) or not services
                or not all(isinstance(s, str) and re.fullmatch(r"[A-Z]", s) for s in services)
                or len(set(services)) != len(services)):
            return 'each counter: a list of distinct service letters in order, e.g. ["A", "B"]'
    return None


def database_url(value: str) -> str | None:
    if value == "" or value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
        return None
    return 'empty (SQLite in the data folder), "sqlite:///PATH" or "postgresql+psycopg://user@host/db"'


def categories(value: list[str]) -> str | None:
    allowed = {"lansia", "anak", "disabilitas", "ibu_hamil"}
    if not value or not set(value) <= allowed or len(set(value)) != len(value):
        return "a list drawn from lansia, anak, disabilitas, ibu_hamil"
    return None


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def clock(value: str) -> str | None:
    return None if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value) else "a time as HH:MM, e.g. 08:00"


def hours_range(value: str) -> str | None:
    if value == "":
        return None
    m = re.fullmatch(r"(\d\d:\d\d)-(\d\d:\d\d)", value)
    if not m or clock(m[1]) or clock(m[2]) or m[1] >= m[2]:
        return 'empty (any time) or "HH:MM-HH:MM" with the start before the end, e.g. "07:30-10:00"'
    return None


def weekdays(value: list[str]) -> str | None:
    if not value or not set(value) <= set(_WEEKDAYS) or len(set(value)) != len(value):
        return "a non-empty list drawn from mon, tue, wed, thu, fri, sat, sun"
    return None


def iso_dates(value: list[str]) -> str | None:
    from datetime import date

    for item in value:
        try:
            date.fromisoformat(item)
        except ValueError:
            return "a list of dates as YYYY-MM-DD, e.g. [\"2026-12-25\"]"
    return None


def host(value: str) -> str | None:
    return None if value.strip() and " " not in value else "an address to listen on, e.g. 127.0.0.1"


def url_path(value: str) -> str | None:
    return None if re.fullmatch(r"/[A-Za-z0-9/_.-]*", value) else "a URL path starting with /, e.g. /webhook"


def http_url(value: str) -> str | None:
    return None if re.fullmatch(r"https?://\S+", value) else "an http(s) URL"


def fraction(value: float) -> str | None:
    return None if 0.0 <= value <= 1.0 else "a number from 0.0 (silent) to 1.0 (full volume)"


def seconds(low: float, high: float) -> Check:
    def check(value: float) -> str | None:
        return None if low <= value <= high else f"a number of seconds from {low:g} to {high:g}"
    return check


def language(value: str) -> str | None:
    return None if value in ("id", "en") else "id (Bahasa Indonesia) or en (English)"


def one_of(*choices: str) -> Check:
    def check(value: str) -> str | None:
        return None if value in choices else "one of " + ", ".join(choices)
    return check


def printable(most: int) -> Check:
    def check(value: str) -> str | None:
        ok = len(value) <= most and all(c.isprintable() and not c.isspace() for c in value)
        return None if ok else f"at most {most} printable characters, no spaces"
    return check


def decoder_order(value: list[str]) -> str | None:
    if not value or len(set(value)) != len(value) or not set(value) <= set(DECODER_NAMES):
        return f"a list of distinct decoders from {', '.join(DECODER_NAMES)}, first tried first"
    return None


def baud(value: int) -> str | None:
    rates = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
    return None if value in rates else f"a standard baud rate: {', '.join(map(str, rates))}"


DECODER_NAMES = ("zxing-cpp", "pyzbar")  # kiosk.devices.decoders.DECODERS, without importing OpenCV here

DEFAULT_PRINTER_PROFILE = "TM-T20II"


def printer_profile(value: str) -> str | None:
    if value == DEFAULT_PRINTER_PROFILE:
        return None  # known good; spares every process the 0.3 s load of python-escpos's profile data
    from escpos.capabilities import CAPABILITIES  # only when another printer is configured

    if value in CAPABILITIES["profiles"] and value not in ("default", "simple"):
        return None
    return ("a python-escpos printer profile such as TM-T20II (80 mm) or POS-5890 (58 mm); "
            "the list is in docs/printing.md")


def public_url(value: str) -> str | None:
    if value == "" or re.fullmatch(r"https?://[A-Za-z0-9.:\[\]-]+(/[A-Za-z0-9/_.-]*)?", value):
        return None
    return "empty (off) or the address phones and TVs use, e.g. http://192.168.1.10:8089"


class ConfigError(ValueError):
    """A bad configuration: names the key, the bad value and what is expected."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def _check_type(value: Any, tp: Any) -> bool:
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        return isinstance(value, list) and all(_check_type(v, item) for v in value)
    if origin is dict:
        key, item = typing.get_args(tp)
        return isinstance(value, dict) and all(_check_type(k, key) and _check_type(v, item)
                                               for k, v in value.items())
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, tp)


def shown_value(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def validate_value(spec: KeySpec, value: Any) -> Any:
    """Return the value when it fits the key, else raise ConfigError naming all three."""
    if spec.type is dict[str, list[str]] and isinstance(value, dict):
        value = {str(k): v for k, v in value.items()}
    if not _check_type(value, spec.type):
        raise ConfigError(f"{spec.name} = {shown_value(value)}: expected {spec.type_name}", key=spec.name)
    if spec.check is not None:
        expected = spec.check(value)
        if expected:
            raise ConfigError(f"{spec.name} = {shown_value(value)}: expected {expected}", key=spec.name)
    return value


def check_whole(config: Config) -> None:
    """Rules that span several keys."""
    q = config.queue
    for key in ("booking_service", "priority_service"):
        letter = getattr(q, key)
        if letter not in q.services:
            raise ConfigError(f"queue.{key} = {letter!r}: expected one of the services "
                              f"{', '.join(q.services)}", key=f"queue.{key}")
    if q.booking_service == q.priority_service:
        raise ConfigError(f"queue.priority_service = {q.priority_service!r}: expected a letter other than "
                          "queue.booking_service", key="queue.priority_service")
    for number, services in q.counters.items():
        unknown = [s for s in services if s not in q.services]
        if unknown:
            raise ConfigError(f"queue.counters.{number} = {services!r}: expected services from "
                              f"{', '.join(q.services)}", key="queue.counters")
    i = config.intake
    if i.first_slot > i.last_slot:
        raise ConfigError(f"intake.last_slot = {i.last_slot!r}: expected a time not before intake.first_slot "
                          f"({i.first_slot})", key="intake.last_slot")
    if i.horizon_min_days > i.horizon_max_days:
        raise ConfigError(f"intake.horizon_max_days = {i.horizon_max_days}: expected at least "
                          f"intake.horizon_min_days ({i.horizon_min_days})", key="intake.horizon_max_days")
    if i.sender == "cloud_api" and not i.phone_number_id.strip():
        raise ConfigError("intake.phone_number_id = '': expected the Cloud API phone-number id when "
                          "intake.sender = \"cloud_api\"", key="intake.phone_number_id")
    _check_printer(config.printer)
    a = config.arrival
    if a.opens_before <= a.must_arrive_before:
        raise ConfigError(f"arrival.opens_before = {a.opens_before}: expected more minutes than "
                          f"arrival.must_arrive_before ({a.must_arrive_before})", key="arrival.opens_before")


_PRINTER_NEEDS = {"network": ("host",), "usb": ("usb_vendor_id", "usb_product_id"), "serial": ("serial_port",),
                  "file": ("device",)}


def _check_printer(p: PrinterSettings) -> None:
    for key in _PRINTER_NEEDS.get(p.transport, ()):
        if not getattr(p, key):
            raise ConfigError(f"printer.{key} is not set: the {p.transport} transport needs it",
                              key=f"printer.{key}")
    if p.paper_mm == 0:
        from escpos.capabilities import CAPABILITIES

        pixels = CAPABILITIES["profiles"][p.profile].get("media", {}).get("width", {}).get("pixels")
        if not isinstance(pixels, int):
            raise ConfigError(f"printer.paper_mm = 0: profile {p.profile} does not say its paper width; "
                              "expected 58 or 80", key="printer.paper_mm")
