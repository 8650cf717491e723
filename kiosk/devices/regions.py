"""Where in a frame a code is, found from the gradients' structure tensor.

A linear code is the most *coherent* texture a desk camera sees: every bar edge has
its gradient along the code's axis, hundreds of edges side by side. The structure
tensor of the Scharr gradients, box-filtered, gives per neighbourhood the gradient
energy (its trace) and how much of it points one way (its coherence); their product
lights up bars and little else. A QR code has as much energy but two directions at
right angles, so low coherence: its blob is the energetic, incoherent and roughly
square one.

The tensor is built from full-resolution gradients (a 1.4 px bar would alias away
in a downscaled frame) and averaged down by ``CELL`` pixels, so everything after the
gradients runs on a small grid: about 5 ms for a 1280x720 frame on one core.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

CELL = 4  # frame pixels per tensor cell
_BOX = 5  # cells: the neighbourhood the tensor is averaged over (20 frame pixels)


@dataclass(frozen=True)
class Region:
    """A candidate code: where it is and which way it points.

    ``centre``, ``length`` (along the code's axis) and ``height`` are in frame pixels;
    ``angle`` is the code's axis (the bars' gradient direction) in degrees, in image
    coordinates (y down), -90..90. ``kind`` is ``"bars"`` or ``"square"`` (a QR code).
    """

    kind: str
    centre: tuple[float, float]
    length: float
    height: float
    angle: float
    score: float
    coherence: float = 0.0  # of the region's summed tensor: 1 all one way, 0 every way

    def corners(self) -> np.ndarray:
        """The four corners (frame pixels) clockwise from the code's start-top."""
        a = math.radians(self.angle)
        ux, uy = math.cos(a), math.sin(a)
        vx, vy = -uy, ux
        cx, cy = self.centre
        hl, hh = self.length / 2, self.height / 2
        return np.float32([[cx - ux * hl - vx * hh, cy - uy * hl - vy * hh],
                           [cx + ux * hl - vx * hh, cy + uy * hl - vy * hh],
                           [cx + ux * hl + vx * hh, cy + uy * hl + vy * hh],
                           [cx - ux * hl + vx * hh, cy - uy * hl + vy * hh]])


@dataclass(frozen=True)
class Tensor:
    """The box-filtered structure tensor on the cell grid."""

    jxx: np.ndarray
    jxy: np.ndarray
    jyy: np.ndarray

    @property
    def energy(self) -> np.ndarray:
        return self.jxx + self.jyy

    @property
    def coherence(self) -> np.ndarray:
        return np.sqrt((self.jxx - self.jyy) ** 2 + 4 * self.jxy ** 2) / (self.energy + 1e-3)

    def angle(self, mask: np.ndarray, weights: np.ndarray) -> float:
        """The dominant gradient direction (degrees) over ``mask``, weighted."""
        w = weights[mask]
        sxx, sxy, syy = (float((a[mask] * w).sum()) for a in (self.jxx, self.jxy, self.jyy))
        return math.degrees(0.5 * math.atan2(2 * sxy, sxx - syy))

    def summed_coherence(self, mask: np.ndarray) -> float:
        sxx, sxy, syy = (float(a[mask].sum()) for a in (self.jxx, self.jxy, self.jyy))
        return math.sqrt((sxx - syy) ** 2 + 4 * sxy ** 2) / (sxx + syy + 1e-3)


def structure_tensor(gray: np.ndarray) -> Tensor:
    # 16-bit gradients (Scharr of 8-bit input fits: |g| <= 16 * 255), squared into float.
    gx = cv2.Scharr(gray, cv2.CV_16S, 1, 0)
    gy = cv2.Scharr(gray, cv2.CV_16S, 0, 1)
    h, w = gray.shape
    size = (max(1, w // CELL), max(1, h // CELL))

    # Scharr's gain (32 per grey level per pixel) squared: the energy reads in grey levels².
    scale = 1.0 / 1024.0

    def down(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        product = cv2.multiply(a, b, scale=scale, dtype=cv2.CV_32F)
        return cv2.boxFilter(cv2.resize(product, size, interpolation=cv2.INTER_AREA), -1, (_BOX, _BOX))

    return Tensor(down(gx, gx), down(gx, gy), down(gy, gy))


def find_regions(gray: np.ndarray, *, max_regions: int = 2, tensor: Tensor | None = None) -> list[Region]:
    """The most likely linear codes (``"bars"``) and QR codes (``"square"``) in a frame,
    best first, at most ``max_regions`` of each kind."""
    if gray.shape[0] < 4 * CELL or gray.shape[1] < 4 * CELL:
        return []
    t = tensor or structure_tensor(gray)
    energy, coherence = t.energy, t.coherence
    magnitude = np.sqrt(np.maximum(energy, 0.0))
    # Absolute floors (grey levels): a screen's code has edges of 60+ levels; the
    # desk behind it and a plain screen have next to none. Above them, levels relative
    # to the strongest cells: moiré makes a whole screen striped, but weaker than its
    # code's bars, and a low level would merge the two into one blob.
    score = coherence * magnitude
    coherent = coherence > 0.55
    peak = _quantile(score[coherent], 0.995)
    found: list[Region] = []
    for fraction in (0.45, 0.25):
        bars = (score > max(6.0, fraction * peak)) & coherent
        found += [r for r in _blobs(bars, t, score, "bars", max_regions) if not _overlaps(r, found)]
    squares = (magnitude > 9.0) & (coherence < 0.7)
    found.sort(key=lambda r: -r.score)
    found = found[:max_regions]
    found += _blobs(squares, t, magnitude, "square", max_regions)
    return found


def _blobs(mask: np.ndarray, t: Tensor, weight: np.ndarray, kind: str, limit: int) -> list[Region]:
    m = mask.astype(np.uint8)
    m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    candidates: list[Region] = []
    order = np.argsort(-stats[1:, cv2.CC_STAT_AREA]) + 1
    for label in order[: 8]:
        area = int(stats[label, cv2.CC_STAT_AREA])
        if area < 12:
            break
        x, y, w, h = (int(stats[label, k]) for k in (cv2.CC_STAT_LEFT, cv2.CC_STAT_TOP,
                                                      cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT))
        sub = labels[y:y + h, x:x + w] == label
        outlines, _ = cv2.findContours(sub.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        points = np.concatenate(outlines).reshape(-1, 2).astype(np.float32) + np.float32([x, y])
        (cx, cy), (rw, rh), rect_angle = cv2.minAreaRect(points)
        long_side, short_side = max(rw, rh), max(1.0, min(rw, rh))
        elongation = long_side / short_side
        window = (slice(y, y + h), slice(x, x + w))
        local = Tensor(t.jxx[window], t.jxy[window], t.jyy[window])
        local_weight = weight[window]
        if kind == "bars":
            if elongation < 2.0:
                continue
            axis = rect_angle if rw >= rh else rect_angle + 90.0
            gradient = local.angle(sub, local_weight)
            # Bars: the gradients run along the blob. An edge or a line of text
            # has them across it.
            if _angle_gap(axis, gradient) > 25.0:
                continue
            angle = _near(gradient, local, sub, local_weight)
            length, height = long_side + 1.0, short_side + 1.0
        else:
            if elongation > 1.8 or long_side * CELL < 56:  # a QR code of 2.4 px modules is 60 px
                continue
            # The gradient direction, for the motion blur's direction: a QR code's
            # gradients point every way unless motion weakened those along it.
            angle = local.angle(sub, np.ones_like(local_weight))
            length = height = long_side + 1.0
        score = float(local_weight[sub].sum())
        candidates.append(Region(kind, ((cx + 0.5) * CELL, (cy + 0.5) * CELL), length * CELL, height * CELL,
                                 _wrap(angle), score, local.summed_coherence(sub)))
    candidates.sort(key=lambda r: -r.score)
    return candidates[:limit]


def _quantile(values: np.ndarray, q: float) -> float:
    """np.percentile's answer near enough, ten times faster (a partition, no interpolation)."""
    if values.size == 0:
        return 0.0
    k = min(values.size - 1, int(values.size * q))
    return float(np.partition(values, k)[k])


def _overlaps(region: Region, others: list[Region]) -> bool:
    cx, cy = region.centre
    return any(abs(cx - o.centre[0]) < o.length / 2 and abs(cy - o.centre[1]) < max(o.height, 40) / 2
               for o in others)


def _near(first: float, t: Tensor, mask: np.ndarray, weight: np.ndarray) -> float:
    """The gradient direction again, from the cells within 10° of the first estimate
    only: the code's own quiet-zone edges and a glare's rim point elsewhere."""
    cell_angle = np.degrees(0.5 * np.arctan2(2 * t.jxy, t.jxx - t.jyy))
    close = mask & (np.abs((cell_angle - first + 90.0) % 180.0 - 90.0) <= 10.0)
    if close.sum() < 6:
        return first
    return t.angle(close, weight)


def _angle_gap(a: float, b: float) -> float:
    return abs((a - b + 90.0) % 180.0 - 90.0)


def _wrap(angle: float) -> float:
    return (angle + 90.0) % 180.0 - 90.0
