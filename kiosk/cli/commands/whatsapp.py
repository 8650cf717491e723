"""``wa`` (answer one message as if it came by WhatsApp) and ``wa-server`` (the webhook)."""

from __future__ import annotations

import argparse
import logging
import sys
import uuid
from pathlib import Path

from kiosk.booking.replies import IntakeOutcome
from kiosk.cli.common import EXIT_CONFIG, EXIT_OK, EXIT_REJECTED, CommandError, context, emit, positive_int
from kiosk.i18n import tr

C = "Cli"

SUCCESS = {IntakeOutcome.BOOKED, IntakeOutcome.STATUS, IntakeOutcome.CANCELLED}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    wa = sub.add_parser("wa", parents=[common], help=tr(C, "jawab satu pesan booking seolah datang lewat WhatsApp"),
                        description=tr(C, "Menangani pesan seperti webhook dan menampilkan balasannya; balasan dicatat di outbox, tidak pernah dikirim."))
    wa.add_argument("--from", dest="sender", required=True, metavar="PHONE", help=tr(C, "pengirim, mis. 6281234567890"))
    wa.add_argument("--id", dest="message_id", help=tr(C, "id pesan (id yang sama memutar ulang balasan yang sama; bawaan: id baru)"))
    wa.add_argument("--photo", type=Path, help=tr(C, "foto e-KTP yang dikirim bersama pesan (format alamat)"))
    wa.add_argument("--no-image", action="store_true", help=tr(C, "jangan tulis gambar balasan"))
    wa.add_argument("message", help=tr(C, "teksnya, mis. \"#Budi#25011987#07082027\""))
    wa.set_defaults(handler=run_wa)

    server = sub.add_parser("wa-server", parents=[common], help=tr(C, "jalankan webhook WhatsApp Cloud API"),
                            description=tr(C, "GET menjawab jabat tangan verifikasi Meta; POST harus membawa X-Hub-Signature-256 yang sah. Rahasia diambil dari intake.secrets_file."))
    server.add_argument("--host", help=tr(C, "alamat yang didengarkan (bawaan: intake.webhook_host, 127.0.0.1)"))
    server.add_argument("--port", type=positive_int, help=tr(C, "port (bawaan: intake.webhook_port)"))
    server.set_defaults(handler=run_server)


def run_wa(args: argparse.Namespace) -> int:
    from kiosk.booking.intake import BadMessage, IncomingMessage, handle_message
    from kiosk.booking.senders import OutboxSender

    photo = None
    if args.photo is not None:
        try:
            photo = args.photo.read_bytes()
        except OSError as exc:
            raise CommandError(tr(C, "foto {file} tidak bisa dibaca: {reason}", file=args.photo, reason=exc.strerror),
                               EXIT_CONFIG, "usage") from None
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


def run_server(args: argparse.Namespace) -> int:
    import asyncio
    import contextlib

    from kiosk.booking.outbox_worker import OutboxRetrier
    from kiosk.booking.senders import CloudApiSender, load_secrets, make_sender
    from kiosk.booking.webhook import build_app, media_fetcher_for
    from kiosk.serving import Limits, PortInUse, listening_socket, serve
    from kiosk.services.privacy import DailyPurge

    logging.getLogger("kiosk").setLevel(logging.INFO)
    ctx = context(args, "whatsapp")
    try:
        intake = ctx.config.intake
        secrets = load_secrets(ctx.config.whatsapp_secrets_path)
        sender = make_sender(ctx, secrets)
        app = build_app(ctx, secrets, sender, media_fetcher_for(ctx, secrets))
        host = args.host or intake.webhook_host
        port = args.port or intake.webhook_port
        try:
            sock = listening_socket(host, port)
        except PortInUse:
            raise CommandError(tr(C, "tidak bisa mendengarkan di {host}:{port}: port sudah dipakai (wa-server lain, "
                                  "atau program lain); hentikan itu atau pilih --port", host=host, port=port),
                               EXIT_CONFIG, "usage") from None
        except OSError as exc:
            raise CommandError(tr(C, "tidak bisa mendengarkan di {host}:{port}: {reason}", host=host, port=port,
                                  reason=exc.strerror), EXIT_CONFIG, "usage") from None
        limits = Limits(intake.webhook_header_timeout, intake.webhook_body_timeout, intake.webhook_max_connections)
        with contextlib.ExitStack() as running:
            running.enter_context(DailyPurge(ctx))
            if isinstance(sender, CloudApiSender):
                running.enter_context(OutboxRetrier(ctx, sender.client))
            else:
                print("WARNING: intake.sender = \"outbox\": replies are only recorded, NO applicant is answered",
                      file=sys.stderr, flush=True)

            def ready() -> None:
                print(f"WhatsApp webhook on http://{host}:{sock.getsockname()[1]}{intake.webhook_path} "
                      f"(replies: {intake.sender}); Ctrl+C stops", flush=True)

            try:
                asyncio.run(serve(app, sock, limits, ready=ready))
            except KeyboardInterrupt:
                pass
    finally:
        ctx.close()
    return EXIT_OK
