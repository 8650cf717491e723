"""Each ticket's status page address (``web.public_url`` + ``/t/<token>``)."""

from __future__ import annotations

from datetime import date

from kiosk.app import AppContext
from kiosk.core.status_token import make_token


def status_url(ctx: AppContext, service_day: date, label: str) -> str | None:
    """The URL the ticket's QR code opens; None when status pages are off (no public_url)."""
    base = ctx.config.web.public_url.rstrip("/")
    if not base or not ctx.keyring.entries:
        return None
    return f"{base}/t/{make_token(ctx.keyring.signing_key, ctx.config.office.code, service_day, label)}"
