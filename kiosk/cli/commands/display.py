"""``display [--screen N]`` (the waiting-room board) and ``counter --loket N`` (a counter's window)."""

from __future__ import annotations

import argparse

from kiosk.cli.common import CommandError, config_path, positive_int
from kiosk.i18n import tr

C = "Cli"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("display", parents=[common], help=tr(C, "layar ruang tunggu (layar penuh, bel dan suara)"))
    p.add_argument("--screen", type=int, metavar="N",
                   help=tr(C, "layar yang dipakai, 0 = pertama; diingat untuk mulai berikutnya"))
    p.add_argument("--audio", choices=["auto", "fake"], default="auto",
                   help=tr(C, "keluaran suara: perangkat bawaan, atau pengganti senyap yang sama lamanya"))
    p.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)  # JSON lines per call (tests, benchmark)
    p.set_defaults(handler=run_display)
    c = sub.add_parser("counter", parents=[common], help=tr(C, "jendela loket: panggil, panggil ulang, layani, selesai"))
    c.add_argument("--loket", required=True, type=positive_int, help=tr(C, "nomor loket"))
    c.add_argument("--compact", action="store_true", help=tr(C, "mulai dalam mode kecil yang selalu di atas"))
    c.set_defaults(handler=run_counter)


def run_display(args: argparse.Namespace) -> int:
    from display.app import DisplayController, ScreenFollower, make_sink, stdout_trace
    from display.screens import ScreenMemory, choice_for_index
    from kiosk.app import open_read_context
    from kiosk.config import load_config
    from kiosk.services.privacy import DailyPurge

    if args.screen is not None and not 0 <= args.screen <= 15:
        raise CommandError(tr(C, "--screen {screen}: perlu nomor layar 0 sampai 15", screen=args.screen), 2, "usage")
    from kiosk.ops import install_crash_handler, setup_logging

    config = load_config(config_path(args))
    setup_logging(config)  # the rotating log file, as every other command writes
    install_crash_handler(config)
    # No keys (it signs nothing) and no migration: the display may start before the
    # database is reachable.
    ctx = open_read_context(config, db_url=args.db, migrate=False)
    from kiosk.ui.launch import qt_app

    app = qt_app(args.lang)
    memory = ScreenMemory(config.data_dir / "display-screen.json")
    if args.screen is not None:
        memory.save(choice_for_index(args.screen))
    controller = DisplayController(ctx, make_sink(args.audio), trace=stdout_trace if args.trace else None)
    follower = ScreenFollower(controller.window, memory)
    follower.place()
    controller.start()
    purge = DailyPurge(ctx).start()
    try:
        app.exec()
    finally:
        purge.stop()
        follower.close()
        controller.close()
        ctx.close()
    return 0


def run_counter(args: argparse.Namespace) -> int:
    from kiosk.cli.common import context
    from kiosk.services.privacy import DailyPurge
    from kiosk.ui.counter import CounterWindow

    ctx = context(args, f"loket{args.loket}")
    try:
        if str(args.loket) not in ctx.config.queue.counters:
            known = ", ".join(sorted(ctx.config.queue.counters, key=int))
            raise CommandError(tr(C, "loket {counter} tidak ada di konfigurasi (yang ada: {known})",
                                  counter=args.loket, known=known), 2, "usage")
        from kiosk.ui.launch import qt_app

        app = qt_app(args.lang)
        window = CounterWindow(ctx, args.loket)
        window.set_compact(args.compact)
        window.show()
        try:
            with DailyPurge(ctx):
                app.exec()
        finally:
            window.shutdown()
    finally:
        ctx.close()
    return 0
