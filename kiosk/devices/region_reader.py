"""The region-first reader: find the code, straighten and deblur only that, then decode.

zxing-cpp and ZBar scan rows (and columns) of the whole picture: a Code 128 of 1.4 px
modules turned a few degrees, blurred and crossed by moiré gives them no clean row.
This reader finds the code's region from the structure tensor
(:mod:`kiosk.devices.regions`), samples it upright, averages it into 1-D profiles,
deconvolves those for a few blur guesses and lets zxing-cpp read each clean
rendering (:mod:`kiosk.devices.profiles`). A small blurred QR code gets the same
treatment in 2-D: its region cropped, upscaled and deconvolved.

Every read is checked by an :class:`~kiosk.devices.acceptance.Acceptance`: with this
many attempts per frame, only a booking code's shape or a listed imported code is
reported.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import cv2
import numpy as np

from kiosk.devices.acceptance import Acceptance
from kiosk.devices.decoders import DecodedCode, Decoder, DecoderUnavailable, Point, Symbology
from kiosk.devices.profiles import (Rectified, band_profiles, box_kernel, deblurred, gaussian_kernel,
                                    motion_kernel, rectify, render)
from kiosk.devices.regions import Region, find_regions

# The blur guesses, most common first: none, defocus (Gaussian σ, frame pixels), motion
# along the code's axis (box width, frame pixels). Chosen on the corpus and the hard
# synthetic set together (benchmarks/decode.py), not on either alone.
BAR_KERNELS: tuple[tuple[str, float], ...] = (
    ("none", 0.0), ("gauss", 0.6), ("gauss", 0.9), ("gauss", 1.2), ("box", 3.0), ("gauss", 1.5), ("box", 4.0),
    ("gauss", 1.8), ("box", 5.0), ("gauss", 2.1), ("box", 6.0), ("gauss", 2.4), ("box", 7.0), ("box", 8.0),
    ("box", 9.0),
)
# Wiener's noise-to-signal ratio: low, because averaging the bar height has removed
# most of the noise already (measured: 0.001-0.002 reads the most).
NOISE_TO_SIGNAL = 0.0015
# (Gaussian σ in frame pixels, Wiener noise-to-signal); σ 0 is the crop as is.
QR_DEFOCUS: tuple[tuple[float, float], ...] = ((0.0, 0.0), (1.4, 0.01), (1.8, 0.003), (2.2, 0.01), (2.2, 0.003))
LARGE_QR_MODULE = 12.0  # frame px per module above which a QR code is not deblurred
QR_MOTION: tuple[float, ...] = (4.0, 6.0, 8.0, 10.0)  # motion lengths tried when the blur has a direction


def _kernel(kind: str, size: float) -> np.ndarray | None:
    if kind == "none":
        return None
    return gaussian_kernel(size) if kind == "gauss" else box_kernel(size)


class RegionReader(Decoder):
    """Reads the codes whose regions :func:`find_regions` finds; see the module text.

    ``decode`` finds the regions itself; :meth:`read_regions` takes regions found
    already (the camera pipeline finds them once per frame to decide whether a deep
    pass is worth it).
    """

    name = "region"
    inverts_itself = False

    def __init__(self, acceptance: Acceptance | None = None) -> None:
        try:
            import zxingcpp
        except ImportError as exc:  # pragma: no cover - a broken installation
            raise DecoderUnavailable(f"zxing-cpp cannot be loaded: {exc}") from exc
        self._zx = zxingcpp
        self.acceptance = acceptance or Acceptance()

    def decode(self, gray: np.ndarray, *, fast: bool = False) -> list[DecodedCode]:
        return self.read_regions(gray, find_regions(gray), fast=fast)

    def read_regions(self, gray: np.ndarray, regions: Sequence[Region], *, fast: bool = False,
                     phase: int = 0) -> list[DecodedCode]:
        """The first accepted code of the given regions (best first).

        ``fast``: the camera's budget — the best region of each kind, the whole-height
        band with every blur guess and the thirds only unblurred, half the QR guesses
        (``phase`` says which half: successive frames try the other).
        """
        kinds_done: set[str] = set()
        for region in regions:
            if fast and region.kind in kinds_done:
                continue
            kinds_done.add(region.kind)
            if region.kind == "bars":
                found = self._read_bars(gray, region, fast)
            else:
                found = self._read_square(gray, region, fast, phase)
            if found:
                return found
        return []

    # --- linear codes --------------------------------------------------------------

    def _read_bars(self, gray: np.ndarray, region: Region, fast: bool) -> list[DecodedCode]:
        rect = rectify(gray, region)
        if rect is None:
            return []
        bands = band_profiles(rect.image)
        tried: set[str] = set()
        for band, (kind, size) in self._bar_attempts(len(bands), fast):
            profile = deblurred(bands[band], _kernel(kind, size), NOISE_TO_SIGNAL)
            image = render(profile)
            for text in self._zxing_texts(image, self._zx.BarcodeFormat.Code128):
                if text in tried:
                    continue
                tried.add(text)
                if self.acceptance(text):
                    corners = self._bar_corners(rect)
                    return [DecodedCode(text, Symbology.CODE_128, corners, self.name)]
        return []

    @staticmethod
    def _bar_attempts(bands: int, fast: bool) -> Iterator[tuple[int, tuple[str, float]]]:
        for kernel in BAR_KERNELS:
            yield 0, kernel
        for band in range(1, bands):
            for kernel in BAR_KERNELS[:1] if fast else BAR_KERNELS:
                yield band, kernel

    @staticmethod
    def _bar_corners(rect: Rectified) -> tuple[Point, Point, Point, Point]:
        h, w = rect.image.shape
        return (rect.to_frame(0, 0), rect.to_frame(w - 1, 0), rect.to_frame(w - 1, h - 1), rect.to_frame(0, h - 1))

    # --- QR codes ------------------------------------------------------------------

    def _read_square(self, gray: np.ndarray, region: Region, fast: bool, phase: int) -> list[DecodedCode]:
        side = region.length * 1.35 + 16
        cx, cy = region.centre
        x0, y0 = max(0, int(cx - side / 2)), max(0, int(cy - side / 2))
        x1, y1 = min(gray.shape[1], int(cx + side / 2)), min(gray.shape[0], int(cy + side / 2))
        if x1 - x0 < 16 or y1 - y0 < 16:
            return []
        crop = gray[y0:y1, x0:x1]
        # Upscale so a module has several pixels after deblurring: 2x for small codes.
        factor = 2.0 if max(crop.shape) < 320 else 1.0
        image = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC) if factor != 1 else crop
        image = image.astype(np.float32)
        for candidate in self._qr_candidates(image, region, factor, fast, phase):
            prepared = np.clip(candidate, 0, 255).astype(np.uint8)
            for barcode in self._zx.read_barcodes(prepared, formats=self._zx.BarcodeFormat.QRCode,
                                                  text_mode=self._zx.TextMode.Plain, try_invert=False,
                                                  try_downscale=False):
                if not barcode.valid or not self.acceptance(barcode.text):
                    continue
                p = barcode.position
                corners = tuple((x0 + q.x / factor, y0 + q.y / factor)
                                for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
                return [DecodedCode(barcode.text, Symbology.QR_CODE, corners, self.name)]  # type: ignore[arg-type]
        return []

    @staticmethod
    def _qr_candidates(image: np.ndarray, region: Region, factor: float, fast: bool, phase: int
                       ) -> Iterator[np.ndarray]:
        """The crop as is, deblurred for defocus, then for motion when the region's
        gradients have a direction (a QR code's are the same every way; motion blur
        weakens those along the motion). ``fast``: every other guess, from ``phase``.

        A region of ``LARGE_QR_MODULE`` px modules or more (were it a booking code's
        33-module QR code) is tried as is only: no blur of the hard set hides such
        modules, and deblurring a large crop costs the most.
        """
        if region.length / 33 >= LARGE_QR_MODULE:
            yield image
            return
        step, first = (2, phase % 2) if fast else (1, 0)
        for sigma, nsr in QR_DEFOCUS[first::step]:
            yield image if sigma == 0 else _wiener_2d(image, _gaussian_transfer(image.shape, sigma * factor), nsr)
        if region.coherence < 0.2:
            return
        motion_angle = region.angle + 90.0
        for length in QR_MOTION[first::step]:
            yield _wiener_2d(image, _motion_transfer(image.shape, length * factor, motion_angle))

    def _zxing_texts(self, image: np.ndarray, fmt: object) -> list[str]:
        zx = self._zx
        found = zx.read_barcodes(image, formats=fmt, text_mode=zx.TextMode.Plain, try_invert=False,
                                 try_rotate=False, try_downscale=False, binarizer=zx.Binarizer.FixedThreshold)
        return [b.text for b in found if b.valid]


def _padded_shape(shape: tuple[int, ...]) -> tuple[int, int]:
    return cv2.getOptimalDFTSize(shape[0]), cv2.getOptimalDFTSize(shape[1])


def _gaussian_transfer(shape: tuple[int, ...], sigma: float) -> np.ndarray:
    """A Gaussian's transfer function is a Gaussian: no kernel image needed."""
    H, W = _padded_shape(shape)
    fy = np.fft.fftfreq(H)[:, None]
    fx = np.fft.fftfreq(W)[None, :]
    real = np.exp(-2 * (math.pi * sigma) ** 2 * (fx * fx + fy * fy)).astype(np.float32)
    return np.dstack([real, np.zeros_like(real)])  # OpenCV's complex layout, imaginary part 0


def _motion_transfer(shape: tuple[int, ...], length: float, angle: float) -> np.ndarray:
    H, W = _padded_shape(shape)
    kernel = motion_kernel(length, angle)
    k = np.zeros((H, W), np.float32)
    r = kernel.shape[0] // 2
    k[:kernel.shape[0], :kernel.shape[1]] = kernel
    k = np.roll(k, (-r, -r), axis=(0, 1))  # centred on (0, 0): no shift in the result
    return cv2.dft(k, flags=cv2.DFT_COMPLEX_OUTPUT)


def _wiener_2d(image: np.ndarray, transfer: np.ndarray, noise_to_signal: float = 0.01) -> np.ndarray:
    """Wiener deconvolution through OpenCV's DFT; ``transfer`` is complex (H, W, 2)
    on the padded shape of :func:`_padded_shape`."""
    h, w = image.shape
    H, W = transfer.shape[:2]
    padded = cv2.copyMakeBorder(image, 0, H - h, 0, W - w, cv2.BORDER_REFLECT)
    spectrum = cv2.dft(padded, flags=cv2.DFT_COMPLEX_OUTPUT)
    power = transfer[..., 0] ** 2 + transfer[..., 1] ** 2
    # S * conj(K) / (|K|^2 + nsr)
    gain = cv2.mulSpectrums(spectrum, transfer, 0, conjB=True)
    gain /= (power + noise_to_signal)[..., None]
    restored = cv2.idft(gain, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
    return restored[:h, :w]
