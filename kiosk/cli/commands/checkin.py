"""``checkin CODE`` and ``walkin --category …``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from kiosk.cli.common import EXIT_OK, EXIT_REJECTED, context, emit, parse_date
from kiosk.i18n import tr

C = "Cli"

if TYPE_CHECKING:
    from kiosk.app import AppContext
    from kiosk.services.results import TicketInfo


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("checkin", parents=[common], help=tr(C, "check-in kode booking (seperti pemindai meja depan)"))
    p.add_argument("code", help=tr(C, "kode booking seperti dipindai atau diketik"))
    p.set_defaults(handler=run_checkin)
    w = sub.add_parser("walkin", parents=[common], help=tr(C, "terbitkan tiket prioritas tanpa booking"))
    w.add_argument("--category", required=True, help=tr(C, "lansia, anak, disabilitas atau ibu_hamil"))
    w.add_argument("--birth", type=parse_date, help=tr(C, "tanggal lahir YYYY-MM-DD (lansia dan anak)"))
    w.add_argument("--name", help=tr(C, "nama (disimpan hanya sampai penghapusan data pribadi)"))
    w.set_defaults(handler=run_walkin)


def with_status_url(ctx: AppContext, data: dict[str, Any], ticket: TicketInfo | None) -> dict[str, Any]:
    """``ticket.status_url``: the ticket's status page, when ``web.public_url`` is set."""
    if ticket is not None and "ticket" in data:
        from kiosk.services.status import status_url

        data["ticket"]["status_url"] = status_url(ctx, ticket.service_day, ticket.label)
    return data


def run_checkin(args: argparse.Namespace) -> int:
    from kiosk.services import check_in

    ctx = context(args, "cli")
    try:
        result = check_in(ctx, args.code, actor="cli")
        data = with_status_url(ctx, result.to_json(), result.ticket)
    finally:
        ctx.close()
    emit(args, data, f"[{result.outcome.value}] {result.message}")
    return EXIT_OK if result.issued else EXIT_REJECTED


def run_walkin(args: argparse.Namespace) -> int:
    from kiosk.services import walk_in

    ctx = context(args, "cli")
    try:
        result = walk_in(ctx, args.category, birth=args.birth, name=args.name, actor="cli")
        data = with_status_url(ctx, result.to_json(), result.ticket)
    finally:
        ctx.close()
    emit(args, data, f"[{result.outcome.value}] {result.message}")
    return EXIT_OK if result.issued else EXIT_REJECTED
