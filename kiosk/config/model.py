"""The declared settings model: one frozen dataclass per TOML section, each key made
with :func:`setting` (default, help, optional check, whether a change needs a restart),
the :class:`Config` that holds them, and the model as data (:func:`schema`)."""

from __future__ import annotations

import dataclasses
import os
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import platformdirs

from kiosk.config import checks
from kiosk.config.checks import DECODER_NAMES, DEFAULT_PRINTER_PROFILE

if TYPE_CHECKING:
    from kiosk.config.checks import Check


APP_NAME = "AntreanPaspor"

CONFIG_ENV = "ANTREAN_CONFIG"


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


@dataclass(frozen=True)
class OfficeSettings:
    code: str = setting("JKP", "Office code, 2-5 upper-case letters or digits; part of every booking code.",
                        check=checks.office_code, restart=True)
    name: str = setting("Kantor Imigrasi", "Office name shown on tickets and the display.", check=checks.non_empty)
    timezone: str = setting("Asia/Jakarta", "IANA timezone of the office (WIB Asia/Jakarta, WITA Asia/Makassar, "
                            "WIT Asia/Jayapura).", check=checks.timezone, restart=True)
    other_offices: dict[str, str] = setting({}, "Names of other offices by their code, e.g. { BDG = \"Kantor "
                                            "Imigrasi Bandung\" }: a code of another office then names it.",
                                            check=checks.office_names)


@dataclass(frozen=True)
class QueueSettings:
    booking_service: str = setting("A", "Service letter of booked (online) applicants; ordered by slot, "
                                   "then number.", check=checks.service_letter)
    priority_service: str = setting("B", "Service letter of walk-in priority applicants; first come, "
                                    "first served.", check=checks.service_letter)
    services: dict[str, str] = setting({"A": "Paspor (booking online)", "B": "Prioritas"},
                                       "Name of each service by its letter.", check=checks.service_names)
    counters: dict[str, list[str]] = setting(
        {"1": ["B", "A"], "2": ["A", "B"], "3": ["A", "B"], "4": ["A", "B"]},
        "Counters (loket) by number, each with the services it serves, first choice first.",
        check=checks.counters)


@dataclass(frozen=True)
class ArrivalSettings:
    opens_before: int = setting(120, "Minutes before the slot from which a booking code is accepted.",
                                check=checks.minutes(1, 720))
    must_arrive_before: int = setting(30, "Minutes before the slot by which the applicant must be scanned; "
                                      "later, the code is void (hangus).", check=checks.minutes(0, 240))


@dataclass(frozen=True)
class PrioritySettings:
    categories: list[str] = setting(["lansia", "anak", "disabilitas", "ibu_hamil"],
                                    "Walk-in priority categories offered at the desk.", check=checks.categories)
    lansia_min_age: int = setting(60, "Minimum age in years for the lansia (elderly) category.",
                                  check=checks.int_range(40, 100))
    anak_under_age: int = setting(5, "The anak (small child) category is for children younger than this.",
                                  check=checks.int_range(1, 18))
    daily_quota: int = setting(30, "Priority walk-in tickets per day.", check=checks.int_range(0, 999))


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = setting("", "Database URL. Empty: SQLite file in the data folder (one PC). Several PCs: "
                       "postgresql+psycopg://user:password@host/antrean.", check=checks.database_url, restart=True)


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


@dataclass(frozen=True)
class CameraSettings:
    source: str = setting("0", "Camera at the desk: a device number (0 = the first webcam), an IP camera URL "
                          "(rtsp://...), or a video file or image folder (demos). Empty: no camera.",
                          restart=True)
    width: int = setting(1280, "Frame width asked of the camera (MJPG).", check=checks.int_range(320, 3840), restart=True)
    height: int = setting(720, "Frame height asked of the camera.", check=checks.int_range(240, 2160), restart=True)
    fps: int = setting(30, "Frames per second asked of the camera; files and folders are played at this rate.",
                       check=checks.int_range(1, 60), restart=True)
    preview_fps: int = setting(15, "Most preview frames per second shown on the desk screen.",
                               check=checks.int_range(1, 30))


@dataclass(frozen=True)
class ScannerSettings:
    decoders: list[str] = setting(list(DECODER_NAMES), "Barcode decoders, first tried first (zxing-cpp, pyzbar).",
                                  check=checks.decoder_order, restart=True)
    dedupe_seconds: float = setting(3.0, "A code seen again within this many seconds is not reported again.",
                                    check=checks.seconds(0, 60))
    wedge_gap_ms: int = setting(50, "USB keyboard scanners: most milliseconds between two keys of one scan; "
                                "slower keys are typing.", check=checks.int_range(10, 500))
    wedge_min_length: int = setting(6, "USB keyboard scanners: fewest characters in a scan.",
                                    check=checks.int_range(1, 200))
    wedge_terminator: str = setting("enter", "USB keyboard scanners: the key the scanner sends after a code "
                                    "(enter, tab, crlf, or none).", check=checks.one_of("enter", "tab", "crlf", "none"))
    wedge_prefix: str = setting("", "USB keyboard scanners: characters the scanner is set to type before each "
                                "code (stripped). Empty: none.", check=checks.printable(8))
    wedge_suffix: str = setting("", "USB keyboard scanners: characters the scanner is set to type after each "
                                "code, before its terminator (stripped; with terminator none they end the "
                                "scan at once). Empty: none.", check=checks.printable(8))
    serial_port: str = setting("", "Serial (COM) scanner port, e.g. COM3 or /dev/ttyACM0. Empty: none.",
                               restart=True)
    serial_baud: int = setting(9600, "Serial scanner baud rate.", check=checks.baud, restart=True)


PRINTER_TRANSPORTS = ("preview", "network", "usb", "serial", "cups", "win32raw", "file")


@dataclass(frozen=True)
class PrinterSettings:
    transport: str = setting("preview", "How tickets reach the printer: preview (PNG files, no printer), network, "
                             "usb, serial, cups, win32raw or file.", check=checks.one_of(*PRINTER_TRANSPORTS),
                             restart=True)
    profile: str = setting(DEFAULT_PRINTER_PROFILE, "python-escpos printer profile: paper width, native QR, cutter "
                           "(e.g. TM-T20II, TM-T88V, POS-5890, ZJ-5870).", check=checks.printer_profile)
    paper_mm: int = setting(0, "Paper width in mm: 58 (384 dots) or 80 (576 dots); 0 takes it from the profile.",
                            check=checks.paper_mm)
    native_qr: str = setting("auto", "Print the QR code with the printer's own QR command (GS ( k): auto "
                             "(as the profile says), yes or no (send it as an image).",
                             check=checks.one_of("auto", "yes", "no"))
    host: str = setting("", "network: the printer's IP address or host name.")
    port: int = setting(9100, "network: TCP port of the printer (raw printing is 9100).",
                        check=checks.int_range(1, 65535))
    usb_vendor_id: int = setting(0, "usb: vendor id, e.g. 0x04b8 for Epson (see `lsusb`).",
                                 check=checks.int_range(0, 0xFFFF))
    usb_product_id: int = setting(0, "usb: product id, e.g. 0x0e15 for a TM-T20II.", check=checks.int_range(0, 0xFFFF))
    serial_port: str = setting("", "serial: the port, e.g. /dev/ttyUSB0 or COM3.")
    baudrate: int = setting(9600, "serial: speed in baud, as set on the printer (9600-115200).",
                            check=checks.printer_baudrate)
    queue: str = setting("", "cups / win32raw: the printer queue name (empty: the system default printer).")
    device: str = setting("", "file: a device or file to write to, e.g. /dev/usb/lp0.")
    preview_dir: str = setting("", "preview: folder for the PNG tickets. Empty: 'previews' in the data folder.")
    timeout: int = setting(5, "Seconds to wait for the printer to connect or take data.", check=checks.int_range(1, 60))
    station: str = setting("", "Several desk PCs on one database: this desk's name (e.g. desk1); tickets issued "
                           "here print on this desk's printer. Empty: this printer prints every ticket.",
                           check=checks.station)


@dataclass(frozen=True)
class IntakeSettings:
    message_format: str = setting("date", "WhatsApp booking format: date = #NAMA#DDMMYYYY#DDMMYYYY (the applicant "
                                  "asks a date); address = #NAMA#DDMMYYYY#ALAMAT plus an e-KTP photo (the office "
                                  "assigns the date, as Batam did).", check=checks.one_of("date", "address"))
    registration_hours: str = setting("", "Hours in which booking messages are taken, e.g. \"07:30-10:00\" "
                                      "(office time). Empty: any time.", check=checks.hours_range)
    service_days: list[str] = setting(["mon", "tue", "wed", "thu", "fri"], "Days of the week with service.",
                                      check=checks.weekdays)
    holidays: list[str] = setting([], "Closed dates (YYYY-MM-DD): no bookings are made for them.",
                                  check=checks.iso_dates)
    daily_quota: int = setting(150, "Bookings per service day.", check=checks.int_range(1, 999))
    first_slot: str = setting("08:00", "Time of the first slot of the day.", check=checks.clock)
    last_slot: str = setting("14:30", "Time of the last slot of the day.", check=checks.clock)
    slot_minutes: int = setting(30, "Minutes between slots.", check=checks.minutes(5, 240))
    slot_capacity: int = setting(11, "Bookings per slot.", check=checks.int_range(1, 999))
    horizon_min_days: int = setting(1, "The earliest bookable date, in days after today (0 = today).",
                                    check=checks.int_range(0, 365))
    horizon_max_days: int = setting(30, "The latest bookable date, in days after today.", check=checks.int_range(0, 365))
    webhook_host: str = setting("127.0.0.1", "Address `wa-server` listens on (put a TLS reverse proxy in front "
                                "before opening it to the internet).", check=checks.host, restart=True)
    webhook_port: int = setting(8088, "Port `wa-server` listens on.", check=checks.int_range(1, 65535), restart=True)
    webhook_path: str = setting("/webhook", "URL path of the WhatsApp webhook.", check=checks.url_path, restart=True)
    webhook_header_timeout: float = setting(10.0, "Seconds a connection may take to send its request headers "
                                            "(and may stay idle between requests) before it is dropped.",
                                            check=checks.seconds(1, 300), restart=True)
    webhook_body_timeout: float = setting(10.0, "Seconds a POST may take to send its body before it is "
                                          "answered 408 and dropped.", check=checks.seconds(1, 300), restart=True)
    webhook_max_connections: int = setting(2000, "Open connections `wa-server` keeps; at the cap the oldest "
                                           "connection is dropped for the new one (stalled ones are the "
                                           "oldest). Lowered to fit the process's file limit.",
                                           check=checks.int_range(16, 100000), restart=True)
    secrets_file: str = setting("", "JSON file (owner-only) with the WhatsApp app_secret, verify_token and "
                                "access_token. Empty: whatsapp.json in the data folder.", restart=True)
    sender: str = setting("outbox", "Where replies go: outbox = the outbox table and the log only; NOTHING is sent "
                          "and no applicant gets an answer (for trials); cloud_api = the WhatsApp Cloud API.",
                          check=checks.one_of("outbox", "cloud_api"), restart=True)
    retry_max_age_minutes: int = setting(1440, "`wa-server` retries unsent replies (queued or failed) with growing "
                                         "pauses; after this many minutes a reply is given up (audited).",
                                         check=checks.int_range(5, 10080), restart=True)
    cloud_api_url: str = setting("https://graph.facebook.com/v21.0", "Base URL of the WhatsApp Cloud API.",
                                 check=checks.http_url, restart=True)
    phone_number_id: str = setting("", "The Cloud API phone-number id of the office's WhatsApp number.",
                                   restart=True)
    notify_ahead: int = setting(5, "WhatsApp-booked tickets get one \"your turn is near\" message when "
                                "this many people are ahead of them (0 = off).", check=checks.int_range(0, 50))
    notify_template: str = setting("giliran_hampir_tiba", "Name of the approved WhatsApp message template for that "
                                   "message (outside the 24-hour window only templates may be sent); its body "
                                   "takes the ticket number and the people ahead, never the name.",
                                   check=checks.template_name)
    notify_language: str = setting("id", "Language code of that template as approved, e.g. id or en_US.",
                                   check=checks.template_language)


@dataclass(frozen=True)
class PrivacySettings:
    retention_days: int = setting(30, "Days after the service day when names, dates of birth, phone numbers and "
                                  "e-KTP photos are purged; counts and times stay for reports.",
                                  check=checks.int_range(1, 3650))


@dataclass(frozen=True)
class DisplaySettings:
    recent_calls: int = setting(6, "How many earlier calls the display lists beside the newest one.",
                                check=checks.int_range(5, 8))
    highlight_seconds: float = setting(8.0, "Seconds the newest call stays highlighted.", check=checks.seconds(1, 60))
    running_text: str = setting("Selamat datang. Siapkan kode booking dan dokumen Anda sebelum dipanggil.",
                                "Text that runs along the bottom of the display; empty for none.")
    logo: str = setting("", "Office logo (PNG/SVG) shown in the display header; empty for none. "
                        "Relative paths are relative to this config file.")
    poll_interval: float = setting(0.4, "Seconds between checks for new calls when push updates are not "
                                   "available (SQLite, or PostgreSQL while reconnecting).",
                                   check=checks.seconds(0.05, 0.5))


@dataclass(frozen=True)
class AnnouncerSettings:
    enabled: bool = setting(True, "Play the chime and the spoken call on the display.")
    repeat: int = setting(1, "How many times each call is spoken.", check=checks.int_range(1, 3))
    volume: float = setting(0.9, "Volume of the chime and voice, 0.0-1.0.", check=checks.fraction)
    voice_dir: str = setting("", "Folder of voice fragments (WAV, one per word, same names as "
                             "resources/sounds/id). Empty: the bundled synthesised voice. Relative paths are "
                             "relative to this config file.")
    max_age: float = setting(30.0, "Calls older than this many seconds when the display learns of them "
                             "(after a reconnect) are shown but not spoken.", check=checks.seconds(1, 600))


@dataclass(frozen=True)
class DeskSettings:
    self_service: bool = setting(False, "Run the desk as a self-service touch screen: full screen, only the walk-in "
                                 "priority flow, big type and an on-screen keypad.", restart=True)
    idle_seconds: int = setting(30, "Self-service: seconds without a touch before the screen goes back to the start.",
                                check=checks.int_range(5, 600))
    verdict_seconds: int = setting(10, "Seconds a scan verdict stays on screen before the desk shows it is ready "
                                   "for the next code.", check=checks.int_range(2, 120))
    language: str = setting("id", "Language of the desk window: id (Bahasa Indonesia) or en (English).",
                            check=checks.language)
    sounds: bool = setting(True, "Play a sound with each verdict.")


@dataclass(frozen=True)
class WebSettings:
    host: str = setting("127.0.0.1", "Address `web` listens on; 0.0.0.0 (or the PC's LAN address) lets the TVs "
                        "and phones on the office network reach it.", check=checks.host, restart=True)
    port: int = setting(8089, "Port `web` listens on.", check=checks.int_range(1, 65535), restart=True)
    public_url: str = setting("", "The address applicants' phones and the TVs use to reach `web`, e.g. "
                              "http://192.168.1.10:8089. Set: each ticket's QR opens its status page there. "
                              "Empty: no status pages.", check=checks.public_url)


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
    web: WebSettings = field(default_factory=WebSettings)
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
        return checks.type_name(self.type)


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
