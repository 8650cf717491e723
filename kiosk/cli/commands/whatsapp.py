"""``wa`` (answer one message as if it came by WhatsApp) and ``wa-server`` (the webhook)."""

from __future__ import annotations

import argparse
import logging
import uuid
from pathlib import Path

from kiosk.booking.replies import IntakeOutcome
from kiosk.cli.common import EXIT_CONFIG, EXIT_OK, EXIT_REJECTED, CommandError, context, emit, positive_int

SUCCESS = {IntakeOutcome.BOOKED, IntakeOutcome.STATUS, IntakeOutcome.CANCELLED}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    wa = sub.add_parser("wa", parents=[common], help="answer one booking message as if it came by WhatsApp",
                        description="Handles the message like the webhook does and prints the reply; the reply "
                                    "is recorded in the outbox, never sent.")
    wa.add_argument("--from", dest="sender", required=True, metavar="PHONE", help="sender, e.g. 6281234567890")
    wa.add_argument("--id", dest="message_id", help="message id (the same id again replays the same reply; "
                                                    "default: a new one)")
    wa.add_argument("--photo", type=Path, help="e-KTP photo sent with the message (address format)")
    wa.add_argument("--no-image", action="store_true", help="do not write the reply image")
    wa.add_argument("message", help='the text, e.g. "#Budi#25011987#07082027"')
    wa.set_defaults(handler=run_wa)

    server = sub.add_parser("wa-server", parents=[common], help="run the WhatsApp Cloud API webhook",
                            description="GET answers Meta's verification handshake; POSTs must carry a valid "
                                        "X-Hub-Signature-256. Secrets come from intake.secrets_file.")
    server.add_argument("--host", help="address to listen on (default: intake.webhook_host, 127.0.0.1)")
    server.add_argument("--port", type=positive_int, help="port (default: intake.webhook_port)")
    server.set_defaults(handler=run_server)


def run_wa(args: argparse.Namespace) -> int:
    from kiosk.booking.intake import BadMessage, IncomingMessage, handle_message
    from kiosk.booking.senders import OutboxSender

    photo = None
    if args.photo is not None:
        try:
            photo = args.photo.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read photo {args.photo}: {exc.strerror}", EXIT_CONFIG, "usage") from None
    ctx = context(args, "whatsapp")
    try:
        message = IncomingMessage(args.message_id or f"cli.{uuid.uuid4().hex}", args.sender, args.message,
                                  "image" if photo is not None else "text", photo)
        try:
            reply = handle_message(ctx, message, render_image=not args.no_image)
        except BadMessage as exc:
            raise CommandError(str(exc), EXIT_CONFIG, "usage") from None
        if not reply.replayed:
            OutboxSender(ctx).send(reply)
    finally:
        ctx.close()
    human = reply.text + (f"\n\n[gambar: {reply.image_path}]" if reply.image_path else "")
    emit(args, reply.to_json(), human)
    return EXIT_OK if reply.outcome in SUCCESS else EXIT_REJECTED


def start_nudges(ctx, sender):  # type: ignore[no-untyped-def]
    """Near-turn template messages go out with the Cloud API sender (see kiosk.booking.nudges)."""
    from kiosk.booking.nudges import NudgeWorker
    from kiosk.booking.senders import CloudApiSender

    if not isinstance(sender, CloudApiSender) or ctx.config.intake.notify_ahead <= 0:
        return None
    worker = NudgeWorker(ctx, sender.client)
    worker.start()
    return worker


def run_server(args: argparse.Namespace) -> int:
    from aiohttp import web

    from kiosk.booking.senders import load_secrets, make_sender
    from kiosk.booking.webhook import build_app, media_fetcher_for

    logging.getLogger("kiosk").setLevel(logging.INFO)
    ctx = context(args, "whatsapp")
    try:
        secrets = load_secrets(ctx.config.whatsapp_secrets_path)
        sender = make_sender(ctx, secrets)
        app = build_app(ctx, secrets, sender, media_fetcher_for(ctx, secrets))
        host = args.host or ctx.config.intake.webhook_host
        port = args.port or ctx.config.intake.webhook_port
        print(f"WhatsApp webhook on http://{host}:{port}{ctx.config.intake.webhook_path} "
              f"(replies: {ctx.config.intake.sender}); Ctrl+C stops", flush=True)
        nudges = start_nudges(ctx, sender)
        try:
            web.run_app(app, host=host, port=port, print=None, handle_signals=True)
        finally:
            if nudges is not None:
                nudges.stop()
    finally:
        ctx.close()
    return EXIT_OK
