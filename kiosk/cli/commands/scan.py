"""``scan FILE…``: decode images and videos through the camera's pipeline.

For troubleshooting a camera or a phone's screen, and for measuring: one JSON line
per file, ``{"file": PATH, "codes": [{"text": …, "format": …}], "ms": …}``, where
``ms`` is the decoding time (reading the file excluded). A video is read frame by
frame with the camera's per-frame budget, and each code is listed once. Exit code 0
when every file gave at least one code, 1 when one gave none or could not be read.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_CONFIG, EXIT_OK, EXIT_REJECTED, EXIT_UNAVAILABLE, CommandError
from kiosk.i18n import tr

C = "Cli"

VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mjpg", ".mjpeg", ".wmv"})


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("scan", parents=[common], help=tr(C, "baca QR / Code 128 dari file gambar atau video (baris JSON)"))
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help=tr(C, "gambar (png, jpg, webp, ...) atau video"))
    p.add_argument("--decoders", metavar="LIST",
                   help=tr(C, "urutan pembaca kode, dipisah koma (bawaan: scanner.decoders dari konfigurasi, atau zxing-cpp,pyzbar)"))
    p.set_defaults(handler=run)


def decoder_order(args: argparse.Namespace) -> list[str]:
    if args.decoders:
        return [name.strip() for name in args.decoders.split(",") if name.strip()]
    from kiosk.cli.common import config_path
    from kiosk.config import load_config
    from kiosk.devices.decoders import DEFAULT_ORDER

    path = config_path(args)
    if args.config or path.exists():
        return list(load_config(path).scanner.decoders)
    return list(DEFAULT_ORDER)  # no config yet: troubleshooting works before `init`


def run(args: argparse.Namespace) -> int:
    from kiosk.devices.decoders import DecoderUnavailable
    from kiosk.devices.pipeline import ScanPipeline

    try:
        pipeline = ScanPipeline.from_names(decoder_order(args))
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_CONFIG, "usage") from None
    except DecoderUnavailable as exc:
        raise CommandError(str(exc), EXIT_UNAVAILABLE, "unavailable") from None
    every_file_read = True
    for path in args.files:
        line = scan_file(pipeline, path)
        every_file_read &= bool(line["codes"])
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return EXIT_OK if every_file_read else EXIT_REJECTED


def scan_file(pipeline: Any, path: Path) -> dict[str, Any]:
    line: dict[str, Any] = {"file": str(path), "codes": [], "ms": 0.0}
    if not path.is_file():
        line["error"] = "no such file" if not path.exists() else "not a file"
        return line
    try:
        if path.suffix.lower() in VIDEO_SUFFIXES:
            codes, seconds, frames = _scan_video(pipeline, path)
            line["frames"] = frames
        else:
            codes, seconds = _scan_image(pipeline, path)
    except ValueError as exc:
        line["error"] = str(exc)
        return line
    line["codes"] = [{"text": c.text, "format": c.symbology.value} for c in codes]
    line["ms"] = round(seconds * 1000, 2)
    return line


def _scan_image(pipeline: Any, path: Path) -> tuple[list[Any], float]:
    from kiosk.devices.pipeline import read_image

    image = read_image(path)
    started = time.perf_counter()
    codes = pipeline.decode_still(image)
    return codes, time.perf_counter() - started


def _scan_video(pipeline: Any, path: Path) -> tuple[list[Any], float, int]:
    import cv2

    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise ValueError("not a video that can be read")
    found: dict[str, Any] = {}
    seconds, frames = 0.0, 0
    try:
        while True:
            ok, frame = capture.read()
            if not ok or frame is None:
                break
            frames += 1
            started = time.perf_counter()
            codes = pipeline.decode_frame(frame)
            seconds += time.perf_counter() - started
            for code in codes:
                found.setdefault(code.text, code)
    finally:
        capture.release()
    if frames == 0:
        raise ValueError("the video has no frames that can be read")
    return list(found.values()), seconds, frames
