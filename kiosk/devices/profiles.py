"""A linear code's region turned into clean 1-D profiles a decoder can read.

The steps, each cheap because it runs on the region alone:

1. :func:`rectify` samples the region upright (bars vertical) straight from the
   frame, then measures what the angle estimate left: the top and the bottom of the
   bars are cross-correlated piecewise along the code, giving a shear that may vary
   along it (perspective); the region is sampled again with that shear removed.
2. :func:`band_profiles` averages the columns over bands of the bar height: noise,
   JPEG blocks and the moiré bands that run along the rows average away.
3. :func:`deblurred` Wiener-deconvolves a profile for a guessed blur: a Gaussian
   (defocus) or a box (motion along the code's axis: motion across it only averages
   along the bars).
4. :func:`render` normalises by a local min/max envelope (glare lifts both black and
   white of its part of the code) and draws the thresholded profile as a clean image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.devices.regions import Region


@dataclass(frozen=True)
class Rectified:
    """An upright patch of the frame and the map from its pixels back to the frame."""

    image: np.ndarray  # float32, bars vertical
    map_x: np.ndarray  # frame x of every patch pixel
    map_y: np.ndarray

    def to_frame(self, u: float, v: float) -> tuple[float, float]:
        h, w = self.map_x.shape
        iu, iv = int(min(max(u, 0), w - 1)), int(min(max(v, 0), h - 1))
        return float(self.map_x[iv, iu]), float(self.map_y[iv, iu])


def rectify(gray: np.ndarray, region: Region, *, margin: float = 0.08) -> Rectified | None:
    """The region sampled upright at one frame pixel per patch pixel, the residual
    shear and perspective taken out. None when the region is degenerate."""
    length = region.length * (1 + 2 * margin) + 24
    height = region.height
    w, h = int(round(length)), int(round(height))
    if w < 40 or h < 8:
        return None
    a = math.radians(region.angle)
    ux, uy = math.cos(a), math.sin(a)  # along the code
    vx, vy = -uy, ux  # along the bars
    cx, cy = region.centre
    u = np.arange(w, dtype=np.float32) - (w - 1) / 2
    v = np.arange(h, dtype=np.float32) - (h - 1) / 2
    uu, vv = np.meshgrid(u, v)

    def sample(shift: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        su = uu if shift is None else uu + shift[None, :] * vv
        map_x = (cx + su * ux + vv * vx).astype(np.float32)
        map_y = (cy + su * uy + vv * vy).astype(np.float32)
        patch = cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        return patch.astype(np.float32), map_x, map_y

    patch, map_x, map_y = sample(None)
    shear = _shear(patch)
    if shear is not None:
        patch, map_x, map_y = sample(shear)
    rows = _bar_rows(patch)
    return Rectified(patch[rows], map_x[rows], map_y[rows])


def _bar_rows(patch: np.ndarray) -> slice:
    """The rows the bars fill: the region found from the tensor is taller than the
    bars by its averaging window, and rows of plain screen dilute the profiles."""
    h = patch.shape[0]
    activity = np.abs(np.diff(patch, axis=1)).mean(axis=1)
    peak = int(np.argmax(activity))
    busy = activity > 0.45 * float(activity[peak])
    top = peak
    while top > 0 and busy[top - 1]:
        top -= 1
    bottom = peak + 1
    while bottom < h and busy[bottom]:
        bottom += 1
    if bottom - top < 6:
        return slice(0, h)
    return slice(top, bottom)


def _shear(patch: np.ndarray, pieces: int = 5) -> np.ndarray | None:
    """Per column, how many columns the bars drift per row (the angle estimate's
    remainder, varying linearly along the code under perspective)."""
    h, w = patch.shape
    top = patch[int(h * 0.12):int(h * 0.38)].mean(axis=0)
    bottom = patch[int(h * 0.62):int(h * 0.88)].mean(axis=0)
    rows_apart = h * 0.5
    max_lag = max(2, int(rows_apart * math.tan(math.radians(8))) + 1)
    top, bottom = _highpass(top), _highpass(bottom)
    xs, shifts, weights = [], [], []
    step = w // pieces
    for i in range(pieces):
        a, b = i * step, (i + 1) * step if i < pieces - 1 else w
        t, s = top[a:b], bottom[a:b]
        energy = float(np.sqrt((t * t).sum() * (s * s).sum()))
        if energy < 1e-3 or b - a <= 2 * max_lag + 4:
            continue
        lags = np.arange(-max_lag, max_lag + 1)
        core = slice(max_lag, b - a - max_lag)
        scores = np.array([float((t[core] * s[max_lag + k:b - a - max_lag + k]).sum()) for k in lags]) / energy
        k = int(np.argmax(scores))
        if scores[k] < 0.3:
            continue  # this piece is quiet zone or glare: no bars to compare
        offset = 0.0
        if 0 < k < len(lags) - 1:  # a parabola through the peak: sub-pixel
            y0, y1, y2 = scores[k - 1], scores[k], scores[k + 1]
            denominator = y0 - 2 * y1 + y2
            offset = 0.5 * (y0 - y2) / denominator if denominator else 0.0
        xs.append((a + b) / 2)
        shifts.append((lags[k] + offset) / rows_apart)
        weights.append(scores[k])
    if not xs:
        return None
    if len(xs) >= 3:
        slope, intercept = np.polyfit(xs, shifts, 1, w=weights)
    else:
        slope, intercept = 0.0, float(np.average(shifts, weights=weights))
    return (intercept + slope * np.arange(w)).astype(np.float32)


def _highpass(profile: np.ndarray, width: int = 15) -> np.ndarray:
    smooth = cv2.blur(profile[None, :], (width, 1), borderType=cv2.BORDER_REFLECT)[0]
    return profile - smooth


def band_profiles(patch: np.ndarray) -> list[np.ndarray]:
    """Column means over the whole bar height's inner part, then over its thirds
    (a glare, a finger or perspective may spoil one part of the bars)."""
    h = patch.shape[0]
    lo, hi = int(h * 0.1), max(int(h * 0.9), int(h * 0.1) + 1)
    bands = [patch[lo:hi].mean(axis=0)]
    third = (hi - lo) / 3
    for i in range(3):
        a, b = int(lo + i * third), int(lo + (i + 1) * third)
        if b > a:
            bands.append(patch[a:b].mean(axis=0))
    return bands


def gaussian_kernel(sigma: float) -> np.ndarray:
    radius = max(1, int(math.ceil(3 * sigma)))
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    k = np.exp(-x * x / (2 * sigma * sigma))
    return k / k.sum()


def box_kernel(width: float) -> np.ndarray:
    """A box of (fractional) ``width`` pixels: the smear of motion along the code."""
    radius = int(math.ceil(width / 2))
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    k = np.clip(width / 2 + 0.5 - np.abs(x), 0.0, 1.0)
    return k / k.sum()


def motion_kernel(length: float, angle: float) -> np.ndarray:
    """A normalised line kernel: the smear of a phone moving ``length`` pixels along
    ``angle`` degrees during the exposure (sub-pixel ends weighted)."""
    size = int(math.ceil(length)) | 1
    size += 2
    kernel = np.zeros((size * 4, size * 4), np.float32)  # drawn 4x finer, then averaged down
    c = size * 2 - 0.5
    dx, dy = math.cos(math.radians(angle)) * length * 2, math.sin(math.radians(angle)) * length * 2
    cv2.line(kernel, (int(round((c - dx) * 16)), int(round((c - dy) * 16))),
             (int(round((c + dx) * 16)), int(round((c + dy) * 16))), 1.0, 4, cv2.LINE_AA, shift=4)
    kernel = cv2.resize(kernel, (size, size), interpolation=cv2.INTER_AREA)
    return kernel / max(float(kernel.sum()), 1e-6)


def deblurred(profile: np.ndarray, kernel: np.ndarray | None, noise_to_signal: float = 0.02) -> np.ndarray:
    """Wiener deconvolution of a 1-D profile by ``kernel`` (None: the profile as is)."""
    if kernel is None:
        return profile
    n = len(profile)
    pad = len(kernel) * 2
    padded = np.pad(profile.astype(np.float64), pad, mode="reflect")
    size = cv2.getOptimalDFTSize(len(padded))
    spectrum = np.fft.rfft(padded, size)
    k = np.zeros(size)
    r = len(kernel) // 2
    k[:r + 1] = kernel[r:]
    k[-r:] = kernel[:r]  # centred on index 0: no shift in the result
    transfer = np.fft.rfft(k)
    restored = np.fft.irfft(spectrum * np.conj(transfer) / (np.abs(transfer) ** 2 + noise_to_signal), size)
    return restored[pad:pad + n].astype(np.float32)


def normalised(profile: np.ndarray, window: int) -> np.ndarray:
    """0..1 between a local minimum and maximum envelope, each smoothed."""
    row = profile.astype(np.float32)[None, :]
    kernel = np.ones((1, window), np.uint8)
    high = cv2.blur(cv2.dilate(row, kernel, borderType=cv2.BORDER_REPLICATE), (window, 1))
    low = cv2.blur(cv2.erode(row, kernel, borderType=cv2.BORDER_REPLICATE), (window, 1))
    span = high - low
    level = np.clip((row - low) / np.maximum(span, 1e-3), 0.0, 1.0)
    # Where the envelope is flat there are no bars (the quiet zones, the screen
    # around the code): white, or its noise would be drawn as bars.
    flat = span[0]
    k = int(flat.size * 0.9)
    level[span < 0.25 * float(np.partition(flat, k)[k])] = 1.0
    return level[0]


def render(profile: np.ndarray, *, upscale: int = 3, rows: int = 6, quiet: int = 30) -> np.ndarray:
    """The profile, upsampled, normalised and thresholded, as a clean bar image
    (black bars on white, quiet zones added) for a decoder to read."""
    n = len(profile)
    fine = np.interp(np.arange(n * upscale) / upscale, np.arange(n), profile).astype(np.float32)
    window = max(7, (n * upscale) // 40) | 1
    level = normalised(fine, window)
    line = np.where(level > 0.5, 255, 0).astype(np.uint8)
    line = np.concatenate([np.full(quiet, 255, np.uint8), line, np.full(quiet, 255, np.uint8)])
    return np.ascontiguousarray(np.tile(line, (rows, 1)))
