"""Synthetic camera frames of a booking code on a phone screen.

For the tests, the benchmark and the demo camera: a QR code or a Code 128 shown on a
bright phone screen, held in front of a webcam — scaled, rotated, tilted
(perspective), blurred (defocus or motion along any axis), noisy, with a glare blob
and the moiré a camera sees on a screen, then JPEG-compressed as an MJPG webcam
delivers it. Every frame comes from a seed, so a failing case can be rebuilt exactly.

Two sets of ranges:

- :func:`limits` / :func:`random_shot` / :func:`variations`: the *easy* ranges the
  first pipeline was built against (kept so its named edge cases stay comparable);
- :data:`HARD` / :func:`hard_shot`: what a phone at a desk really gives (the ranges of
  issue 16, measured elsewhere on frames we did not make): the phone turned ±15°,
  perspective, moiré tied to the turned screen's pixel grid, glare over the code,
  Gaussian blur up to σ 2.2 or motion blur up to 9 px along any axis, noise, JPEG
  quality 55–90, the 32-character Code 128 at 1.4–3 px per module. These flatter no
  decoder: a part of them is beyond any reader (σ 2.2 on 1.4 px modules).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

from kiosk.devices.profiles import motion_kernel

# Code 128 symbol patterns (ISO/IEC 15417): widths of bar, space, bar, space, bar,
# space in modules; value 106 (stop) has a seventh element, the final bar.
_CODE128_PATTERNS = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 "
    "221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 "
    "221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 "
    "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 "
    "231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 "
    "231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 "
    "112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 "
    "111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 "
    "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 "
    "114131 311141 411131 211412 211214 211232 2331112"
).split()
_START_B, _STOP = 104, 106


def code128_modules(text: str) -> list[int]:
    """The bar/space widths of ``text`` in Code 128 code set B (printable ASCII)."""
    if not text or any(not 32 <= ord(ch) <= 126 for ch in text):
        raise ValueError("Code 128 set B takes 1 or more printable ASCII characters")
    values = [_START_B] + [ord(ch) - 32 for ch in text]
    checksum = (_START_B + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    widths: list[int] = []
    for value in [*values, checksum, _STOP]:
        widths.extend(int(w) for w in _CODE128_PATTERNS[value])
    return widths


def render_code128(text: str, module: int = 3, height: int = 80, quiet: int = 10) -> np.ndarray:
    """Black bars on white, ``module`` pixels per narrowest element."""
    widths = code128_modules(text)
    total = sum(widths) + 2 * quiet
    row = np.full(total * module, 255, np.uint8)
    x = quiet * module
    for i, w in enumerate(widths):
        if i % 2 == 0:  # even elements are bars
            row[x:x + w * module] = 0
        x += w * module
    return np.tile(row, (height, 1))


def render_qr(text: str, module: int = 8, border: int = 4) -> np.ndarray:
    """A QR code (error correction M, as phones display them) black on white."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=border)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = np.array(qr.get_matrix(), dtype=bool)
    image = np.where(matrix, 0, 255).astype(np.uint8)
    return cv2.resize(image, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)


@dataclass(frozen=True)
class Shot:
    """How the phone is held. ``code_px`` is the code's longer side in the frame."""

    width: int = 1280
    height: int = 720
    symbology: str = "qr"  # "qr" or "code128"
    code_px: float = 240.0
    angle: float = 0.0  # degrees, in the image plane
    tilt: float = 0.0  # 0..0.3: how far the phone leans away (perspective)
    blur: float = 0.0  # Gaussian sigma in frame pixels
    noise: float = 2.0  # sensor noise sigma (0..255)
    glare: float = 0.0  # 0..1: strength of a bright blob on the screen
    moire: float = 0.0  # 0..1: amplitude of the screen/sensor interference pattern
    jpeg_quality: int = 85
    seed: int = 0
    motion: float = 0.0  # motion-blur length in frame pixels (0: none)
    motion_angle: float = 0.0  # its direction, degrees in the image plane
    moire_follows_screen: bool = False  # True: the bands are tied to the turned screen's pixel grid


def phone_frame(text: str, shot: Shot) -> np.ndarray:
    """A BGR frame of ``text`` as ``shot.symbology`` on a phone screen."""
    return render_shot(text, shot)[0]


def render_shot(text: str, shot: Shot) -> tuple[np.ndarray, np.ndarray]:
    """The frame, and the four corners (frame pixels) of the code with its quiet zone."""
    rng = np.random.default_rng(shot.seed)
    if shot.symbology == "qr":
        code = render_qr(text, module=8)
    elif shot.symbology == "code128":
        code = render_code128(text, module=4, height=140)
    else:
        raise ValueError(f"unknown symbology {shot.symbology!r}")
    screen = _phone_screen(code, rng)
    ch, cw = code.shape
    sh, sw = screen.shape[:2]
    code_x0, code_y0 = (sw - cw) / 2, (sh - ch) / 2

    # The screen -> frame homography: scale so the code has the asked size, rotate,
    # lean one edge away, and place the code at a random spot that keeps it in view.
    s = shot.code_px / max(ch, cw)
    src = np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]])
    centred = (src - [sw / 2, sh / 2]) * s
    lean_edge = rng.integers(4)
    for i in range(4):
        if i in (lean_edge, (lean_edge + 1) % 4):  # the far edge shrinks towards the middle
            centred[i] *= 1.0 - shot.tilt
    a = math.radians(shot.angle)
    rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = centred @ rot.T
    homography = cv2.getPerspectiveTransform(src, np.float32(dst))
    code_corners = cv2.perspectiveTransform(
        np.float32([[[code_x0, code_y0], [code_x0 + cw, code_y0], [code_x0 + cw, code_y0 + ch],
                     [code_x0, code_y0 + ch]]]), homography)[0]
    lo, hi = code_corners.min(axis=0), code_corners.max(axis=0)
    margin = 8
    free_x = shot.width - (hi[0] - lo[0]) - 2 * margin
    free_y = shot.height - (hi[1] - lo[1]) - 2 * margin
    if free_x < 0 or free_y < 0:
        raise ValueError("the code does not fit in the frame at this size and angle")
    offset = np.float32([margin - lo[0] + rng.uniform(0, free_x), margin - lo[1] + rng.uniform(0, free_y)])
    homography = np.float64([[1, 0, offset[0]], [0, 1, offset[1]], [0, 0, 1]]) @ homography

    frame = _background(shot.width, shot.height, rng)
    warped = cv2.warpPerspective(screen, homography, (shot.width, shot.height), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((sh, sw), 255, np.uint8), homography, (shot.width, shot.height),
                               flags=cv2.INTER_LINEAR)
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    out = frame.astype(np.float32) * (1 - alpha) + warped.astype(np.float32) * alpha
    if shot.moire > 0:
        grid = math.radians(shot.angle) if shot.moire_follows_screen else None
        out = _moire(out, mask, shot.moire, rng, grid)
    if shot.glare > 0:
        centre = code_corners.mean(axis=0) + rng.uniform(-0.3, 0.3, 2) * (hi - lo)
        out = _glare(out, centre, shot.glare, float(max(hi - lo)) * rng.uniform(0.15, 0.3))
    if shot.blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), shot.blur)
    if shot.motion > 0:
        out = cv2.filter2D(out, -1, motion_kernel(shot.motion, shot.motion_angle), borderType=cv2.BORDER_REFLECT)
    if shot.noise > 0:
        out = out + rng.normal(0, shot.noise, out.shape)
    frame = np.clip(out, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, shot.jpeg_quality])
    assert ok
    corners = cv2.perspectiveTransform(code_corners[None], np.float64([[1, 0, offset[0]], [0, 1, offset[1]],
                                                                       [0, 0, 1]]))[0]
    return cv2.imdecode(jpeg, cv2.IMREAD_COLOR), corners


def _phone_screen(code: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The code on a bright white app screen with a dark bezel, as BGR."""
    ch, cw = code.shape
    pad = max(ch, cw) // 5
    sh, sw = ch + 2 * pad + 2 * int(0.35 * ch), cw + 2 * pad
    if sw > sh * 0.75:  # a Code 128 is shown with the phone turned sideways
        sh = max(sh, int(sw * 0.5))
    white = rng.uniform(235, 255)
    screen = np.full((sh, sw, 3), white, np.float32)
    screen[..., 0] *= rng.uniform(1.0, 1.04)  # LCD whites are slightly blue
    y0, x0 = (sh - ch) // 2, (sw - cw) // 2
    black_level = rng.uniform(10, 45)  # a lit screen's black is grey
    screen[y0:y0 + ch, x0:x0 + cw] = np.where(code[..., None] < 128, black_level, white)
    # Some app chrome: a header bar, a title above the code and two lines below it.
    screen[: max(2, sh // 12)] = rng.uniform(40, 120, 3)
    line = max(4, ch // 20)
    title_y = max(sh // 12 + line, y0 - 3 * line)
    screen[title_y:title_y + line, pad:pad + int(sw * rng.uniform(0.3, 0.6))] = rng.uniform(60, 140)
    for k in (2, 4):
        y = y0 + ch + k * line
        if y + line < sh:
            screen[y:y + line, pad:pad + int(sw * rng.uniform(0.2, 0.6))] = rng.uniform(60, 140)
    bezel = max(6, sw // 25)
    phone = np.full((sh + 2 * bezel, sw + 2 * bezel, 3), rng.uniform(10, 35), np.float32)
    phone[bezel:-bezel, bezel:-bezel] = np.clip(screen, 0, 255)
    return phone.astype(np.uint8)


def _background(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A desk, a hand and an office behind: smooth shapes of random mid tones."""
    small = rng.uniform(60, 190, (6, 8, 3)).astype(np.float32)
    frame = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    for _ in range(6):
        centre = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        axes = (int(rng.integers(20, width // 4)), int(rng.integers(20, height // 4)))
        colour = tuple(float(c) for c in rng.uniform(30, 220, 3))
        cv2.ellipse(frame, centre, axes, float(rng.uniform(0, 180)), 0, 360, colour, -1)
    return cv2.GaussianBlur(frame, (0, 0), 3)


def _moire(frame: np.ndarray, mask: np.ndarray, amount: float, rng: np.random.Generator,
           grid: float | None = None) -> np.ndarray:
    """The beat of the screen's pixel grid with the sensor's: slanted bands a few
    pixels apart, only where the screen is. With ``grid`` (the screen's turn, radians)
    the bands run along the turned pixel grid's rows or columns, give or take a few
    degrees, as they do when a phone is turned in front of the camera."""
    h, w = mask.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if grid is None:
        theta = rng.uniform(0, math.pi)
    else:
        theta = grid + rng.choice([0.0, math.pi / 2]) + math.radians(rng.uniform(-8, 8))
    period = rng.uniform(3.0, 9.0)
    phase = (xx * math.cos(theta) + yy * math.sin(theta)) * (2 * math.pi / period)
    pattern = 1.0 + 0.35 * amount * np.sin(phase) * np.sin(phase * 0.13 + rng.uniform(0, 6))
    weight = (mask.astype(np.float32) / 255.0)
    factor = 1.0 + (pattern - 1.0) * weight
    return frame * factor[..., None]


def _glare(frame: np.ndarray, centre: np.ndarray, strength: float, radius: float) -> np.ndarray:
    h, w = frame.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    blob = np.exp(-((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / (2 * radius ** 2))
    return frame + (170.0 * strength * blob)[..., None]


FRAME_SIZES = ((640, 480), (1280, 720))


@dataclass(frozen=True)
class Limits:
    """How far a shot may go and still be readable by any decoder.

    A 32-character Code 128 has about 410 modules with its quiet zones; decoders need
    about 1.5 frame pixels for its narrowest bar, so in a 640x480 frame it must span
    nearly the whole width, level and facing the camera. That is physics, not a
    decoder weakness: at 640x480 the QR code is the one to show (docs/scanning.md).
    """

    code_px: tuple[float, float]  # the code's longer side in the frame
    max_angle: float
    max_tilt: float
    max_blur: float


def limits(symbology: str, width: int) -> Limits:
    if symbology == "qr":
        return Limits((90.0, 300.0), 30.0, 0.2, 1.2) if width <= 640 else Limits((120.0, 420.0), 30.0, 0.2, 1.2)
    if width <= 640:
        return Limits((600.0, 620.0), 5.0, 0.05, 0.5)
    return Limits((760.0, 1100.0), 30.0, 0.15, 0.8)


def variations(symbology: str, width: int, height: int, seed: int = 0) -> dict[str, Shot]:
    """One named shot per difficulty, each at the edge of its :func:`limits`."""
    lim = limits(symbology, width)
    lo, hi = lim.code_px
    base = Shot(width=width, height=height, symbology=symbology, code_px=(lo + hi) / 2, seed=seed)
    return {
        "upright": base,
        "small": replace(base, code_px=lo),
        "large": replace(base, code_px=hi),
        "rotated+": replace(base, angle=lim.max_angle),
        "rotated-": replace(base, angle=-lim.max_angle),
        "perspective": replace(base, tilt=lim.max_tilt),
        "blur": replace(base, blur=lim.max_blur),
        "noise": replace(base, noise=8.0),
        "glare": replace(base, glare=0.8),
        "moire": replace(base, moire=0.8),
        "everything": replace(base, angle=-lim.max_angle / 2, tilt=lim.max_tilt / 2, blur=lim.max_blur / 2,
                              noise=5.0, glare=0.5, moire=0.5),
    }


def random_shot(symbology: str, width: int, height: int, seed: int) -> Shot:
    """A shot drawn from the whole range of each difficulty, for the benchmark."""
    rng = np.random.default_rng(seed)
    lim = limits(symbology, width)
    return Shot(width=width, height=height, symbology=symbology, code_px=float(rng.uniform(*lim.code_px)),
                angle=float(rng.uniform(-lim.max_angle, lim.max_angle)), tilt=float(rng.uniform(0, lim.max_tilt)),
                blur=float(rng.uniform(0, lim.max_blur)), noise=float(rng.uniform(1, 8)),
                glare=float(rng.uniform(0, 0.8)) if rng.random() < 0.5 else 0.0,
                moire=float(rng.uniform(0, 0.8)) if rng.random() < 0.5 else 0.0,
                jpeg_quality=int(rng.integers(70, 95)), seed=seed)


@dataclass(frozen=True)
class HardRanges:
    """The ranges :func:`hard_shot` draws from, per symbology and frame size.

    ``module_px``: frame pixels per narrowest bar (Code 128) or per QR module. A
    32-character booking code is 407 Code 128 modules with its quiet zones (10 each
    side), so at 640x480 only 1.4-1.5 px per module fits the frame; 1280x720 takes
    the whole 1.4-3 px range. The QR code of the same text is version 2, 33 modules
    with its border.
    """

    module_px: tuple[float, float]
    max_angle: float = 15.0
    max_tilt: float = 0.2
    max_blur: float = 2.2  # Gaussian sigma
    max_motion: float = 9.0  # pixels, along any axis
    noise: tuple[float, float] = (1.0, 8.0)
    jpeg_quality: tuple[int, int] = (55, 90)


HARD: dict[tuple[str, int], HardRanges] = {
    ("qr", 640): HardRanges((2.4, 8.0)),
    ("qr", 1280): HardRanges((3.0, 11.0)),
    ("code128", 640): HardRanges((1.4, 1.5)),
    ("code128", 1280): HardRanges((1.4, 3.0)),
}
CODE128_MODULES_32 = 407  # a 32-character code in set B with the quiet zones render_code128 draws
QR_MODULES_32 = 33  # version 2 (25 modules) with its 4-module border


def hard_shot(symbology: str, width: int, height: int, seed: int) -> Shot:
    """A shot drawn from :data:`HARD` (seed ``seed``), for the benchmark and the tests.

    Each frame has either Gaussian blur (σ 0-2.2, 55 %) or motion blur (0-9 px along a
    random direction, over a light σ 0.5 defocus, 45 %); glare over the code and moiré
    following the screen's grid each on half the frames; the angle shrinks, seeded,
    when the code would not fit the frame at the drawn size.
    """
    rng = np.random.default_rng(10_000 + seed)
    r = HARD[(symbology, 640 if width <= 640 else 1280)]
    modules = QR_MODULES_32 if symbology == "qr" else CODE128_MODULES_32
    module = float(rng.uniform(*r.module_px))
    angle = float(rng.uniform(-r.max_angle, r.max_angle))
    gaussian = rng.random() < 0.55
    blur = float(rng.uniform(0, r.max_blur)) if gaussian else 0.5
    motion = 0.0 if gaussian else float(rng.uniform(0, r.max_motion))
    shot = Shot(width=width, height=height, symbology=symbology, code_px=module * modules, angle=angle,
                tilt=float(rng.uniform(0, r.max_tilt)), blur=blur, noise=float(rng.uniform(*r.noise)),
                glare=float(rng.uniform(0.2, 0.8)) if rng.random() < 0.5 else 0.0,
                moire=float(rng.uniform(0.2, 0.8)) if rng.random() < 0.5 else 0.0,
                jpeg_quality=int(rng.integers(r.jpeg_quality[0], r.jpeg_quality[1] + 1)), seed=seed,
                motion=motion, motion_angle=float(rng.uniform(0, 180)), moire_follows_screen=True)
    for _ in range(20):  # the widest codes fit only nearly level or less leaned: shrink, seeded
        if _fits(shot):
            return shot
        shot = replace(shot, angle=shot.angle * 0.7, tilt=shot.tilt * 0.7)
    return replace(shot, angle=0.0, tilt=0.0)


def _fits(shot: Shot) -> bool:
    a = math.radians(abs(shot.angle))
    long_side = shot.code_px
    short_side = shot.code_px * (35 / CODE128_MODULES_32 if shot.symbology == "code128" else 1.0)
    w = long_side * math.cos(a) + short_side * math.sin(a)
    h = long_side * math.sin(a) + short_side * math.cos(a)
    return w * (1 + shot.tilt) + 16 <= shot.width and h * (1 + shot.tilt) + 16 <= shot.height
