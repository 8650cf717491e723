"""One declared settings model, read from a TOML file and validated at start.

Every key is declared once, as a field of a section dataclass made with
:func:`setting` (default, help, optional check, whether a change needs a restart).
The loader, the validator, the commented config written by ``init``, the README's
configuration reference and the settings dialog all read this one declaration.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

APP_NAME = "AntreanPaspor"
CONFIG_ENV = "ANTREAN_CONFIG"

Check = Callable[[Any], str | None]  # returns what is expected, or None when fine


def setting(default: Any, help: str, *, check: Check | None = None, restart: bool = False) -> Any:
    """Declare one configuration key."""
    meta = {"help": help, "check": check, "restart": restart}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: _copy(default), metadata=meta)
    return field(default=default, metadata=meta)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


# --- checks -----------------------------------------------------------------------------

def _office_code(value: str) -> str | None:
    return None if re.fullmatch(r"[A-Z0-9]{2,5}", value) else "2-5 upper-case letters or digits, e.g. JKP"


def _non_empty(value: str) -> str | None:
    return None if value.strip() else "a non-empty text"


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "an IANA timezone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura"
    return None


def _minutes(low: int, high: int) -> Check:
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"a whole number of minutes from {low} to {high}"
    return check


def _int_range(low: int, high: int) -> Check:
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"a whole number from {low} to {high}"
    return check


def _service_letter(value: str) -> str | None:
    return None if re.fullmatch(r"[A-Z]", value) else "one upper-case letter, e.g. A"


def _office_names(value: dict[str, str]) -> str | None:
    if not all(_office_code(code) is None and isinstance(name, str) and name.strip() for code, name in value.items()):
        return "a table of office code (2-5 upper-case letters or digits) = office name"
    return None


def _service_names(value: dict[str, str]) -> str | None:
    if not value:
        return "at least one service"
    for prefix, name in value.items():
        if not re.fullmatch(r"[A-Z]", prefix) or not isinstance(name, str) or not name.strip():
            return 'a table of one upper-case letter = name, e.g. { A = "Paspor (booking online)" }'
    return None


def _counters(value: dict[str, list[str]]) -> str | None:
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


def _database_url(value: str) -> str | None:
    if value == "" or value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
        return None
    return 'empty (SQLite in the data folder), "sqlite:///PATH" or "postgresql+psycopg://user@host/db"'


def _categories(value: list[str]) -> str | None:
    allowed = {"lansia", "anak", "disabilitas", "ibu_hamil"}
    if not value or not set(value) <= allowed or len(set(value)) != len(value):
        return "a list drawn from lansia, anak, disabilitas, ibu_hamil"
    return None


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock(value: str) -> str | None:
    return None if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value) else "a time as HH:MM, e.g. 08:00"


def _hours_range(value: str) -> str | None:
    if value == "":
        return None
    m = re.fullmatch(r"(\d\d:\d\d)-(\d\d:\d\d)", value)
    if not m or _clock(m[1]) or _clock(m[2]) or m[1] >= m[2]:
        return 'empty (any time) or "HH:MM-HH:MM" with the start before the end, e.g. "07:30-10:00"'
    return None


def _weekdays(value: list[str]) -> str | None:
    if not value or not set(value) <= set(_WEEKDAYS) or len(set(value)) != len(value):
        return "a non-empty list drawn from mon, tue, wed, thu, fri, sat, sun"
    return None


def _iso_dates(value: list[str]) -> str | None:
    from datetime import date

    for item in value:
        try:
            date.fromisoformat(item)
        except ValueError:
            return "a list of dates as YYYY-MM-DD, e.g. [\"2026-12-25\"]"
    return None


def _host(value: str) -> str | None:
    return None if value.strip() and " " not in value else "an address to listen on, e.g. 127.0.0.1"


def _url_path(value: str) -> str | None:
    return None if re.fullmatch(r"/[A-Za-z0-9/_.-]*", value) else "a URL path starting with /, e.g. /webhook"


def _http_url(value: str) -> str | None:
    return None if re.fullmatch(r"https?://\S+", value) else "an http(s) URL"


def _fraction(value: float) -> str | None:
    return None if 0.0 <= value <= 1.0 else "a number from 0.0 (silent) to 1.0 (full volume)"


def _seconds(low: float, high: float) -> Check:
    def check(value: float) -> str | None:
        return None if low <= value <= high else f"a number of seconds from {low:g} to {high:g}"
    return check


def _language(value: str) -> str | None:
    return None if value in ("id", "en") else "id (Bahasa Indonesia) or en (English)"


# --- sections ---------------------------------------------------------------------------

@dataclass(frozen=True)
class OfficeSettings:
    code: str = setting("JKP", "Office code, 2-5 upper-case letters or digits; part of every booking code.",
                        check=_office_code, restart=True)
    name: str = setting("Kantor Imigrasi", "Office name shown on tickets and the display.", check=_non_empty)
    timezone: str = setting("Asia/Jakarta", "IANA timezone of the office (WIB Asia/Jakarta, WITA Asia/Makassar, "
                            "WIT Asia/Jayapura).", check=_timezone, restart=True)
    other_offices: dict[str, str] = setting({}, "Names of other offices by their code, e.g. { BDG = \"Kantor "
                                            "Imigrasi Bandung\" }: a code of another office then names it.",
                                            check=_office_names)


@dataclass(frozen=True)
class QueueSettings:
    booking_service: str = setting("A", "Service letter of booked (online) applicants; ordered by slot, "
                                   "then number.", check=_service_letter)
    priority_service: str = setting("B", "Service letter of walk-in priority applicants; first come, "
                                    "first served.", check=_service_letter)
    services: dict[str, str] = setting({"A": "Paspor (booking online)", "B": "Prioritas"},
                                       "Name of each service by its letter.", check=_service_names)
    counters: dict[str, list[str]] = setting(
        {"1": ["B", "A"], "2": ["A", "B"], "3": ["A", "B"], "4": ["A", "B"]},
        "Counters (loket) by number, each with the services it serves, first choice first.",
        check=_counters)


@dataclass(frozen=True)
class ArrivalSettings:
    opens_before: int = setting(120, "Minutes before the slot from which a booking code is accepted.",
                                check=_minutes(1, 720))
    must_arrive_before: int = setting(30, "Minutes before the slot by which the applicant must be scanned; "
                                      "later, the code is void (hangus).", check=_minutes(0, 240))


@dataclass(frozen=True)
class PrioritySettings:
    categories: list[str] = setting(["lansia", "anak", "disabilitas", "ibu_hamil"],
                                    "Walk-in priority categories offered at the desk.", check=_categories)
    lansia_min_age: int = setting(60, "Minimum age in years for the lansia (elderly) category.",
                                  check=_int_range(40, 100))
    anak_under_age: int = setting(5, "The anak (small child) category is for children younger than this.",
                                  check=_int_range(1, 18))
    daily_quota: int = setting(30, "Priority walk-in tickets per day.", check=_int_range(0, 999))


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = setting("", "Database URL. Empty: SQLite file in the data folder (one PC). Several PCs: "
                       "postgresql+psycopg://user:password@host/antrean.", check=_database_url, restart=True)


@dataclass(frozen=True)
class SecuritySettings:
    supervisor_pin_hash: str = setting("", "Salted scrypt hash of the supervisor PIN (6-12 digits), keyed with "
                                       "a pepper kept in the key file; set by `init` or `supervisor set-pin`, "
                                       "never the PIN itself.")
    keys_file: str = setting("", "File with the office's booking-code keys (owner-only). Empty: keys.json "
                             "in the data folder. On several PCs, every desk needs the same file. Created only by `init` "
                             "and `keys rotate`; it also holds the supervisor PIN pepper.", restart=True)


@dataclass(frozen=True)
class ClockSettings:
    allow_override: bool = setting(False, "Allow ANTREAN_NOW to set the clock (training and simulations "
                                   "only; refused when false).")


@dataclass(frozen=True)
class PathSettings:
    data_dir: str = setting("", "Folder for the database, keys and printed previews. Empty: the user data "
                            "folder. Relative paths are relative to this config file.", restart=True)


def _one_of(*choices: str) -> Check:
    def check(value: str) -> str | None:
        return None if value in choices else "one of " + ", ".join(choices)
    return check


def _printable(most: int) -> Check:
    def check(value: str) -> str | None:
        ok = len(value) <= most and all(c.isprintable() and not c.isspace() for c in value)
        return None if ok else f"at most {most} printable characters, no spaces"
    return check


def _decoder_order(value: list[str]) -> str | None:
    if not value or len(set(value)) != len(value) or not set(value) <= set(DECODER_NAMES):
        return f"a list of distinct decoders from {', '.join(DECODER_NAMES)}, first tried first"
    return None


def _seconds(low: float, high: float) -> Check:
    def check(value: float) -> str | None:
        return None if low <= value <= high else f"a number of seconds from {low:g} to {high:g}"
    return check


def _baud(value: int) -> str | None:
    rates = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
    return None if value in rates else f"a standard baud rate: {', '.join(map(str, rates))}"


DECODER_NAMES = ("zxing-cpp", "pyzbar")  # kiosk.devices.decoders.DECODERS, without importing OpenCV here


@dataclass(frozen=True)
class CameraSettings:
    source: str = setting("0", "Camera at the desk: a device number (0 = the first webcam), an IP camera URL "
                          "(rtsp://...), or a video file or image folder (demos). Empty: no camera.",
                          restart=True)
    width: int = setting(1280, "Frame width asked of the camera (MJPG).", check=_int_range(320, 3840), restart=True)
    height: int = setting(720, "Frame height asked of the camera.", check=_int_range(240, 2160), restart=True)
    fps: int = setting(30, "Frames per second asked of the camera; files and folders are played at this rate.",
                       check=_int_range(1, 60), restart=True)
    preview_fps: int = setting(15, "Most preview frames per second shown on the desk screen.",
                               check=_int_range(1, 30))


@dataclass(frozen=True)
class ScannerSettings:
    decoders: list[str] = setting(list(DECODER_NAMES), "Barcode decoders, first tried first (zxing-cpp, pyzbar).",
                                  check=_decoder_order, restart=True)
    dedupe_seconds: float = setting(3.0, "A code seen again within this many seconds is not reported again.",
                                    check=_seconds(0, 60))
    wedge_gap_ms: int = setting(50, "USB keyboard scanners: most milliseconds between two keys of one scan; "
                                "slower keys are typing.", check=_int_range(10, 500))
    wedge_min_length: int = setting(6, "USB keyboard scanners: fewest characters in a scan.",
                                    check=_int_range(1, 200))
    wedge_terminator: str = setting("enter", "USB keyboard scanners: the key the scanner sends after a code "
                                    "(enter, tab, crlf, or none).", check=_one_of("enter", "tab", "crlf", "none"))
    wedge_prefix: str = setting("", "USB keyboard scanners: characters the scanner is set to type before each "
                                "code (stripped). Empty: none.", check=_printable(8))
    wedge_suffix: str = setting("", "USB keyboard scanners: characters the scanner is set to type after each "
                                "code, before its terminator (stripped; with terminator none they end the "
                                "scan at once). Empty: none.", check=_printable(8))
    serial_port: str = setting("", "Serial (COM) scanner port, e.g. COM3 or /dev/ttyACM0. Empty: none.",
                               restart=True)
    serial_baud: int = setting(9600, "Serial scanner baud rate.", check=_baud, restart=True)
PRINTER_TRANSPORTS = ("preview", "network", "usb", "serial", "cups", "win32raw", "file")


DEFAULT_PRINTER_PROFILE = "TM-T20II"


def _printer_profile(value: str) -> str | None:
    if value == DEFAULT_PRINTER_PROFILE:
        return None  # known good; spares every process the 0.3 s load of python-escpos's profile data
    from escpos.capabilities import CAPABILITIES  # only when another printer is configured

    if value in CAPABILITIES["profiles"] and value not in ("default", "simple"):
        return None
    return ("a python-escpos printer profile such as TM-T20II (80 mm) or POS-5890 (58 mm); "
            "the list is in docs/printing.md")


@dataclass(frozen=True)
class PrinterSettings:
    transport: str = setting("preview", "How tickets reach the printer: preview (PNG files, no printer), network, "
                             "usb, serial, cups, win32raw or file.", check=_one_of(*PRINTER_TRANSPORTS),
                             restart=True)
    profile: str = setting(DEFAULT_PRINTER_PROFILE, "python-escpos printer profile: paper width, native QR, cutter "
                           "(e.g. TM-T20II, TM-T88V, POS-5890, ZJ-5870).", check=_printer_profile)
    paper_mm: int = setting(0, "Paper width in mm: 58 (384 dots) or 80 (576 dots); 0 takes it from the profile.",
                            check=lambda v: None if v in (0, 58, 80) else "0, 58 or 80")
    native_qr: str = setting("auto", "Print the QR code with the printer's own QR command (GS ( k): auto "
                             "(as the profile says), yes or no (send it as an image).",
                             check=_one_of("auto", "yes", "no"))
    host: str = setting("", "network: the printer's IP address or host name.")
    port: int = setting(9100, "network: TCP port of the printer (raw printing is 9100).",
                        check=_int_range(1, 65535))
    usb_vendor_id: int = setting(0, "usb: vendor id, e.g. 0x04b8 for Epson (see `lsusb`).",
                                 check=_int_range(0, 0xFFFF))
    usb_product_id: int = setting(0, "usb: product id, e.g. 0x0e15 for a TM-T20II.", check=_int_range(0, 0xFFFF))
    serial_port: str = setting("", "serial: the port, e.g. /dev/ttyUSB0 or COM3.")
    baudrate: int = setting(9600, "serial: speed in baud, as set on the printer (9600-115200).",
                            check=lambda v: None if v in (9600, 19200, 38400, 57600, 115200)
                            else "9600, 19200, 38400, 57600 or 115200")
    queue: str = setting("", "cups / win32raw: the printer queue name (empty: the system default printer).")
    device: str = setting("", "file: a device or file to write to, e.g. /dev/usb/lp0.")
    preview_dir: str = setting("", "preview: folder for the PNG tickets. Empty: 'previews' in the data folder.")
    timeout: int = setting(5, "Seconds to wait for the printer to connect or take data.", check=_int_range(1, 60))
    station: str = setting("", "Several desk PCs on one database: this desk's name (e.g. desk1); tickets issued "
                           "here print on this desk's printer. Empty: this printer prints every ticket.",
                           check=lambda v: None if re.fullmatch(r"[A-Za-z0-9_.-]{0,40}", v)
                           else "up to 40 letters, digits, '.', '_' or '-'")


@dataclass(frozen=True)
class IntakeSettings:
    message_format: str = setting("date", "WhatsApp booking format: date = #NAMA#DDMMYYYY#DDMMYYYY (the applicant "
                                  "asks a date); address = #NAMA#DDMMYYYY#ALAMAT plus an e-KTP photo (the office "
                                  "assigns the date, as Batam did).", check=_one_of("date", "address"))
    registration_hours: str = setting("", "Hours in which booking messages are taken, e.g. \"07:30-10:00\" "
                                      "(office time). Empty: any time.", check=_hours_range)
    service_days: list[str] = setting(["mon", "tue", "wed", "thu", "fri"], "Days of the week with service.",
                                      check=_weekdays)
    holidays: list[str] = setting([], "Closed dates (YYYY-MM-DD): no bookings are made for them.",
                                  check=_iso_dates)
    daily_quota: int = setting(150, "Bookings per service day.", check=_int_range(1, 999))
    first_slot: str = setting("08:00", "Time of the first slot of the day.", check=_clock)
    last_slot: str = setting("14:30", "Time of the last slot of the day.", check=_clock)
    slot_minutes: int = setting(30, "Minutes between slots.", check=_minutes(5, 240))
    slot_capacity: int = setting(11, "Bookings per slot.", check=_int_range(1, 999))
    horizon_min_days: int = setting(1, "The earliest bookable date, in days after today (0 = today).",
                                    check=_int_range(0, 365))
    horizon_max_days: int = setting(30, "The latest bookable date, in days after today.", check=_int_range(0, 365))
    webhook_host: str = setting("127.0.0.1", "Address `wa-server` listens on (put a TLS reverse proxy in front "
                                "before opening it to the internet).", check=_host, restart=True)
    webhook_port: int = setting(8088, "Port `wa-server` listens on.", check=_int_range(1, 65535), restart=True)
    webhook_path: str = setting("/webhook", "URL path of the WhatsApp webhook.", check=_url_path, restart=True)
    webhook_header_timeout: float = setting(10.0, "Seconds a connection may take to send its request headers "
                                            "(and may stay idle between requests) before it is dropped.",
                                            check=_seconds(1, 300), restart=True)
    webhook_body_timeout: float = setting(10.0, "Seconds a POST may take to send its body before it is "
                                          "answered 408 and dropped.", check=_seconds(1, 300), restart=True)
    webhook_max_connections: int = setting(2000, "Open connections `wa-server` keeps; at the cap the oldest "
                                           "connection is dropped for the new one (stalled ones are the "
                                           "oldest). Lowered to fit the process's file limit.",
                                           check=_int_range(16, 100000), restart=True)
    secrets_file: str = setting("", "JSON file (owner-only) with the WhatsApp app_secret, verify_token and "
                                "access_token. Empty: whatsapp.json in the data folder.", restart=True)
    sender: str = setting("outbox", "Where replies go: outbox = the outbox table and the log only; NOTHING is sent "
                          "and no applicant gets an answer (for trials); cloud_api = the WhatsApp Cloud API.",
                          check=_one_of("outbox", "cloud_api"), restart=True)
    retry_max_age_minutes: int = setting(1440, "`wa-server` retries unsent replies (queued or failed) with growing "
                                         "pauses; after this many minutes a reply is given up (audited).",
                                         check=_int_range(5, 10080), restart=True)
    cloud_api_url: str = setting("https://graph.facebook.com/v21.0", "Base URL of the WhatsApp Cloud API.",
                                 check=_http_url, restart=True)
    phone_number_id: str = setting("", "The Cloud API phone-number id of the office's WhatsApp number.",
                                   restart=True)


@dataclass(frozen=True)
class PrivacySettings:
    retention_days: int = setting(30, "Days after the service day when names, dates of birth, phone numbers and "
                                  "e-KTP photos are purged; counts and times stay for reports.",
                                  check=_int_range(1, 3650))


@dataclass(frozen=True)
class DisplaySettings:
    recent_calls: int = setting(6, "How many earlier calls the display lists beside the newest one.",
                                check=_int_range(5, 8))
    highlight_seconds: float = setting(8.0, "Seconds the newest call stays highlighted.", check=_seconds(1, 60))
    running_text: str = setting("Selamat datang. Siapkan kode booking dan dokumen Anda sebelum dipanggil.",
                                "Text that runs along the bottom of the display; empty for none.")
    logo: str = setting("", "Office logo (PNG/SVG) shown in the display header; empty for none. "
                        "Relative paths are relative to this config file.")
    poll_interval: float = setting(0.4, "Seconds between checks for new calls when push updates are not "
                                   "available (SQLite, or PostgreSQL while reconnecting).",
                                   check=_seconds(0.05, 0.5))


@dataclass(frozen=True)
class AnnouncerSettings:
    enabled: bool = setting(True, "Play the chime and the spoken call on the display.")
    repeat: int = setting(1, "How many times each call is spoken.", check=_int_range(1, 3))
    volume: float = setting(0.9, "Volume of the chime and voice, 0.0-1.0.", check=_fraction)
    voice_dir: str = setting("", "Folder of voice fragments (WAV, one per word, same names as "
                             "resources/sounds/id). Empty: the bundled synthesised voice. Relative paths are "
                             "relative to this config file.")
    max_age: float = setting(30.0, "Calls older than this many seconds when the display learns of them "
                             "(after a reconnect) are shown but not spoken.", check=_seconds(1, 600))


@dataclass(frozen=True)
class DeskSettings:
    self_service: bool = setting(False, "Run the desk as a self-service touch screen: full screen, only the walk-in "
                                 "priority flow, big type and an on-screen keypad.", restart=True)
    idle_seconds: int = setting(30, "Self-service: seconds without a touch before the screen goes back to the start.",
                                check=_int_range(5, 600))
    verdict_seconds: int = setting(10, "Seconds a scan verdict stays on screen before the desk shows it is ready "
                                   "for the next code.", check=_int_range(2, 120))
    language: str = setting("id", "Language of the desk window: id (Bahasa Indonesia) or en (English).",
                            check=_language)
    sounds: bool = setting(True, "Play a sound with each verdict.")


@dataclass(frozen=True)
class Config:
    office: OfficeSettings = field(default_factory=OfficeSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)
    arrival: ArrivalSettings = field(default_factory=ArrivalSettings)
    priority: PrioritySettings = field(default_factory=PrioritySettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    clock: ClockSettings = field(default_factory=ClockSettings)
    paths: PathSettings = field(default_factory=PathSettings)
    camera: CameraSettings = field(default_factory=CameraSettings)
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    intake: IntakeSettings = field(default_factory=IntakeSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    announcer: AnnouncerSettings = field(default_factory=AnnouncerSettings)
    desk: DeskSettings = field(default_factory=DeskSettings)
    # Where the file was read from (relative paths in it are relative to its folder).
    source: Path | None = field(default=None, compare=False, metadata={"internal": True})

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.office.timezone)

    @property
    def data_dir(self) -> Path:
        return resolve_path(self, self.paths.data_dir) if self.paths.data_dir else default_data_dir()

    @property
    def database_url(self) -> str:
        return self.database.url or f"sqlite:///{self.data_dir / 'antrean.db'}"

    @property
    def whatsapp_secrets_path(self) -> Path:
        return resolve_path(self, self.intake.secrets_file) if self.intake.secrets_file else self.data_dir / "whatsapp.json"

    @property
    def log_dir(self) -> Path:
        return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) if not self.paths.data_dir \
            else self.data_dir / "logs"

    @property
    def keys_path(self) -> Path:
        return resolve_path(self, self.security.keys_file) if self.security.keys_file else self.data_dir / "keys.json"

    @property
    def preview_dir(self) -> Path:
        return resolve_path(self, self.printer.preview_dir) if self.printer.preview_dir else self.data_dir / "previews"


def resolve_path(config: Config, value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_absolute() and config.source is not None:
        path = config.source.parent / path
    return path


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


# --- the declared model, as data -------------------------------------------------------

@dataclass(frozen=True)
class KeySpec:
    name: str  # dotted, e.g. "office.code"
    type: Any
    default: Any
    help: str
    check: Check | None
    restart: bool

    @property
    def type_name(self) -> str:
        return _type_name(self.type)


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is list:
        return f"list of {_type_name(typing.get_args(tp)[0])}"
    if origin is dict:
        key, value = typing.get_args(tp)
        return f"table of {_type_name(key)} → {_type_name(value)}"
    return {str: "text", int: "integer", bool: "true/false", float: "number"}.get(tp, str(tp))


def sections() -> Iterator[tuple[str, type]]:
    hints = typing.get_type_hints(Config)
    for f in dataclasses.fields(Config):
        if not f.metadata.get("internal"):
            yield f.name, hints[f.name]


def schema() -> list[KeySpec]:
    """Every key of the model, in declaration order."""
    specs = []
    for section_name, section_type in sections():
        hints = typing.get_type_hints(section_type)
        defaults = section_type()
        for f in dataclasses.fields(section_type):
            specs.append(KeySpec(f"{section_name}.{f.name}", hints[f.name], getattr(defaults, f.name),
                                 f.metadata["help"], f.metadata["check"], f.metadata["restart"]))
    return specs


# --- loading and validation ------------------------------------------------------------

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


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def validate_value(spec: KeySpec, value: Any) -> Any:
    """Return the value when it fits the key, else raise ConfigError naming all three."""
    if spec.type is dict[str, list[str]] and isinstance(value, dict):
        value = {str(k): v for k, v in value.items()}
    if not _check_type(value, spec.type):
        raise ConfigError(f"{spec.name} = {_short(value)}: expected {spec.type_name}", key=spec.name)
    if spec.check is not None:
        expected = spec.check(value)
        if expected:
            raise ConfigError(f"{spec.name} = {_short(value)}: expected {expected}", key=spec.name)
    return value


def from_mapping(data: dict[str, Any], source: Path | None = None) -> Config:
    """Build and validate a Config from parsed TOML; unknown keys are errors (typos matter)."""
    specs = {s.name: s for s in schema()}
    known_sections = dict(sections())
    values: dict[str, dict[str, Any]] = {}
    for section_name, section_value in data.items():
        if section_name not in known_sections:
            raise ConfigError(f"unknown section [{section_name}]: expected one of "
                              f"{', '.join(known_sections)}", key=section_name)
        if not isinstance(section_value, dict):
            raise ConfigError(f"{section_name} = {_short(section_value)}: expected a [{section_name}] table",
                              key=section_name)
        for key, value in section_value.items():
            name = f"{section_name}.{key}"
            if name not in specs:
                raise ConfigError(f"unknown key {name}: [{section_name}] has "
                                  f"{', '.join(s.split('.', 1)[1] for s in specs if s.startswith(section_name + '.'))}",
                                  key=name)
            values.setdefault(section_name, {})[key] = validate_value(specs[name], value)
    built = {name: tp(**values.get(name, {})) for name, tp in known_sections.items()}
    config = Config(**built, source=source)
    _check_whole(config)
    return config


def _check_whole(config: Config) -> None:
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


def load_config(path: Path | None = None) -> Config:
    """Read and validate the config file; a missing file is an error with the path named."""
    path = path or default_config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path} (create one with `python main.py init`)") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: expected UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    return from_mapping(data, source=path.resolve())


# --- writing ----------------------------------------------------------------------------

def toml_value(value: Any) -> str:
    """One value as TOML (inline tables and arrays)."""
    return _toml_value(value)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) and not key.isdigit() else _toml_value(key)


def to_toml(config: Config) -> str:
    """A commented TOML file: every key with its help; keys left at their default are
    written commented out, so the file shows what can be set without pinning defaults."""
    lines = ["# Antrean Paspor configuration. Every key is documented in README.md.", ""]
    current = None
    for spec in schema():
        section, key = spec.name.split(".", 1)
        if section != current:
            if current is not None:
                lines.append("")
            lines.append(f"[{section}]")
            current = section
        value = getattr(getattr(config, section), key)
        lines.append(f"# {spec.help}")
        prefix = "" if value != spec.default else "# "
        lines.append(f"{prefix}{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def replace(config: Config, **changes: dict[str, Any]) -> Config:
    """A copy with some keys changed, e.g. ``replace(cfg, office={"code": "DPS"})``, validated."""
    data: dict[str, dict[str, Any]] = {}
    for section_name, _ in sections():
        data[section_name] = dataclasses.asdict(getattr(config, section_name))
    for section_name, values in changes.items():
        data[section_name].update(values)
    return from_mapping(data, source=config.source)


def markdown_reference() -> str:
    """The README's configuration reference, generated from the model (a test keeps them equal)."""
    rows = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for spec in schema():
        default = _toml_value(spec.default) if spec.default != "" else '`""`'
        if not default.startswith("`"):
            default = f"`{default}`"
        restart = " *(restart needed)*" if spec.restart else ""
        rows.append(f"| `{spec.name}` | {spec.type_name} | {default} | {spec.help}{restart} |")
    return "\n".join(rows)
