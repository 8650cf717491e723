"""Decoding speed and detection rate: zxing-cpp, pyzbar and OpenCV's
QRCodeDetectorAruco as peers, and our pipeline.

    python benchmarks/decode.py [--synthetic 100] [--seconds 5]

Sets measured:
- the zxing-cpp sample corpus (``../shared/corpora/zxing-cpp-samples``): QR and
  Code 128 images must read their exact text; the false-positive folders must read
  nothing;
- synthetic phone-screen frames (``kiosk.devices.synthetic.random_shot``), QR and
  Code 128, at 640x480 and 1280x720;
- the camera worker's sustained decode rate on 1280x720 input (a fake camera that
  delivers frames as fast as asked), with a phone in view and with none.

Prints Markdown tables for docs/benchmarks.md (section "Scanning").
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.devices import synthetic  # noqa: E402
from kiosk.devices.camera import CameraSource, CameraWorker, SourceKind  # noqa: E402
from kiosk.devices.decoders import ZbarDecoder, ZxingDecoder  # noqa: E402
from kiosk.devices.pipeline import ScanPipeline, read_image, to_gray  # noqa: E402

CORPUS = ROOT / ".." / "shared" / "corpora" / "zxing-cpp-samples"
BOOKING_TEXT = "AP1-JKP-261127-0930-042-7VGJ2DG5"

Reader = Callable[[np.ndarray], list[str]]


def peers() -> dict[str, Reader]:
    zx, zb = ZxingDecoder(), ZbarDecoder()
    aruco = cv2.QRCodeDetectorAruco()
    ours = ScanPipeline([zx, zb])

    def opencv(image: np.ndarray) -> list[str]:
        try:
            ok, texts, _, _ = aruco.detectAndDecodeMulti(to_gray(image))
        except (UnicodeDecodeError, cv2.error):  # non-UTF-8 payloads, unsupported modes: a miss
            return []
        return [t for t in texts if t] if ok else []

    return {
        "zxing-cpp": lambda im: [c.text for c in zx.decode(to_gray(im))],
        "pyzbar": lambda im: [c.text for c in zb.decode(to_gray(im))],
        "OpenCV QRCodeDetectorAruco (QR only)": opencv,
        "our pipeline, still (all retries)": lambda im: [c.text for c in ours.decode_still(im)],
        "our pipeline, one camera frame": lambda im: [c.text for c in ScanPipeline([zx, zb]).decode_frame(im)],
    }


def frames_until_read(frame: np.ndarray, limit: int = 60) -> int | None:
    """How many camera frames of a phone held still it takes to read the code."""
    pipeline = ScanPipeline.from_names(["zxing-cpp", "pyzbar"])
    for n in range(1, limit + 1):
        if BOOKING_TEXT in [c.text for c in pipeline.decode_frame(frame)]:
            return n
    return None


def timed(reader: Reader, image: np.ndarray) -> tuple[list[str], float]:
    """The texts read and the CPU milliseconds the reading thread spent.

    CPU time, not wall time: the benchmark machine is shared, and a busy neighbour
    stretches wall time without changing what one free core needs.
    """
    started = time.thread_time()
    texts = reader(image)
    return texts, (time.thread_time() - started) * 1000


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def corpus_table() -> str:
    if not CORPUS.is_dir():
        return f"(corpus not found at {CORPUS}; skipped)\n"
    images = []
    for folder in sorted(CORPUS.iterdir()):
        if not folder.is_dir():
            continue
        for p in sorted(folder.iterdir()):
            if p.suffix in (".webp", ".png", ".jpg"):
                txt = p.with_suffix(".txt")
                expected = txt.read_bytes().decode("utf-8") if txt.exists() else None
                images.append((read_image(p), expected))
    coded = sum(1 for _, e in images if e is not None)
    negatives = len(images) - coded
    rows = ["| decoder | read (of %d) | misread | false positives (of %d images) | median CPU ms | p95 CPU ms |"
            % (coded, negatives),
            "|---|---:|---:|---:|---:|---:|"]
    for name, reader in peers().items():
        if name == "our pipeline, one camera frame":
            continue
        read = fp = misread = 0
        times = []
        for image, expected in images:
            texts, ms = timed(reader, image)
            times.append(ms)
            if expected is None:
                fp += bool(texts)
            elif expected in texts:
                read += 1
            elif texts:
                misread += 1  # e.g. Shift-JIS text decoded as another charset
        rows.append(f"| {name} | {read} | {misread} | {fp} | {statistics.median(times):.1f} | "
                    f"{percentile(times, 95):.1f} |")
    return "\n".join(rows) + "\n"


def synthetic_table(count: int) -> str:
    rows = ["| frame | symbology | decoder | read | median CPU ms | p95 CPU ms |", "|---|---|---|---:|---:|---:|"]
    readers = peers()
    for width, height in synthetic.FRAME_SIZES:
        for symbology in ("qr", "code128"):
            frames = [synthetic.phone_frame(BOOKING_TEXT, synthetic.random_shot(symbology, width, height, seed))
                      for seed in range(count)]
            for name, reader in readers.items():
                if symbology == "code128" and "OpenCV" in name:
                    continue
                results = [timed(reader, f) for f in frames]
                read = sum(BOOKING_TEXT in texts for texts, _ in results)
                times = [ms for _, ms in results]
                rows.append(f"| {width}x{height} | {symbology} | {name} | {read}/{count} "
                            f"({100 * read / count:.0f}%) | {statistics.median(times):.1f} | "
                            f"{percentile(times, 95):.1f} |")
            needed = [frames_until_read(f) for f in frames]
            got = [n for n in needed if n is not None]
            rows.append(f"| {width}x{height} | {symbology} | our camera worker, phone held still: read within "
                        f"2 s (60 frames) | {len(got)}/{count} ({100 * len(got) / count:.0f}%) | "
                        f"{statistics.median(got) if got else float('nan'):.0f} frames | "
                        f"{percentile(got, 95):.0f} frames |")
    return "\n".join(rows) + "\n"


class MemoryCamera:
    """A camera that delivers the given frames in a loop as fast as it is asked."""

    def __init__(self, frames: list[np.ndarray]) -> None:
        self.frames = frames
        self.index = 0

    def isOpened(self) -> bool:  # noqa: N802
        return True

    def read(self) -> tuple[bool, np.ndarray]:
        frame = self.frames[self.index % len(self.frames)]
        self.index += 1
        time.sleep(0.001)  # leave the decoder its core, as a real camera's DMA does
        return True, frame

    def set(self, prop: int, value: float) -> bool:
        return True

    def get(self, prop: int) -> float:
        return 0.0

    def release(self) -> None:
        pass


def worker_rate(frames: list[np.ndarray], seconds: float) -> tuple[float, float, float, float]:
    """(frames/s decoded, frames/s one free core sustains, median CPU ms, p95 CPU ms)
    of the camera worker's decoding thread."""
    decoded = threading.Event()
    worker = CameraWorker(CameraSource(SourceKind.DEVICE, 0), ScanPipeline.from_names(["zxing-cpp", "pyzbar"]),
                          opener=lambda _: MemoryCamera(frames), on_code=lambda _: decoded.set())
    times: list[float] = []
    original = worker.pipeline.decode_frame

    def measured(image: np.ndarray):  # type: ignore[no-untyped-def]
        started = time.thread_time()  # runs on the decoding thread: its CPU time
        result = original(image)
        times.append((time.thread_time() - started) * 1000)
        return result

    worker.pipeline.decode_frame = measured  # type: ignore[method-assign]
    worker.start()
    time.sleep(1.0)  # warm up
    start_count, started, first = worker.stats.decoded, time.perf_counter(), len(times)
    time.sleep(seconds)
    rate = (worker.stats.decoded - start_count) / (time.perf_counter() - started)
    worker.stop()
    window = times[first:]
    return rate, 1000 / statistics.mean(window), statistics.median(window), percentile(window, 95)


def worker_table(seconds: float) -> str:
    with_code = [synthetic.phone_frame(BOOKING_TEXT, synthetic.random_shot(s, 1280, 720, seed))
                 for seed in range(10) for s in ("qr", "code128")]
    rng = np.random.default_rng(7)
    empty = [cv2.GaussianBlur(rng.integers(40, 200, (720, 1280, 3), dtype=np.uint8), (0, 0), 6) for _ in range(10)]
    rows = ["| 1280x720 input | frames/s on one free core (CPU time) | frames/s measured (shared machine) "
            "| median CPU ms/frame | p95 CPU ms/frame |", "|---|---:|---:|---:|---:|"]
    for name, frames in (("phone with a code in view", with_code), ("no code in view (idle desk)", empty)):
        rate, core_rate, median, p95 = worker_rate(frames, seconds)
        rows.append(f"| {name} | {core_rate:.0f} | {rate:.0f} | {median:.1f} | {p95:.1f} |")
    return "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=100, help="frames per size and symbology")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per worker measurement")
    parser.add_argument("--parts", default="corpus,synthetic,worker", help="which tables, comma-separated")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    cv2.setNumThreads(1)  # one core for decoding, as on the desk PC next to the GUI
    import os

    print(f"Python {platform.python_version()}, OpenCV {cv2.__version__}, {platform.platform()}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start\n")
    if "corpus" in parts:
        print("### Corpus\n")
        print(corpus_table())
    if "synthetic" in parts:
        print(f"### Synthetic phone-screen frames ({args.synthetic} per row)\n")
        print(synthetic_table(args.synthetic))
    if "worker" in parts:
        print("### Camera worker\n")
        print(worker_table(args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
