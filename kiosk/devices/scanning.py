"""The scanning devices built from the configuration ([camera] and [scanner])."""

from __future__ import annotations

from typing import Any

from kiosk.config import Config, resolve_path
from kiosk.devices.camera import CameraSource, CameraWorker, open_capture
from kiosk.devices.pipeline import ScanPipeline
from kiosk.devices.serial_scanner import SerialScanner


def pipeline_from_config(config: Config) -> ScanPipeline:
    return ScanPipeline.from_names(config.scanner.decoders)


def camera_from_config(config: Config, **callbacks: Any) -> CameraWorker | None:
    """The desk's camera worker (not started), or None when no camera is configured.

    ``callbacks``: ``on_code``, ``on_preview``, ``on_status`` (see CameraWorker).
    """
    cam = config.camera
    if not cam.source.strip():
        return None
    text = cam.source.strip()
    if not text.isdigit() and "://" not in text:
        # A demo file or folder: relative to the config file, like every path in it.
        text = str(resolve_path(config, text))
    source = CameraSource.parse(text)

    def opener(src: CameraSource) -> Any:
        return open_capture(src, cam.width, cam.height, cam.fps)

    return CameraWorker(source, pipeline_from_config(config), dedupe_seconds=config.scanner.dedupe_seconds,
                        preview_fps=cam.preview_fps, fps=cam.fps, opener=opener, **callbacks)


def serial_scanner_from_config(config: Config, **callbacks: Any) -> SerialScanner | None:
    """The serial scanner reader (not started), or None when no port is configured."""
    sc = config.scanner
    if not sc.serial_port.strip():
        return None
    return SerialScanner(sc.serial_port, sc.serial_baud, **callbacks)


def wedge_from_config(config: Config, parent: Any = None) -> Any:
    """The keyboard-wedge recogniser (Qt); install it with ``.install()``."""
    from kiosk.devices.wedge import wedge_from_config as build

    return build(config.scanner, parent=parent)
