"""From a picture to the codes in it: grayscale, the configured decoders, and the
retries a phone screen needs.

A phone held up to a webcam gives moiré (the screen's pixel grid beating with the
sensor's), glare, blur and low contrast; a printed code gives none of that but may be
tiny. One decoder pass on the grayscale image reads most frames; the rest are read by
a few cheap transformations tried in turn (a downscale that averages moiré away, a
median filter, an upscale for small codes, local contrast, an inversion for decoders
that do not try one themselves).

Two budgets: :meth:`ScanPipeline.decode_still` tries every strategy until one reads
something (files, the ``scan`` command); :meth:`ScanPipeline.decode_frame` does one
plain pass plus ONE of the retries per camera frame, taking them in turn from frame
to frame, so a live camera keeps its frame rate and still gets every retry within a
few frames.

Behind both, the region-first reader (:mod:`kiosk.devices.region_reader`) reads what
no transformation of the whole picture gives the decoders: a tilted, blurred Code
128 of 1.4-3 px modules, a small blurred QR code. It reports only booking codes (by
their shape) and codes the caller knows (``known_code``: the imported lists). On
camera frames it is the retry of every other frame whenever the frame has a code's
region; frames without one keep the old retries in turn.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from kiosk.devices.acceptance import Acceptance, KnownCode
from kiosk.devices.decoders import DEFAULT_ORDER, DecodedCode, Decoder, make_decoders
from kiosk.devices.region_reader import RegionReader
from kiosk.devices.regions import Region, find_regions

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".pgm", ".ppm"})


def to_gray(image: np.ndarray) -> np.ndarray:
    """An 8-bit single-channel view of a BGR, BGRA or gray image."""
    if image.ndim == 2:
        gray = image
    elif image.shape[2] == 1:
        gray = image[:, :, 0]
    elif image.shape[2] == 4:
        gray = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    else:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if gray.dtype != np.uint8:
        gray = cv2.normalize(gray, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    return gray


def read_image(path: Path) -> np.ndarray:
    """A still image as grayscale; raise ValueError with the reason when it is not one.

    Pillow first (it reads tiny and unusual WebP files OpenCV's codec refuses, without
    OpenCV's error log), OpenCV for what Pillow cannot open.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as pil:
            return np.asarray(pil.convert("L"))
    except (UnidentifiedImageError, ValueError, OSError) as exc:
        if isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError)):
            raise ValueError(f"cannot open: {exc.strerror}") from None
        reason = str(exc)
    data = np.fromfile(str(path), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if data.size else None
    if image is None:
        raise ValueError(f"not an image that can be read ({reason})")
    return image


Prepared = tuple[np.ndarray, np.ndarray]  # (image, 2x3 affine map back to the original)


@dataclass(frozen=True)
class Strategy:
    """One way of preparing the grayscale image for the decoders.

    ``prepare`` returns the prepared image and the affine map from its pixels back
    to the original's (to place the corners), or None when it does not apply.
    """

    name: str
    prepare: Callable[[np.ndarray], Prepared | None]
    only_if_decoder_lacks_inversion: bool = False


_IDENTITY = np.float64([[1, 0, 0], [0, 1, 0]])


def _same_size(transform: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], Prepared]:
    return lambda gray: (transform(gray), _IDENTITY)


def _scaled(factor: float, interpolation: int, applies: Callable[[np.ndarray], bool]
            ) -> Callable[[np.ndarray], Prepared | None]:
    back = np.float64([[1 / factor, 0, 0], [0, 1 / factor, 0]])

    def prepare(gray: np.ndarray) -> Prepared | None:
        if not applies(gray):
            return None
        return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=interpolation), back
    return prepare


_CLAHE = threading.local()


def _local_contrast(gray: np.ndarray) -> np.ndarray:
    clahe = getattr(_CLAHE, "clahe", None)
    if clahe is None:  # CLAHE objects are not thread-safe: one per thread
        clahe = _CLAHE.clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    return clahe.apply(gray)


def dominant_angle(gray: np.ndarray) -> float:
    """The orientation (degrees, -90..90) of the most strongly striped part of the
    picture: where a linear code is, its bars' gradients all point one way.

    The picture is cut into tiles; each tile's gradient directions are averaged as
    doubled angles (so opposite edges of a bar agree). Tiles whose gradients are both
    strong and coherent are the bars; their average direction is the code's axis.
    """
    small = gray  # no downscale: it would alias the bars of a dense code away
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1, ksize=3)
    c2 = gx * gx - gy * gy  # magnitude² · cos 2θ
    s2 = 2 * gx * gy  # magnitude² · sin 2θ
    energy = gx * gx + gy * gy
    tile = 16
    h, w = (small.shape[0] // tile) * tile, (small.shape[1] // tile) * tile
    if h == 0 or w == 0:
        return 0.0

    def per_tile(a: np.ndarray) -> np.ndarray:
        return a[:h, :w].reshape(h // tile, tile, w // tile, tile).sum(axis=(1, 3))

    tc, ts, te = per_tile(c2), per_tile(s2), per_tile(energy)
    coherence = np.hypot(tc, ts) / (te + 1e-6)
    striped = (coherence > 0.6) & (te > np.percentile(te, 75))
    if not striped.any():
        return 0.0
    # The most common direction among the striped tiles (a histogram, not a mean: the
    # phone's edges and lines of text on the screen point other ways).
    angles = np.degrees(np.arctan2(ts[striped], tc[striped]) / 2)
    weights = (te * coherence)[striped]
    hist, edges = np.histogram(angles, bins=90, range=(-90, 90), weights=weights)
    hist = hist + np.roll(hist, 1) + np.roll(hist, -1)  # the bins wrap around at ±90°
    peak = (edges[int(np.argmax(hist))] + 1.0)
    near = np.abs((angles - peak + 90) % 180 - 90) <= 4
    offsets = (angles[near] - peak + 90) % 180 - 90
    return float(peak + np.average(offsets, weights=weights[near]))


def _deskew(gray: np.ndarray) -> Prepared | None:
    """Turn the picture so a slanted linear code lies level: zxing-cpp and ZBar scan
    rows and columns only, and a Code 128 held 20° off is crossed by no row."""
    angle = dominant_angle(gray)  # the code's axis; turning by it lays the code level
    if abs(angle) < 4 or abs(abs(angle) - 90) < 4:  # level or upright: rows or columns read it
        return None
    h, w = gray.shape
    # Rotate about the centre into a canvas large enough to keep every corner.
    rad = np.radians(angle)
    cos, sin = abs(np.cos(rad)), abs(np.sin(rad))
    nw, nh = int(w * cos + h * sin), int(w * sin + h * cos)
    forward = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    forward[0, 2] += (nw - w) / 2
    forward[1, 2] += (nh - h) / 2
    rotated = cv2.warpAffine(gray, forward, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=128)
    return rotated, cv2.invertAffineTransform(forward)


PLAIN = Strategy("plain", lambda g: (g, _IDENTITY))

RETRIES: tuple[Strategy, ...] = (
    Strategy("deskewed", _deskew),
    Strategy("downscaled", _scaled(0.5, cv2.INTER_AREA, lambda g: min(g.shape) >= 160)),
    Strategy("median", _same_size(lambda g: cv2.medianBlur(g, 3))),
    Strategy("inverted", _same_size(cv2.bitwise_not), only_if_decoder_lacks_inversion=True),
    # Small codes on small pictures; a large picture only gets slower.
    Strategy("upscaled", _scaled(2.0, cv2.INTER_CUBIC, lambda g: max(g.shape) <= 1000)),
    Strategy("contrast", _same_size(_local_contrast)),
    Strategy("eroded", _same_size(lambda g: cv2.erode(g, np.ones((2, 2), np.uint8)))),
    # A slanted code on a screen with moiré: level it, then smooth the bands away.
    Strategy("deskewed-median", lambda g: _deskew(cv2.medianBlur(g, 3))),
)


class ScanPipeline:
    """The configured decoders and the retries, for stills and for camera frames.

    One pipeline per thread: :meth:`decode_frame` keeps a turn counter.

    ``region_first``: also use the region-first reader (off only to measure the
    pipeline without it); ``known_code(text)``: True for a code of an imported list,
    which the region-first reader may then report too.
    """

    def __init__(self, decoders: Sequence[Decoder] | None = None,
                 retries: Sequence[Strategy] = RETRIES, retry_every: int = 2, *,
                 region_first: bool = True, known_code: KnownCode | None = None) -> None:
        self.decoders = list(decoders) if decoders is not None else make_decoders(DEFAULT_ORDER)
        self.retries = tuple(retries)
        self.retry_every = max(1, retry_every)
        self.region_reader = RegionReader(Acceptance(known_code)) if region_first else None
        # Camera frames: after the first decoder's plain pass, one (strategy, decoder)
        # pair in turn - the other decoders' plain passes first, then every retry.
        self.frame_retries: tuple[tuple[Strategy, Decoder], ...] = tuple(
            [(PLAIN, d) for d in self.decoders[1:]]
            + [(s, d) for s in self.retries for d in self.decoders])
        self._frames = 0
        self._turn = 0
        self._retry_slots = 0
        self._deep_slots = 0
        self._deep_fault_logged = False

    @classmethod
    def from_names(cls, names: Sequence[str], *, known_code: KnownCode | None = None) -> ScanPipeline:
        return cls(make_decoders(names), known_code=known_code)

    def decode_still(self, image: np.ndarray) -> list[DecodedCode]:
        """Everything readable in one picture: every strategy until one reads a code."""
        gray = to_gray(image)
        found: list[DecodedCode] = []
        for strategy in (PLAIN, *self.retries):
            prepared = strategy.prepare(gray)
            if prepared is None:
                continue
            for decoder in self.decoders:
                if strategy.only_if_decoder_lacks_inversion and decoder.inverts_itself:
                    continue
                found = _decode(decoder, prepared, fast=False)
                if found:
                    return found
        if self.region_reader is not None:
            found = self.region_reader.decode(gray)
        return found

    def regions(self, gray: np.ndarray) -> list[Region]:
        """Where the frame's codes seem to be (empty without the region-first reader)."""
        return find_regions(gray) if self.region_reader is not None else []

    def decode_deep_frame(self, image: np.ndarray) -> list[DecodedCode]:
        """What a camera frame with a retry slot for the region-first reader costs and
        reads: the quick pass, then the region-first reader when there is a region."""
        gray = to_gray(image)
        found = _decode(self.decoders[0], (gray, _IDENTITY), fast=True)
        if found or self.region_reader is None:
            return found
        regions = self.regions(gray)
        return self._read_regions(gray, regions) if regions else []

    def _read_regions(self, gray: np.ndarray, regions: list[Region]) -> list[DecodedCode]:
        assert self.region_reader is not None
        try:
            return self.region_reader.read_regions(gray, regions, fast=True, phase=self._deep_slots)
        except Exception:  # a fault in the deep pass must not end the camera's thread
            if not self._deep_fault_logged:
                self._deep_fault_logged = True
                log.exception("region-first reader failed; camera frames go on without it until it works again")
            return []

    def decode_frame(self, image: np.ndarray) -> list[DecodedCode]:
        """The codes in one camera frame within a frame's budget.

        The first decoder's quick pass on every frame; when it reads nothing, one
        retry on every ``retry_every``-th frame: two slots of three for the
        region-first reader (when the frame has a code's region), the third for the
        next of the other retries in turn. A code that needs one of those is read
        within ``6 × len(frame_retries)`` frames (about 3.4 s at 30 frames/s; a
        region-first read comes within a few frames); the typical frame costs one
        quick pass.
        """
        gray = to_gray(image)
        found = _decode(self.decoders[0], (gray, _IDENTITY), fast=True)
        self._frames += 1
        if found or self._frames % self.retry_every:
            return found
        self._retry_slots += 1
        # Two retry slots of three go to the region-first reader: its region finder,
        # and the deep pass when the frame has a code's region. The third keeps the
        # other retries turning, for the codes the region reader may not report (not
        # a booking code, not in a list). A slot never pays for both the region finder
        # and another retry: that sum is what would break a frame's budget.
        if self.region_reader is not None and self._retry_slots % 3:
            regions = self.regions(gray)
            if not regions:
                return []
            self._deep_slots += 1
            return self._read_regions(gray, regions)
        if not self.frame_retries:
            return found
        strategy, decoder = self.frame_retries[self._turn % len(self.frame_retries)]
        self._turn += 1
        prepared = strategy.prepare(gray)
        if prepared is None:
            return []
        return _decode(decoder, prepared, fast=True)


def _decode(decoder: Decoder, prepared: Prepared, *, fast: bool) -> list[DecodedCode]:
    image, back = prepared
    found = decoder.decode(image, fast=fast)
    if not found:
        return []
    if back is not _IDENTITY:
        found = [code.mapped(back) for code in found]
    return _unique(found)


def _unique(codes: list[DecodedCode]) -> list[DecodedCode]:
    seen: set[tuple[str, str]] = set()
    out = []
    for code in codes:
        key = (code.text, code.symbology)
        if key not in seen:
            seen.add(key)
            out.append(code)
    return out


class Deduplicator:
    """Lets a code through once, then holds it back while it keeps being seen.

    A phone held in front of the camera is read on every frame; the officer wants one
    check-in. A code is reported again only after it has been out of sight for
    ``window_seconds`` (every sighting restarts the window). The key is the text
    alone, so the QR code and the Code 128 of one booking count once.
    """

    def __init__(self, window_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window_seconds
        self._clock = clock
        self._last_seen: dict[str, float] = {}

    def admit(self, text: str) -> bool:
        """True when ``text`` should be reported now."""
        now = self._clock()
        last = self._last_seen.get(text)
        self._last_seen[text] = now
        if len(self._last_seen) > 256:  # forget codes long gone
            self._last_seen = {t: s for t, s in self._last_seen.items() if now - s < self.window}
        return last is None or now - last >= self.window

    def filter(self, codes: Sequence[DecodedCode]) -> list[DecodedCode]:
        fresh, in_frame = [], set()
        for code in codes:
            if code.text in in_frame:
                continue
            in_frame.add(code.text)
            if self.admit(code.text):
                fresh.append(code)
        return fresh

    def reset(self) -> None:
        self._last_seen.clear()
