"""Printer profiles: python-escpos' capability database decides width, QR and cutter."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kiosk.core.ticket_layout import Paper

PAPER_DOTS = {58: 384, 80: 576}


class ProfileError(ValueError):
    """An unknown profile, or one whose paper width is unknown and not configured."""


@dataclass(frozen=True)
class PrinterModel:
    profile: str
    paper: Paper
    native_qr: bool
    cutter: bool

    @property
    def paper_mm(self) -> int:
        return 58 if self.paper.width_dots <= 432 else 80


@lru_cache(maxsize=32)
def printer_model(profile: str, paper_mm: int = 0, native_qr: str = "auto") -> PrinterModel:
    """What the profile says, with the configured paper width taking precedence.

    ``paper_mm`` 0 takes the width from the profile; 58 or 80 set 384 or 576 dots.
    ``native_qr`` "auto" follows the profile; "yes"/"no" force it (some clones claim
    ``GS ( k`` and print nothing).
    """
    from escpos.capabilities import get_profile

    try:
        data = get_profile(profile).profile_data
    except KeyError:
        raise ProfileError(f"unknown printer profile {profile!r}") from None
    if paper_mm:
        if paper_mm not in PAPER_DOTS:
            raise ProfileError(f"paper width must be 58 or 80 mm, got {paper_mm}")
        dots = PAPER_DOTS[paper_mm]
    else:
        pixels = data.get("media", {}).get("width", {}).get("pixels")
        if not isinstance(pixels, int):
            raise ProfileError(f"profile {profile!r} does not say its paper width; set printer.paper_mm to 58 or 80")
        dots = pixels
    features = data.get("features", {})
    qr = bool(features.get("qrCode")) if native_qr == "auto" else native_qr == "yes"
    cutter = bool(features.get("paperFullCut") or features.get("paperPartCut"))
    return PrinterModel(profile, Paper(dots), qr, cutter)
