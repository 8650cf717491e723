"""Barcode decoders behind one interface: zxing-cpp and ZBar (pyzbar).

Only QR codes and Code 128 are read: the booking code is printed as both, and every
other symbology is a chance for a false read. Decoders take an 8-bit grayscale image
(a 2-D numpy array) and return what they found with the corner points, so the
preview can outline the code. Which decoders run, and in which order, is set in the
configuration (``scanner.decoders``); :func:`make_decoders` builds them by name.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

log = logging.getLogger(__name__)

Point = tuple[float, float]


class Symbology(StrEnum):
    QR_CODE = "QRCode"
    CODE_128 = "Code128"


@dataclass(frozen=True)
class DecodedCode:
    """One code found in an image: its text, its symbology and its outline.

    ``corners`` are four (x, y) points in image pixels, clockwise from the code's own
    top-left corner where the decoder knows it.
    """

    text: str
    symbology: Symbology
    corners: tuple[Point, Point, Point, Point]
    decoder: str = field(default="", compare=False)

    def mapped(self, affine: np.ndarray) -> DecodedCode:
        """The same code with its corners mapped by a 2x3 affine matrix."""
        (a, b, c), (d, e, f) = affine
        corners = tuple((a * x + b * y + c, d * x + e * y + f) for x, y in self.corners)
        return DecodedCode(self.text, self.symbology, corners, self.decoder)  # type: ignore[arg-type]


class DecoderUnavailable(RuntimeError):
    """A decoder library (or the system library behind it) cannot be loaded."""


class Decoder(ABC):
    name: str
    inverts_itself = False  # True when the decoder also tries light-on-dark by itself (not when fast)

    @abstractmethod
    def decode(self, gray: np.ndarray, *, fast: bool = False) -> list[DecodedCode]:
        """Every QR code and Code 128 found in an 8-bit grayscale image.

        ``fast``: within a camera frame's budget, skip the decoder's own costly extra
        passes (the pipeline tries those as separate retries on later frames).
        """


class ZxingDecoder(Decoder):
    """zxing-cpp: fast, reads rotated, inverted (dark mode) and small codes itself."""

    name = "zxing-cpp"
    inverts_itself = True

    def __init__(self) -> None:
        try:
            import zxingcpp
        except ImportError as exc:  # pragma: no cover - a broken installation
            raise DecoderUnavailable(f"zxing-cpp cannot be loaded: {exc}") from exc
        self._zx = zxingcpp
        self._formats = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128)
        self._symbology = {
            zxingcpp.BarcodeFormat.QRCode: Symbology.QR_CODE,
            zxingcpp.BarcodeFormat.Code128: Symbology.CODE_128,
        }

    def decode(self, gray: np.ndarray, *, fast: bool = False) -> list[DecodedCode]:
        zx = self._zx
        # Plain text mode: the code's own characters, not zxing's "human readable"
        # rendering that spells control characters as <GS> and the like. The inverted
        # pass costs as much as the rest on an empty frame: not within a frame's budget.
        found = zx.read_barcodes(gray, formats=self._formats, text_mode=zx.TextMode.Plain,
                                 try_invert=not fast)
        codes = []
        for barcode in found:
            symbology = self._symbology.get(barcode.format)
            if symbology is None or not barcode.valid:
                continue
            p = barcode.position
            corners = tuple((float(q.x), float(q.y))
                            for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
            codes.append(DecodedCode(barcode.text, symbology, corners, self.name))  # type: ignore[arg-type]
        return codes


class ZbarDecoder(Decoder):
    """ZBar through pyzbar: slower, but reads some blurred and low-contrast codes
    zxing-cpp misses, so it is the second opinion."""

    name = "pyzbar"

    def __init__(self) -> None:
        try:
            from pyzbar import pyzbar
        except (ImportError, OSError) as exc:  # OSError: libzbar0 is not installed
            raise DecoderUnavailable(f"pyzbar cannot be loaded (is libzbar0 installed?): {exc}") from exc
        self._zbar = pyzbar
        self._symbols = [pyzbar.ZBarSymbol.QRCODE, pyzbar.ZBarSymbol.CODE128]
        self._symbology = {"QRCODE": Symbology.QR_CODE, "CODE128": Symbology.CODE_128}

    def decode(self, gray: np.ndarray, *, fast: bool = False) -> list[DecodedCode]:
        if gray.ndim != 2 or gray.size == 0:
            return []
        if not gray.flags.c_contiguous:
            gray = np.ascontiguousarray(gray)
        codes = []
        for symbol in self._zbar.decode(gray, symbols=self._symbols):
            symbology = self._symbology.get(symbol.type)
            if symbology is None:
                continue
            codes.append(DecodedCode(_zbar_text(symbol.data), symbology, _four_corners(symbol.polygon),
                                     self.name))
        return codes


def _zbar_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _four_corners(polygon: Sequence[tuple[int, int]]) -> tuple[Point, Point, Point, Point]:
    """ZBar gives a polygon of any length (a line of points for a 1-D code): its
    smallest enclosing rectangle is the outline."""
    import cv2

    points = np.array([(p[0], p[1]) for p in polygon], dtype=np.float32)
    if len(points) == 0:
        return ((0.0, 0.0),) * 4  # type: ignore[return-value]
    box = cv2.boxPoints(cv2.minAreaRect(points))
    return tuple((float(x), float(y)) for x, y in box)  # type: ignore[return-value]


DECODERS: dict[str, type[Decoder]] = {"zxing-cpp": ZxingDecoder, "pyzbar": ZbarDecoder}
DEFAULT_ORDER = ("zxing-cpp", "pyzbar")  # chosen by benchmarks/decode.py (docs/benchmarks.md)


def make_decoders(names: Sequence[str], *, skip_unavailable: bool = True) -> list[Decoder]:
    """Build the decoders named in ``names``, in that order.

    A decoder whose library cannot be loaded is skipped with a warning (the other one
    still reads codes) unless ``skip_unavailable`` is false; unknown names are errors.
    """
    decoders: list[Decoder] = []
    for name in names:
        if name not in DECODERS:
            raise ValueError(f"unknown decoder {name!r}: expected one of {', '.join(DECODERS)}")
        try:
            decoders.append(DECODERS[name]())
        except DecoderUnavailable:
            if not skip_unavailable:
                raise
            log.warning("decoder %s is not available; scanning without it", name, exc_info=True)
    if not decoders:
        raise DecoderUnavailable(f"none of the decoders {', '.join(names)} can be loaded")
    return decoders
