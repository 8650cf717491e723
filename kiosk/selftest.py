"""A headless self-test of an installation: database, key, decoders, a ticket rendered,
a sound fragment loaded. Run by the installer build in CI and by IT after installing."""

from __future__ import annotations

import io
import tempfile
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    ms: float


def _database_and_ticket(folder: Path) -> tuple[str, object]:
    from kiosk.app import open_context
    from kiosk.config import from_mapping
    from kiosk.core.clock import FixedClock
    from kiosk.services import walk_in

    config = from_mapping({"office": {"code": "JKP", "name": "Selftest"}, "paths": {"data_dir": str(folder)}})
    ctx = open_context(config, clock=FixedClock(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))),
                       create_keys=True)  # a throwaway office
    result = walk_in(ctx, "disabilitas")
    if not result.issued:
        raise RuntimeError(result.message)
    return f"{ctx.db.url.get_backend_name()} schema {ctx.db.current_revision()}, ticket {result.ticket.label}", ctx


def _key(folder: Path) -> str:
    from datetime import time as t

    from kiosk.core import booking_code
    from kiosk.keyring import KeyRing

    ring = KeyRing.create_or_load(folder / "keys.json")
    code = booking_code.generate(ring.signing_key, "JKP", date(2026, 12, 1), t(10, 0), 42)
    forged = booking_code.parse(code.text[:-1] + ("A" if code.text[-1] != "A" else "B"))
    if not booking_code.verify(booking_code.parse(code.text), ring.keys) or booking_code.verify(forged, ring.keys):
        raise RuntimeError("booking-code signature does not verify")
    if (folder / "keys.json").stat().st_mode & 0o077 and not _windows():
        raise RuntimeError("key file is readable by others")
    return code.text


def _windows() -> bool:
    import sys

    return sys.platform == "win32"


def _decoders(text: str) -> str:
    import numpy as np
    import qrcode

    from kiosk.devices.decoders import DECODERS, make_decoders

    frame = np.array(qrcode.make(text, border=4).get_image().convert("L"))
    found = [d.name for d in make_decoders(list(DECODERS), skip_unavailable=False)
             if any(code.text == text for code in d.decode(frame))]
    if len(found) != len(DECODERS):
        raise RuntimeError(f"only {found or 'no decoder'} of {', '.join(DECODERS)} read the test QR code")
    return ", ".join(found)


def _ticket(ctx: object) -> str:
    from kiosk.devices.printing.profiles import printer_model
    from kiosk.devices.printing.render_escpos import render_escpos
    from kiosk.devices.printing.render_png import render_png
    from kiosk.services.printing import render_ticket_layout

    model = printer_model("TM-T20II")
    layout = render_ticket_layout(ctx, "B001", model.paper)  # type: ignore[arg-type]
    data = render_escpos(layout, model)
    png = render_png(layout)
    if b"B001" not in data or not png.startswith(b"\x89PNG"):
        raise RuntimeError("ticket did not render")
    return f"ESC/POS {len(data)} bytes, PNG {len(png)} bytes"


def _sound() -> str:
    folder = RESOURCES / "sounds" / "id"
    chime = folder / "chime.wav"
    with wave.open(io.BytesIO(chime.read_bytes())) as w:
        frames = w.getnframes()
        rate = w.getframerate()
    if frames == 0:
        raise RuntimeError(f"{chime} is empty")
    return f"{len(list(folder.glob('*.wav')))} fragments, chime {frames / rate:.2f} s"


def run_selftest() -> list[Check]:
    checks: list[Check] = []
    ctx = None

    def step(name: str, fn: Callable[[], str]) -> None:
        start = time.perf_counter()
        try:
            detail, ok = fn(), True
        except Exception as exc:  # a self-test reports every failure, it does not stop at the first
            detail, ok = f"{type(exc).__name__}: {exc}", False
        checks.append(Check(name, ok, detail, round((time.perf_counter() - start) * 1000, 1)))

    with tempfile.TemporaryDirectory(prefix="antrean-selftest-") as tmp:
        folder = Path(tmp)
        holder: dict[str, object] = {}

        def database() -> str:
            detail, holder["ctx"] = _database_and_ticket(folder / "db")
            return detail

        step("database", database)
        code_holder: dict[str, str] = {}

        def key() -> str:
            code_holder["code"] = _key(folder / "keys")
            return "signed and verified " + code_holder["code"]

        step("key", key)
        step("decoders", lambda: _decoders(code_holder.get("code", "AP1-JKP-261201-1000-042-00000000")))
        step("ticket", lambda: _ticket(holder["ctx"]))
        step("sound", _sound)
        ctx = holder.get("ctx")
        if ctx is not None:
            ctx.close()  # type: ignore[attr-defined]
    return checks
