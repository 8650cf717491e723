"""``display [--screen N]`` (the waiting-room board) and ``counter --loket N`` (a counter's window)."""

from __future__ import annotations

import argparse

from kiosk.cli.common import CommandError, config_path, positive_int


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("display", parents=[common], help="waiting-room display (full screen, chime and voice)")
    p.add_argument("--screen", type=int, metavar="N",
                   help="screen to use, 0 = first; remembered for the next start")
    p.add_argument("--audio", choices=["auto", "fake"], default="auto",
                   help="sound output: the default device, or a silent stand-in that takes as long")
    p.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)  # JSON lines per call (tests, benchmark)
    p.set_defaults(handler=run_display)
    c = sub.add_parser("counter", parents=[common], help="counter (loket) window: call, recall, serve, done")
    c.add_argument("--loket", required=True, type=positive_int, help="counter (loket) number")
    c.add_argument("--compact", action="store_true", help="start in the small always-on-top mode")
    c.set_defaults(handler=run_counter)


def run_display(args: argparse.Namespace) -> int:
    from display.app import DisplayController, ScreenFollower, make_sink, stdout_trace
    from display.screens import ScreenMemory, choice_for_index
    from kiosk.app import AppContext, clock_from_environment
    from kiosk.config import load_config
    from kiosk.keyring import KeyRing
    from kiosk.services.privacy import DailyPurge
    from kiosk.store import Database

    if args.screen is not None and not 0 <= args.screen <= 15:
        raise CommandError(f"--screen {args.screen}: expected a screen number from 0 to 15", 2, "usage")
    from kiosk.ops import install_crash_handler, setup_logging

    config = load_config(config_path(args))
    setup_logging(config)  # the rotating log file, as every other command writes
    install_crash_handler(config)
    clock = clock_from_environment(config)
    # Read-only and no migration: the display may start before the database is reachable.
    db = Database(args.db or config.database_url, migrate=False)
    from kiosk.ui.launch import qt_app

    app = qt_app(args.lang)
    memory = ScreenMemory(config.data_dir / "display-screen.json")
    if args.screen is not None:
        memory.save(choice_for_index(args.screen))
    controller = DisplayController(config, db, clock.now, make_sink(args.audio),
                                   trace=stdout_trace if args.trace else None, clock=clock)
    follower = ScreenFollower(controller.window, memory)
    follower.place()
    controller.start()
    purge = DailyPurge(AppContext(config, db, clock, KeyRing(config.keys_path, []))).start()
    try:
        app.exec()
    finally:
        purge.stop()
        follower.close()
        controller.close()
        db.dispose()
    return 0


def run_counter(args: argparse.Namespace) -> int:
    from kiosk.cli.common import context
    from kiosk.services.privacy import DailyPurge
    from kiosk.ui.counter import CounterWindow

    ctx = context(args, f"loket{args.loket}")
    try:
        if str(args.loket) not in ctx.config.queue.counters:
            known = ", ".join(sorted(ctx.config.queue.counters, key=int))
            raise CommandError(f"loket {args.loket} is not in the config (known: {known})", 2, "usage")
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
