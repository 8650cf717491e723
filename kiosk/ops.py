"""Operations: rotating log files, crash reports, the support bundle."""

from __future__ import annotations

import faulthandler
import io
import json
import logging
import logging.handlers
import os
import platform
import re
import secrets
import sys
import threading
import traceback
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from kiosk import __version__
from kiosk.config import Config, to_toml

LOG_FILE = "antrean.log"
_CRASH_FILE_HANDLE: Any = None


def setup_logging(config: Config, *, level: int = logging.INFO, name: str = LOG_FILE) -> Path:
    """Log to a rotating file in the user log folder (5 x 2 MB) and warnings to stderr."""
    log_dir = config.log_dir
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / name
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"))
    handler.setLevel(level)
    root = logging.getLogger()
    # The file gets INFO; a console handler already there keeps showing warnings only.
    for existing in root.handlers:
        if type(existing) is logging.StreamHandler and existing.level == logging.NOTSET:
            existing.setLevel(logging.WARNING)
    root.setLevel(min(level, root.level) if root.level else level)
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) and Path(h.baseFilename) == path
               for h in root.handlers):
        root.addHandler(handler)
    return path


def install_crash_handler(config: Config) -> None:
    """Uncaught exceptions (any thread) write a crash report next to the logs; hard
    crashes of the interpreter are dumped by faulthandler."""
    global _CRASH_FILE_HANDLE
    log_dir = config.log_dir
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)

    def write_report(kind: str, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> Path:
        text = (f"Antrean Paspor {__version__} crash ({kind})\nPython {sys.version}\n{platform.platform()}\n\n"
                + scrub_personal_data("".join(traceback.format_exception(exc_type, exc, tb))))
        path = _new_crash_file(log_dir, text)
        logging.getLogger("crash").critical("crash report written to %s", path, exc_info=(exc_type, exc, tb))
        return path

    def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        write_report("main", exc_type, exc, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            write_report(f"thread {args.thread.name if args.thread else '?'}", args.exc_type, args.exc_value,
                         args.exc_traceback)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    if _CRASH_FILE_HANDLE is None:
        _CRASH_FILE_HANDLE = open(log_dir / "fatal.txt", "a", encoding="utf-8")  # noqa: SIM115 - lives for the process
        faulthandler.enable(_CRASH_FILE_HANDLE)


def _new_crash_file(log_dir: Path, text: str) -> Path:
    """``crash-<UTC time>-<pid>-<random>.txt``, created exclusively: two crashes in one
    second (or in two processes) never share or overwrite a file."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    while True:
        path = log_dir / f"crash-{stamp}-{os.getpid()}-{secrets.token_hex(3)}.txt"
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        return path


# --- keeping personal data out of what leaves the PC -------------------------------------

_LOG_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:,\d{3})?", re.MULTILINE)
_PHONE = re.compile(r"(?<![\w.])\+?\d[\d \-]{6,}\d(?![\w.])")
_DATE = re.compile(r"(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|[0-3]\d[01]\d(?:19|20)\d\d)(?!\d)")
_BOOKING_MESSAGE = re.compile(r"#[^#\n]*#[^#\n]*#[^\s\"']*")


def scrub_personal_data(text: str, names: list[str] | None = None) -> str:
    """Replace what may be personal data: phone numbers, dates (but not the time stamp
    that starts a log line), booking messages (``#NAMA#TGL#...``) and the given names."""
    for name in sorted({n for n in names or [] if len(n.strip()) >= 3}, key=len, reverse=True):
        text = re.sub(re.escape(name), "<name>", text, flags=re.IGNORECASE)
    text = _BOOKING_MESSAGE.sub("<message>", text)
    stamps: list[str] = []

    def keep(match: re.Match[str]) -> str:
        stamps.append(match.group(0))
        return f"\x00{len(stamps) - 1}\x00"

    text = _LOG_STAMP.sub(keep, text)
    text = _DATE.sub("<date>", text)
    text = _PHONE.sub("<phone>", text)
    return re.sub("\x00(\\d+)\x00", lambda m: stamps[int(m.group(1))], text)


_SECRET_KEYS = {"supervisor_pin_hash"}
# user:password@ up to the last @ of the URL: a password may hold a raw "@".
_URL_PASSWORD = re.compile(r"(://[^:/@\s\"']+:)[^\s\"']*@")


def redacted_config(config: Config) -> str:
    """The config as TOML with the PIN hash and database passwords removed."""
    text = to_toml(config)
    lines = []
    for line in text.splitlines():
        key = line.lstrip("# ").split("=", 1)[0].strip()
        if key in _SECRET_KEYS and "=" in line:
            line = f'{key} = "<redacted>"'
        lines.append(_URL_PASSWORD.sub(r"\1<redacted>@", line))
    return "\n".join(lines) + "\n"


def write_support_bundle(config: Config, out: Path, extra: dict[str, Any] | None = None,
                         names: list[str] | None = None) -> Path:
    """A zip for support: logs, crash reports, the redacted config and versions — never
    the key file, the database or any personal data. The logs are meant to hold none;
    each text is scrubbed anyway (phones, dates, booking messages and ``names``, the names
    still in the database), because one careless log line must not leave the office."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("config.toml", redacted_config(config))
        info = {"version": __version__, "python": sys.version, "platform": platform.platform(),
                "office": config.office.code, "database": _URL_PASSWORD.sub(r"\1<redacted>@", config.database_url),
                **(extra or {})}
        zf.writestr("about.json", json.dumps(info, indent=2, default=str))
        log_dir = config.log_dir
        if log_dir.exists():
            for path in sorted(log_dir.iterdir()):
                if path.is_file() and (path.name.startswith(("antrean", "crash-", "fatal", "display", "desk"))):
                    text = path.read_bytes().decode("utf-8", "replace")
                    zf.writestr(f"logs/{path.name}", scrub_personal_data(text, names))
    out.write_bytes(buffer.getvalue())
    return out
