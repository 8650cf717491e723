"""Helpers every command uses: output, errors, opening the application context."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, time
from pathlib import Path
from typing import Any

from kiosk.app import AppContext, open_context
from kiosk.config import default_config_path
from kiosk.i18n import tr

C = "Cli"

EXIT_OK, EXIT_REJECTED, EXIT_CONFIG, EXIT_UNAVAILABLE = 0, 1, 2, 3


class CommandError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_REJECTED, outcome: str = "error") -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.outcome = outcome


def emit(args: argparse.Namespace, data: dict[str, Any], human: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, default=str))
    else:
        print(human)


def fail(args: argparse.Namespace, message: str, code: int, outcome: str = "error") -> int:
    if getattr(args, "json", False):
        print(json.dumps({"outcome": outcome, "message": message}, ensure_ascii=False))
    else:
        # One heading: "kesalahan konfigurasi: ..." for the file and the key file, else "kesalahan: ..."
        heading = tr(C, "kesalahan konfigurasi: {message}", message=message) if outcome == "config_error" \
            else tr(C, "kesalahan: {message}", message=message)
        print(heading, file=sys.stderr)
    return code


def config_path(args: argparse.Namespace) -> Path:
    return Path(args.config) if args.config else default_config_path()


def context(args: argparse.Namespace, actor: str, *, create_keys: bool = False) -> AppContext:
    from kiosk.config import load_config
    from kiosk.ops import install_crash_handler, setup_logging

    config = load_config(config_path(args))
    setup_logging(config)
    install_crash_handler(config)
    ctx = open_context(config, db_url=args.db, create_keys=create_keys)
    ctx.actor = actor
    return ctx


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr(C, "perlu tanggal YYYY-MM-DD, bukan {text}", text=repr(text))) from None


def parse_slot(text: str) -> time:
    try:
        value = time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr(C, "perlu jam HH:MM, bukan {text}", text=repr(text))) from None
    if value.second or value.microsecond or value.tzinfo:
        raise argparse.ArgumentTypeError(tr(C, "perlu jam HH:MM, bukan {text}", text=repr(text)))
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr(C, "perlu bilangan bulat, bukan {text}", text=repr(text))) from None
    if value < 1:
        raise argparse.ArgumentTypeError(tr(C, "perlu angka 1 atau lebih, bukan {text}", text=repr(text)))
    return value
