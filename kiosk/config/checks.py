"""The checks of the settings model: each key's own check (what is expected, or None
when the value is fine), the type check, and the rules that span several keys.

A check answers with an :class:`Expected`: an expectation id and its arguments. Its
``str()`` is the English the config file's reader sees (``office.code = 'j k': expected
2-5 upper-case letters or digits, e.g. JKP``); :mod:`kiosk.config.words` words the same
expectation in the chosen language for the settings dialog, naming fields by label."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from kiosk.config.model import Config, KeySpec, PrinterSettings


class KeyRef(str):
    """An argument of an expectation that is another key ("queue.booking_service"): the
    file names it by key, the dialog by its label."""


# Expectation id → the English of the config file and the command line (after "expected").
ENGLISH: dict[str, str] = {
    "office_code": "2-5 upper-case letters or digits, e.g. JKP",
    "non_empty": "a non-empty text",
    "timezone": "an IANA timezone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura",
    "minutes": "a whole number of minutes from {low} to {high}",
    "int_range": "a whole number from {low} to {high}",
    "service_letter": "one upper-case letter, e.g. A",
    "office_names": "a table of office code (2-5 upper-case letters or digits) = office name",
    "services_empty": "at least one service",
    "service_names": 'a table of one upper-case letter = name, e.g. { A = "Paspor (booking online)" }',
    "counters_empty": "at least one counter",
    "counter_numbers": 'counter numbers 1-99 mapped to services in order, e.g. { "1" = ["B", "A"] }',
    "counter_services": 'each counter: a list of distinct service letters in order, e.g. ["A", "B"]',
    "database_url": 'empty (SQLite in the data folder), "sqlite:///PATH" or "postgresql+psycopg://user@host/db"',
    "categories": "a list drawn from lansia, anak, disabilitas, ibu_hamil",
    "clock": "a time as HH:MM, e.g. 08:00",
    "hours_range": 'empty (any time) or "HH:MM-HH:MM" with the start before the end, e.g. "07:30-10:00"',
    "weekdays": "a non-empty list drawn from mon, tue, wed, thu, fri, sat, sun",
    "iso_dates": 'a list of dates as YYYY-MM-DD, e.g. ["2026-12-25"]',
    "host": "an address to listen on, e.g. 127.0.0.1",
    "url_path": "a URL path starting with /, e.g. /webhook",
    "http_url": "an http(s) URL",
    "fraction": "a number from 0.0 (silent) to 1.0 (full volume)",
    "seconds": "a number of seconds from {low} to {high}",
    "language": "id (Bahasa Indonesia) or en (English)",
    "one_of": "one of {choices}",
    "printable": "at most {most} printable characters, no spaces",
    "decoders": "a list of distinct decoders from {choices}, first tried first",
    "baud": "a standard baud rate: {choices}",
    "printer_profile": "a python-escpos printer profile such as TM-T20II (80 mm) or POS-5890 (58 mm); "
                       "the list is in docs/printing.md",
    "public_url": "empty (off) or the address phones and TVs use, e.g. http://192.168.1.10:8089",
    "paper_mm": "0, 58 or 80",
    "printer_baudrate": "9600, 19200, 38400, 57600 or 115200",
    "station": "up to 40 letters, digits, '.', '_' or '-'",
    "template_name": "a template name of lower-case letters, digits and _",
    "template_language": "a WhatsApp language code such as id or en_US",
    "type": "{type}",
    # The rules across keys: each names the other key it depends on.
    "known_service": "one of the services {services} (the keys of {other})",
    "other_letter": "a letter other than {other}",
    "counter_known_services": "services from {services} (the keys of {other})",
    "not_before": "a time not before {other} ({value})",
    "at_least": "at least {other} ({value})",
    "needed_for_cloud_api": 'the Cloud API phone-number id when {other} = "cloud_api"',
    "needed_for_transport": "a value: {other} = {transport} needs it",
    "paper_width_unknown": "58 or 80: {other} {profile} does not say its paper width",
    "more_minutes_than": "more minutes than {other} ({value})",
}


@dataclass(frozen=True)
class Expected:
    """What a key's value should be: an id of :data:`ENGLISH` and its arguments."""

    id: str
    args: dict[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.id not in ENGLISH:
            raise KeyError(f"no English text for expectation {self.id!r}")

    def __str__(self) -> str:
        text = ENGLISH[self.id]  # formatted only with arguments, as tr() does: examples hold braces
        return text.format(**{k: _english(v) for k, v in self.args.items()}) if self.args else text


def expect(id: str, **args: Any) -> Expected:
    return Expected(id, args)


def _english(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


Check = Callable[[Any], Expected | None]  # what is expected, or None when fine


def office_code(value: str) -> Expected | None:
    return None if re.fullmatch(r"[A-Z0-9]{2,5}", value) else expect("office_code")


def non_empty(value: str) -> Expected | None:
    return None if value.strip() else expect("non_empty")


def timezone(value: str) -> Expected | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return expect("timezone")
    return None


def minutes(low: int, high: int) -> Check:
    def check(value: int) -> Expected | None:
        return None if low <= value <= high else expect("minutes", low=low, high=high)
    return check


def int_range(low: int, high: int) -> Check:
    def check(value: int) -> Expected | None:
        return None if low <= value <= high else expect("int_range", low=low, high=high)
    return check


def service_letter(value: str) -> Expected | None:
    return None if re.fullmatch(r"[A-Z]", value) else expect("service_letter")


def office_names(value: dict[str, str]) -> Expected | None:
    if not all(office_code(code) is None and isinstance(name, str) and name.strip() for code, name in value.items()):
        return expect("office_names")
    return None


def service_names(value: dict[str, str]) -> Expected | None:
    if not value:
        return expect("services_empty")
    for prefix, name in value.items():
        if not re.fullmatch(r"[A-Z]", prefix) or not isinstance(name, str) or not name.strip():
            return expect("service_names")
    return None


def counters(value: dict[str, list[str]]) -> Expected | None:
    if not value:
        return expect("counters_empty")
    for number, services in value.items():
        if not number.isdigit() or not 1 <= int(number) <= 99:
            return expect("counter_numbers")
        if (not isinstance(services, list) or not services
                or not all(isinstance(s, str) and re.fullmatch(r"[A-Z]", s) for s in services)
                or len(set(services)) != len(services)):
            return expect("counter_services")
    return None


def database_url(value: str) -> Expected | None:
    if value == "" or value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
        return None
    return expect("database_url")


def categories(value: list[str]) -> Expected | None:
    allowed = {"lansia", "anak", "disabilitas", "ibu_hamil"}
    if not value or not set(value) <= allowed or len(set(value)) != len(value):
        return expect("categories")
    return None


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def clock(value: str) -> Expected | None:
    return None if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value) else expect("clock")


def hours_range(value: str) -> Expected | None:
    if value == "":
        return None
    m = re.fullmatch(r"(\d\d:\d\d)-(\d\d:\d\d)", value)
    if not m or clock(m[1]) or clock(m[2]) or m[1] >= m[2]:
        return expect("hours_range")
    return None


def weekdays(value: list[str]) -> Expected | None:
    if not value or not set(value) <= set(_WEEKDAYS) or len(set(value)) != len(value):
        return expect("weekdays")
    return None


def iso_dates(value: list[str]) -> Expected | None:
    from datetime import date

    for item in value:
        try:
            date.fromisoformat(item)
        except ValueError:
            return expect("iso_dates")
    return None


def host(value: str) -> Expected | None:
    return None if value.strip() and " " not in value else expect("host")


def url_path(value: str) -> Expected | None:
    return None if re.fullmatch(r"/[A-Za-z0-9/_.-]*", value) else expect("url_path")


def http_url(value: str) -> Expected | None:
    return None if re.fullmatch(r"https?://\S+", value) else expect("http_url")


def fraction(value: float) -> Expected | None:
    return None if 0.0 <= value <= 1.0 else expect("fraction")


def seconds(low: float, high: float) -> Check:
    def check(value: float) -> Expected | None:
        return None if low <= value <= high else expect("seconds", low=float(low), high=float(high))
    return check


def language(value: str) -> Expected | None:
    return None if value in ("id", "en") else expect("language")


def one_of(*choices: str) -> Check:
    def check(value: str) -> Expected | None:
        return None if value in choices else expect("one_of", choices=choices)
    check.choices = choices  # type: ignore[attr-defined]  # the dialog offers them as a list
    return check


def printable(most: int) -> Check:
    def check(value: str) -> Expected | None:
        ok = len(value) <= most and all(c.isprintable() and not c.isspace() for c in value)
        return None if ok else expect("printable", most=most)
    return check


def decoder_order(value: list[str]) -> Expected | None:
    if not value or len(set(value)) != len(value) or not set(value) <= set(DECODER_NAMES):
        return expect("decoders", choices=DECODER_NAMES)
    return None


BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


def baud(value: int) -> Expected | None:
    return None if value in BAUD_RATES else expect("baud", choices=BAUD_RATES)


def paper_mm(value: int) -> Expected | None:
    return None if value in (0, 58, 80) else expect("paper_mm")


def printer_baudrate(value: int) -> Expected | None:
    return None if value in (9600, 19200, 38400, 57600, 115200) else expect("printer_baudrate")


def station(value: str) -> Expected | None:
    return None if re.fullmatch(r"[A-Za-z0-9_.-]{0,40}", value) else expect("station")


def template_name(value: str) -> Expected | None:
    return None if re.fullmatch(r"[a-z0-9_]{1,512}", value) else expect("template_name")


def template_language(value: str) -> Expected | None:
    return None if re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", value) else expect("template_language")


DECODER_NAMES = ("zxing-cpp", "pyzbar")  # kiosk.devices.decoders.DECODERS, without importing OpenCV here

DEFAULT_PRINTER_PROFILE = "TM-T20II"


def printer_profile(value: str) -> Expected | None:
    if value == DEFAULT_PRINTER_PROFILE:
        return None  # known good; spares every process the 0.3 s load of python-escpos's profile data
    from escpos.capabilities import CAPABILITIES  # only when another printer is configured

    if value in CAPABILITIES["profiles"] and value not in ("default", "simple"):
        return None
    return expect("printer_profile")


def public_url(value: str) -> Expected | None:
    if value == "" or re.fullmatch(r"https?://[A-Za-z0-9.:\[\]-]+(/[A-Za-z0-9/_.-]*)?", value):
        return None
    return expect("public_url")


_MISSING: Any = object()


class ConfigError(ValueError):
    """A bad configuration: names the key, the bad value and what is expected.

    ``str()`` is the English of the config file's reader, naming the TOML key. When the
    error is about one key's value, ``key``, ``value`` and ``expected`` hold the parts, so
    :func:`kiosk.config.words.refusal` can say the same in the chosen language."""

    def __init__(self, message: str, *, key: str | None = None, value: Any = _MISSING,
                 expected: Expected | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.value = value
        self.expected = expected

    @classmethod
    def invalid(cls, key: str, value: Any, expected: Expected) -> ConfigError:
        """``key = value: expected ...``, the parts kept."""
        return cls(f"{key} = {shown_value(value)}: expected {expected}", key=key, value=value, expected=expected)

    @property
    def has_value(self) -> bool:
        return self.value is not _MISSING


def type_name(tp: Any) -> str:
    """The English name of a key's type, as the README and the file's reader see it."""
    origin = typing.get_origin(tp)
    if origin is list:
        return f"list of {type_name(typing.get_args(tp)[0])}"
    if origin is dict:
        key, value = typing.get_args(tp)
        return f"table of {type_name(key)} → {type_name(value)}"
    return {str: "text", int: "integer", bool: "true/false", float: "number"}.get(tp, str(tp))


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
        # tp and example are for the dialog's words ("harus tabel ..., ditulis seperti { ... }")
        raise ConfigError.invalid(spec.name, value, expect("type", type=type_name(spec.type), tp=spec.type,
                                                           example=spec.default))
    if spec.check is not None:
        expected = spec.check(value)
        if expected:
            raise ConfigError.invalid(spec.name, value, expected)
    return value


def check_whole(config: Config) -> None:
    """Rules that span several keys; each names the key it refuses and the one it depends on."""
    q = config.queue
    services = tuple(q.services)
    for key in ("booking_service", "priority_service"):
        letter = getattr(q, key)
        if letter not in q.services:
            raise ConfigError.invalid(f"queue.{key}", letter,
                                      expect("known_service", services=services, other=KeyRef("queue.services")))
    if q.booking_service == q.priority_service:
        raise ConfigError.invalid("queue.priority_service", q.priority_service,
                                  expect("other_letter", other=KeyRef("queue.booking_service")))
    for services_of_counter in q.counters.values():
        if any(s not in q.services for s in services_of_counter):
            raise ConfigError.invalid("queue.counters", q.counters, expect(
                "counter_known_services", services=services, other=KeyRef("queue.services")))
    i = config.intake
    if i.first_slot > i.last_slot:
        raise ConfigError.invalid("intake.last_slot", i.last_slot,
                                  expect("not_before", other=KeyRef("intake.first_slot"), value=i.first_slot))
    if i.horizon_min_days > i.horizon_max_days:
        raise ConfigError.invalid("intake.horizon_max_days", i.horizon_max_days, expect(
            "at_least", other=KeyRef("intake.horizon_min_days"), value=i.horizon_min_days))
    if i.sender == "cloud_api" and not i.phone_number_id.strip():
        raise ConfigError.invalid("intake.phone_number_id", i.phone_number_id,
                                  expect("needed_for_cloud_api", other=KeyRef("intake.sender")))
    _check_printer(config.printer)
    a = config.arrival
    if a.opens_before <= a.must_arrive_before:
        raise ConfigError.invalid("arrival.opens_before", a.opens_before, expect(
            "more_minutes_than", other=KeyRef("arrival.must_arrive_before"), value=a.must_arrive_before))


_PRINTER_NEEDS = {"network": ("host",), "usb": ("usb_vendor_id", "usb_product_id"), "serial": ("serial_port",),
                  "file": ("device",)}


def _check_printer(p: PrinterSettings) -> None:
    for key in _PRINTER_NEEDS.get(p.transport, ()):
        if not getattr(p, key):
            raise ConfigError.invalid(f"printer.{key}", getattr(p, key), expect(
                "needed_for_transport", other=KeyRef("printer.transport"), transport=p.transport))
    if p.paper_mm == 0:
        from escpos.capabilities import CAPABILITIES

        pixels = CAPABILITIES["profiles"][p.profile].get("media", {}).get("width", {}).get("pixels")
        if not isinstance(pixels, int):
            raise ConfigError.invalid("printer.paper_mm", 0, expect(
                "paper_width_unknown", other=KeyRef("printer.profile"), profile=p.profile))
