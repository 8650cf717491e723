"""``call next|recall|serve|done|noshow|transfer --counter N`` and ``queue``."""

from __future__ import annotations

import argparse

from kiosk.cli.common import CommandError, context, emit, positive_int
from kiosk.i18n import clock_time, tr

C = "Cli"

ACTIONS = ("next", "recall", "serve", "done", "noshow", "transfer")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("call", parents=[common], help=tr(C, "tindakan loket"))
    p.add_argument("action", choices=ACTIONS)
    p.add_argument("--counter", required=True, type=positive_int, help=tr(C, "nomor loket"))
    p.add_argument("--to", help=tr(C, "huruf layanan tujuan pengalihan (dengan transfer)"))
    p.set_defaults(handler=run_call)
    q = sub.add_parser("queue", parents=[common], help=tr(C, "jumlah yang menunggu dan panggilan terakhir"))
    q.set_defaults(handler=run_queue)


def run_call(args: argparse.Namespace) -> int:
    from kiosk import services
    from kiosk.services import CallError

    if args.action == "transfer" and not args.to:
        raise CommandError(tr(C, "call transfer perlu --to LAYANAN"), 2, "usage")
    ctx = context(args, f"loket{args.counter}")
    try:
        if args.action == "transfer":
            result = services.transfer(ctx, args.counter, args.to, actor=ctx.actor)
        else:
            action = {"next": services.call_next, "recall": services.recall, "serve": services.start_serving,
                      "done": services.finish, "noshow": services.no_show}[args.action]
            result = action(ctx, args.counter, actor=ctx.actor)
    except CallError as exc:
        raise CommandError(str(exc), outcome="refused") from None
    finally:
        ctx.close()
    emit(args, result.to_json(), result.message)
    return 0


def run_queue(args: argparse.Namespace) -> int:
    from kiosk.services import queue_status

    ctx = context(args, "cli")
    try:
        status = queue_status(ctx)
    finally:
        ctx.close()
    lines = [tr(C, "Menunggu: {counts}", counts=", ".join(f"{s} {n}" for s, n in status.waiting.items())),
             tr(C, "Sisa kuota prioritas: {left}", left=status.priority_quota_left)]
    lines += [tr(C, "Loket {counter}: {number}", counter=c, number=t.label if t else "-")
              for c, t in status.counters.items()]
    lines += [tr(C, "{time}  {number} → loket {counter}", time=clock_time(c["at"]), number=c["number"],
                 counter=c["counter"]) for c in status.last_calls]
    emit(args, status.to_json(), "\n".join(lines))
    return 0
