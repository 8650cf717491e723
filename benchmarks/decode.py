"""Decoding speed and detection rate: zxing-cpp and pyzbar alone, the pipeline
without the region-first reader (the old one) and with it (the new one), side by side
in one run.

    python benchmarks/decode.py [--synthetic 100] [--seconds 5] [--frames hard|easy]

Sets measured:
- the zxing-cpp sample corpus (``../shared/corpora/zxing-cpp-samples``): QR and
  Code 128 images must read their exact text; the false-positive folders must read
  nothing;
- hard synthetic phone-screen frames (``kiosk.devices.synthetic.hard_shot``, seeds
  0..N-1), QR and Code 128, at 640x480 and 1280x720: the booking code must be read,
  any other text is a wrong read;
- the camera worker's sustained decode rate on 1280x720 input (a fake camera that
  delivers frames as fast as asked), with a Code 128 in view, a QR code, and none.

Prints Markdown tables for docs/benchmarks.md (section "Scanning").
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
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
HELD_FRAMES = 10  # a third of a second at 30 frames/s

Reader = Callable[[np.ndarray], list[str]]


def old_pipeline(zx: ZxingDecoder, zb: ZbarDecoder) -> ScanPipeline:
    return ScanPipeline([zx, zb], region_first=False)


def new_pipeline(zx: ZxingDecoder, zb: ZbarDecoder) -> ScanPipeline:
    return ScanPipeline([zx, zb])


def peers() -> dict[str, Reader]:
    zx, zb = ZxingDecoder(), ZbarDecoder()
    old, new = old_pipeline(zx, zb), new_pipeline(zx, zb)
    return {
        "zxing-cpp alone": lambda im: [c.text for c in zx.decode(to_gray(im))],
        "pyzbar alone": lambda im: [c.text for c in zb.decode(to_gray(im))],
        "old pipeline, still (all retries)": lambda im: [c.text for c in old.decode_still(im)],
        "**new pipeline, still** (all retries, then region-first)": lambda im: [c.text for c in new.decode_still(im)],
        "**new pipeline, one camera frame** (quick pass + region-first slot)":
            lambda im: [c.text for c in new.decode_deep_frame(im)],
    }


def held_still(make: Callable[[], ScanPipeline], frame: np.ndarray, limit: int = HELD_FRAMES
               ) -> tuple[int | None, bool, list[float]]:
    """A phone held still for ``limit`` camera frames: the frame number of the first
    read (None: not read), whether any other text came out, and the CPU ms of every
    frame."""
    pipeline = make()
    first, wrong, times = None, False, []
    for n in range(1, limit + 1):
        texts, ms = timed(lambda im: [c.text for c in pipeline.decode_frame(im)], frame)
        times.append(ms)
        wrong |= any(t != BOOKING_TEXT for t in texts)
        if first is None and BOOKING_TEXT in texts:
            first = n
    return first, wrong, times


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


SHOTS = {"hard": synthetic.hard_shot, "easy": synthetic.random_shot}
FRAME_SET = "hard"  # --frames: the hard set, or the easy one the earlier tables were measured on


def hard_frames(symbology: str, width: int, height: int, count: int) -> list[np.ndarray]:
    shot = SHOTS[FRAME_SET]
    return [synthetic.phone_frame(BOOKING_TEXT, shot(symbology, width, height, seed)) for seed in range(count)]


def synthetic_table(count: int) -> str:
    rows = ["| frame | symbology | reader | read | wrong | median CPU ms | p95 CPU ms |",
            "|---|---|---|---:|---:|---:|---:|"]
    readers = peers()
    zx, zb = ZxingDecoder(), ZbarDecoder()
    for width, height in synthetic.FRAME_SIZES:
        for symbology in ("qr", "code128"):
            frames = hard_frames(symbology, width, height, count)
            for name, reader in readers.items():
                results = [timed(reader, f) for f in frames]
                read = sum(BOOKING_TEXT in texts for texts, _ in results)
                wrong = sum(any(t != BOOKING_TEXT for t in texts) for texts, _ in results)
                times = [ms for _, ms in results]
                rows.append(f"| {width}x{height} | {symbology} | {name} | {read}/{count} | {wrong} | "
                            f"{statistics.median(times):.1f} | {percentile(times, 95):.1f} |")
            for label, make in (("old", lambda: old_pipeline(zx, zb)), ("**new**", lambda: new_pipeline(zx, zb))):
                held = [held_still(make, f) for f in frames]
                got = sum(first is not None for first, _, _ in held)
                wrong = sum(w for _, w, _ in held)
                times = [ms for _, _, t in held for ms in t]
                rows.append(f"| {width}x{height} | {symbology} | {label} camera worker, phone held still "
                            f"{HELD_FRAMES} frames (CPU per frame) | {got}/{count} | {wrong} | "
                            f"{statistics.median(times):.1f} | {percentile(times, 95):.1f} |")
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


def worker_rate(frames: list[np.ndarray], seconds: float, pipeline: ScanPipeline
                ) -> tuple[float, float, float, float, int]:
    """(frames/s decoded, frames/s one free core sustains, median CPU ms, p95 CPU ms,
    codes reported) of the camera worker's decoding thread."""
    reported: list[str] = []
    worker = CameraWorker(CameraSource(SourceKind.DEVICE, 0), pipeline, dedupe_seconds=0.0,
                          opener=lambda _: MemoryCamera(frames), on_code=lambda code: reported.append(code.text))
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
    start_count, started, first, first_report = worker.stats.decoded, time.perf_counter(), len(times), len(reported)
    time.sleep(seconds)
    rate = (worker.stats.decoded - start_count) / (time.perf_counter() - started)
    worker.stop()
    window = times[first:]
    wrong = sum(t != BOOKING_TEXT for t in reported)
    assert wrong == 0, f"the camera worker reported {wrong} wrong texts"
    return rate, 1000 / statistics.mean(window), statistics.median(window), percentile(window, 95), \
        len(reported) - first_report


def worker_table(seconds: float) -> str:
    code128 = hard_frames("code128", 1280, 720, 20)
    qr = hard_frames("qr", 1280, 720, 20)
    rng = np.random.default_rng(7)
    empty = [cv2.GaussianBlur(rng.integers(40, 200, (720, 1280, 3), dtype=np.uint8), (0, 0), 6) for _ in range(10)]
    rows = ["| 1280x720 input (hard frames, each a different phone, in a loop) | pipeline "
            "| frames/s on one free core (CPU time) | frames/s measured (shared machine) "
            "| median CPU ms/frame | p95 CPU ms/frame | codes reported |", "|---|---|---:|---:|---:|---:|---:|"]
    zx, zb = ZxingDecoder(), ZbarDecoder()
    cases = (("a Code 128 in view", code128, "old", old_pipeline),
             ("a Code 128 in view", code128, "**new**", new_pipeline),
             ("a QR code in view", qr, "**new**", new_pipeline),
             ("no code in view (idle desk)", empty, "**new**", new_pipeline))
    for name, frames, label, make in cases:
        rate, core_rate, median, p95, reported = worker_rate(frames, seconds, make(zx, zb))
        rows.append(f"| {name} | {label} | {core_rate:.0f} | {rate:.0f} | {median:.1f} | {p95:.1f} | {reported} |")
    return "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=100, help="frames per size and symbology")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per worker measurement")
    parser.add_argument("--parts", default="corpus,synthetic,worker", help="which tables, comma-separated")
    parser.add_argument("--frames", choices=sorted(SHOTS), default="hard",
                        help="synthetic set: hard (synthetic.hard_shot) or easy (synthetic.random_shot)")
    args = parser.parse_args()
    global FRAME_SET
    FRAME_SET = args.frames
    parts = set(args.parts.split(","))
    cv2.setNumThreads(1)  # one core for decoding, as on the desk PC next to the GUI
    import os

    print(f"Python {platform.python_version()}, OpenCV {cv2.__version__}, {platform.platform()}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start\n")
    if "corpus" in parts:
        print("### Corpus\n")
        print(corpus_table())
    if "synthetic" in parts:
        print(f"### Synthetic phone-screen frames, {args.frames} set ({args.synthetic} per row)\n")
        print(synthetic_table(args.synthetic))
    if "worker" in parts:
        print("### Camera worker\n")
        print(worker_table(args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
