"""``desk``: the front-desk window (or the self-service touch screen)."""

from __future__ import annotations

import argparse
import time

from kiosk.cli.common import context
from kiosk.i18n import tr

C = "Cli"

_STARTED = time.perf_counter()  # as early as the command modules are imported


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("desk", parents=[common], help=tr(C, "jendela meja depan: pindai, putusan, tiket, prioritas tanpa booking"))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--self-service", dest="self_service", action="store_true", default=None,
                      help=tr(C, "mode layar sentuh: hanya alur prioritas tanpa booking (bawaan: desk.self_service)"))
    mode.add_argument("--officer", dest="self_service", action="store_false",
                      help=tr(C, "meja petugas walau konfigurasi meminta layanan mandiri"))
    p.add_argument("--quit-after-shown", action="store_true", help=argparse.SUPPRESS)  # start-up benchmark
    p.set_defaults(handler=run_desk_command)


def run_desk_command(args: argparse.Namespace) -> int:
    from kiosk.services.privacy import DailyPurge
    from kiosk.ui.launch import run_desk

    ctx = context(args, "desk")
    try:
        with DailyPurge(ctx):
            return run_desk(ctx, self_service=args.self_service, started=_STARTED,
                            quit_after_shown=args.quit_after_shown)
    finally:
        ctx.close()
