"""Entry point of ``python main.py``: global options, dispatch, exit codes.

Exit codes: 0 success (for ``checkin``/``walkin``: a ticket was issued), 1 a rejection,
2 a usage or configuration error, 3 the database or a device is unavailable.
"""

from __future__ import annotations

import argparse
import logging
import sys

from sqlalchemy.exc import IntegrityError

from kiosk import __version__
from kiosk.cli.commands import COMMANDS
from kiosk.cli.common import EXIT_CONFIG, EXIT_UNAVAILABLE, CommandError, fail
from kiosk.config import ConfigError
from kiosk.config import words as config_words
from kiosk.i18n import LANGUAGES, set_language, tr
from kiosk.keyring import KeyFileError
from kiosk.store import DatabaseError


C = "Cli"


def _argparse_words() -> dict[str, str]:
    """argparse's own words (usage, errors) in the current language."""
    return {
        "usage: ": tr(C, "pemakaian: "),
        "positional arguments": tr(C, "argumen"),
        "options": tr(C, "opsi"),
        "show this help message and exit": tr(C, "tampilkan bantuan ini lalu keluar"),
        "%(prog)s: error: %(message)s\n": tr(C, "%(prog)s: kesalahan: %(message)s\n"),
        "the following arguments are required: %s": tr(C, "argumen ini wajib diisi: %s"),
        "argument %(argument_name)s: %(message)s": tr(C, "argumen %(argument_name)s: %(message)s"),
        "invalid choice: %(value)r (choose from %(choices)s)": tr(
            C, "pilihan tidak dikenal: %(value)r (pilih salah satu: %(choices)s)"),
        "invalid %(type)s value: %(value)r": tr(C, "nilai %(type)s tidak sah: %(value)r"),
        "unrecognized arguments: %s": tr(C, "argumen tidak dikenal: %s"),
        "expected one argument": tr(C, "perlu satu nilai"),
        "ambiguous option: %(option)s could match %(matches)s": tr(
            C, "opsi %(option)s bisa berarti %(matches)s"),
    }


def _speak(language: str) -> None:
    """Messages, help and argparse's own words in ``language``."""
    set_language(language)
    words = _argparse_words()
    argparse._ = lambda text: words.get(text, text)  # type: ignore[attr-defined]


def _asked_language(argv: list[str]) -> str:
    """--lang, read before the parser is built so that its help is in that language."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else \
            arg.partition("=")[2] if arg.startswith("--lang=") else None
        if value in LANGUAGES:
            return value
    return "id"


def build_parser() -> argparse.ArgumentParser:
    # Global options are accepted before and after the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=tr(C, "keluaran JSON untuk mesin"))
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help=tr(C, "file konfigurasi (bawaan: ANTREAN_CONFIG atau folder konfigurasi pengguna)"))
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=tr(C, "URL basis data, menggantikan konfigurasi"))
    common.add_argument("--lang", choices=["id", "en"], default=argparse.SUPPRESS,
                        help=tr(C, "bahasa pesan (bawaan: id, Bahasa Indonesia)"))
    parser = argparse.ArgumentParser(prog="python main.py", parents=[common],
                                     description=tr(C, "Antrean Paspor: sistem antrean untuk kantor imigrasi."))
    parser.add_argument("--version", action="version", version=f"Antrean Paspor {__version__}",
                        help=tr(C, "tampilkan versi program lalu keluar"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _speak(_asked_language(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(argv)
    for key, default in (("json", False), ("config", None), ("db", None), ("lang", "id")):
        if not hasattr(args, key):
            setattr(args, key, default)
    _speak(args.lang)
    try:
        return int(args.handler(args))
    except CommandError as exc:
        return fail(args, str(exc), exc.exit_code, exc.outcome)
    except (ConfigError, KeyFileError) as exc:
        words = config_words.in_file(exc) if isinstance(exc, ConfigError) else str(exc)
        return fail(args, words, EXIT_CONFIG, "config_error")
    except DatabaseError as exc:
        return fail(args, str(exc), EXIT_UNAVAILABLE, "unavailable")
    except IntegrityError as exc:
        # Two commands wrote the same rows at the same moment; the loser's transaction was
        # rolled back whole. Its text names the values (personal data): log the kind only.
        logging.getLogger("kiosk.cli").warning("write conflict: %s (%s)", type(exc.orig).__name__,
                                               getattr(getattr(exc.orig, "diag", None), "constraint_name", None))
        return fail(args, tr(C, "Data yang sama sedang diubah oleh perintah lain; tidak ada yang disimpan. "
                             "Coba lagi."), EXIT_UNAVAILABLE, "conflict")
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
